#pragma once
// Storage that starts on a cache line. malloc aligns to 16 bytes, so three of every four
// 64-byte register loads from a std::vector of numbers would straddle two lines and cost two
// loads each; the buffers the kernels stream through (chunk buffers, in-register coefficient
// tables, phase tables) use this instead.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <vector>

namespace kettle::detail {

/// Allocates through malloc, 64 bytes over, and hands out the first line boundary past the
/// block's start, with malloc's pointer just below it for deallocate. (Aligned operator new
/// goes through memalign, whose slow path showed as 0.2 us more per gate on small states,
/// which prepare a gate's tables on every call.)
template <class T>
struct CacheAlignedAllocator {
    using value_type = T;
    static constexpr std::size_t kAlignment = 64;

    CacheAlignedAllocator() noexcept = default;
    template <class U>
    CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}

    [[nodiscard]] T* allocate(std::size_t n) {
        if (n > (std::numeric_limits<std::size_t>::max() - kAlignment) / sizeof(T)) throw std::bad_array_new_length();
        void* raw = std::malloc(n * sizeof(T) + kAlignment);
        if (raw == nullptr) throw std::bad_alloc();
        // malloc aligns to at least 16 bytes, so there are 16 to 64 bytes below the line.
        const std::uintptr_t line = (reinterpret_cast<std::uintptr_t>(raw) + kAlignment) & ~(kAlignment - 1);
        void** at = reinterpret_cast<void**>(line);
        at[-1] = raw;
        return reinterpret_cast<T*>(at);
    }
    void deallocate(T* p, std::size_t) noexcept { std::free(reinterpret_cast<void**>(p)[-1]); }

    template <class U>
    bool operator==(const CacheAlignedAllocator<U>&) const noexcept {
        return true;
    }
};

/// A std::vector whose data() is 64-byte aligned.
template <class T>
using CacheAlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace kettle::detail
