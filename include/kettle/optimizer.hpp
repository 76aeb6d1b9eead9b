#pragma once
// Optimizers: update a weight vector from the loss (and its gradient) of an objective.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace kettle {

/// What an optimizer may evaluate at given weights. Gradient methods call loss_and_gradient
/// (which writes d loss / d weights into its second argument); SPSA calls loss only.
struct Objective {
    std::function<double(std::span<const double> weights)> loss;
    std::function<double(std::span<const double> weights, std::span<double> gradient)> loss_and_gradient;
};

/// Everything an optimizer carries between steps, for checkpoints: restoring it into an
/// optimizer made with the same settings continues exactly where the saved one was.
struct OptimizerState {
    std::string name;                                                  ///< Optimizer::name()
    double learning_rate = 0;
    std::uint64_t steps = 0;                                           ///< Adam's t, SPSA's k
    std::vector<std::pair<std::string, double>> settings;              ///< fixed hyperparameters
    std::vector<std::pair<std::string, std::vector<double>>> buffers;  ///< momentum, moments
    std::string rng;                                                   ///< a generator's text form
};

/// An iterative optimizer with internal state (moments, step count). Not thread-safe.
class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// Updates `weights` in place, once. Returns the loss it evaluated: at the weights before
    /// the step (gradient methods) or the mean of the two perturbed losses (SPSA). The weight
    /// count must stay the same between steps until reset(). Throws Error(invalid_input) when
    /// the objective lacks the function the optimizer needs or the size changed.
    virtual double step(std::span<double> weights, const Objective& objective) = 0;
    /// Forgets the state (moments, step count), as if newly made.
    virtual void reset() = 0;
    [[nodiscard]] virtual bool needs_gradient() const noexcept { return true; }
    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] double learning_rate() const noexcept { return learning_rate_; }
    /// Learning-rate schedules set this between steps. Throws Error(invalid_input) unless > 0.
    void set_learning_rate(double lr);
    /// The state after the steps so far. Cost: copies the buffers.
    [[nodiscard]] virtual OptimizerState state() const = 0;
    /// Continues from a saved state. Throws Error(invalid_input), changing nothing, when the
    /// state is of another optimizer, its settings differ from this one's, or it is malformed.
    virtual void restore(const OptimizerState& state) = 0;

protected:
    explicit Optimizer(double lr) { set_learning_rate(lr); }
    /// Calls loss_and_gradient into gradient_ (resized to weights), checking the size is stable.
    double gradient_at(std::span<const double> weights, const Objective& objective);
    std::vector<double> gradient_;

private:
    double learning_rate_ = 0;
};

/// Stochastic gradient descent with (heavy-ball) momentum, as PyTorch: v = μ v + g, w -= lr v.
class Sgd final : public Optimizer {
public:
    explicit Sgd(double lr = 0.1, double momentum = 0.0);
    double step(std::span<double> weights, const Objective& objective) override;
    void reset() override { velocity_.clear(); }
    [[nodiscard]] std::string name() const override { return "sgd"; }
    [[nodiscard]] OptimizerState state() const override;
    void restore(const OptimizerState& state) override;

private:
    double momentum_;
    std::vector<double> velocity_;
};

/// Adam (Kingma & Ba 2015) with bias correction: m = β1 m + (1-β1) g, v = β2 v + (1-β2) g²,
/// w -= lr m̂ / (sqrt(v̂) + ε).
class Adam final : public Optimizer {
public:
    explicit Adam(double lr = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8);
    double step(std::span<double> weights, const Objective& objective) override;
    void reset() override;
    [[nodiscard]] std::string name() const override { return "adam"; }
    [[nodiscard]] OptimizerState state() const override;
    void restore(const OptimizerState& state) override;

private:
    double beta1_, beta2_, epsilon_;
    std::size_t t_ = 0;
    std::vector<double> m_, v_;
};

/// Simultaneous perturbation stochastic approximation (Spall 1998): two loss evaluations per
/// step whatever the weight count. Step k (from 0): c_k = c / (k+1)^γ, a_k = lr / (k+1+A)^α,
/// Δ a seeded random ±1 vector, g = [f(w + c_k Δ) - f(w - c_k Δ)] / (2 c_k) Δ, w -= a_k g.
/// The same seed gives the same steps.
class Spsa final : public Optimizer {
public:
    explicit Spsa(double lr = 0.1, double perturbation = 0.1, std::uint64_t seed = 0, double alpha = 0.602,
                  double gamma = 0.101, double stability = 0.0);
    double step(std::span<double> weights, const Objective& objective) override;
    void reset() override;
    [[nodiscard]] bool needs_gradient() const noexcept override { return false; }
    [[nodiscard]] std::string name() const override { return "spsa"; }
    [[nodiscard]] OptimizerState state() const override;
    void restore(const OptimizerState& state) override;

private:
    double c_, alpha_, gamma_, stability_;
    std::uint64_t seed_;
    std::size_t k_ = 0;
    std::mt19937_64 rng_;
    std::vector<double> delta_, probe_;
};

/// `sgd` (momentum 0.9), `adam` or `spsa` with learning rate lr and seed (SPSA only); throws
/// Error(invalid_input) listing the names otherwise.
[[nodiscard]] std::unique_ptr<Optimizer> make_optimizer(const std::string& name, double lr, std::uint64_t seed = 0);

}  // namespace kettle
