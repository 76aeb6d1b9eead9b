#pragma once
// The one-target pair kernels of the batched engine (batched_kernels_impl.hpp): one pass over
// the amplitude pairs of a target for one or two gates, forward or adjoint, in the circuit's
// frame or a relabelled one. Included only by the per-instruction-set units.

#include <utility>

#include "batched_simd.hpp"

namespace kettle::qml_detail {
namespace {

/// How a one-target op's pairs are found: no controls in the circuit's frame, controls in it,
/// or a relabelled frame (parity tests, with or without controls).
enum class Mode : unsigned { plain, controlled, relabelled };
constexpr unsigned kModes = 3;

KETTLE_BATCH_INLINE unsigned parity(std::uint64_t x) { return unsigned(__builtin_popcountll(x) & 1); }

/// Calls f(i, j) for every amplitude pair (i with the target's circuit bit 0, j its partner)
/// whose controls hold.
template <Mode M, class F>
KETTLE_BATCH_INLINE void for_pairs(const BatchOp& op, unsigned n, F&& f) {
    const std::uint64_t size = std::uint64_t{1} << n;
    if constexpr (M == Mode::relabelled) {
        const std::uint64_t partner = op.partner, row = op.zero_row;
        const unsigned p = op.pivot, controls = op.num_ctrl_rows;
        const std::uint64_t low = (std::uint64_t{1} << p) - 1;
        for (std::uint64_t g = 0; g < size / 2; ++g) {
            std::uint64_t i = ((g & ~low) << 1) | (g & low);
            if (parity(i & row)) i ^= partner;
            bool hold = true;
            for (unsigned c = 0; c < controls; ++c) hold = hold && parity(i & op.ctrl_rows[c]) == op.ctrl_values[c];
            if (hold) f(i, i ^ partner);
        }
    } else {
        const std::uint64_t up = std::uint64_t{1} << op.target;
        const std::uint64_t mask = op.ctrl_mask, value = op.ctrl_value;
        for (std::uint64_t hi = 0; hi < size; hi += 2 * up)
            for (std::uint64_t lo = 0; lo < up; ++lo) {
                const std::uint64_t i = hi | lo;
                if (M == Mode::controlled && (i & mask) != value) continue;
                f(i, i | up);
            }
    }
}

template <BatchKind K, Mode M>
void apply_pairs(const BatchOp& op, unsigned n, const double* m, double* psi) {
    const Mat2 mat = load_mat2(m);
    for_pairs<M>(op, n, [&](std::uint64_t i, std::uint64_t j) KETTLE_BATCH_LAMBDA {
        double* pi = psi + i * kAmpStride;
        double* pj = psi + j * kAmpStride;
        CV a = ldc(pi), b = ldc(pj);
        map_pair<K>(mat, a, b);
        stc(pi, a);
        stc(pj, b);
    });
}

/// Two one-target ops on the same target and controls, first op1 then op2, in one pass.
template <BatchKind K1, BatchKind K2, Mode M>
void apply_two(const BatchOp& op, unsigned n, const double* m1, const double* m2, double* psi) {
    const Mat2 u1 = load_mat2(m1), u2 = load_mat2(m2);
    for_pairs<M>(op, n, [&](std::uint64_t i, std::uint64_t j) KETTLE_BATCH_LAMBDA {
        double* pi = psi + i * kAmpStride;
        double* pj = psi + j * kAmpStride;
        CV a = ldc(pi), b = ldc(pj);
        map_pair<K1>(u1, a, b);
        map_pair<K2>(u2, a, b);
        stc(pi, a);
        stc(pj, b);
    });
}

/// The generator term of a one-target rotation of kind K: conj(lambda[i ^ flip]) psi[i]
/// (-1)^(bit of i at sign) summed over the pair. The kind fixes the generator (make_step: rx is
/// dense1 with G = X, ry real1 with Y, rz diagonal1 with Z), so the flags are constants. Only
/// one part of the sum is needed, Im(i^num_y sum): the real part for Y, else the imaginary.
template <BatchKind K>
struct PairGenerator {
    static constexpr bool flip = K == BatchKind::dense1 || K == BatchKind::real1;
    static constexpr bool sign = K == BatchKind::real1 || K == BatchKind::diagonal1;
    static constexpr bool real_part = K == BatchKind::real1;
    bool on;
    explicit PairGenerator(const BatchOp& op) : on(op.by_generator) {}
    KETTLE_BATCH_INLINE void add(const CV& a0, const CV& a1, const CV& l0, const CV& l1, V& acc) const {
        const CV& u0 = flip ? l1 : l0;
        const CV& u1 = flip ? l0 : l1;
        const V v0 = real_part ? u0.re * a0.re + u0.im * a0.im : u0.re * a0.im - u0.im * a0.re;
        const V v1 = real_part ? u1.re * a1.re + u1.im * a1.im : u1.re * a1.im - u1.im * a1.re;
        acc += sign ? v0 - v1 : v0 + v1;
    }
};

/// The derivative from the accumulated part: Im(i^k z) is Im z, Re z, -Im z, -Re z for k mod 4.
KETTLE_BATCH_INLINE V generator_derivative(unsigned num_y, V part) { return num_y % 4 < 2 ? part : -part; }

/// One pass per pair: the generator term from psi and lambda after the op, then both
/// un-applied. Ops whose angles need derivative matrices take sweep_by_matrix instead.
template <BatchKind K, Mode M>
void sweep_pairs(const BatchOp& op, unsigned n, const double* inverse, double* psi, double* lambda, double* deriv) {
    const Mat2 inv = load_mat2(inverse);
    const PairGenerator<K> gen(op);
    V acc = {};
    for_pairs<M>(op, n, [&](std::uint64_t i, std::uint64_t j) KETTLE_BATCH_LAMBDA {
        double* pi = psi + i * kAmpStride;
        double* pj = psi + j * kAmpStride;
        double* li = lambda + i * kAmpStride;
        double* lj = lambda + j * kAmpStride;
        CV a0 = ldc(pi), a1 = ldc(pj), l0 = ldc(li), l1 = ldc(lj);
        if (gen.on) gen.add(a0, a1, l0, l1, acc);
        map_pair<K>(inv, a0, a1);
        map_pair<K>(inv, l0, l1);
        stc(pi, a0);
        stc(pj, a1);
        stc(li, l0);
        stc(lj, l1);
    });
    if (gen.on) st(deriv, generator_derivative(op.gen_num_y, acc));
}

/// The same for op2 then op1 (op1 ran first in the circuit): both generator terms, both
/// un-applied, one pass. deriv2 is written for op2, deriv1 for op1.
template <BatchKind K1, BatchKind K2, Mode M>
void sweep_two(const BatchOp& op1, const BatchOp& op2, unsigned n, const double* inverse1, const double* inverse2,
               double* psi, double* lambda, double* deriv1, double* deriv2) {
    const Mat2 inv1 = load_mat2(inverse1), inv2 = load_mat2(inverse2);
    const PairGenerator<K1> gen1(op1);
    const PairGenerator<K2> gen2(op2);
    V acc1 = {}, acc2 = {};
    for_pairs<M>(op1, n, [&](std::uint64_t i, std::uint64_t j) KETTLE_BATCH_LAMBDA {
        double* pi = psi + i * kAmpStride;
        double* pj = psi + j * kAmpStride;
        double* li = lambda + i * kAmpStride;
        double* lj = lambda + j * kAmpStride;
        CV a0 = ldc(pi), a1 = ldc(pj), l0 = ldc(li), l1 = ldc(lj);
        if (gen2.on) gen2.add(a0, a1, l0, l1, acc2);
        map_pair<K2>(inv2, a0, a1);
        map_pair<K2>(inv2, l0, l1);
        if (gen1.on) gen1.add(a0, a1, l0, l1, acc1);
        map_pair<K1>(inv1, a0, a1);
        map_pair<K1>(inv1, l0, l1);
        stc(pi, a0);
        stc(pj, a1);
        stc(li, l0);
        stc(lj, l1);
    });
    if (gen1.on) st(deriv1, generator_derivative(op1.gen_num_y, acc1));
    if (gen2.on) st(deriv2, generator_derivative(op2.gen_num_y, acc2));
}

/// p, u and ug: psi un-applied first, then each angle's term 2 Re <lambda| dU |psi_before>
/// from the derivative matrices after `inverse`, then lambda un-applied.
template <BatchKind K, Mode M>
void sweep_by_matrix(const BatchOp& op, unsigned n, const double* inverse, double* psi, double* lambda, double* deriv) {
    const Mat2 inv = load_mat2(inverse);
    for (unsigned d = 0; d < op.by_matrix; ++d) {
        const Mat2 dm = load_mat2(inverse + (d + 1) * 4 * kAmpStride);
        V sum = {};
        for_pairs<M>(op, n, [&](std::uint64_t i, std::uint64_t j) KETTLE_BATCH_LAMBDA {
            CV a0 = ldc(psi + i * kAmpStride), a1 = ldc(psi + j * kAmpStride);
            map_pair<K>(inv, a0, a1);
            const CV r0 = cadd(cmul(dm.m[0], a0), cmul(dm.m[1], a1));
            const CV r1 = cadd(cmul(dm.m[2], a0), cmul(dm.m[3], a1));
            sum += cjmul(ldc(lambda + i * kAmpStride), r0).re + cjmul(ldc(lambda + j * kAmpStride), r1).re;
        });
        st(deriv + d * kLanes, 2.0 * sum);
    }
    apply_pairs<K, M>(op, n, inverse, psi);
    apply_pairs<K, M>(op, n, inverse, lambda);
}

// Function tables over (kinds, mode), built from index sequences: entry
// (k1 * 4 + k2) * kModes + mode for the one-target kinds dense1, real1, diagonal1, flip1.
// Plain arrays in this unit's unnamed namespace: nothing here may be shared with another unit.
constexpr unsigned kPairKinds = 4;
using Apply1 = void (*)(const BatchOp&, unsigned, const double*, double*);
using Apply2 = void (*)(const BatchOp&, unsigned, const double*, const double*, double*);
using Sweep1 = void (*)(const BatchOp&, unsigned, const double*, double*, double*, double*);
using Sweep2 = void (*)(const BatchOp&, const BatchOp&, unsigned, const double*, const double*, double*, double*,
                        double*, double*);

template <class Seq>
struct OneTables;
template <std::size_t... I>
struct OneTables<std::index_sequence<I...>> {
    static constexpr Apply1 apply[] = {&apply_pairs<BatchKind(I / kModes), Mode(I % kModes)>...};
    static constexpr Sweep1 sweep[] = {&sweep_pairs<BatchKind(I / kModes), Mode(I % kModes)>...};
    static constexpr Sweep1 by_matrix[] = {&sweep_by_matrix<BatchKind(I / kModes), Mode(I % kModes)>...};
};
template <class Seq>
struct TwoTables;
template <std::size_t... I>
struct TwoTables<std::index_sequence<I...>> {
    static constexpr Apply2 apply[] = {
        &apply_two<BatchKind(I / kModes / kPairKinds), BatchKind(I / kModes % kPairKinds), Mode(I % kModes)>...};
    static constexpr Sweep2 sweep[] = {
        &sweep_two<BatchKind(I / kModes / kPairKinds), BatchKind(I / kModes % kPairKinds), Mode(I % kModes)>...};
};
using One = OneTables<std::make_index_sequence<kModes * kPairKinds>>;
using Two = TwoTables<std::make_index_sequence<kModes * kPairKinds * kPairKinds>>;

}  // namespace
}  // namespace kettle::qml_detail
