#pragma once
// Standard circuits: for benchmarks, examples and tests.

#include <cstdint>

#include "kettle/circuit.hpp"

namespace kettle {

/// The quantum Fourier transform on n qubits (qubit n-1 most significant): for each qubit from
/// the top a Hadamard and controlled phases from the qubits below it, then the swaps that
/// reverse the qubit order. On |j> it gives sum_k e^{2 pi i jk / 2^n} |k> / 2^(n/2).
/// `with_swaps` = false leaves the output in bit-reversed order.
[[nodiscard]] Circuit qft(unsigned n, bool with_swaps = true);

/// A random circuit of the kind used for quantum-supremacy experiments (Arute et al. 2019):
/// `cycles` cycles, each a random gate from {sqrt(X), sqrt(Y), sqrt(W)} on every qubit (never
/// the same on one qubit twice running) followed by CZ on one of four coupler patterns of a
/// near-square grid (rows = floor(sqrt(n))), the patterns taken in the order A B C D C D A B.
[[nodiscard]] Circuit random_supremacy_circuit(unsigned n, unsigned cycles, std::uint64_t seed);

}  // namespace kettle
