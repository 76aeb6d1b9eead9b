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

}  // namespace kettle
