#pragma once
// Large buffers (states, the bandwidth baselines measured beside them) on transparent huge
// pages where the kernel allows. With 4 KiB pages a gate on a high qubit, or a cache-blocked
// pass's gather, touches a new page every few cache lines and waits on page walks: a 1 GiB
// state spans 262,144 small pages, far past the TLB, and 512 huge ones. Linux hands out huge
// pages either to every large mapping or, its common default, only where madvise asks.

#include <cstddef>
#include <cstdlib>
#include <sys/mman.h>

namespace kettle::detail {

/// The size (and alignment) of a transparent huge page on x86-64.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

/// Uninitialised memory for `bytes` (a multiple of 64), released with std::free; nullptr if
/// there is none. From kHugePageBytes on it is aligned to a huge page and advised
/// MADV_HUGEPAGE, which takes effect at the first touch (so write it before timing anything);
/// where huge pages are off the advice is ignored and the buffer works as any other.
[[nodiscard]] inline void* allocate_large(std::size_t bytes) noexcept {
    if (bytes < kHugePageBytes) return std::aligned_alloc(64, bytes);
    const std::size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* p = std::aligned_alloc(kHugePageBytes, rounded);
#ifdef MADV_HUGEPAGE
    if (p != nullptr) (void)::madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

}  // namespace kettle::detail
