#include "kettle/model_spec.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kettle/ansatz.hpp"
#include "kettle/encoding.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

constexpr unsigned kMaxQubits = 20;

[[noreturn]] void bad(const std::string& what) {
    throw Error(ErrorCode::invalid_input, fmt::format("model spec: {}", what));
}

void one_of(const std::string& field, const std::string& value, std::initializer_list<const char*> valid) {
    for (const char* v : valid)
        if (value == v) return;
    bad(fmt::format("{} `{}` is unknown (valid: {})", field, value, fmt::join(valid, ", ")));
}

Entangler entangler_of(const std::string& name) {
    if (name == "linear") return Entangler::linear;
    if (name == "full") return Entangler::full;
    return Entangler::ring;
}

RotationAxis axis_of(const std::string& name) {
    if (name == "x") return RotationAxis::x;
    if (name == "z") return RotationAxis::z;
    return RotationAxis::y;
}

/// Data re-uploading with more features than qubits (k > n): in every block, qubit q takes
/// x_q, x_{q+n}, x_{q+2n}, ... as alternating RY and RZ angles (two features fill a qubit's
/// Bloch sphere: polar and azimuthal angle), then RY(w) RZ(w) on every qubit and the CNOTs.
CircuitParameters dense_reuploading(Circuit& c, std::size_t k, std::size_t layers, Entangler entangler,
                                    double scale) {
    CircuitParameters p;
    for (std::size_t f = 0; f < k; ++f) p.inputs.push_back(c.parameter(fmt::format("x{}", f)));
    const unsigned n = c.num_qubits();
    for (std::size_t l = 0; l < layers; ++l) {
        for (unsigned q = 0; q < n; ++q)
            for (std::size_t f = q, j = 0; f < k; f += n, ++j) {
                if (j % 2 == 0)
                    c.ry(q, scale * p.inputs[f]);
                else
                    c.rz(q, scale * p.inputs[f]);
            }
        for (unsigned q = 0; q < n; ++q) {
            p.weights.push_back(c.parameter(fmt::format("w{}", p.weights.size())));
            c.ry(q, p.weights.back());
            p.weights.push_back(c.parameter(fmt::format("w{}", p.weights.size())));
            c.rz(q, p.weights.back());
        }
        entangle(c, entangler);
    }
    return p;
}

}  // namespace

ModelSpec resolve(ModelSpec s) {
    one_of("encoding", s.encoding, {"angle", "reupload", "zz", "amplitude"});
    one_of("ansatz", s.ansatz, {"hardware_efficient", "strongly_entangling", "real_amplitudes", "efficient_su2"});
    if (s.encoding == "reupload" && s.ansatz != "hardware_efficient")
        bad(fmt::format("the reupload encoding interleaves hardware-efficient layers; ansatz `{}` needs the angle, zz "
                        "or amplitude encoding", s.ansatz));
    if (s.encoding == "zz" && s.encoding_reps < 1) bad("0 repetitions of the ZZ feature map (need at least 1)");
    one_of("entangler", s.entangler, {"linear", "ring", "full"});
    one_of("rotation", s.rotation, {"x", "y", "z"});
    one_of("input activation", s.input_activation, {"none", "pi_tanh"});
    if (s.num_qubits < 1 || s.num_qubits > kMaxQubits)
        bad(fmt::format("{} qubits (valid 1..{})", s.num_qubits, kMaxQubits));
    if (s.num_features < 1) bad("0 features (need at least 1)");
    if (s.layers < 1) bad("0 layers (need at least 1)");
    if (!(s.output_gain >= 0) || !std::isfinite(s.output_gain) || !std::isfinite(s.input_scale))
        bad(fmt::format("output gain {} must be a finite number >= 0 (0: the default) and the input scale {} finite",
                        s.output_gain, s.input_scale));
    if (s.num_classes < 2) bad(fmt::format("{} classes (need at least 2)", s.num_classes));
    if ((s.encoding == "angle" || s.encoding == "zz") && !s.input_layer && s.num_features != s.num_qubits)
        bad(fmt::format("the {} encoding takes one feature per qubit, got {} features for {} qubits (use an "
                        "input layer, PCA, or as many qubits as features)", s.encoding, s.num_features, s.num_qubits));
    if (s.encoding == "amplitude" && !s.input_layer && (s.num_qubits > 30 || s.num_features > (std::size_t{1} << s.num_qubits)))
        bad(fmt::format("the amplitude encoding takes at most 2^n features, got {} features for {} qubits",
                        s.num_features, s.num_qubits));
    if (!s.output_layer && s.num_classes > 2 && s.num_classes > s.num_qubits)
        bad(fmt::format("{} classes need an output layer or at least {} qubits (one readout per class), got {}",
                        s.num_classes, s.num_classes, s.num_qubits));
    if (s.observables.empty()) {
        const std::size_t m = s.output_layer ? s.num_qubits : (s.num_classes == 2 ? 1 : s.num_classes);
        for (std::size_t j = 0; j < m; ++j) s.observables.push_back(fmt::format("Z{}", j));
    } else if (!s.output_layer && s.observables.size() != (s.num_classes == 2 ? 1 : s.num_classes) &&
               s.observables.size() != s.num_classes) {
        bad(fmt::format("{} observables for {} classes without an output layer (need 1 or 2 for two classes, one "
                        "per class otherwise)", s.observables.size(), s.num_classes));
    }
    return s;
}

