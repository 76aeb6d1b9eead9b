#include "kettle/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numbers>
#include <random>

#include "batched_features.hpp"
#include "kettle/ansatz.hpp"
#include "feature_binding.hpp"
#include "kettle/error.hpp"

namespace kettle {

namespace {

FeatureBinding direct_binding(std::vector<Parameter> inputs) {
    FeatureBinding b;
    b.num_features = inputs.size();
    b.direct = std::move(inputs);
    return b;
}

}  // namespace

VariationalClassifier::VariationalClassifier(Circuit circuit, std::vector<Parameter> inputs,
                                             std::vector<Parameter> weights, std::vector<PauliSum> observables)
    : VariationalClassifier(std::move(circuit), direct_binding(std::move(inputs)), std::move(weights),
                            std::move(observables)) {}

VariationalClassifier::VariationalClassifier(Circuit circuit, FeatureBinding features, std::vector<Parameter> weights,
                                             std::vector<PauliSum> observables)
    : circuit_(std::make_shared<const Circuit>(std::move(circuit))), features_(std::move(features)),
      weights_(std::move(weights)), observables_(std::move(observables)) {
    const char* where = "VariationalClassifier";
    check_differentiable(*circuit_, where);
    if (observables_.empty())
        throw Error(ErrorCode::invalid_input, fmt::format("{}: needs 1 observable (binary) or 2 or more, got none", where));
    detail::check_feature_binding(*circuit_, features_, weights_, where);
    trainable_.assign(weights_.size() + 2 * observables_.size(), 0.0);
    std::fill(trainable_.begin() + std::ptrdiff_t(weights_.size()),
              trainable_.begin() + std::ptrdiff_t(weights_.size() + observables_.size()), 1.0);
    Workspace probe(*this);  // validates the observables against the circuit's qubits
}

void VariationalClassifier::set_trainable(std::span<const double> values) {
    if (values.size() != trainable_.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("VariationalClassifier::set_trainable: got {} values, the model has {}", values.size(),
                                trainable_.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("VariationalClassifier::set_trainable: value {} is {} (values must be finite "
                                    "numbers)", i, values[i]));
    trainable_.assign(values.begin(), values.end());
}

void VariationalClassifier::initialize(std::uint64_t seed, double readout_scale) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> angle(-std::numbers::pi, std::numbers::pi);
    const std::size_t w = weights_.size(), m = observables_.size();
    for (std::size_t i = 0; i < w; ++i) trainable_[i] = angle(rng);
    for (std::size_t i = 0; i < m; ++i) {
        trainable_[w + i] = readout_scale;
        trainable_[w + m + i] = 0.0;
    }
}

VariationalClassifier::Workspace::Workspace(const VariationalClassifier& model)
    : diff_(*model.circuit_, model.observables_), bound_(model.circuit_->num_parameters()),
      expectations_(model.observables_.size()), scores_(model.observables_.size()), score_grad_(model.observables_.size()),
      cotangent_(model.observables_.size()), circuit_grad_(model.circuit_->num_parameters()) {
    if (model.features_.amplitude) {
        initial_.resize(std::size_t{1} << model.circuit_->num_qubits());
        initial_grad_.resize(initial_.size());
    }
}

VariationalClassifier::Workspace::~Workspace() = default;
VariationalClassifier::Workspace::Workspace(Workspace&&) noexcept = default;
VariationalClassifier::Workspace& VariationalClassifier::Workspace::operator=(Workspace&&) noexcept = default;

void VariationalClassifier::bind(Workspace& ws, std::span<const double> x, const char* where) const {
    const FeatureBinding& f = features_;
    if (x.size() != f.num_features)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: got {} features, the model takes {}", where, x.size(), f.num_features));
    // Checked here, before the features are mixed into angles, so the message names the feature.
    for (std::size_t k = 0; k < x.size(); ++k)
        if (!std::isfinite(x[k]))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: feature {} is {} (features must be finite numbers)", where, k, x[k]));
    for (std::size_t k = 0; k < f.direct.size(); ++k) ws.bound_[f.direct[k].index()] = x[k];
    for (const ProductInput& p : f.products) ws.bound_[p.parameter.index()] = (p.shift - x[p.i]) * (p.shift - x[p.j]);
    for (std::size_t i = 0; i < weights_.size(); ++i) ws.bound_[weights_[i].index()] = trainable_[i];
    if (!f.amplitude) {
        ws.diff_.forward(ws.bound_, ws.expectations_);
        return;
    }
    double norm2 = 0;
    for (double v : x) norm2 += v * v;
    if (!(norm2 > 0) || !std::isfinite(norm2))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: amplitude encoding needs a finite, non-zero feature vector; its squared norm is {}",
                                where, norm2));
    ws.norm_ = std::sqrt(norm2);
    std::fill(ws.initial_.begin(), ws.initial_.end(), 0.0);
    for (std::size_t k = 0; k < x.size(); ++k) ws.initial_[k] = x[k] / ws.norm_;
    ws.diff_.forward(ws.bound_, ws.expectations_, ws.initial_);
}

