// VariationalClassifier's batch members: groups of kLanes samples through one BatchedCircuit.

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "batched_features.hpp"
#include "classifier_workspace.hpp"
#include "kettle/classifier.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

using qml_detail::kLanes;

}  // namespace

/// The workspace's batched circuit, made on first use, bound to the current weights.
qml_detail::BatchedFeatures& VariationalClassifier::batch(Workspace& ws) const {
    if (!ws.batch_) ws.batch_ = std::make_unique<qml_detail::BatchedFeatures>(*circuit_, features_, observables_);
    ws.batch_->bind_weights(weights_, std::span<const double>(trainable_).first(weights_.size()));
    return *ws.batch_;
}

double VariationalClassifier::loss_and_gradient_batch(Model::Workspace& base, std::span<const double> xs,
                                                      std::span<const std::size_t> labels, const Loss& loss,
                                                      std::span<double> grad_sum, std::span<double> grad_inputs) const {
    const char* where = "VariationalClassifier::loss_and_gradient_batch";
    if (circuit_->num_qubits() > kMaxBatchedQubits)
        return Model::loss_and_gradient_batch(base, xs, labels, loss, grad_sum, grad_inputs);
    Workspace& ws = qml_detail::classifier_workspace(base, where);
    const std::size_t nf = features_.num_features, count = labels.size();
    if (xs.size() != count * nf || grad_sum.size() != trainable_.size() ||
        (!grad_inputs.empty() && grad_inputs.size() != count * nf))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} features, {} gradient slots and {} input-gradient slots for {} samples; need "
                                "{}, {} and 0 or {}", where, xs.size(), grad_sum.size(), grad_inputs.size(), count,
                                count * nf, trainable_.size(), count * nf));
    std::fill(grad_sum.begin(), grad_sum.end(), 0.0);
    if (count == 0) return 0.0;
    qml_detail::BatchedFeatures& b = batch(ws);
    const std::size_t w = weights_.size(), m = observables_.size();
    double total = 0;
    for (std::size_t first = 0; first < count; first += kLanes) {
        const std::size_t lanes = std::min<std::size_t>(kLanes, count - first);
        b.forward(xs, first, lanes, where);
        for (unsigned l = 0; l < kLanes; ++l) {
            if (l >= lanes) {  // padding: no adjoint state, no gradient
                for (std::size_t j = 0; j < m; ++j) b.cotangent(j, l) = 0.0;
                continue;
            }
            for (std::size_t j = 0; j < m; ++j) ws.scores_[j] = trainable_[w + j] * b.value(j, l) + trainable_[w + m + j];
            total += loss.evaluate(ws.scores_, labels[first + l], ws.score_grad_);
            for (std::size_t j = 0; j < m; ++j) {
                grad_sum[w + j] += ws.score_grad_[j] * b.value(j, l);
                grad_sum[w + m + j] += ws.score_grad_[j];
                b.cotangent(j, l) = ws.score_grad_[j] * trainable_[w + j];
            }
        }
        b.backward();
        for (unsigned l = 0; l < lanes; ++l) {
            for (std::size_t i = 0; i < w; ++i) grad_sum[i] += b.gradient(weights_[i], l);
            if (!grad_inputs.empty())
                b.input_gradients(xs.subspan((first + l) * nf, nf), l, grad_inputs.subspan((first + l) * nf, nf));
        }
    }
    return total;
}

void VariationalClassifier::scores_batch(Model::Workspace& base, std::span<const double> xs,
                                         std::span<double> out) const {
    const char* where = "VariationalClassifier::scores_batch";
    if (circuit_->num_qubits() > kMaxBatchedQubits) return Model::scores_batch(base, xs, out);
    Workspace& ws = qml_detail::classifier_workspace(base, where);
    const std::size_t nf = features_.num_features, m = observables_.size();
    const std::size_t count = nf == 0 ? 0 : xs.size() / nf;
    if (nf == 0 || xs.size() != count * nf || out.size() != count * m)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} features and {} score slots; need a multiple of {} features and {} scores per "
                                "sample", where, xs.size(), out.size(), nf, m));
    if (count == 0) return;
    qml_detail::BatchedFeatures& b = batch(ws);
    const std::size_t w = weights_.size();
    for (std::size_t first = 0; first < count; first += kLanes) {
        const std::size_t lanes = std::min<std::size_t>(kLanes, count - first);
        b.forward(xs, first, lanes, where);
        for (unsigned l = 0; l < lanes; ++l)
            for (std::size_t j = 0; j < m; ++j)
                out[(first + l) * m + j] = trainable_[w + j] * b.value(j, l) + trainable_[w + m + j];
    }
}

}  // namespace kettle
