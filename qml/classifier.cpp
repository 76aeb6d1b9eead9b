#include "kettle/classifier.hpp"

#include <cmath>
#include <fmt/format.h>
#include <numbers>
#include <random>

#include "kettle/ansatz.hpp"
#include "kettle/error.hpp"

namespace kettle {

VariationalClassifier::VariationalClassifier(Circuit circuit, std::vector<Parameter> inputs,
                                             std::vector<Parameter> weights, std::vector<PauliSum> observables)
    : circuit_(std::make_shared<const Circuit>(std::move(circuit))), inputs_(std::move(inputs)),
      weights_(std::move(weights)), observables_(std::move(observables)) {
    const char* where = "VariationalClassifier";
    check_differentiable(*circuit_, where);
    if (observables_.empty())
        throw Error(ErrorCode::invalid_input, fmt::format("{}: needs 1 observable (binary) or 2 or more, got none", where));
    const std::size_t p = circuit_->num_parameters();
    std::vector<int> uses(p, 0);
    for (const auto* group : {&inputs_, &weights_})
        for (const Parameter& q : *group) {
            if (q.index() >= p)
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: parameter index {} is out of range for a circuit with {} parameters", where,
                                        q.index(), p));
            ++uses[q.index()];
        }
    for (std::size_t k = 0; k < p; ++k)
        if (uses[k] != 1)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: circuit parameter `{}` is named {} times among inputs and weights (must be "
                                    "exactly once)", where, circuit_->parameter_names()[k], uses[k]));
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
    for (double v : values)
        if (!std::isfinite(v))
            throw Error(ErrorCode::invalid_input, "VariationalClassifier::set_trainable: a value is NaN or infinite");
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
      cotangent_(model.observables_.size()), circuit_grad_(model.circuit_->num_parameters()) {}

void VariationalClassifier::bind(Workspace& ws, std::span<const double> x, const char* where) const {
    if (x.size() != inputs_.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: got {} features, the model takes {}", where, x.size(), inputs_.size()));
    for (std::size_t f = 0; f < inputs_.size(); ++f) ws.bound_[inputs_[f].index()] = x[f];
    for (std::size_t i = 0; i < weights_.size(); ++i) ws.bound_[weights_[i].index()] = trainable_[i];
    ws.diff_.forward(ws.bound_, ws.expectations_);
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
    if (grad_trainable.size() != trainable_.size() || (!grad_inputs.empty() && grad_inputs.size() != inputs_.size()))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: gradient sizes {} and {}, need {} and {} (or 0 for the inputs)", where,
                                grad_trainable.size(), grad_inputs.size(), trainable_.size(), inputs_.size()));
    const std::size_t w = weights_.size(), m = observables_.size();
    scores(ws, x, ws.scores_);
    const double value = loss.evaluate(ws.scores_, label, ws.score_grad_);
    for (std::size_t j = 0; j < m; ++j) {
        grad_trainable[w + j] = ws.score_grad_[j] * ws.expectations_[j];  // d score / d a = <O>
        grad_trainable[w + m + j] = ws.score_grad_[j];                      // d score / d b = 1
        ws.cotangent_[j] = ws.score_grad_[j] * trainable_[w + j];          // d loss / d <O_j>
    }
    ws.diff_.backward(ws.cotangent_, ws.circuit_grad_);
    for (std::size_t i = 0; i < w; ++i) grad_trainable[i] = ws.circuit_grad_[weights_[i].index()];
    for (std::size_t f = 0; f < grad_inputs.size(); ++f) grad_inputs[f] = ws.circuit_grad_[inputs_[f].index()];
    return value;
}

VariationalClassifier make_classifier(std::size_t num_features, const ClassifierOptions& o) {
    if (o.num_classes < 2 || (o.num_classes > 2 && o.num_classes > o.num_qubits))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("make_classifier: {} classes on {} qubits; need 2 classes, or between 3 and the "
                                "number of qubits (one Z readout per class)", o.num_classes, o.num_qubits));
    Circuit c(o.num_qubits);
    CircuitParameters p = data_reuploading(c, num_features, o.layers, o.entangler, o.input_scale);
    std::vector<PauliSum> obs;
    const std::size_t readouts = o.num_classes == 2 ? 1 : o.num_classes;
    for (std::size_t j = 0; j < readouts; ++j) obs.push_back(PauliSum({PauliTerm{1.0, {{unsigned(j), 'Z'}}}}));
    return VariationalClassifier(std::move(c), std::move(p.inputs), std::move(p.weights), std::move(obs));
}

}  // namespace kettle