HybridModel build_model(const ModelSpec& spec) {
    const ModelSpec s = resolve(spec);
    const std::size_t n = s.num_qubits;
    // What the quantum layer takes: the features, or what the input layer makes of them.
    const std::size_t k = !s.input_layer ? s.num_features : s.encoding == "amplitude" ? std::size_t{1} << n : n;
    Circuit c(s.num_qubits);
    FeatureBinding features;
    std::vector<Parameter> weights;
    if (s.encoding == "reupload") {
        CircuitParameters p = k <= n ? data_reuploading(c, k, s.layers, entangler_of(s.entangler), s.input_scale)
                                     : dense_reuploading(c, k, s.layers, entangler_of(s.entangler), s.input_scale);
        features = FeatureBinding{k, std::move(p.inputs), {}, false};
        weights = std::move(p.weights);
    } else {
        if (s.encoding == "angle")
            features = FeatureBinding{k, angle_encoding(c, axis_of(s.rotation), s.input_scale), {}, false};
        else if (s.encoding == "zz")
            features = zz_feature_map(c, s.encoding_reps, entangler_of(s.entangler));
        else
            features = amplitude_encoding(c, k);
        if (s.ansatz == "hardware_efficient")
            weights = hardware_efficient_ansatz(c, s.layers, entangler_of(s.entangler));
        else if (s.ansatz == "strongly_entangling")
            weights = strongly_entangling_layers(c, s.layers);
        else if (s.ansatz == "real_amplitudes")
            weights = real_amplitudes(c, s.layers);
        else
            weights = efficient_su2(c, s.layers);
    }
    std::vector<PauliSum> observables;
    for (const std::string& text : s.observables) {
        try {
            observables.push_back(PauliSum::parse(text));
        } catch (const Error& e) {
            bad(fmt::format("observable `{}`: {}", text, e.what()));
        }
        if (observables.back().min_qubits() > s.num_qubits)
            bad(fmt::format("observable `{}` names qubit {}, but the circuit has {} qubits", text,
                            observables.back().min_qubits() - 1, s.num_qubits));
    }
    const std::size_t m = observables.size();
    std::optional<DenseLayer> input, output;
    if (s.input_layer) input.emplace(s.num_features, k, parse_activation(s.input_activation));
    if (s.output_layer) output.emplace(m, s.num_classes == 2 ? 1 : s.num_classes, Activation::none, s.output_gain);
    return HybridModel(std::move(input),
                       QuantumLayer(std::move(c), std::move(features), std::move(weights), std::move(observables)),
                       std::move(output));
}

}  // namespace kettle
