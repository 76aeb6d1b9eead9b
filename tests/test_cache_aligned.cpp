// CacheAlignedVector (simulator/cache_aligned.hpp): every buffer starts on a 64-byte line,
// whatever its size and however it grows, and keeps its contents.

#include <gtest/gtest.h>

#include <complex>
#include <cstdint>
#include <limits>
#include <new>
#include <utility>

#include "cache_aligned.hpp"

namespace kettle::detail {
namespace {

template <class V>
bool on_a_line(const V& v) {
    return reinterpret_cast<std::uintptr_t>(v.data()) % 64 == 0;
}

TEST(CacheAligned, EveryBufferStartsOnALine) {
    for (std::size_t n : {1u, 3u, 7u, 16u, 100u, 4097u}) {
        CacheAlignedVector<double> d(n, 1.5);
        CacheAlignedVector<std::complex<float>> c(n);
        EXPECT_TRUE(on_a_line(d)) << n;
        EXPECT_TRUE(on_a_line(c)) << n;
    }
}

TEST(CacheAligned, GrowingKeepsAlignmentAndContents) {
    CacheAlignedVector<double> v;
    for (int i = 0; i < 10000; ++i) {
        v.push_back(double(i));
        ASSERT_TRUE(on_a_line(v)) << i;
    }
    for (int i = 0; i < 10000; ++i) ASSERT_EQ(v[std::size_t(i)], double(i));
    CacheAlignedVector<double> moved = std::move(v);
    EXPECT_TRUE(on_a_line(moved));
    EXPECT_EQ(moved.back(), 9999.0);
}

TEST(CacheAligned, ImpossibleSizesThrow) {
    CacheAlignedAllocator<double> a;
    EXPECT_THROW((void)a.allocate(std::numeric_limits<std::size_t>::max() / 4), std::bad_array_new_length);
}

}  // namespace
}  // namespace kettle::detail
