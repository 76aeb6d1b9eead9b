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

/// QAOA for MaxCut on the complete graph of n vertices with seeded random weights in [-1, 1),
/// laid out for a line of qubits by a swap network (Kivlichan et al. 2018): H on every qubit,
/// then `layers` layers, each n rounds of RZZ(gamma * weight) followed by SWAP on neighbouring
/// pairs (q, q + 1), q even and odd in turn, so that every two vertices meet once, then RX(2 beta)
/// on every qubit. A layer reverses the qubit order; in layer l (from 1) gamma = 0.8 / l and
/// beta = 0.35 / l. Each layer has n(n - 1)/2 RZZ and as many SWAPs.
[[nodiscard]] Circuit qaoa_swap_network(unsigned n, unsigned layers, std::uint64_t seed);

}  // namespace kettle
