// VariationalClassifier's batch members: groups of kLanes samples through one BatchedCircuit.

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "batched_circuit.hpp"
#include "kettle/classifier.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

using qml_detail::kAmpStride;
using qml_detail::kLanes;

VariationalClassifier::Workspace& own(Model::Workspace& ws, const char* where) {
    auto* mine = dynamic_cast<VariationalClassifier::Workspace*>(&ws);
    if (mine == nullptr)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the workspace was made by another kind of model", where));
    return *mine;
}

}  // namespace

/// Makes the workspace's batched circuit on first use and rebinds its weight matrices when the
/// weights differ from those it was bound to.
void VariationalClassifier::bind_weights(Workspace& ws) const {
    const std::size_t w = weights_.size(), p = circuit_->num_parameters(), m = observables_.size();
    if (!ws.batch_) {
        std::vector<bool> per_lane(p, false);
        for (const Parameter& x : features_.direct) per_lane[x.index()] = true;
        for (const ProductInput& x : features_.products) per_lane[x.parameter.index()] = true;
        ws.batch_ = std::make_unique<qml_detail::BatchedCircuit>(*circuit_, per_lane, observables_, !features_.amplitude);
        ws.lane_params_.assign(p * kLanes, 0.0);
        ws.lane_grad_.assign(p * kLanes, 0.0);
        ws.lane_values_.assign(m * kLanes, 0.0);
        ws.lane_cotangent_.assign(m * kLanes, 0.0);
        ws.lane_norm_.assign(kLanes, 1.0);
        if (features_.amplitude) ws.lane_initial_.assign(ws.batch_->state_size(), 0.0);
        ws.weights_bound_ = false;
    }
    if (ws.weights_bound_ && std::equal(ws.bound_weights_.begin(), ws.bound_weights_.end(), trainable_.begin()))
        return;
    ws.bound_weights_.assign(trainable_.begin(), trainable_.begin() + std::ptrdiff_t(w));
    std::fill(ws.bound_.begin(), ws.bound_.end(), 0.0);
    for (std::size_t i = 0; i < w; ++i) ws.bound_[weights_[i].index()] = trainable_[i];
    ws.batch_->bind_shared(ws.bound_);
    ws.weights_bound_ = true;
}

/// Lane l takes sample first + l of xs; lanes past `count` repeat the last sample.
void VariationalClassifier::bind_lanes(Workspace& ws, std::span<const double> xs, std::size_t first,
                                       std::size_t count, const char* where) const {
    const FeatureBinding& f = features_;
    const std::size_t nf = f.num_features;
    if (f.amplitude) std::fill(ws.lane_initial_.begin(), ws.lane_initial_.end(), 0.0);
    for (unsigned l = 0; l < kLanes; ++l) {
        const std::size_t i = first + std::min<std::size_t>(l, count - 1);
        const std::span<const double> x = xs.subspan(i * nf, nf);
        if (l < count)
            for (std::size_t k = 0; k < nf; ++k)
                if (!std::isfinite(x[k]))
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("{}: feature {} of sample {} is {} (features must be finite numbers)", where,
                                            k, i, x[k]));
        for (std::size_t k = 0; k < f.direct.size(); ++k) ws.lane_params_[f.direct[k].index() * kLanes + l] = x[k];
        for (const ProductInput& p : f.products)
            ws.lane_params_[p.parameter.index() * kLanes + l] = (p.shift - x[p.i]) * (p.shift - x[p.j]);
        if (!f.amplitude) continue;
        double norm2 = 0;
        for (double v : x) norm2 += v * v;
        if (!(norm2 > 0) || !std::isfinite(norm2))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: amplitude encoding needs a finite, non-zero feature vector; sample {} has "
                                    "squared norm {}", where, i, norm2));
        ws.lane_norm_[l] = std::sqrt(norm2);
        for (std::size_t k = 0; k < nf; ++k) ws.lane_initial_[k * kAmpStride + l] = x[k] / ws.lane_norm_[l];
    }
    ws.batch_->forward(ws.lane_params_.data(), f.amplitude ? ws.lane_initial_.data() : nullptr, ws.lane_values_.data());
}

