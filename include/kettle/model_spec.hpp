#pragma once
// A description of a hybrid model that rebuilds it: what model files store instead of the raw
// circuit, so that a file stays readable when circuit details (gate order, fusion) change.

#include <cstddef>
#include <string>
#include <vector>

#include "kettle/hybrid.hpp"

namespace kettle {

/// Everything build_model needs. Names are those of the builders in encoding.hpp and
/// ansatz.hpp:
///   encoding  "angle":    one rotation per qubit (axis `rotation`, angle input_scale * x_q),
///                         then `layers` layers of `ansatz`; the quantum layer takes n inputs.
///             "reupload": data re-uploading (data_reuploading): `layers` blocks, each
///                         RY(input_scale * x_{q mod k}) on every qubit q then a
///                         hardware-efficient layer (ansatz must be hardware_efficient); the
///                         quantum layer takes k inputs: the features, or n after an input layer.
///                         With k > n, qubit q takes x_q, x_{q+n}, ... in every block as
///                         alternating RY and RZ angles (polar, then azimuthal).
///             "zz":       the ZZ feature map (zz_feature_map, `encoding_reps` repetitions, pairs
///                         as `entangler`), then `layers` layers of `ansatz`; n inputs.
///             "amplitude": the normalised features as the initial state (amplitude_encoding,
///                         at most 2^n of them), then `layers` layers of `ansatz`.
///   ansatz    "hardware_efficient" (RY, RZ on every qubit, then CNOTs as `entangler`:
///             linear, ring or full), "strongly_entangling", "real_amplitudes" or
///             "efficient_su2" (see ansatz.hpp).
///   observables  Pauli text, one per quantum output; empty: Z0 for two classes without an
///             output layer, Z0..Z{K-1} for K classes without one, Z0..Z{n-1} with one.
///   input_layer  a DenseLayer features -> n angles (2^n amplitudes for the amplitude
///             encoding) with `input_activation` before the circuit
///             (without it the features go to the circuit as they are).
///   output_layer a DenseLayer expectations -> scores after it (1 score for 2 classes), with
///             gain output_gain (0: 1/sqrt(observables)).
struct ModelSpec {
    std::size_t num_features = 0;  ///< model inputs, after the feature pipeline
    std::size_t num_classes = 2;
    unsigned num_qubits = 0;
    std::string encoding = "reupload";
    std::string rotation = "y";          ///< x, y or z (angle encoding)
    double input_scale = 1.0;
    std::string ansatz = "hardware_efficient";
    std::size_t layers = 3;
    std::string entangler = "ring";      ///< linear, ring or full
    std::size_t encoding_reps = 2;       ///< repetitions of the ZZ feature map
    std::vector<std::string> observables;
    bool input_layer = false;
    std::string input_activation = "pi_tanh";
    bool output_layer = false;
    double output_gain = 0.0;
};

/// Fills the defaults a spec leaves open (observables) and checks it: known names, at least
/// 1 qubit and at most 20, at least 1 feature (as many as qubits for the angle encoding
/// without an input layer), classes >= 2 and,
/// without an output layer, no more classes than qubits. Throws Error(invalid_input) naming
/// the field, its value and what is valid.
[[nodiscard]] ModelSpec resolve(ModelSpec spec);

/// The model `spec` describes (resolved first), with every trainable value at its
/// constructor default; call HybridModel::initialize or set_trainable next.
[[nodiscard]] HybridModel build_model(const ModelSpec& spec);

}  // namespace kettle
