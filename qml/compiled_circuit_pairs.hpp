#pragma once
// The per-pair building blocks of CompiledCircuit (compiled_circuit.cpp and its taped sweep in
// compiled_circuit_tape.cpp): walking the amplitude pairs of a one-target step, mapping a pair
// through a 2x2 matrix with real and imaginary parts kept in scalars, and the one pass over the
// pairs that the adjoint sweep makes per step.

#include <complex>
#include <cstdint>

#include "compiled_circuit.hpp"

// The per-pair bodies are lambdas; a call per pair would keep the accumulators in memory.
#define KETTLE_INLINE __attribute__((always_inline))

namespace kettle::qml_detail::pairs {

using Z = std::complex<double>;

/// Complex product without the NaN/infinity recovery of operator* (which costs a branch and a
/// library call per product without -ffast-math); the values here are always finite.
template <class T>
inline std::complex<T> mul(std::complex<T> a, std::complex<T> b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

/// conj(a) * b, in double.
template <class T>
inline Z conj_mul(std::complex<T> a, std::complex<T> b) {
    const double ar = a.real(), ai = a.imag(), br = b.real(), bi = b.imag();
    return {ar * br + ai * bi, ar * bi - ai * br};
}

/// i with bit q inserted as zero: the q-th pair index g maps to the lower amplitude of the pair.
inline std::uint64_t insert_zero(std::uint64_t g, unsigned q) {
    return ((g >> q) << (q + 1)) | (g & ((std::uint64_t{1} << q) - 1));
}

/// Calls f(i, i + 2^q) for every amplitude pair of target q whose controls hold. Controlled
/// steps walk only the pairs where the controls hold (zeros inserted at every site, control
/// values ORed in), so a CNOT costs a quarter of the state, not half of it plus a branch.
template <class F>
[[gnu::always_inline]] inline void for_pairs(unsigned n, const Step& s, F&& f) {
    const unsigned q = s.targets[0];
    const std::uint64_t up = std::uint64_t{1} << q;
    if (s.ctrl_mask == 0) {
        const std::uint64_t half = std::uint64_t{1} << (n - 1);
        for (std::uint64_t g = 0; g < half; ++g) {
            const std::uint64_t i = insert_zero(g, q);
            f(i, i | up);
        }
        return;
    }
    const std::uint64_t groups = std::uint64_t{1} << (n - s.num_sites);
    if (s.num_sites == 2) {  // one control: the common case (cx, crx, ...)
        const unsigned lo = s.sites[0], hi = s.sites[1];
        for (std::uint64_t g = 0; g < groups; ++g) {
            const std::uint64_t i = insert_zero(insert_zero(g, lo), hi) | s.ctrl_value;
            f(i, i | up);
        }
        return;
    }
    for (std::uint64_t g = 0; g < groups; ++g) {
        std::uint64_t i = g;
        for (unsigned t = 0; t < s.num_sites; ++t) i = insert_zero(i, s.sites[t]);
        i |= s.ctrl_value;
        f(i, i | up);
    }
}

/// (a, b) <- m (a, b) for a one-target step of kind K, on real and imaginary parts kept in
/// scalars (std::complex temporaries end up spilled to the stack in these loops).
template <StepKind K, class T>
[[gnu::always_inline]] inline void map_pair(const std::complex<T>* mc, T& ar, T& ai, T& br, T& bi) {
    const T* m = reinterpret_cast<const T*>(mc);  // re, im interleaved: std::complex's array layout
    const T xr = ar, xi = ai, yr = br, yi = bi;
    if constexpr (K == StepKind::dense1) {
        ar = m[0] * xr - m[1] * xi + m[2] * yr - m[3] * yi;
        ai = m[0] * xi + m[1] * xr + m[2] * yi + m[3] * yr;
        br = m[4] * xr - m[5] * xi + m[6] * yr - m[7] * yi;
        bi = m[4] * xi + m[5] * xr + m[6] * yi + m[7] * yr;
    } else if constexpr (K == StepKind::real1) {
        ar = m[0] * xr + m[2] * yr;
        ai = m[0] * xi + m[2] * yi;
        br = m[4] * xr + m[6] * yr;
        bi = m[4] * xi + m[6] * yi;
    } else if constexpr (K == StepKind::diagonal1) {
        ar = m[0] * xr - m[1] * xi;
        ai = m[0] * xi + m[1] * xr;
        br = m[6] * yr - m[7] * yi;
        bi = m[6] * yi + m[7] * yr;
    } else {
        ar = yr, ai = yi, br = xr, bi = xi;
    }
}

/// Calls f.template operator()<K>() for the step's one-target kind K.
template <class F>
inline void with_pair_kind(StepKind kind, F&& f) {
    switch (kind) {
        case StepKind::dense1: f.template operator()<StepKind::dense1>(); return;
        case StepKind::real1: f.template operator()<StepKind::real1>(); return;
        case StepKind::diagonal1: f.template operator()<StepKind::diagonal1>(); return;
        case StepKind::flip1: f.template operator()<StepKind::flip1>(); return;
        case StepKind::general: return;
    }
}

/// How a one-target step's angle derivatives are taken in the sweep: none (a fixed gate), by
/// the rotation's Pauli generator (X, Y or Z on the target), or by derivative matrices.
enum class Deriv : std::uint8_t { none, gen_x, gen_y, gen_z, matrix };

inline Deriv deriv_of(const Step& s) {
    if (s.num_diff == 0) return Deriv::none;
    if (!s.generator.present) return Deriv::matrix;
    if (s.generator.flip == 0) return Deriv::gen_z;
    return s.generator.sign == 0 ? Deriv::gen_x : Deriv::gen_y;
}

/// Calls f.template operator()<K, D>() for the step's one-target kind and derivative kind.
template <class F>
inline void with_pair_step(const Step& s, F&& f) {
    auto by_deriv = [&]<StepKind K>() {
        switch (deriv_of(s)) {
            case Deriv::none: f.template operator()<K, Deriv::none>(); return;
            case Deriv::gen_x: f.template operator()<K, Deriv::gen_x>(); return;
            case Deriv::gen_y: f.template operator()<K, Deriv::gen_y>(); return;
            case Deriv::gen_z: f.template operator()<K, Deriv::gen_z>(); return;
            case Deriv::matrix: f.template operator()<K, Deriv::matrix>(); return;
        }
    };
    switch (s.kind) {
        case StepKind::dense1: by_deriv.template operator()<StepKind::dense1>(); return;
        case StepKind::real1: by_deriv.template operator()<StepKind::real1>(); return;
        case StepKind::diagonal1: by_deriv.template operator()<StepKind::diagonal1>(); return;
        case StepKind::flip1: f.template operator()<StepKind::flip1, Deriv::none>(); return;
        case StepKind::general: return;
    }
}

/// The generator term of one pair: the part of <lambda|G|psi> (restricted to the pair) whose
/// sum is the angle derivative Im(i^ny <lambda|G|psi>). G = X: Im(l1* a0 + l0* a1);
/// G = Y (ny = 1): Re(l1* a0 - l0* a1); G = Z: Im(l0* a0 - l1* a1). Only the needed half of
/// each product is formed.
template <Deriv D>
[[gnu::always_inline]] inline double generator_term(double l0r, double l0i, double l1r, double l1i, double a0r,
                                                    double a0i, double a1r, double a1i) {
    if constexpr (D == Deriv::gen_x)
        return (l1r * a0i - l1i * a0r) + (l0r * a1i - l0i * a1r);
    else if constexpr (D == Deriv::gen_y)
        return (l1r * a0r + l1i * a0i) - (l0r * a1r + l0i * a1i);
    else
        return (l0r * a0i - l0i * a0r) - (l1r * a1i - l1i * a1r);
}

/// One pass over the pairs of a one-target step for one adjoint state. Un-taped, psi is the
/// state after the step: the generator term is read off psi and lambda after the step, then
/// both are un-applied (matrix derivatives use psi before and lambda after). Taped, psi is the
/// stored state before the step and stays as it is: lambda is un-applied, and the generator
/// term read off both before the step (G commutes with the rotation it generates), so each
/// step costs one gate application on lambda and half an inner product.
/// acc receives 2 Re <lambda| dU_j |psi_before> for each differentiable angle j.
template <StepKind K, Deriv D, bool Taped, class T>
void sweep_pass(unsigned n, const Step& s, const std::complex<T>* inverse, std::size_t dd, std::complex<T>* psi,
                std::complex<T>* lambda, double* acc) {
    using C = std::complex<T>;
    double gen = 0;
    double sums[4] = {0, 0, 0, 0};
    T* p = reinterpret_cast<T*>(psi);
    T* l = reinterpret_cast<T*>(lambda);
    for_pairs(n, s, [&](std::uint64_t i, std::uint64_t j) KETTLE_INLINE {
        T a0r = p[2 * i], a0i = p[2 * i + 1], a1r = p[2 * j], a1i = p[2 * j + 1];
        T l0r = l[2 * i], l0i = l[2 * i + 1], l1r = l[2 * j], l1i = l[2 * j + 1];
        constexpr bool by_generator = D != Deriv::none && D != Deriv::matrix;
        if constexpr (by_generator && !Taped) gen += generator_term<D>(l0r, l0i, l1r, l1i, a0r, a0i, a1r, a1i);
        if constexpr (!Taped) map_pair<K>(inverse, a0r, a0i, a1r, a1i);
        if constexpr (D == Deriv::matrix)
            for (unsigned d = 0; d < s.num_diff; ++d) {
                const C* dm = inverse + (1 + d) * dd;
                const C a0(a0r, a0i), a1(a1r, a1i);
                const C r0 = mul(dm[0], a0) + mul(dm[1], a1), r1 = mul(dm[2], a0) + mul(dm[3], a1);
                sums[d] += conj_mul(C(l0r, l0i), r0).real() + conj_mul(C(l1r, l1i), r1).real();
            }
        map_pair<K>(inverse, l0r, l0i, l1r, l1i);
        if constexpr (by_generator && Taped) gen += generator_term<D>(l0r, l0i, l1r, l1i, a0r, a0i, a1r, a1i);
        if constexpr (!Taped) p[2 * i] = a0r, p[2 * i + 1] = a0i, p[2 * j] = a1r, p[2 * j + 1] = a1i;
        l[2 * i] = l0r, l[2 * i + 1] = l0i, l[2 * j] = l1r, l[2 * j + 1] = l1i;
    });
    if constexpr (D == Deriv::matrix)
        for (unsigned d = 0; d < s.num_diff; ++d) acc[d] = 2 * sums[d];
    else if constexpr (D != Deriv::none)
        acc[0] = gen;
}

}  // namespace kettle::qml_detail::pairs
