#pragma once
// Reading a state out: probabilities, marginals, sampling, and collapsing measurements.

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "kettle/state_vector.hpp"

namespace kettle {

/// The random generator of every seeded draw in kettle (portable: same seed, same numbers on
/// every platform and thread count).
using Rng = std::mt19937_64;

/// A uniform double in [0, 1) from 53 random bits (std::uniform_real_distribution is not
/// portable across standard libraries).
[[nodiscard]] inline double uniform01(Rng& rng) noexcept { return double(rng() >> 11) * 0x1.0p-53; }

// Thread safety: these functions only read (or, for measure and reset, write) the state they are
// given; several threads may call them at once on distinct states, each with its own Rng.

/// |a_i|^2 for every basis state i. Cost: one parallel pass; 8 * 2^n bytes, checked against
/// the memory limit first (Error(resource_limit)).
template <Precision T>
[[nodiscard]] std::vector<double> probabilities(const StateVector<T>& state);

/// Probabilities of the 2^m outcomes of measuring `qubits` (m of them, distinct, in range):
/// bit j of the outcome index is qubits[j]. Throws Error(invalid_input) on bad qubits.
/// Cost: one pass over the state.
template <Precision T>
[[nodiscard]] std::vector<double> marginal_probabilities(const StateVector<T>& state, std::span<const unsigned> qubits);

/// `shots` basis-state indices drawn from |a_i|^2 with `seed`, sorted ascending. One parallel
/// pass over the state plus O(shots log shots); the same seed gives the same indices for any
/// thread count. The 16 * shots bytes are checked against the memory limit first.
template <Precision T>
[[nodiscard]] std::vector<std::uint64_t> sample(const StateVector<T>& state, std::size_t shots, std::uint64_t seed);

/// Measures qubit q, collapses and renormalises the state, and returns the outcome (0 or 1).
template <Precision T>
int measure(StateVector<T>& state, unsigned q, Rng& rng);

/// Resets qubit q to |0> (a measurement, then X if it gave 1).
template <Precision T>
void reset(StateVector<T>& state, unsigned q, Rng& rng);

}  // namespace kettle
