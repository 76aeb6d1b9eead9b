#include <fmt/format.h>

#include "kettle/error.hpp"
#include "kettle/hybrid.hpp"

namespace kettle {

QuantumLayer::QuantumLayer(Circuit circuit, std::vector<Parameter> inputs, std::vector<Parameter> weights,
                           std::vector<PauliSum> observables)
    : circuit_(std::make_shared<const Circuit>(std::move(circuit))), inputs_(std::move(inputs)),
      weights_(std::move(weights)), observables_(std::move(observables)) {
    const char* where = "QuantumLayer";
    check_differentiable(*circuit_, where);
    if (observables_.empty()) throw Error(ErrorCode::invalid_input, fmt::format("{}: needs at least 1 observable", where));
    if (inputs_.empty()) throw Error(ErrorCode::invalid_input, fmt::format("{}: needs at least 1 input", where));
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
    Buffers probe(*this);  // validates the observables against the circuit's qubits
}

QuantumLayer::Buffers::Buffers(const QuantumLayer& layer)
    : circuit_(layer.circuit_), diff_(*circuit_, layer.observables_), bound_(circuit_->num_parameters()),
      gradient_(circuit_->num_parameters()) {}

void QuantumLayer::forward(Buffers& b, std::span<const double> weights, std::span<const double> x,
                           std::span<double> out) const {
    for (std::size_t f = 0; f < inputs_.size(); ++f) b.bound_[inputs_[f].index()] = x[f];
    for (std::size_t i = 0; i < weights_.size(); ++i) b.bound_[weights_[i].index()] = weights[i];
    b.diff_.forward(b.bound_, out);
}

void QuantumLayer::backward(Buffers& b, std::span<const double> cotangent, std::span<double> dweights,
                            std::span<double> dinputs) const {
    if (method_ == GradientMethod::adjoint) {
        b.diff_.backward(cotangent, b.gradient_);
    } else {
        const Jacobian j = parameter_shift_jacobian<double>(*circuit_, observables_, b.bound_);
        for (std::size_t k = 0; k < j.num_parameters; ++k) {
            double sum = 0;
            for (std::size_t m = 0; m < j.num_observables; ++m) sum += cotangent[m] * j(m, k);
            b.gradient_[k] = sum;
        }
    }
    for (std::size_t i = 0; i < weights_.size(); ++i) dweights[i] = b.gradient_[weights_[i].index()];
    for (std::size_t f = 0; f < dinputs.size(); ++f) dinputs[f] = b.gradient_[inputs_[f].index()];
}

}  // namespace kettle
