#include <cassert>
#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "kettle/error.hpp"
#include "kettle/hybrid.hpp"

namespace kettle {

Activation parse_activation(const std::string& name) {
    if (name == "none") return Activation::none;
    if (name == "pi_tanh") return Activation::pi_tanh;
    throw Error(ErrorCode::invalid_input, fmt::format("activation `{}` is unknown (valid: none, pi_tanh)", name));
}

std::string activation_name(Activation a) { return a == Activation::none ? "none" : "pi_tanh"; }

DenseLayer::DenseLayer(std::size_t inputs, std::size_t outputs, Activation activation, double gain)
    : inputs_(inputs), outputs_(outputs), activation_(activation),
      gain_(gain == 0 && inputs > 0 ? 1.0 / std::sqrt(double(inputs)) : gain) {
    if (inputs == 0 || outputs == 0)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("DenseLayer: {} inputs and {} outputs; both must be at least 1", inputs, outputs));
    if (!(gain_ > 0) || !std::isfinite(gain_))
        throw Error(ErrorCode::invalid_input, fmt::format("DenseLayer: gain {} is not a finite number > 0", gain));
}

void DenseLayer::forward(std::span<const double> params, std::span<const double> x, std::span<double> y) const {
    assert(params.size() == num_parameters() && x.size() == inputs_ && y.size() == outputs_);
    const double* bias = params.data() + outputs_ * inputs_;
    for (std::size_t o = 0; o < outputs_; ++o) {
        const double* row = params.data() + o * inputs_;
        double z = 0;
        for (std::size_t i = 0; i < inputs_; ++i) z += row[i] * x[i];
        z = z * gain_ + bias[o];
        y[o] = activation_ == Activation::pi_tanh ? std::numbers::pi * std::tanh(z) : z;
    }
}

void DenseLayer::backward(std::span<const double> params, std::span<const double> x, std::span<const double> y,
                          std::span<const double> dy, std::span<double> dz, std::span<double> dparams,
                          std::span<double> dx) const {
    assert(dz.size() == outputs_ && dparams.size() == num_parameters());
    for (std::size_t o = 0; o < outputs_; ++o) {
        // d/dz π tanh(z) = π (1 - tanh²z), with tanh z = y / π from the forward pass.
        const double t = y[o] / std::numbers::pi;
        dz[o] = activation_ == Activation::pi_tanh ? dy[o] * std::numbers::pi * (1 - t * t) : dy[o];
    }
    for (std::size_t o = 0; o < outputs_; ++o) {
        for (std::size_t i = 0; i < inputs_; ++i) dparams[o * inputs_ + i] = dz[o] * gain_ * x[i];
        dparams[outputs_ * inputs_ + o] = dz[o];
    }
    if (dx.empty()) return;
    for (std::size_t i = 0; i < inputs_; ++i) {
        double sum = 0;
        for (std::size_t o = 0; o < outputs_; ++o) sum += params[o * inputs_ + i] * dz[o];
        dx[i] = sum * gain_;
    }
}

void DenseLayer::initialize(std::span<double> params, std::mt19937_64& rng) const {
    // Unit variance: with the 1/sqrt(inputs) gain, z has the variance of one input.
    const double limit = std::sqrt(3.0);
    std::uniform_real_distribution<double> u(-limit, limit);
    for (std::size_t k = 0; k < outputs_ * inputs_; ++k) params[k] = u(rng);
    for (std::size_t o = 0; o < outputs_; ++o) params[outputs_ * inputs_ + o] = 0.0;
}

}  // namespace kettle
