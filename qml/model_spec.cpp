#include "kettle/model_spec.hpp"

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

}  // namespace

ModelSpec resolve(ModelSpec s) {
    one_of("encoding", s.encoding, {"angle", "reupload"});
    one_of("ansatz", s.ansatz, {"hardware_efficient"});
    one_of("entangler", s.entangler, {"linear", "ring", "full"});
    one_of("rotation", s.rotation, {"x", "y", "z"});
    one_of("input activation", s.input_activation, {"none", "pi_tanh"});
    if (s.num_qubits < 1 || s.num_qubits > kMaxQubits)
        bad(fmt::format("{} qubits (valid 1..{})", s.num_qubits, kMaxQubits));
    if (s.num_features < 1) bad("0 features (need at least 1)");
    if (s.layers < 1) bad("0 layers (need at least 1)");
    if (s.num_classes < 2) bad(fmt::format("{} classes (need at least 2)", s.num_classes));
    if (s.encoding == "angle" && !s.input_layer && s.num_features != s.num_qubits)
        bad(fmt::format("the angle encoding takes one feature per qubit, got {} features for {} qubits (use an "
                        "input layer, PCA, or as many qubits as features)", s.num_features, s.num_qubits));
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
    const std::size_t k = s.input_layer ? s.num_qubits : s.num_features;
    Circuit c(s.num_qubits);
    CircuitParameters p;
    if (s.encoding == "angle") {
        p.inputs = angle_encoding(c, axis_of(s.rotation), s.input_scale);
        p.weights = hardware_efficient_ansatz(c, s.layers, entangler_of(s.entangler));
    } else {
        p = data_reuploading(c, k, s.layers, entangler_of(s.entangler), s.input_scale);
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
    if (s.output_layer) output.emplace(m, s.num_classes == 2 ? 1 : s.num_classes, Activation::none);
    return HybridModel(std::move(input), QuantumLayer(std::move(c), std::move(p.inputs), std::move(p.weights),
                                                      std::move(observables)),
                       std::move(output));
}

}  // namespace kettle
