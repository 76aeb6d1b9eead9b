#pragma once
// Data encodings and ansätze: circuits whose angles are bound to features and weights.

#include <cstddef>
#include <numbers>
#include <vector>

#include "kettle/circuit.hpp"

namespace kettle {

/// How the layers of a hardware-efficient ansatz entangle.
enum class Entangler { linear, ring, full };

/// The rotation an angle encoding uses.
enum class RotationAxis { x, y, z };

/// Appends one rotation per qubit, angle = scale * x_q, with x_q a new parameter named `x<q>`.
/// Returns the parameters in qubit order. For RZ a Hadamard precedes each rotation so that the
/// encoding changes the state. Cost: O(num_qubits) operations.
std::vector<Parameter> angle_encoding(Circuit& c, RotationAxis axis, double scale = 1.0);


/// Appends the entangler's CNOTs: linear (q, q+1), ring (also n-1 -> 0 when n > 2), or full
/// (every pair q < r).
void entangle(Circuit& c, Entangler entangler);

/// Appends `layers` layers, each RY then RZ on every qubit (new parameters `w<i>`) followed by
/// CNOTs: linear (q, q+1), ring (also n-1 -> 0 when n > 2), or full (every pair q < r).
/// Returns the 2 * n * layers weight parameters in order.
std::vector<Parameter> hardware_efficient_ansatz(Circuit& c, std::size_t layers, Entangler entangler);

/// A circuit parameter whose value is computed from two features: (shift - x_i)(shift - x_j),
/// the pair term of the ZZ feature map. Circuit angles are affine in their parameters, so a
/// product of features enters as a parameter of its own, and VariationalClassifier recomputes
/// it per sample and chains its input gradient: d/dx_i = -(shift - x_j) d/d(value), and
/// symmetrically for x_j (both terms when i == j).
struct ProductInput {
    Parameter parameter;
    std::size_t i = 0, j = 0;
    double shift = std::numbers::pi;
};

/// How a sample's features x_0..x_{F-1} reach a circuit.
struct FeatureBinding {
    std::size_t num_features = 0;
    std::vector<Parameter> direct;        ///< parameter bound to x_f, f = 0..F-1; empty if none
    std::vector<ProductInput> products;   ///< parameters computed from pairs of features
    /// Amplitude encoding: the circuit starts from x / |x|, zero-padded to 2^n amplitudes,
    /// instead of |0...0> (direct and products are then empty).
    bool amplitude = false;
};

/// The ZZ feature map of Havlíček et al. (2019), as Qiskit's ZZFeatureMap builds it: `reps`
/// times, H on every qubit, P(alpha x_q) on qubit q, then for each entangled pair (i, j):
/// CX(i, j), P(alpha (π - x_i)(π - x_j)) on j, CX(i, j). Pairs: full (every i < j), linear
/// (q, q+1) or ring (linear and (n-1, 0) when n > 2). Declares x0..x{n-1} (one feature per
/// qubit) and a product parameter `xx<i>_<j>` per pair, shared by the repetitions. Throws
/// Error(invalid_input) for reps 0 or a circuit without qubits. Cost: O(reps * pairs) gates.
FeatureBinding zz_feature_map(Circuit& c, std::size_t reps, Entangler entanglement = Entangler::full, double alpha = 2.0);

/// Amplitude encoding of `num_features` features on the circuit's n qubits: the classifier
/// starts its circuit from the normalised feature vector, zero-padded to 2^n amplitudes (the
/// state is written directly, no gates are added). Inputs still get exact gradients, through
/// the adjoint state at the start of the circuit and the normalisation. A zero feature vector
/// cannot be encoded. Throws Error(invalid_input) unless 1 <= num_features <= 2^n and n <= 30.
FeatureBinding amplitude_encoding(const Circuit& c, std::size_t num_features);

}  // namespace kettle
