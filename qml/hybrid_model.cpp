#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "batched_features.hpp"
#include "kettle/error.hpp"
#include "kettle/hybrid.hpp"

namespace kettle {

/// The activations of one sample, kept from the forward pass for the backward one.
class HybridModel::Work : public Model::Workspace {
public:
    explicit Work(const HybridModel& m)
        : quantum(m.quantum_), angles(m.quantum_.num_inputs()), expectations(m.quantum_.num_outputs()),
          scores(m.num_scores()), dscores(m.num_scores()), dexpectations(m.quantum_.num_outputs()),
          dangles(m.quantum_.num_inputs()), dz(std::max(m.input_ ? m.input_->num_outputs() : 0,
                                                        m.output_ ? m.output_->num_outputs() : 0)),
          owner(&m) {}

    QuantumLayer::Buffers quantum;
    std::vector<double> angles, expectations, scores, dscores, dexpectations, dangles, dz;
    const HybridModel* owner;
    // The batch path (made on first use): the quantum layer's batched circuit, a group's
    // angles (kLanes rows of quantum inputs) and one sample's dense-layer gradients.
    std::unique_ptr<qml_detail::BatchedFeatures> batch;
    std::vector<double> lane_angles, g_input, g_output;
};

HybridModel::HybridModel(std::optional<DenseLayer> input, QuantumLayer quantum, std::optional<DenseLayer> output)
    : input_(std::move(input)), quantum_(std::move(quantum)), output_(std::move(output)) {
    if (input_ && input_->num_outputs() != quantum_.num_inputs())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("HybridModel: the input layer gives {} values, the quantum layer takes {}",
                                input_->num_outputs(), quantum_.num_inputs()));
    if (output_ && output_->num_inputs() != quantum_.num_outputs())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("HybridModel: the output layer takes {} values, the quantum layer gives {}",
                                output_->num_inputs(), quantum_.num_outputs()));
    if (output_ && output_->activation() != Activation::none)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("HybridModel: the output layer's activation is {}; class scores need none",
                                activation_name(output_->activation())));
    const std::size_t readout = output_ ? output_->num_parameters() : 2 * quantum_.num_outputs();
    trainable_.assign(input_size() + quantum_.num_weights() + readout, 0.0);
    if (!output_)
        std::fill_n(trainable_.begin() + std::ptrdiff_t(input_size() + quantum_.num_weights()),
                    quantum_.num_outputs(), 1.0);
}

std::size_t HybridModel::num_features() const noexcept {
    return input_ ? input_->num_inputs() : quantum_.num_inputs();
}

std::size_t HybridModel::num_scores() const noexcept {
    return output_ ? output_->num_outputs() : quantum_.num_outputs();
}

std::size_t HybridModel::num_classes() const noexcept { return num_scores() == 1 ? 2 : num_scores(); }

void HybridModel::set_trainable(std::span<const double> values) {
    if (values.size() != trainable_.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("HybridModel::set_trainable: got {} values, the model has {}", values.size(),
                                trainable_.size()));
    for (double v : values)
        if (!std::isfinite(v))
            throw Error(ErrorCode::invalid_input, "HybridModel::set_trainable: a value is NaN or infinite");
    trainable_.assign(values.begin(), values.end());
}

void HybridModel::initialize(std::uint64_t seed, double readout_scale) {
    std::mt19937_64 rng(seed);
    std::span<double> all(trainable_);
    if (input_) input_->initialize(all.subspan(0, input_size()), rng);
    std::uniform_real_distribution<double> angle(-std::numbers::pi, std::numbers::pi);
    for (std::size_t i = 0; i < quantum_.num_weights(); ++i) all[input_size() + i] = angle(rng);
    const std::span<double> readout = all.subspan(input_size() + quantum_.num_weights());
    if (output_) {
        output_->initialize(readout, rng);
    } else {
        const std::size_t m = quantum_.num_outputs();
        for (std::size_t j = 0; j < m; ++j) {
            readout[j] = readout_scale;
            readout[m + j] = 0.0;
        }
    }
}

std::unique_ptr<Model::Workspace> HybridModel::make_workspace() const { return std::make_unique<Work>(*this); }

void HybridModel::forward(Work& w, std::span<const double> x, std::span<double> out) const {
    if (x.size() != num_features() || out.size() != num_scores())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("HybridModel: got {} features and {} score slots, the model takes {} and gives {}",
                                x.size(), out.size(), num_features(), num_scores()));
    const std::span<const double> all(trainable_);
    std::span<const double> angles = x;
    if (input_) {
        input_->forward(all.subspan(0, input_size()), x, w.angles);
        angles = w.angles;
    }
    quantum_.forward(w.quantum, all.subspan(input_size(), quantum_.num_weights()), angles, w.expectations);
    const std::span<const double> readout = all.subspan(input_size() + quantum_.num_weights());
    if (output_) {
        output_->forward(readout, w.expectations, out);
    } else {
        const std::size_t m = quantum_.num_outputs();
        for (std::size_t j = 0; j < m; ++j) out[j] = readout[j] * w.expectations[j] + readout[m + j];
    }
}