void VariationalClassifier::scores(Workspace& ws, std::span<const double> x, std::span<double> out) const {
    bind(ws, x, "VariationalClassifier::scores");
    if (out.size() != observables_.size())
        throw Error(ErrorCode::invalid_input, fmt::format("VariationalClassifier::scores: {} slots for {} scores",
                                                          out.size(), observables_.size()));
    const std::size_t w = weights_.size(), m = observables_.size();
    for (std::size_t j = 0; j < m; ++j) out[j] = trainable_[w + j] * ws.expectations_[j] + trainable_[w + m + j];
}

std::vector<double> VariationalClassifier::scores(std::span<const double> x) const {
    Workspace ws(*this);
    std::vector<double> out(observables_.size());
    scores(ws, x, out);
    return out;
}

std::size_t VariationalClassifier::predict(std::span<const double> x) const { return predicted_class(scores(x)); }

double VariationalClassifier::loss_and_gradient(Workspace& ws, std::span<const double> x, std::size_t label,
                                                const Loss& loss, std::span<double> grad_trainable,
                                                std::span<double> grad_inputs) const {
    const char* where = "VariationalClassifier::loss_and_gradient";
    if (grad_trainable.size() != trainable_.size() ||
        (!grad_inputs.empty() && grad_inputs.size() != features_.num_features))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: gradient sizes {} and {}, need {} and {} (or 0 for the inputs)", where,
                                grad_trainable.size(), grad_inputs.size(), trainable_.size(), features_.num_features));
    const std::size_t w = weights_.size(), m = observables_.size();
    scores(ws, x, ws.scores_);
    const double value = loss.evaluate(ws.scores_, label, ws.score_grad_);
    for (std::size_t j = 0; j < m; ++j) {
        grad_trainable[w + j] = ws.score_grad_[j] * ws.expectations_[j];  // d score / d a = <O>
        grad_trainable[w + m + j] = ws.score_grad_[j];                      // d score / d b = 1
        ws.cotangent_[j] = ws.score_grad_[j] * trainable_[w + j];          // d loss / d <O_j>
    }
    const FeatureBinding& f = features_;
    ws.diff_.backward(ws.cotangent_, ws.circuit_grad_,
                      f.amplitude && !grad_inputs.empty() ? std::span<std::complex<double>>(ws.initial_grad_)
                                                          : std::span<std::complex<double>>());
    for (std::size_t i = 0; i < w; ++i) grad_trainable[i] = ws.circuit_grad_[weights_[i].index()];
    if (grad_inputs.empty()) return value;
    std::fill(grad_inputs.begin(), grad_inputs.end(), 0.0);
    for (std::size_t k = 0; k < f.direct.size(); ++k) grad_inputs[k] = ws.circuit_grad_[f.direct[k].index()];
    for (const ProductInput& p : f.products) {  // d/dx_i (s - x_i)(s - x_j) = -(s - x_j)
        const double g = ws.circuit_grad_[p.parameter.index()];
        grad_inputs[p.i] -= g * (p.shift - x[p.j]);
        grad_inputs[p.j] -= g * (p.shift - x[p.i]);
    }
    if (f.amplitude) {  // a = x / |x|: da_i/dx_k = (delta_ik - a_i a_k) / |x|; amplitudes are real
        double along = 0;
        for (std::size_t k = 0; k < x.size(); ++k) along += ws.initial_[k].real() * ws.initial_grad_[k].real();
        for (std::size_t k = 0; k < x.size(); ++k)
            grad_inputs[k] = (ws.initial_grad_[k].real() - ws.initial_[k].real() * along) / ws.norm_;
    }
    return value;
}

