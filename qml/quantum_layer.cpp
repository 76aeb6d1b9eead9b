#include <cmath>
#include <fmt/format.h>

#include "feature_binding.hpp"
#include "kettle/error.hpp"
#include "kettle/hybrid.hpp"

namespace kettle {

QuantumLayer::QuantumLayer(Circuit circuit, FeatureBinding features, std::vector<Parameter> weights,
                           std::vector<PauliSum> observables)
    : circuit_(std::make_shared<const Circuit>(std::move(circuit))), features_(std::move(features)),
      weights_(std::move(weights)), observables_(std::move(observables)) {
    const char* where = "QuantumLayer";
    check_differentiable(*circuit_, where);
    const FeatureBinding& f = features_;
    if (observables_.empty()) throw Error(ErrorCode::invalid_input, fmt::format("{}: needs at least 1 observable", where));
    if (f.num_features == 0) throw Error(ErrorCode::invalid_input, fmt::format("{}: needs at least 1 input", where));
    detail::check_feature_binding(*circuit_, f, weights_, where);
    Buffers probe(*this);  // validates the observables against the circuit's qubits
}

QuantumLayer::QuantumLayer(Circuit circuit, std::vector<Parameter> inputs, std::vector<Parameter> weights,
                           std::vector<PauliSum> observables)
    : QuantumLayer(std::move(circuit), FeatureBinding{inputs.size(), inputs, {}, false}, std::move(weights),
                   std::move(observables)) {}

QuantumLayer::Buffers::Buffers(const QuantumLayer& layer)
    : circuit_(layer.circuit_), diff_(*circuit_, layer.observables_), bound_(circuit_->num_parameters()),
      gradient_(circuit_->num_parameters()) {
    if (layer.features_.amplitude) {
        initial_.resize(std::size_t{1} << circuit_->num_qubits());
        initial_grad_.resize(initial_.size());
    }
}

void QuantumLayer::forward(Buffers& b, std::span<const double> weights, std::span<const double> x,
                           std::span<double> out) const {
    const FeatureBinding& f = features_;
    for (std::size_t k = 0; k < f.direct.size(); ++k) b.bound_[f.direct[k].index()] = x[k];
    for (const ProductInput& q : f.products) b.bound_[q.parameter.index()] = (q.shift - x[q.i]) * (q.shift - x[q.j]);
    for (std::size_t i = 0; i < weights_.size(); ++i) b.bound_[weights_[i].index()] = weights[i];
    if (!f.amplitude) {
        b.diff_.forward(b.bound_, out);
        return;
    }
    double norm2 = 0;
    for (double v : x) norm2 += v * v;
    if (!(norm2 > 0) || !std::isfinite(norm2))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("QuantumLayer: amplitude encoding needs a finite, non-zero feature vector; its "
                                "squared norm is {}", norm2));
    b.norm_ = std::sqrt(norm2);
    std::fill(b.initial_.begin(), b.initial_.end(), 0.0);
    for (std::size_t k = 0; k < x.size(); ++k) b.initial_[k] = x[k] / b.norm_;
    b.diff_.forward(b.bound_, out, b.initial_);
}

void QuantumLayer::backward(Buffers& b, std::span<const double> x, std::span<const double> cotangent,
                            std::span<double> dweights, std::span<double> dinputs) const {
    const FeatureBinding& f = features_;
    const bool amplitude_grad = f.amplitude && !dinputs.empty();
    if (method_ == GradientMethod::adjoint || amplitude_grad) {
        b.diff_.backward(cotangent, b.gradient_,
                         amplitude_grad ? std::span<std::complex<double>>(b.initial_grad_)
                                        : std::span<std::complex<double>>());
    } else {
        const Jacobian j = parameter_shift_jacobian<double>(*circuit_, observables_, b.bound_);
        for (std::size_t k = 0; k < j.num_parameters; ++k) {
            double sum = 0;
            for (std::size_t m = 0; m < j.num_observables; ++m) sum += cotangent[m] * j(m, k);
            b.gradient_[k] = sum;
        }
    }
    for (std::size_t i = 0; i < weights_.size(); ++i) dweights[i] = b.gradient_[weights_[i].index()];
    if (dinputs.empty()) return;
    std::fill(dinputs.begin(), dinputs.end(), 0.0);
    for (std::size_t k = 0; k < f.direct.size(); ++k) dinputs[k] = b.gradient_[f.direct[k].index()];
    for (const ProductInput& q : f.products) {  // d/dx_i (s - x_i)(s - x_j) = -(s - x_j)
        const double g = b.gradient_[q.parameter.index()];
        dinputs[q.i] -= g * (q.shift - x[q.j]);
        dinputs[q.j] -= g * (q.shift - x[q.i]);
    }
    if (f.amplitude) {  // a = x / |x|: da_i/dx_k = (delta_ik - a_i a_k) / |x|; amplitudes are real
        double along = 0;
        for (std::size_t k = 0; k < x.size(); ++k) along += b.initial_[k].real() * b.initial_grad_[k].real();
        for (std::size_t k = 0; k < x.size(); ++k)
            dinputs[k] = (b.initial_grad_[k].real() - b.initial_[k].real() * along) / b.norm_;
    }
}

}  // namespace kettle
