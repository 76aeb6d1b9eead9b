#include "kettle/optimizer.hpp"

#include <cmath>
#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {

void Optimizer::set_learning_rate(double lr) {
    if (!(lr > 0) || !std::isfinite(lr))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Optimizer::set_learning_rate: learning rate {} is not a finite number > 0", lr));
    learning_rate_ = lr;
}

double Optimizer::gradient_at(std::span<const double> weights, const Objective& objective) {
    if (!objective.loss_and_gradient)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the objective has no loss_and_gradient, which this optimizer needs", name()));
    gradient_.assign(weights.size(), 0.0);
    return objective.loss_and_gradient(weights, gradient_);
}

namespace {

void check_size(std::vector<double>& state, std::size_t n, const std::string& who) {
    if (state.empty()) state.assign(n, 0.0);
    if (state.size() != n)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}::step: {} weights, but the optimizer was stepping {} (call reset() first)", who, n,
                                state.size()));
}

}  // namespace

Sgd::Sgd(double lr, double momentum) : Optimizer(lr), momentum_(momentum) {
    if (!(momentum >= 0 && momentum < 1))
        throw Error(ErrorCode::invalid_input, fmt::format("Sgd: momentum {} is outside [0, 1)", momentum));
}

double Sgd::step(std::span<double> w, const Objective& objective) {
    check_size(velocity_, w.size(), "Sgd");
    const double loss = gradient_at(w, objective);
    for (std::size_t i = 0; i < w.size(); ++i) {
        velocity_[i] = momentum_ * velocity_[i] + gradient_[i];
        w[i] -= learning_rate() * velocity_[i];
    }
    return loss;
}

Adam::Adam(double lr, double beta1, double beta2, double epsilon)
    : Optimizer(lr), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Adam: beta1 {} and beta2 {} must lie in [0, 1) and epsilon {} be > 0", beta1, beta2,
                                epsilon));
}

void Adam::reset() {
    t_ = 0;
    m_.clear();
    v_.clear();
}

double Adam::step(std::span<double> w, const Objective& objective) {
    check_size(m_, w.size(), "Adam");
    check_size(v_, w.size(), "Adam");
    const double loss = gradient_at(w, objective);
    ++t_;
    const double c1 = 1 - std::pow(beta1_, double(t_)), c2 = 1 - std::pow(beta2_, double(t_));
    for (std::size_t i = 0; i < w.size(); ++i) {
        const double g = gradient_[i];
        m_[i] = beta1_ * m_[i] + (1 - beta1_) * g;
        v_[i] = beta2_ * v_[i] + (1 - beta2_) * g * g;
        w[i] -= learning_rate() * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + epsilon_);
    }
    return loss;
}

Spsa::Spsa(double lr, double perturbation, std::uint64_t seed, double alpha, double gamma, double stability)
    : Optimizer(lr), c_(perturbation), alpha_(alpha), gamma_(gamma), stability_(stability), seed_(seed), rng_(seed) {
    if (!(perturbation > 0) || !(stability >= 0))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Spsa: perturbation {} must be > 0 and stability {} >= 0", perturbation, stability));
}

void Spsa::reset() {
    k_ = 0;
    rng_.seed(seed_);
}

double Spsa::step(std::span<double> w, const Objective& objective) {
    if (!objective.loss)
        throw Error(ErrorCode::invalid_input, "spsa: the objective has no loss function, which SPSA needs");
    const double k = double(k_++);
    const double ck = c_ / std::pow(k + 1, gamma_);
    const double ak = learning_rate() / std::pow(k + 1 + stability_, alpha_);
    delta_.resize(w.size());
    for (double& d : delta_) d = (rng_() >> 63) ? 1.0 : -1.0;
    probe_.assign(w.begin(), w.end());
    for (std::size_t i = 0; i < w.size(); ++i) probe_[i] = w[i] + ck * delta_[i];
    const double plus = objective.loss(probe_);
    for (std::size_t i = 0; i < w.size(); ++i) probe_[i] = w[i] - ck * delta_[i];
    const double minus = objective.loss(probe_);
    const double slope = (plus - minus) / (2 * ck);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] -= ak * slope * delta_[i];  // 1/Δ_i = Δ_i for ±1
    return (plus + minus) / 2;
}

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, double lr, std::uint64_t seed) {
    if (name == "sgd") return std::make_unique<Sgd>(lr, 0.9);
    if (name == "adam") return std::make_unique<Adam>(lr);
    if (name == "spsa") return std::make_unique<Spsa>(lr, 0.1, seed);
    throw Error(ErrorCode::invalid_input,
                fmt::format("make_optimizer: unknown optimizer `{}` (valid: sgd, adam, spsa)", name));
}

}  // namespace kettle