void HybridModel::scores(Model::Workspace& ws, std::span<const double> x, std::span<double> out) const {
    auto* w = dynamic_cast<Work*>(&ws);
    if (w == nullptr || w->owner != this)
        throw Error(ErrorCode::invalid_input, "HybridModel::scores: the workspace was made by another model");
    forward(*w, x, out);
}

double HybridModel::loss_and_gradient(Model::Workspace& ws, std::span<const double> x, std::size_t label,
                                      const Loss& loss, std::span<double> grad_trainable,
                                      std::span<double> grad_inputs) const {
    auto* wp = dynamic_cast<Work*>(&ws);
    if (wp == nullptr || wp->owner != this)
        throw Error(ErrorCode::invalid_input, "HybridModel::loss_and_gradient: the workspace was made by another model");
    if (grad_trainable.size() != trainable_.size() || (!grad_inputs.empty() && grad_inputs.size() != num_features()))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("HybridModel::loss_and_gradient: gradient sizes {} and {}, need {} and {} (or 0 for "
                                "the inputs)", grad_trainable.size(), grad_inputs.size(), trainable_.size(),
                                num_features()));
    Work& w = *wp;
    forward(w, x, w.scores);
    const double value = loss.evaluate(w.scores, label, w.dscores);

    // Backwards through the readout, the circuit and the input layer, each writing its own
    // slice of the gradient.
    const std::span<const double> all(trainable_);
    const std::size_t q0 = input_size(), r0 = q0 + quantum_.num_weights();
    const std::span<const double> readout = all.subspan(r0);
    const std::span<double> g_readout = grad_trainable.subspan(r0);
    if (output_) {
        output_->backward(readout, w.expectations, w.scores, w.dscores,
                          std::span<double>(w.dz).first(output_->num_outputs()), g_readout, w.dexpectations);
    } else {
        const std::size_t m = quantum_.num_outputs();
        for (std::size_t j = 0; j < m; ++j) {
            g_readout[j] = w.dscores[j] * w.expectations[j];
            g_readout[m + j] = w.dscores[j];
            w.dexpectations[j] = w.dscores[j] * readout[j];
        }
    }
    const bool need_angles = input_ || !grad_inputs.empty();
    const std::span<double> dangles = input_ ? std::span<double>(w.dangles) : grad_inputs;
    quantum_.backward(w.quantum, input_ ? std::span<const double>(w.angles) : x, w.dexpectations,
                      grad_trainable.subspan(q0, quantum_.num_weights()), need_angles ? dangles : std::span<double>{});
    if (input_)
        input_->backward(all.subspan(0, q0), x, w.angles, w.dangles,
                         std::span<double>(w.dz).first(input_->num_outputs()), grad_trainable.subspan(0, q0),
                         grad_inputs);
    return value;
}

bool HybridModel::batched() const noexcept {
    return quantum_.gradient_method() == GradientMethod::adjoint && quantum_.circuit().num_qubits() <= kMaxBatchedQubits;
}

/// Runs samples first .. first + count - 1 of xs through the input layer (per sample) and the
/// quantum layer (one per lane); returns the number of lanes used.
std::size_t HybridModel::forward_group(Work& w, std::span<const double> xs, std::size_t first, std::size_t count,
                                       const char* where) const {
    using qml_detail::kLanes;
    const std::span<const double> all(trainable_);
    if (!w.batch) {
        w.batch = std::make_unique<qml_detail::BatchedFeatures>(quantum_.circuit(), quantum_.features(),
                                                                quantum_.observables());
        w.lane_angles.assign(kLanes * quantum_.num_inputs(), 0.0);
        w.g_input.assign(input_size(), 0.0);
        w.g_output.assign(output_ ? output_->num_parameters() : 0, 0.0);
    }
    w.batch->bind_weights(quantum_.weight_parameters(), all.subspan(input_size(), quantum_.num_weights()));
    const std::size_t lanes = std::min<std::size_t>(kLanes, count - first), f = num_features();
    if (!input_) {
        w.batch->forward(xs, first, lanes, where);
        return lanes;
    }
    const std::size_t qin = quantum_.num_inputs();
    for (std::size_t l = 0; l < lanes; ++l)
        input_->forward(all.subspan(0, input_size()), xs.subspan((first + l) * f, f),
                        std::span<double>(w.lane_angles).subspan(l * qin, qin));
    w.batch->forward(w.lane_angles, 0, lanes, where);
    return lanes;
}

