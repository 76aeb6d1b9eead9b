#pragma once
// Diagonal gates of any width whose phase is a quadratic polynomial in the qubit bits:
// phi(i) = c + sum_q a_q x_q + sum_{q<r} b_qr x_q x_r. Every 1-qubit diagonal gate with at most
// one control (z, s, t, rz, p, cz, cp, crz, ...) and every uncontrolled 2-qubit diagonal gate
// (rzz) has this form, so a whole QFT stage or an RZ/RZZ layer is one pass over the state,
// however many qubits it spans.

#include <complex>
#include <span>
#include <vector>

#include "cache_aligned.hpp"
#include "kettle/gate.hpp"
#include "kettle/state_vector.hpp"

namespace kettle::detail {

struct PhasePolynomial {
    double constant = 0;
    std::vector<double> linear;                  ///< a_q, one per qubit
    std::vector<std::vector<double>> quadratic;  ///< b_qr for q < r, as quadratic[r][q]

    explicit PhasePolynomial(unsigned num_qubits);
    /// Adds the phase of `op` with `params` bound. Precondition: is_quadratic_phase(op).
    void add(const Operation& op, std::span<const double> params);
};

/// Whether op's phase is a quadratic polynomial (see above), from its structure alone.
[[nodiscard]] bool is_quadratic_phase(const Operation& op);

/// The phases of the low min(n, 10) index bits alone (their linear and quadratic terms), the
/// table apply_phase_rows multiplies every row of the state by. Cost: O(2^10).
template <class T>
[[nodiscard]] CacheAlignedVector<std::complex<T>> phase_low_table(const PhasePolynomial& phase);

/// psi[i] *= e^{i phi(i)} for the polynomial with the quadratic terms of `phase` but linear
/// terms `linear` (n entries) and constant `constant`; `table` is phase_low_table(phase), built
/// once for any number of calls that change only the linear terms (the chunks of a
/// cache-blocked pass). On the thread pool if `parallel` and the state is large enough.
template <class T>
void apply_phase_rows(std::complex<T>* psi, const PhasePolynomial& phase, const CacheAlignedVector<std::complex<T>>& table,
                      std::span<const double> linear, double constant, bool parallel);

/// psi[i] *= e^{i phi(i)}. Cost: one parallel pass; per 2^10 amplitudes O(n^2) scalar work.
template <class T>
void apply_phase_polynomial(StateVector<T>& state, const PhasePolynomial& phase);

}  // namespace kettle::detail
