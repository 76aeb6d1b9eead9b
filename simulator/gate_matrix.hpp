#pragma once
// The matrices of named gates without an allocation, for the paths that form one per gate
// applied (kettle::apply_gate, and so every unfused run).

#include <complex>
#include <cstddef>
#include <span>

#include "kernels.hpp"
#include "kettle/gate.hpp"

namespace kettle::detail {

/// Room for the matrix of any named gate (2 qubits at most, 4 x 4), left uninitialised: a
/// std::array<std::complex<double>, 16> zeroed its 256 bytes per gate applied, a `rep stos`
/// that was half of kettle::apply_gate's own time in BM_SmallCircuit/n:10/run.
using NamedGateMatrix = ComplexScratch<double, 16>;

/// gate_matrix(kind, params) written into `out`: returns its entry count (4 or 16).
/// Precondition: kind is not `unitary` and params holds its parameters.
std::size_t gate_matrix_into(GateKind kind, std::span<const double> params, NamedGateMatrix& out);

}  // namespace kettle::detail
