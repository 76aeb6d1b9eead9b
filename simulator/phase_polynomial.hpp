#pragma once
// Diagonal gates of any width whose phase is a quadratic polynomial in the qubit bits:
// phi(i) = c + sum_q a_q x_q + sum_{q<r} b_qr x_q x_r. Every 1-qubit diagonal gate with at most
// one control (z, s, t, rz, p, cz, cp, crz, ...) and every uncontrolled 2-qubit diagonal gate
// (rzz) has this form, so a whole QFT stage or an RZ/RZZ layer is one pass over the state,
// however many qubits it spans.

#include <span>
#include <vector>

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

/// psi[i] *= e^{i phi(i)}. Cost: one parallel pass; per 2^10 amplitudes O(n^2) scalar work.
template <class T>
void apply_phase_polynomial(StateVector<T>& state, const PhasePolynomial& phase);

}  // namespace kettle::detail