double HybridModel::loss_and_gradient_batch(Model::Workspace& ws, std::span<const double> xs,
                                            std::span<const std::size_t> labels, const Loss& loss,
                                            std::span<double> grad_sum, std::span<double> grad_inputs) const {
    const char* where = "HybridModel::loss_and_gradient_batch";
    auto* wp = dynamic_cast<Work*>(&ws);
    if (!batched() || wp == nullptr || wp->owner != this)
        return Model::loss_and_gradient_batch(ws, xs, labels, loss, grad_sum, grad_inputs);
    const std::size_t f = num_features(), count = labels.size();
    if (xs.size() != count * f || grad_sum.size() != trainable_.size() ||
        (!grad_inputs.empty() && grad_inputs.size() != count * f))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} features, {} gradient slots and {} input-gradient slots for {} samples; need "
                                "{}, {} and 0 or {}", where, xs.size(), grad_sum.size(), grad_inputs.size(), count,
                                count * f, trainable_.size(), count * f));
    Work& w = *wp;
    std::fill(grad_sum.begin(), grad_sum.end(), 0.0);
    const std::span<const double> all(trainable_);
    const std::size_t q0 = input_size(), r0 = q0 + quantum_.num_weights(), m = quantum_.num_outputs();
    const std::size_t qin = quantum_.num_inputs();
    const std::span<const double> readout = all.subspan(r0);
    double total = 0;
    for (std::size_t first = 0; first < count; first += qml_detail::kLanes) {
        const std::size_t lanes = forward_group(w, xs, first, count, where);
        qml_detail::BatchedFeatures& b = *w.batch;
        for (unsigned l = 0; l < qml_detail::kLanes; ++l) {
            if (l >= lanes) {  // padding: no adjoint state, no gradient
                for (std::size_t j = 0; j < m; ++j) b.cotangent(j, l) = 0.0;
                continue;
            }
            for (std::size_t j = 0; j < m; ++j) w.expectations[j] = b.value(j, l);
            if (output_) {
                output_->forward(readout, w.expectations, w.scores);
            } else {
                for (std::size_t j = 0; j < m; ++j) w.scores[j] = readout[j] * w.expectations[j] + readout[m + j];
            }
            total += loss.evaluate(w.scores, labels[first + l], w.dscores);
            if (output_) {
                output_->backward(readout, w.expectations, w.scores, w.dscores,
                                  std::span<double>(w.dz).first(output_->num_outputs()), w.g_output, w.dexpectations);
                for (std::size_t k = 0; k < w.g_output.size(); ++k) grad_sum[r0 + k] += w.g_output[k];
            } else {
                for (std::size_t j = 0; j < m; ++j) {
                    grad_sum[r0 + j] += w.dscores[j] * w.expectations[j];
                    grad_sum[r0 + m + j] += w.dscores[j];
                    w.dexpectations[j] = w.dscores[j] * readout[j];
                }
            }
            for (std::size_t j = 0; j < m; ++j) b.cotangent(j, l) = w.dexpectations[j];
        }
        b.backward();
        const std::vector<Parameter>& weights = quantum_.weight_parameters();
        for (unsigned l = 0; l < lanes; ++l) {
            for (std::size_t i = 0; i < weights.size(); ++i) grad_sum[q0 + i] += b.gradient(weights[i], l);
            const std::size_t i = first + l;
            const std::span<const double> x = xs.subspan(i * f, f);
            const std::span<double> gx = grad_inputs.empty() ? std::span<double>() : grad_inputs.subspan(i * f, f);
            if (!input_) {
                if (!gx.empty()) b.input_gradients(x, l, gx);
                continue;
            }
            const std::span<const double> angles = std::span<const double>(w.lane_angles).subspan(l * qin, qin);
            b.input_gradients(angles, l, w.dangles);
            input_->backward(all.subspan(0, q0), x, angles, w.dangles,
                             std::span<double>(w.dz).first(input_->num_outputs()), w.g_input, gx);
            for (std::size_t k = 0; k < q0; ++k) grad_sum[k] += w.g_input[k];
        }
    }
    return total;
}

void HybridModel::scores_batch(Model::Workspace& ws, std::span<const double> xs, std::span<double> out) const {
    const char* where = "HybridModel::scores_batch";
    auto* wp = dynamic_cast<Work*>(&ws);
    const std::size_t f = num_features(), s = num_scores(), count = xs.size() / f;
    if (!batched() || wp == nullptr || wp->owner != this || xs.size() != count * f || out.size() != count * s)
        return Model::scores_batch(ws, xs, out);
    Work& w = *wp;
    const std::size_t m = quantum_.num_outputs();
    const std::span<const double> readout = std::span<const double>(trainable_).subspan(input_size() +
                                                                                        quantum_.num_weights());
    for (std::size_t first = 0; first < count; first += qml_detail::kLanes) {
        const std::size_t lanes = forward_group(w, xs, first, count, where);
        for (unsigned l = 0; l < lanes; ++l) {
            for (std::size_t j = 0; j < m; ++j) w.expectations[j] = w.batch->value(j, l);
            const std::span<double> o = out.subspan((first + l) * s, s);
            if (output_) {
                output_->forward(readout, w.expectations, o);
            } else {
                for (std::size_t j = 0; j < m; ++j) o[j] = readout[j] * w.expectations[j] + readout[m + j];
            }
        }
    }
}

}  // namespace kettle
