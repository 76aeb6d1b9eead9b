#include "batched_features.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle::qml_detail {
namespace {

std::vector<bool> per_sample_parameters(const Circuit& c, const FeatureBinding& f) {
    std::vector<bool> per_lane(c.num_parameters(), false);
    for (const Parameter& x : f.direct) per_lane[x.index()] = true;
    for (const ProductInput& x : f.products) per_lane[x.parameter.index()] = true;
    return per_lane;
}

}  // namespace

BatchedFeatures::BatchedFeatures(const Circuit& circuit, const FeatureBinding& features,
                                 const std::vector<PauliSum>& observables)
    : features_(&features), circuit_(circuit, per_sample_parameters(circuit, features), observables, !features.amplitude),
      shared_(circuit.num_parameters(), 0.0), lane_params_(circuit.num_parameters() * kLanes, 0.0),
      values_(observables.size() * kLanes, 0.0), cotangent_(observables.size() * kLanes, 0.0),
      grad_(circuit.num_parameters() * kLanes, 0.0), norm_(kLanes, 1.0) {
    if (features.amplitude) initial_.assign(circuit_.state_size(), 0.0);
}

void BatchedFeatures::bind_weights(std::span<const Parameter> weights, std::span<const double> values) {
    if (weights_bound_ && std::equal(values.begin(), values.end(), bound_weights_.begin(), bound_weights_.end())) return;
    bound_weights_.assign(values.begin(), values.end());
    for (std::size_t i = 0; i < weights.size(); ++i) shared_[weights[i].index()] = values[i];
    circuit_.bind_shared(shared_);
    weights_bound_ = true;
}

void BatchedFeatures::forward(std::span<const double> xs, std::size_t first, std::size_t count, const char* where) {
    const FeatureBinding& f = *features_;
    const std::size_t nf = f.num_features;
    if (f.amplitude) std::fill(initial_.begin(), initial_.end(), 0.0);
    for (unsigned l = 0; l < kLanes; ++l) {
        const std::size_t i = first + std::min<std::size_t>(l, count - 1);
        const std::span<const double> x = xs.subspan(i * nf, nf);
        if (l < count)
            for (std::size_t k = 0; k < nf; ++k)
                if (!std::isfinite(x[k]))
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("{}: feature {} of sample {} is {} (features must be finite numbers)", where,
                                            k, i, x[k]));
        for (std::size_t k = 0; k < f.direct.size(); ++k) lane_params_[f.direct[k].index() * kLanes + l] = x[k];
        for (const ProductInput& p : f.products)
            lane_params_[p.parameter.index() * kLanes + l] = (p.shift - x[p.i]) * (p.shift - x[p.j]);
        if (!f.amplitude) continue;
        double norm2 = 0;
        for (double v : x) norm2 += v * v;
        if (!(norm2 > 0) || !std::isfinite(norm2))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: amplitude encoding needs a finite, non-zero feature vector; sample {} has "
                                    "squared norm {}", where, i, norm2));
        norm_[l] = std::sqrt(norm2);
        for (std::size_t k = 0; k < nf; ++k) initial_[k * kAmpStride + l] = x[k] / norm_[l];
    }
    circuit_.forward(lane_params_.data(), f.amplitude ? initial_.data() : nullptr, values_.data());
}

void BatchedFeatures::backward() { circuit_.backward(cotangent_.data(), grad_.data()); }

void BatchedFeatures::input_gradients(std::span<const double> x, unsigned l, std::span<double> out) const {
    const FeatureBinding& f = *features_;
    std::fill(out.begin(), out.end(), 0.0);
    for (std::size_t k = 0; k < f.direct.size(); ++k) out[k] = gradient(f.direct[k], l);
    for (const ProductInput& p : f.products) {  // d/dx_i (s - x_i)(s - x_j) = -(s - x_j)
        const double g = gradient(p.parameter, l);
        out[p.i] -= g * (p.shift - x[p.j]);
        out[p.j] -= g * (p.shift - x[p.i]);
    }
    if (!f.amplitude) return;
    // a = x / |x|: da_i/dx_k = (delta_ik - a_i a_k) / |x|; the gradient by a_i is 2 Re lambda_i.
    const double* lambda = circuit_.adjoint_state();
    const double norm = norm_[l];
    double along = 0;
    for (std::size_t k = 0; k < x.size(); ++k) along += (x[k] / norm) * 2 * lambda[k * kAmpStride + l];
    for (std::size_t k = 0; k < x.size(); ++k) out[k] = (2 * lambda[k * kAmpStride + l] - (x[k] / norm) * along) / norm;
}

}  // namespace kettle::qml_detail
