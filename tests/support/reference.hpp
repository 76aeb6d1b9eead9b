#pragma once
// A slow, obviously-correct dense simulator that kettle is checked against.
//
// Nothing here shares code with kettle's kernels or with kettle::gate_matrix: the named gates'
// matrices are written out again from their textbook definitions (Qiskit's qelib1.inc), and a
// gate acts on the state through an explicit 2^n x 2^n operator (or, for speed, through the
// same basis mapping applied one column at a time). Little-endian throughout: basis index bit q
// is qubit q, and row/column bit j of a gate's matrix is its j-th target.

#include <Eigen/Dense>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/pauli.hpp"
#include "kettle/state_vector.hpp"

namespace kettle::reference {

using CMatrix = Eigen::MatrixXcd;
using CVector = Eigen::VectorXcd;

/// Where the matrix of a named gate comes from: the reference's own textbook definitions, or
/// kettle::gate_matrix (the thing under test).
enum class MatrixSource { textbook, kettle };

/// The Kronecker product a ⊗ b (a acts on the more significant bits).
[[nodiscard]] CMatrix kron(const CMatrix& a, const CMatrix& b);

/// The 2x2 Pauli matrix 'I', 'X', 'Y' or 'Z'.
[[nodiscard]] CMatrix pauli(char p);

/// The textbook matrix of a named gate (every GateKind but `unitary`), from qelib1.inc.
[[nodiscard]] CMatrix textbook_matrix(GateKind kind, std::span<const double> params);

/// A kettle row-major Matrix as an Eigen matrix.
[[nodiscard]] CMatrix to_eigen(const Matrix& m);

/// The base (uncontrolled) matrix of a gate operation with its parameters bound to `values`.
[[nodiscard]] CMatrix operation_matrix(const Operation& op, std::span<const double> values,
                                       MatrixSource source = MatrixSource::textbook);

/// Where a gate acts: targets (matrix bit j is targets[j]) and controls with their values.
struct Site {
    std::vector<unsigned> targets;
    std::vector<unsigned> controls;
    std::vector<std::uint8_t> control_values;
};

/// The full operator by explicit basis mapping: column `col` whose controls hold maps to
/// sum_r U(r, c) |col with its target bits replaced by r>, where c is col's target bits;
/// any other column maps to itself. Cost: O(4^n).
[[nodiscard]] CMatrix full_operator(unsigned n, const CMatrix& u, const Site& site);

/// The same operator from Kronecker products: P ⊗-embedded U + (I - P), with P the projector on
/// the control values and the embedding sum_{r,c} U(r,c) ⊗_q (|r_j><c_j| on target j, I
/// elsewhere). Cost: O(4^k 4^n); for cross-checking on small n.
[[nodiscard]] CMatrix kron_operator(unsigned n, const CMatrix& u, const Site& site);

/// full_operator(n, u, site) * psi, computed column by column without forming the operator.
/// Cost: O(2^n 2^k).
[[nodiscard]] CVector apply(const CVector& psi, unsigned n, const CMatrix& u, const Site& site);

/// Applies one gate operation (no condition) with parameters bound to `values`.
[[nodiscard]] CVector apply(const CVector& psi, unsigned n, const Operation& op, std::span<const double> values,
                            MatrixSource source = MatrixSource::textbook);

/// Runs a circuit of gates and barriers (no measurement, reset or condition) on psi.
[[nodiscard]] CVector run(const Circuit& c, const CVector& psi, std::span<const double> values = {},
                          MatrixSource source = MatrixSource::textbook);

/// The dense operator of a Pauli term on n qubits, built by Kronecker products.
[[nodiscard]] CMatrix pauli_operator(unsigned n, const PauliTerm& term);

/// <psi|H|psi> with H built densely from its terms.
[[nodiscard]] double expectation(const CVector& psi, unsigned n, const PauliSum& observable);

/// The basis state |index> of n qubits.
[[nodiscard]] CVector basis_state(unsigned n, std::uint64_t index);

/// Conversions between kettle states and Eigen vectors.
template <Precision T>
[[nodiscard]] CVector to_eigen(const StateVector<T>& state);
template <Precision T>
[[nodiscard]] std::vector<std::complex<T>> to_amplitudes(const CVector& psi);
/// A StateVector holding psi (which must be normalised).
template <Precision T>
[[nodiscard]] StateVector<T> make_state(unsigned n, const CVector& psi);

/// max_i |a_i - b_i|.
[[nodiscard]] double max_abs_diff(const CVector& a, const CVector& b);

}  // namespace kettle::reference
