#pragma once
// Ansätze beyond those of encoding.hpp: data re-uploading, where the features enter the circuit
// again before every trainable layer (Pérez-Salinas et al. 2020).

#include <cstddef>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/encoding.hpp"

namespace kettle {

/// The parameters a builder declared: features first, then weights.
struct CircuitParameters {
    std::vector<Parameter> inputs;
    std::vector<Parameter> weights;
};

/// Appends `layers` blocks on all n qubits of `c`; block l is: RY(scale * x_{q mod F}) on every
/// qubit q (F = num_features), then RY(w) and RZ(w) on every qubit, then CNOTs as `entangler`
/// (as in hardware_efficient_ansatz). Declares parameters `x0..x{F-1}` (shared by all blocks)
/// and `w0..` (2 n layers of them); throws Error(invalid_input) if those names exist already
/// or num_features is 0. With F > n, features past n are not used.
/// Cost: O(n * layers) operations (O(n^2 * layers) with the full entangler).
CircuitParameters data_reuploading(Circuit& c, std::size_t num_features, std::size_t layers,
                                   Entangler entangler = Entangler::ring, double scale = 1.0);

/// Strongly entangling layers (Schuld et al. 2020, PennyLane's StronglyEntanglingLayers): layer l
/// is Rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ) on every qubit (RZ(φ) acts first), then, when n > 1,
/// CNOT(q, (q + r_l) mod n) for q = 0..n-1 with range r_l = ranges[l] if given, else
/// (l mod (n - 1)) + 1. Declares `w0..` in PennyLane's weight order (layer, qubit, φ θ ω):
/// 3 n layers of them, returned in that order. Throws Error(invalid_input) if `ranges` is
/// neither empty nor `layers` long, or a range is not in 1..n-1.
std::vector<Parameter> strongly_entangling_layers(Circuit& c, std::size_t layers, std::vector<unsigned> ranges = {});

/// The CNOT pattern of Qiskit's two-local circuits.
enum class Entanglement {
    full,            ///< CX(i, j) for every i < j
    linear,          ///< CX(q, q+1), q ascending
    reverse_linear,  ///< CX(q, q+1), q descending (Qiskit's default for these ansätze)
    circular,        ///< CX(n-1, 0), then linear (n > 2)
};

/// Qiskit's RealAmplitudes: an RY on every qubit, then `reps` times (CNOTs as `entanglement`,
/// an RY on every qubit); the final RY layer is left out if skip_final_rotation_layer.
/// Real amplitudes throughout. Declares `w0..`, n (reps + 1) of them (n reps if skipped),
/// layer by layer, in qubit order, and returns them.
std::vector<Parameter> real_amplitudes(Circuit& c, std::size_t reps,
                                       Entanglement entanglement = Entanglement::reverse_linear,
                                       bool skip_final_rotation_layer = false);

/// Qiskit's EfficientSU2: as real_amplitudes, but each rotation layer is an RY on every qubit
/// followed by an RZ on every qubit: 2 n (reps + 1) weights `w0..` (2 n reps if skipped).
std::vector<Parameter> efficient_su2(Circuit& c, std::size_t reps, Entanglement entanglement = Entanglement::reverse_linear,
                                     bool skip_final_rotation_layer = false);

}  // namespace kettle
