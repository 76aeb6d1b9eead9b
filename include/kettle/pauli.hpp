#pragma once
// Pauli strings, weighted sums of them, and their expectation values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kettle/state_vector.hpp"

namespace kettle {

/// coeff * P_{q0} P_{q1} ... with P in {X, Y, Z}; identity factors are dropped.
struct PauliTerm {
    double coeff = 1.0;
    std::vector<std::pair<unsigned, char>> factors;  ///< (qubit, 'X'|'Y'|'Z'), qubits distinct, ascending

    /// The highest qubit named plus one (0 for a multiple of the identity).
    [[nodiscard]] unsigned min_qubits() const noexcept;
};

/// A Hermitian observable: a real-weighted sum of Pauli strings. Thread safety: a const PauliSum
/// may be shared by threads; expectation() only reads the state.
class PauliSum {
public:
    PauliSum() = default;
    explicit PauliSum(std::vector<PauliTerm> terms);

    /// Parses text such as `Z0 Z1`, `0.5*Z0 Z1 - 1.2*X2`, `X0*Y1 + 3`, `-Z3`. Factors are
    /// separated by spaces, `*` or `@`; `I` factors are allowed and dropped. Throws
    /// Error(invalid_input) naming the column and what was expected. Qubits must be < 64.
    [[nodiscard]] static PauliSum parse(std::string_view text);

    [[nodiscard]] const std::vector<PauliTerm>& terms() const noexcept { return terms_; }
    [[nodiscard]] unsigned min_qubits() const noexcept;
    /// Canonical text, e.g. `0.5*Z0 Z1 - 1.2*X2`; parse(to_string()) gives this sum back.
    [[nodiscard]] std::string to_string() const;

private:
    std::vector<PauliTerm> terms_;
};

/// <psi|P|psi> for one term, computed in place (no copy of the state), accumulated in double.
/// Throws Error(invalid_input) if the term names a qubit the state lacks. Cost: one pass.
template <Precision T>
[[nodiscard]] double expectation(const StateVector<T>& state, const PauliTerm& term);

/// <psi|H|psi> = sum of the terms' expectations. Cost: one pass per term.
template <Precision T>
[[nodiscard]] double expectation(const StateVector<T>& state, const PauliSum& observable);

}  // namespace kettle
