#pragma once
// Storage that starts on a cache line. malloc aligns to 16 bytes, so three of every four
// 64-byte register loads from a std::vector of numbers would straddle two lines and cost two
// loads each; the buffers the kernels stream through (chunk buffers, in-register coefficient
// tables, phase tables) use this instead.

#include <cstddef>
#include <new>
#include <vector>

namespace kettle::detail {

template <class T>
struct CacheAlignedAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};

    CacheAlignedAllocator() noexcept = default;
    template <class U>
    CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}

    [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
    void deallocate(T* p, std::size_t n) noexcept { ::operator delete(p, n * sizeof(T), kAlignment); }

    template <class U>
    bool operator==(const CacheAlignedAllocator<U>&) const noexcept {
        return true;
    }
};

/// A std::vector whose data() is 64-byte aligned.
template <class T>
using CacheAlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace kettle::detail