/// d loss / d x of the sample in `lane` after a batched backward, as loss_and_gradient chains it.
void VariationalClassifier::input_gradients(Workspace& ws, std::span<const double> x, unsigned lane,
                                            std::span<double> out) const {
    const FeatureBinding& f = features_;
    auto grad = [&](const Parameter& p) { return ws.lane_grad_[p.index() * kLanes + lane]; };
    std::fill(out.begin(), out.end(), 0.0);
    for (std::size_t k = 0; k < f.direct.size(); ++k) out[k] = grad(f.direct[k]);
    for (const ProductInput& p : f.products) {  // d/dx_i (s - x_i)(s - x_j) = -(s - x_j)
        const double g = grad(p.parameter);
        out[p.i] -= g * (p.shift - x[p.j]);
        out[p.j] -= g * (p.shift - x[p.i]);
    }
    if (!f.amplitude) return;
    // a = x / |x|: da_i/dx_k = (delta_ik - a_i a_k) / |x|; the gradient by a_i is 2 Re lambda_i.
    const double* lambda = ws.batch_->adjoint_state();
    const double norm = ws.lane_norm_[lane];
    double along = 0;
    for (std::size_t k = 0; k < x.size(); ++k) along += (x[k] / norm) * 2 * lambda[k * kAmpStride + lane];
    for (std::size_t k = 0; k < x.size(); ++k)
        out[k] = (2 * lambda[k * kAmpStride + lane] - (x[k] / norm) * along) / norm;
}

double VariationalClassifier::loss_and_gradient_batch(Model::Workspace& base, std::span<const double> xs,
                                                      std::span<const std::size_t> labels, const Loss& loss,
                                                      std::span<double> grad_sum, std::span<double> grad_inputs) const {
    const char* where = "VariationalClassifier::loss_and_gradient_batch";
    if (circuit_->num_qubits() > kMaxBatchedQubits)
        return Model::loss_and_gradient_batch(base, xs, labels, loss, grad_sum, grad_inputs);
    Workspace& ws = own(base, where);
    const std::size_t nf = features_.num_features, count = labels.size();
    if (xs.size() != count * nf || grad_sum.size() != trainable_.size() ||
        (!grad_inputs.empty() && grad_inputs.size() != count * nf))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} features, {} gradient slots and {} input-gradient slots for {} samples; need "
                                "{}, {} and 0 or {}", where, xs.size(), grad_sum.size(), grad_inputs.size(), count,
                                count * nf, trainable_.size(), count * nf));
    std::fill(grad_sum.begin(), grad_sum.end(), 0.0);
    if (count == 0) return 0.0;
    bind_weights(ws);
    const std::size_t w = weights_.size(), m = observables_.size();
    double total = 0;
    for (std::size_t first = 0; first < count; first += kLanes) {
        const std::size_t lanes = std::min<std::size_t>(kLanes, count - first);
        bind_lanes(ws, xs, first, lanes, where);
        for (unsigned l = 0; l < kLanes; ++l) {
            if (l >= lanes) {  // padding: no adjoint state, no gradient
                for (std::size_t j = 0; j < m; ++j) ws.lane_cotangent_[j * kLanes + l] = 0.0;
                continue;
            }
            for (std::size_t j = 0; j < m; ++j)
                ws.scores_[j] = trainable_[w + j] * ws.lane_values_[j * kLanes + l] + trainable_[w + m + j];
            total += loss.evaluate(ws.scores_, labels[first + l], ws.score_grad_);
            for (std::size_t j = 0; j < m; ++j) {
                grad_sum[w + j] += ws.score_grad_[j] * ws.lane_values_[j * kLanes + l];
                grad_sum[w + m + j] += ws.score_grad_[j];
                ws.lane_cotangent_[j * kLanes + l] = ws.score_grad_[j] * trainable_[w + j];
            }
        }
        ws.batch_->backward(ws.lane_cotangent_.data(), ws.lane_grad_.data());
        for (unsigned l = 0; l < lanes; ++l) {
            for (std::size_t i = 0; i < w; ++i) grad_sum[i] += ws.lane_grad_[weights_[i].index() * kLanes + l];
            if (!grad_inputs.empty())
                input_gradients(ws, xs.subspan((first + l) * nf, nf), l, grad_inputs.subspan((first + l) * nf, nf));
        }
    }
    return total;
}

void VariationalClassifier::scores_batch(Model::Workspace& base, std::span<const double> xs,
                                         std::span<double> out) const {
    const char* where = "VariationalClassifier::scores_batch";
    if (circuit_->num_qubits() > kMaxBatchedQubits) return Model::scores_batch(base, xs, out);
    Workspace& ws = own(base, where);
    const std::size_t nf = features_.num_features, m = observables_.size();
    const std::size_t count = nf == 0 ? 0 : xs.size() / nf;
    if (nf == 0 || xs.size() != count * nf || out.size() != count * m)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} features and {} score slots; need a multiple of {} features and {} scores per "
                                "sample", where, xs.size(), out.size(), nf, m));
    if (count == 0) return;
    bind_weights(ws);
    const std::size_t w = weights_.size();
    for (std::size_t first = 0; first < count; first += kLanes) {
        const std::size_t lanes = std::min<std::size_t>(kLanes, count - first);
        bind_lanes(ws, xs, first, lanes, where);
        for (unsigned l = 0; l < lanes; ++l)
            for (std::size_t j = 0; j < m; ++j)
                out[(first + l) * m + j] = trainable_[w + j] * ws.lane_values_[j * kLanes + l] + trainable_[w + m + j];
    }
}

}  // namespace kettle