std::vector<PauliSum> parity_observables(std::span<const std::vector<unsigned>> groups) {
    std::vector<PauliSum> out;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::vector<unsigned> q = groups[g];
        std::sort(q.begin(), q.end());
        if (q.empty() || std::adjacent_find(q.begin(), q.end()) != q.end())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("parity_observables: group {} is empty or repeats a qubit (needs distinct qubits)", g));
        PauliTerm t;
        for (unsigned b : q) t.factors.emplace_back(b, 'Z');
        out.push_back(PauliSum({t}));
    }
    return out;
}

std::vector<PauliSum> parity_observables(unsigned num_qubits, std::size_t num_classes) {
    if (num_classes < 2 || num_classes > std::max<std::size_t>(2, num_qubits) || num_qubits == 0)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("parity_observables: {} classes on {} qubits; need 2 classes, or between 3 and the "
                                "number of qubits (one group of qubits per class)", num_classes, num_qubits));
    const std::size_t groups = num_classes == 2 ? 1 : num_classes;
    std::vector<std::vector<unsigned>> g(groups);
    unsigned q = 0;
    for (std::size_t k = 0; k < groups; ++k) {
        const std::size_t size = num_qubits / groups + (k < num_qubits % groups ? 1 : 0);
        for (std::size_t j = 0; j < size; ++j) g[k].push_back(q++);
    }
    return parity_observables(g);
}

VariationalClassifier make_classifier(std::size_t num_features, const ClassifierOptions& o) {
    const char* where = "make_classifier";
    if (o.num_classes < 2 || (o.num_classes > 2 && o.num_classes > o.num_qubits))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} classes on {} qubits; need 2 classes, or between 3 and the number of qubits "
                                "(one readout per class)", where, o.num_classes, o.num_qubits));
    const bool per_qubit = o.encoding == EncodingKind::angle || o.encoding == EncodingKind::zz;
    if (per_qubit && num_features != o.num_qubits)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} encoding of {} features on {} qubits; it takes one feature per qubit", where,
                                o.encoding == EncodingKind::angle ? "angle" : "zz", num_features, o.num_qubits));
    Circuit c(o.num_qubits);
    FeatureBinding features;
    std::vector<Parameter> weights;
    if (o.encoding == EncodingKind::reupload) {
        CircuitParameters p = data_reuploading(c, num_features, o.layers, o.entangler, o.input_scale);
        features.num_features = num_features;
        features.direct = std::move(p.inputs);
        weights = std::move(p.weights);
    } else {
        switch (o.encoding) {
            case EncodingKind::angle:
                features.num_features = num_features;
                features.direct = angle_encoding(c, RotationAxis::y, o.input_scale);
                break;
            case EncodingKind::zz: features = zz_feature_map(c, o.zz_reps, o.entangler); break;
            default: features = amplitude_encoding(c, num_features); break;
        }
        switch (o.ansatz) {
            case AnsatzKind::hardware_efficient: weights = hardware_efficient_ansatz(c, o.layers, o.entangler); break;
            case AnsatzKind::strongly_entangling: weights = strongly_entangling_layers(c, o.layers); break;
            case AnsatzKind::real_amplitudes: weights = real_amplitudes(c, o.layers); break;
            case AnsatzKind::efficient_su2: weights = efficient_su2(c, o.layers); break;
        }
    }
    std::vector<PauliSum> obs;
    if (o.readout == ReadoutKind::parity) {
        obs = parity_observables(o.num_qubits, o.num_classes);
    } else {
        const std::size_t readouts = o.num_classes == 2 ? 1 : o.num_classes;
        for (std::size_t j = 0; j < readouts; ++j) obs.push_back(PauliSum({PauliTerm{1.0, {{unsigned(j), 'Z'}}}}));
    }
    return VariationalClassifier(std::move(c), std::move(features), std::move(weights), std::move(obs));
}

}  // namespace kettle
