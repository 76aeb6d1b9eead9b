// AVX-512 kernels (compiled with -mavx512f -mavx512dq; called only after a CPUID check).
// The complex product is the one of kernels_avx2.cpp on wider registers (re/im swapped through
// shuffle, lanes exchanged through permutex2var: GCC 12 warns falsely inside the one-source
// AVX-512 permute intrinsics).

#include <immintrin.h>

#include "kernels_impl.hpp"

namespace kettle::detail {
namespace {

struct Avx512Double {
    using T = double;
    static constexpr unsigned log2_width = 2;  // 4 complex doubles per register
    using reg = __m512d;
    struct bcast {
        __m512d re, im;
    };
    static reg load(const T* p) noexcept { return _mm512_loadu_pd(p); }
    static reg zero() noexcept { return _mm512_setzero_pd(); }
    using lanes = __m512i;
    static lanes xor_lanes(unsigned d) noexcept {
        alignas(64) long long idx[8];
        for (int l = 0; l < 8; ++l) idx[l] = (long long)((unsigned(l / 2) ^ d) * 2 + unsigned(l % 2));
        return _mm512_load_si512(idx);
    }
    // One source, not permutex2var(v, idx, v): on Zen 4 a 1-qubit gate on qubit 0 or 1
    // (lane_pair_kernel, one permute a register) ran 25-30% faster at 10 qubits so (a scratch
    // A/B of what bench_circuits' BM_SmallGate/gate:rx/q:0/kernel times).
    static reg permute(reg v, lanes idx) noexcept { return _mm512_maskz_permutexvar_pd(0xFF, idx, v); }
    // The two-source permutes of exchange(), one per output register (bit 3 of an index picks y).
    struct exchange_lanes {
        __m512i x, y;
    };
    static exchange_lanes exchanging(unsigned d) noexcept {
        alignas(64) long long ix[8], iy[8];
        for (unsigned e = 0; e < 8; ++e) {
            const unsigned l = e / 2, part = e % 2, other = (l ^ d) * 2 + part;
            ix[e] = (long long)((l & d) != 0 ? 8 + other : e);
            iy[e] = (long long)((l & d) != 0 ? 8 + e : other);
        }
        return {_mm512_load_si512(ix), _mm512_load_si512(iy)};
    }
    static void exchange(reg& x, reg& y, const exchange_lanes& e) noexcept {
        const reg nx = _mm512_permutex2var_pd(x, e.x, y);
        y = _mm512_permutex2var_pd(x, e.y, y);
        x = nx;
    }
    static void store(T* p, reg v) noexcept { _mm512_storeu_pd(p, v); }
    static void stream(T* p, reg v) noexcept { _mm512_stream_pd(p, v); }
    static void fence() noexcept { _mm_sfence(); }
    static bcast broadcast(std::complex<T> z) noexcept { return {_mm512_set1_pd(z.real()), _mm512_set1_pd(z.imag())}; }
    static bcast split(reg v) noexcept { return {_mm512_shuffle_pd(v, v, 0x00), _mm512_shuffle_pd(v, v, 0xFF)}; }
    static reg times_i(reg v) noexcept {
        const reg z = _mm512_setzero_pd();
        return _mm512_fmaddsub_pd(z, z, _mm512_shuffle_pd(v, v, 0x55));
    }
    static reg scale(T s, reg v) noexcept { return _mm512_mul_pd(_mm512_set1_pd(s), v); }
    static reg fma_scalar(T s, reg v, reg acc) noexcept { return _mm512_fmadd_pd(_mm512_set1_pd(s), v, acc); }
    static reg mul(bcast m, reg v) noexcept {
        return _mm512_fmaddsub_pd(m.re, v, _mm512_mul_pd(m.im, _mm512_shuffle_pd(v, v, 0x55)));
    }
    static reg fma(bcast m, reg v, reg acc) noexcept { return _mm512_add_pd(acc, mul(m, v)); }
    static reg fmadd(reg a, reg b, reg acc) noexcept { return _mm512_fmadd_pd(a, b, acc); }
    static reg times(reg a, reg b) noexcept { return _mm512_mul_pd(a, b); }
    static reg add(reg a, reg b) noexcept { return _mm512_add_pd(a, b); }
    static reg set1(const T& s) noexcept { return broadcast_load<reg>(s); }
    static reg swap(reg v) noexcept { return _mm512_shuffle_pd(v, v, 0x55); }
    static reg fmaddsub(reg a, reg b, reg acc) noexcept { return _mm512_fmaddsub_pd(a, b, acc); }
    static reg sub(reg a, reg b) noexcept { return _mm512_sub_pd(a, b); }
    // Within each 128-bit lane: (re, im) of x and of y become (re x, re y) and (im x, im y).
    static void deinterleave(reg x, reg y, reg& re, reg& im) noexcept {
        re = _mm512_shuffle_pd(x, y, 0x00);
        im = _mm512_shuffle_pd(x, y, 0xFF);
    }
    static void interleave(reg re, reg im, reg& x, reg& y) noexcept {
        x = _mm512_shuffle_pd(re, im, 0x00);
        y = _mm512_shuffle_pd(re, im, 0xFF);
    }
    static constexpr bool gauss = true;
    static constexpr unsigned max_rows = 16;
    static constexpr unsigned registers = 32;
};

struct Avx512Float {
    using T = float;
    static constexpr unsigned log2_width = 3;  // 8 complex floats per register
    using reg = __m512;
    struct bcast {
        __m512 re, im;
    };
    static reg load(const T* p) noexcept { return _mm512_loadu_ps(p); }
    static reg zero() noexcept { return _mm512_setzero_ps(); }
    using lanes = __m512i;
    static lanes xor_lanes(unsigned d) noexcept {
        alignas(64) int idx[16];
        for (int l = 0; l < 16; ++l) idx[l] = int((unsigned(l / 2) ^ d) * 2 + unsigned(l % 2));
        return _mm512_load_si512(idx);
    }
    static reg permute(reg v, lanes idx) noexcept { return _mm512_maskz_permutexvar_ps(0xFFFF, idx, v); }
    // As for double; bit 4 of an index picks y.
    struct exchange_lanes {
        __m512i x, y;
    };
    static exchange_lanes exchanging(unsigned d) noexcept {
        alignas(64) int ix[16], iy[16];
        for (unsigned e = 0; e < 16; ++e) {
            const unsigned l = e / 2, part = e % 2, other = (l ^ d) * 2 + part;
            ix[e] = int((l & d) != 0 ? 16 + other : e);
            iy[e] = int((l & d) != 0 ? 16 + e : other);
        }
        return {_mm512_load_si512(ix), _mm512_load_si512(iy)};
    }
    static void exchange(reg& x, reg& y, const exchange_lanes& e) noexcept {
        const reg nx = _mm512_permutex2var_ps(x, e.x, y);
        y = _mm512_permutex2var_ps(x, e.y, y);
        x = nx;
    }
    static void store(T* p, reg v) noexcept { _mm512_storeu_ps(p, v); }
    static void stream(T* p, reg v) noexcept { _mm512_stream_ps(p, v); }
    static void fence() noexcept { _mm_sfence(); }
    static bcast broadcast(std::complex<T> z) noexcept { return {_mm512_set1_ps(z.real()), _mm512_set1_ps(z.imag())}; }
    static bcast split(reg v) noexcept { return {_mm512_shuffle_ps(v, v, 0xA0), _mm512_shuffle_ps(v, v, 0xF5)}; }
    static reg times_i(reg v) noexcept {
        const reg z = _mm512_setzero_ps();
        return _mm512_fmaddsub_ps(z, z, _mm512_shuffle_ps(v, v, 0xB1));
    }
    static reg scale(T s, reg v) noexcept { return _mm512_mul_ps(_mm512_set1_ps(s), v); }
    static reg fma_scalar(T s, reg v, reg acc) noexcept { return _mm512_fmadd_ps(_mm512_set1_ps(s), v, acc); }
    static reg mul(bcast m, reg v) noexcept {
        return _mm512_fmaddsub_ps(m.re, v, _mm512_mul_ps(m.im, _mm512_shuffle_ps(v, v, 0xB1)));
    }
    static reg fma(bcast m, reg v, reg acc) noexcept { return _mm512_add_ps(acc, mul(m, v)); }
    static reg fmadd(reg a, reg b, reg acc) noexcept { return _mm512_fmadd_ps(a, b, acc); }
    static reg times(reg a, reg b) noexcept { return _mm512_mul_ps(a, b); }
    static reg add(reg a, reg b) noexcept { return _mm512_add_ps(a, b); }
    static reg set1(const T& s) noexcept { return broadcast_load<reg>(s); }
    static reg swap(reg v) noexcept { return _mm512_shuffle_ps(v, v, 0xB1); }
    static reg fmaddsub(reg a, reg b, reg acc) noexcept { return _mm512_fmaddsub_ps(a, b, acc); }
    static reg sub(reg a, reg b) noexcept { return _mm512_sub_ps(a, b); }
    // Within each 128-bit lane: two complex numbers of x and two of y become their four real
    // parts and their four imaginary parts.
    static void deinterleave(reg x, reg y, reg& re, reg& im) noexcept {
        re = _mm512_shuffle_ps(x, y, 0x88);
        im = _mm512_shuffle_ps(x, y, 0xDD);
    }
    // The unpacks with a full mask: the plain intrinsics start from an undefined register, which
    // GCC 12 reports as uninitialized.
    static void interleave(reg re, reg im, reg& x, reg& y) noexcept {
        x = _mm512_mask_unpacklo_ps(re, __mmask16(0xFFFF), re, im);
        y = _mm512_mask_unpackhi_ps(re, __mmask16(0xFFFF), re, im);
    }
    static constexpr bool gauss = true;
    static constexpr unsigned max_rows = 16;
    static constexpr unsigned registers = 32;
};

constexpr auto kAvx512Float = table_for<Avx512Float>("avx512");
constexpr auto kAvx512Double = table_for<Avx512Double>("avx512");
constexpr auto kAvx512FloatThree = table_for<Avx512Float, DenseProducts::three>("avx512");
constexpr auto kAvx512DoubleThree = table_for<Avx512Double, DenseProducts::three>("avx512");

}  // namespace

template <>
const KernelTable<float>& avx512_kernel_table<float>(DenseProducts products) {
    return products == DenseProducts::three ? kAvx512FloatThree : kAvx512Float;
}
template <>
const KernelTable<double>& avx512_kernel_table<double>(DenseProducts products) {
    return products == DenseProducts::three ? kAvx512DoubleThree : kAvx512Double;
}

}  // namespace kettle::detail
