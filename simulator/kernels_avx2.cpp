// AVX2 + FMA kernels (compiled with -mavx2 -mfma; called only after a CPUID check).
//
// A complex product m * v on interleaved (re, im) lanes: with v' = v with re and im swapped,
// fmaddsub(m.re, v, m.im * v') = (m.re v.re - m.im v.im, m.re v.im + m.im v.re).

#include <immintrin.h>

#include "kernels_impl.hpp"

namespace kettle::detail {
namespace {

struct Avx2Double {
    using T = double;
    static constexpr unsigned log2_width = 1;  // 2 complex doubles per register
    using reg = __m256d;
    struct bcast {
        __m256d re, im;
    };
    static reg load(const T* p) noexcept { return _mm256_loadu_pd(p); }
    static reg zero() noexcept { return _mm256_setzero_pd(); }
    using lanes = unsigned;  // the only exchange of two complex lanes is swapping the halves
    static lanes xor_lanes(unsigned d) noexcept { return d; }
    static reg permute(reg v, lanes) noexcept { return _mm256_permute4x64_pd(v, 0x4E); }
    // The only lane bit is 1: x takes the low halves of both, y the high halves.
    using exchange_lanes = unsigned;
    static exchange_lanes exchanging(unsigned d) noexcept { return d; }
    static void exchange(reg& x, reg& y, exchange_lanes) noexcept {
        const reg nx = _mm256_permute2f128_pd(x, y, 0x20);
        y = _mm256_permute2f128_pd(x, y, 0x31);
        x = nx;
    }
    static void store(T* p, reg v) noexcept { _mm256_storeu_pd(p, v); }
    static void stream(T* p, reg v) noexcept { _mm256_stream_pd(p, v); }
    static void fence() noexcept { _mm_sfence(); }
    static bcast broadcast(std::complex<T> z) noexcept { return {_mm256_set1_pd(z.real()), _mm256_set1_pd(z.imag())}; }
    static bcast split(reg v) noexcept { return {_mm256_unpacklo_pd(v, v), _mm256_unpackhi_pd(v, v)}; }
    // i v = (-im, re): fmaddsub(0, 0, swapped) negates the even (real) lanes.
    static reg times_i(reg v) noexcept {
        const reg z = _mm256_setzero_pd();
        return _mm256_fmaddsub_pd(z, z, _mm256_permute_pd(v, 0x5));
    }
    static reg scale(T s, reg v) noexcept { return _mm256_mul_pd(_mm256_set1_pd(s), v); }
    static reg fma_scalar(T s, reg v, reg acc) noexcept { return _mm256_fmadd_pd(_mm256_set1_pd(s), v, acc); }
    static reg mul(bcast m, reg v) noexcept {
        return _mm256_fmaddsub_pd(m.re, v, _mm256_mul_pd(m.im, _mm256_permute_pd(v, 0x5)));
    }
    static reg fma(bcast m, reg v, reg acc) noexcept { return _mm256_add_pd(acc, mul(m, v)); }
    static reg fmadd(reg a, reg b, reg acc) noexcept { return _mm256_fmadd_pd(a, b, acc); }
    static reg times(reg a, reg b) noexcept { return _mm256_mul_pd(a, b); }
    static reg add(reg a, reg b) noexcept { return _mm256_add_pd(a, b); }
    static reg set1(const T& s) noexcept { return broadcast_load<reg>(s); }
    static reg swap(reg v) noexcept { return _mm256_permute_pd(v, 0x5); }
    static reg fmaddsub(reg a, reg b, reg acc) noexcept { return _mm256_fmaddsub_pd(a, b, acc); }
    static reg sub(reg a, reg b) noexcept { return _mm256_sub_pd(a, b); }
    // Within each 128-bit lane: (re, im) of x and of y become (re x, re y) and (im x, im y).
    static void deinterleave(reg x, reg y, reg& re, reg& im) noexcept {
        re = _mm256_unpacklo_pd(x, y);
        im = _mm256_unpackhi_pd(x, y);
    }
    static void interleave(reg re, reg im, reg& x, reg& y) noexcept {
        x = _mm256_unpacklo_pd(re, im);
        y = _mm256_unpackhi_pd(re, im);
    }
    static constexpr bool gauss = true;
    static constexpr unsigned max_rows = 8;
    static constexpr unsigned registers = 16;
};

struct Avx2Float {
    using T = float;
    static constexpr unsigned log2_width = 2;  // 4 complex floats per register
    using reg = __m256;
    struct bcast {
        __m256 re, im;
    };
    static reg load(const T* p) noexcept { return _mm256_loadu_ps(p); }
    static reg zero() noexcept { return _mm256_setzero_ps(); }
    using lanes = __m256i;
    static lanes xor_lanes(unsigned d) noexcept {
        alignas(32) int idx[8];
        for (int l = 0; l < 8; ++l) idx[l] = int((unsigned(l / 2) ^ d) * 2 + unsigned(l % 2));
        return _mm256_load_si256(reinterpret_cast<const __m256i*>(idx));
    }
    static reg permute(reg v, lanes idx) noexcept { return _mm256_permutevar8x32_ps(v, idx); }
    // Lane bit 2 exchanges 128-bit halves; lane bit 1 the 64-bit complex numbers within them,
    // which the double-precision unpacks interleave.
    using exchange_lanes = unsigned;
    static exchange_lanes exchanging(unsigned d) noexcept { return d; }
    static void exchange(reg& x, reg& y, exchange_lanes d) noexcept {
        if (d == 2) {
            const reg nx = _mm256_permute2f128_ps(x, y, 0x20);
            y = _mm256_permute2f128_ps(x, y, 0x31);
            x = nx;
        } else {
            const __m256d xd = _mm256_castps_pd(x), yd = _mm256_castps_pd(y);
            x = _mm256_castpd_ps(_mm256_unpacklo_pd(xd, yd));
            y = _mm256_castpd_ps(_mm256_unpackhi_pd(xd, yd));
        }
    }
    static void store(T* p, reg v) noexcept { _mm256_storeu_ps(p, v); }
    static void stream(T* p, reg v) noexcept { _mm256_stream_ps(p, v); }
    static void fence() noexcept { _mm_sfence(); }
    static bcast broadcast(std::complex<T> z) noexcept { return {_mm256_set1_ps(z.real()), _mm256_set1_ps(z.imag())}; }
    static bcast split(reg v) noexcept { return {_mm256_moveldup_ps(v), _mm256_movehdup_ps(v)}; }
    static reg times_i(reg v) noexcept {
        const reg z = _mm256_setzero_ps();
        return _mm256_fmaddsub_ps(z, z, _mm256_permute_ps(v, 0xB1));
    }
    static reg scale(T s, reg v) noexcept { return _mm256_mul_ps(_mm256_set1_ps(s), v); }
    static reg fma_scalar(T s, reg v, reg acc) noexcept { return _mm256_fmadd_ps(_mm256_set1_ps(s), v, acc); }
    static reg mul(bcast m, reg v) noexcept {
        return _mm256_fmaddsub_ps(m.re, v, _mm256_mul_ps(m.im, _mm256_permute_ps(v, 0xB1)));
    }
    static reg fma(bcast m, reg v, reg acc) noexcept { return _mm256_add_ps(acc, mul(m, v)); }
    static reg fmadd(reg a, reg b, reg acc) noexcept { return _mm256_fmadd_ps(a, b, acc); }
    static reg times(reg a, reg b) noexcept { return _mm256_mul_ps(a, b); }
    static reg add(reg a, reg b) noexcept { return _mm256_add_ps(a, b); }
    static reg set1(const T& s) noexcept { return broadcast_load<reg>(s); }
    static reg swap(reg v) noexcept { return _mm256_permute_ps(v, 0xB1); }
    static reg fmaddsub(reg a, reg b, reg acc) noexcept { return _mm256_fmaddsub_ps(a, b, acc); }
    static reg sub(reg a, reg b) noexcept { return _mm256_sub_ps(a, b); }
    // Within each 128-bit lane: two complex numbers of x and two of y become their four real
    // parts and their four imaginary parts.
    static void deinterleave(reg x, reg y, reg& re, reg& im) noexcept {
        re = _mm256_shuffle_ps(x, y, 0x88);
        im = _mm256_shuffle_ps(x, y, 0xDD);
    }
    static void interleave(reg re, reg im, reg& x, reg& y) noexcept {
        x = _mm256_unpacklo_ps(re, im);
        y = _mm256_unpackhi_ps(re, im);
    }
    static constexpr bool gauss = true;
    static constexpr unsigned max_rows = 8;
    static constexpr unsigned registers = 16;
};

constexpr auto kAvx2Float = table_for<Avx2Float>("avx2");
constexpr auto kAvx2Double = table_for<Avx2Double>("avx2");
constexpr auto kAvx2FloatThree = table_for<Avx2Float, DenseProducts::three>("avx2");
constexpr auto kAvx2DoubleThree = table_for<Avx2Double, DenseProducts::three>("avx2");

}  // namespace

template <>
const KernelTable<float>& avx2_kernel_table<float>(DenseProducts products) {
    return products == DenseProducts::three ? kAvx2FloatThree : kAvx2Float;
}
template <>
const KernelTable<double>& avx2_kernel_table<double>(DenseProducts products) {
    return products == DenseProducts::three ? kAvx2DoubleThree : kAvx2Double;
}

}  // namespace kettle::detail
