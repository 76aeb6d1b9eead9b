#pragma once
// Seeded random states, unitaries and circuits for comparing kettle with the reference.

#include <complex>
#include <cstdint>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/measurement.hpp"
#include "reference.hpp"

namespace kettle::test {

/// A seeded source of the draws below (portable: built on kettle::Rng and uniform01 only).
class Random {
public:
    explicit Random(std::uint64_t seed) : rng_(seed) {}

    [[nodiscard]] double uniform() { return uniform01(rng_); }
    [[nodiscard]] double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// A uniform integer in [0, n).
    [[nodiscard]] unsigned below(unsigned n);
    /// A standard normal draw (Box-Muller).
    [[nodiscard]] double normal();
    /// A complex number with independent standard normal parts.
    [[nodiscard]] std::complex<double> complex_normal() { return {normal(), normal()}; }
    /// An angle in (-2π, 2π).
    [[nodiscard]] double angle();
    /// `count` distinct qubits of 0..n-1 in random order.
    [[nodiscard]] std::vector<unsigned> qubits(unsigned n, unsigned count);
    template <class V>
    void shuffle(V& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(unsigned(i))]);
    }

private:
    Rng rng_;
};

/// A random normalised state of n qubits (complex Gaussian amplitudes, then normalised).
[[nodiscard]] reference::CVector random_state(unsigned n, Random& random);

/// The three kinds of unitary matrix, one per kernel class.
enum class UnitaryShape { dense, diagonal, monomial };

/// A random k-qubit unitary: dense (Q of the QR decomposition of a complex Gaussian matrix),
/// diagonal (random phases), or monomial (a random permutation with random phases).
[[nodiscard]] Matrix random_unitary(unsigned k, UnitaryShape shape, Random& random);

struct RandomCircuitOptions {
    unsigned max_controls = 3;        ///< controls per gate are drawn from 0..max_controls
    unsigned max_unitary_qubits = 4;  ///< `unitary` gates act on 1..max_unitary_qubits qubits
    std::size_t num_parameters = 0;   ///< if > 0, angles are affine in these symbolic parameters
};

struct RandomCircuit {
    Circuit circuit;
    std::vector<double> values;  ///< one random value per symbolic parameter
};

/// `num_gates` random gates on n qubits: every GateKind in turn (shuffled every round, skipping
/// kinds that do not fit n), random targets and controls in random order, random control
/// values, random angles. No measurements.
[[nodiscard]] RandomCircuit random_circuit(unsigned n, std::size_t num_gates, std::uint64_t seed,
                                           const RandomCircuitOptions& options = {});

}  // namespace kettle::test
