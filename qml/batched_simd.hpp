#pragma once
// The vector arithmetic of the batched kernels (batched_kernels_impl.hpp), included only by
// the per-instruction-set units; everything here is in an unnamed namespace.
//
// V holds one batched real or imaginary part (kLanes doubles): a GCC vector, one AVX-512
// register, two AVX2 registers or four SSE2 ones. Complex arithmetic is written out on
// (re, im) pairs of V.

#include "batched_kernels.hpp"

namespace kettle::qml_detail {
namespace {

using V = double __attribute__((vector_size(kLanes * sizeof(double))));
static_assert(kLanes == 8, "product_state spells out eight lanes");

#define KETTLE_BATCH_INLINE inline __attribute__((always_inline))
#define KETTLE_BATCH_LAMBDA __attribute__((always_inline))

// Without AVX-512, GCC notes that passing V by value would use another ABI than with it;
// every function that does is internal to this unit and inlined, so no ABI is involved.
#pragma GCC diagnostic ignored "-Wpsabi"

KETTLE_BATCH_INLINE V ld(const double* p) {
    V v;
    __builtin_memcpy(&v, __builtin_assume_aligned(p, 64), sizeof v);
    return v;
}
KETTLE_BATCH_INLINE void st(double* p, V v) { __builtin_memcpy(__builtin_assume_aligned(p, 64), &v, sizeof v); }

/// A complex batched value.
struct CV {
    V re, im;
};
KETTLE_BATCH_INLINE CV ldc(const double* p) { return {ld(p), ld(p + kLanes)}; }
KETTLE_BATCH_INLINE void stc(double* p, CV z) {
    st(p, z.re);
    st(p + kLanes, z.im);
}
KETTLE_BATCH_INLINE CV cmul(CV a, CV b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
KETTLE_BATCH_INLINE CV cadd(CV a, CV b) { return {a.re + b.re, a.im + b.im}; }
/// conj(a) b
KETTLE_BATCH_INLINE CV cjmul(CV a, CV b) { return {a.re * b.re + a.im * b.im, a.re * b.im - a.im * b.re}; }

/// The 2x2 matrix of a one-target op, held in registers for a whole pass.
struct Mat2 {
    CV m[4];
};
KETTLE_BATCH_INLINE Mat2 load_mat2(const double* m) {
    return {{ldc(m), ldc(m + kAmpStride), ldc(m + 2 * kAmpStride), ldc(m + 3 * kAmpStride)}};
}

/// (a, b) <- M (a, b) for a one-target kind: dense, real (imaginary parts of M ignored),
/// diagonal (off-diagonal entries ignored) or flip (X, M ignored).
template <BatchKind K>
KETTLE_BATCH_INLINE void map_pair(const Mat2& m, CV& a, CV& b) {
    if constexpr (K == BatchKind::dense1) {
        const CV x = a, y = b;
        a = cadd(cmul(m.m[0], x), cmul(m.m[1], y));
        b = cadd(cmul(m.m[2], x), cmul(m.m[3], y));
    } else if constexpr (K == BatchKind::real1) {
        const CV x = a, y = b;
        a = {m.m[0].re * x.re + m.m[1].re * y.re, m.m[0].re * x.im + m.m[1].re * y.im};
        b = {m.m[2].re * x.re + m.m[3].re * y.re, m.m[2].re * x.im + m.m[3].re * y.im};
    } else if constexpr (K == BatchKind::diagonal1) {
        a = cmul(m.m[0], a);
        b = cmul(m.m[3], b);
    } else {
        const CV x = a;
        a = b;
        b = x;
    }
}

/// Im(i^k (re + i im)): the derivative Im <lambda|G|psi_after> of a rotation whose generator
/// has k Y factors.
KETTLE_BATCH_INLINE V imag_of_phase(unsigned k, V re, V im) {
    switch (k % 4) {
        case 0: return im;
        case 1: return re;
        case 2: return -im;
        default: return -re;
    }
}

}  // namespace
}  // namespace kettle::qml_detail
