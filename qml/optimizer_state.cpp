// Saving and restoring the state of the optimizers, for checkpoints.

#include <fmt/format.h>
#include <sstream>

#include "kettle/error.hpp"
#include "kettle/optimizer.hpp"

namespace kettle {
namespace {

/// Checks the parts common to every optimizer; the caller restores only after every check.
void check_state(const OptimizerState& s, const Optimizer& o,
                 const std::vector<std::pair<std::string, double>>& settings, std::size_t buffers) {
    const std::string where = fmt::format("{}::restore", o.name());
    if (s.name != o.name())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the state is of optimizer `{}`, not `{}`", where, s.name, o.name()));
    if (s.settings != settings)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the state was saved with other settings than this optimizer's", where));
    if (s.buffers.size() != buffers)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the state has {} buffers, expected {}", where, s.buffers.size(), buffers));
    for (std::size_t i = 1; i < s.buffers.size(); ++i)
        if (s.buffers[i].second.size() != s.buffers[0].second.size())
            throw Error(ErrorCode::invalid_input, fmt::format("{}: the state's buffers differ in length", where));
}

}  // namespace

OptimizerState Sgd::state() const {
    return {name(), learning_rate(), 0, {{"momentum", momentum_}}, {{"velocity", velocity_}}, {}};
}

void Sgd::restore(const OptimizerState& s) {
    check_state(s, *this, {{"momentum", momentum_}}, 1);
    set_learning_rate(s.learning_rate);
    velocity_ = s.buffers[0].second;
}

OptimizerState Adam::state() const {
    return {name(), learning_rate(), t_, {{"beta1", beta1_}, {"beta2", beta2_}, {"epsilon", epsilon_}},
            {{"m", m_}, {"v", v_}}, {}};
}

void Adam::restore(const OptimizerState& s) {
    check_state(s, *this, {{"beta1", beta1_}, {"beta2", beta2_}, {"epsilon", epsilon_}}, 2);
    set_learning_rate(s.learning_rate);
    t_ = s.steps;
    m_ = s.buffers[0].second;
    v_ = s.buffers[1].second;
}

OptimizerState Spsa::state() const {
    std::ostringstream rng;
    rng << rng_;
    return {name(),
            learning_rate(),
            k_,
            {{"perturbation", c_}, {"alpha", alpha_}, {"gamma", gamma_}, {"stability", stability_},
             {"seed", double(seed_)}},
            {},
            rng.str()};
}

void Spsa::restore(const OptimizerState& s) {
    check_state(s, *this,
                {{"perturbation", c_}, {"alpha", alpha_}, {"gamma", gamma_}, {"stability", stability_},
                 {"seed", double(seed_)}},
                0);
    std::mt19937_64 rng;
    std::istringstream text(s.rng);
    text >> rng;
    if (!text)
        throw Error(ErrorCode::invalid_input, "spsa::restore: the state's random generator text is malformed");
    set_learning_rate(s.learning_rate);
    k_ = s.steps;
    rng_ = rng;
}

}  // namespace kettle
