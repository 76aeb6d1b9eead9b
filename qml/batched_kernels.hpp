#pragma once
// The kernels of the batched engine (batched_circuit.hpp): kLanes samples of one small circuit
// run side by side, one sample per SIMD lane. A batched state of n qubits holds, for each basis
// index i, the real parts of the kLanes samples' amplitudes i, then their imaginary parts:
// doubles [i * 2L, i * 2L + L) and [i * 2L + L, i * 2L + 2L) with L = kLanes. One vector
// operation thus applies the same gate to every sample, each with its own matrix entries: a
// matrix entry is stored the same way (L real parts, then L imaginary parts), so angles may
// differ per lane (gates bound to input features) or be broadcast (gates bound to weights).
//
// Each instruction set's kernels are compiled in their own translation unit
// (batched_kernels_{scalar,avx2,avx512}.cpp) from batched_kernels_impl.hpp; only the plain
// function table below crosses between them and generic code, which picks one at run time
// with current_isa().

#include <cstddef>
#include <cstdint>

#include "kettle/isa.hpp"

namespace kettle::qml_detail {

/// Samples per batched state: one AVX-512 register of doubles (two AVX2 registers).
inline constexpr unsigned kLanes = 8;
/// Doubles per amplitude (or matrix entry) of a batched state.
inline constexpr unsigned kAmpStride = 2 * kLanes;

enum class BatchKind : std::uint8_t { dense1, real1, diagonal1, flip1, general };

/// One step as the kernels see it (plain data: no library types cross into the ISA units).
struct BatchOp {
    BatchKind kind = BatchKind::general;
    unsigned k = 1;                      ///< targets
    unsigned dim = 2;                    ///< 2^k
    unsigned num_sites = 0;              ///< targets and controls
    unsigned sites[8] = {};              ///< ascending
    std::uint64_t offsets[64] = {};      ///< general: offset of group member j from its base
    std::uint64_t ctrl_mask = 0, ctrl_value = 0;
    unsigned target = 0;                 ///< one-target kinds
    /// One-target kinds in a relabelled frame (batched_circuit.hpp): the state's index bits are
    /// an invertible linear map A of the circuit's, so the pair of amplitudes a gate mixes
    /// differs by `partner` (A e_target) rather than by one bit, the amplitude whose circuit bit
    /// is 0 is the one with even parity over `zero_row` (row `target` of A^-1), and control c
    /// holds where the parity over ctrl_rows[c] equals ctrl_values[c]. Pairs are enumerated by
    /// inserting a zero at `pivot`, a bit of partner.
    bool relabelled = false;
    std::uint64_t partner = 0, zero_row = 0;
    unsigned pivot = 0;
    unsigned num_ctrl_rows = 0;
    std::uint64_t ctrl_rows[8] = {};
    unsigned ctrl_values[8] = {};
    /// One-target sweep: the derivative of the one angle from the generator (masks over qubits;
    /// flip and sign only at the target), or `by_matrix` angles from derivative matrices.
    bool by_generator = false;
    std::uint64_t gen_flip = 0, gen_sign = 0;
    unsigned gen_num_y = 0;
    unsigned by_matrix = 0;
};

/// One gate of a qubit's product-state prefix, for BatchKernels::prefix_derivatives.
struct PrefixGate {
    const double* matrix = nullptr;  ///< U (4 batched entries), U^dagger, then by_matrix dU
    bool by_generator = false, flip = false, sign = false;  ///< G's X/Y part and Y/Z part
    unsigned num_y = 0;
    unsigned by_matrix = 0;
    double* deriv = nullptr;  ///< receives one batched real per differentiated angle
};

/// The kernels of one instruction set. States and matrices are batched (layout above) and
/// 64-byte aligned; n is the qubit count.
struct BatchKernels {
    /// psi <- M psi for the op's matrix m (dim^2 batched entries, row-major).
    void (*apply)(const BatchOp& op, unsigned n, const double* m, double* psi);
    /// Two one-target ops on the same target and controls (op1 then op2; one pair loop, the
    /// loop's site taken from op1): psi <- M2 M1 psi.
    void (*apply2)(const BatchOp& op1, const BatchOp& op2, unsigned n, const double* m1, const double* m2,
                   double* psi);
    /// One-target ops, the adjoint step: with psi and lambda after the op, writes into
    /// deriv[j * kLanes + lane] the derivative 2 Re <lambda| dU/da_j |psi_before> of each
    /// differentiated angle (by generator: one; by matrix: op.by_matrix of them, whose dU
    /// entries follow `inverse` at 4, 8, ... entries), and un-applies `inverse` = U^dagger
    /// from both states, in one pass.
    void (*sweep1)(const BatchOp& op, unsigned n, const double* inverse, double* psi, double* lambda, double* deriv);
    /// sweep1 for two such ops (op1 then op2 in the circuit; neither takes derivative
    /// matrices): op2's derivative into deriv2, op2 un-applied, op1's into deriv1, op1
    /// un-applied, in one pass.
    void (*sweep2)(const BatchOp& op1, const BatchOp& op2, unsigned n, const double* inverse1, const double* inverse2,
                   double* psi, double* lambda, double* deriv1, double* deriv2);
    /// out[lane] = 2 Re <lambda| dU |psi> over the op's controlled subspace, for a general op.
    void (*general_derivative)(const BatchOp& op, unsigned n, const double* dm, const double* lambda,
                               const double* psi, double* out);
    /// (re + i im)[lane] = sum over i with (i & ctrl_mask) == ctrl_value of
    /// conj(a[i ^ flip]) b[i] (-1)^popcount(i & sign).
    void (*pauli_inner)(unsigned n, std::uint64_t flip, std::uint64_t sign, std::uint64_t ctrl_mask,
                        std::uint64_t ctrl_value, const double* a, const double* b, double* re, double* im);
    /// lambda[i ^ flip] += factor (-1)^popcount(i & sign) psi[i]; factor is one batched entry.
    void (*accumulate_pauli)(unsigned n, std::uint64_t flip, std::uint64_t sign, const double* factor,
                             const double* psi, double* lambda);
    /// dst[x] = src[A x] (forward) or dst[A x] = src[x] (inverse), for the linear map A whose
    /// column q (A e_q) is cols[q].
    void (*permute)(unsigned n, const std::uint64_t* cols, const double* src, double* dst, bool inverse);
    /// The environment of each qubit in a product state: for q < n and b in {0, 1},
    /// env[2q + b] = sum over i with bit q = b of conj(lambda[i]) prod_{r != q} v_r[bit r of i]
    /// (batched entries; v as for product_state). scratch holds 3 * 2^n batched entries.
    void (*environment)(unsigned n, const double* v, const double* lambda, double* env, double* scratch);
    /// The derivatives of a qubit's prefix gates g_1..g_count (applied in that order to |0>)
    /// from the qubit's environment row env (2 batched entries), as batched_prefix.cpp
    /// explains. chain holds 2 (count + 1) batched entries.
    void (*prefix_derivatives)(const PrefixGate* gates, unsigned count, const double* env, double* chain);
    /// v <- U v for a one-qubit factor v (2 batched entries) and a 2x2 matrix U (4 entries).
    void (*apply_factor)(const double* u, double* v);
    /// c[l] = cos(a[l] / 2) and s[l] = sin(a[l] / 2) for the kLanes angles a (to about an ulp;
    /// 64-byte aligned arrays).
    void (*half_angle_sincos)(const double* a, double* c, double* s);
    /// psi = v_{n-1} (x) ... (x) v_0, where v_q's components 0 and 1 are batched entries 2q
    /// and 2q + 1 of v.
    void (*product_state)(unsigned n, const double* v, double* psi);
};

const BatchKernels& batch_kernels_scalar();
const BatchKernels& batch_kernels_avx2();
const BatchKernels& batch_kernels_avx512();

/// The table of `isa` (the caller checks that the CPU supports it).
inline const BatchKernels& batch_kernels(Isa isa) {
    switch (isa) {
        case Isa::avx512: return batch_kernels_avx512();
        case Isa::avx2: return batch_kernels_avx2();
        case Isa::scalar: break;
    }
    return batch_kernels_scalar();
}

}  // namespace kettle::qml_detail
