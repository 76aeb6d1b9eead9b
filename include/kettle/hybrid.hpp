#pragma once
// Hybrid classical-quantum models: [dense] -> quantum layer -> [dense], trained end to end.
// The gradient flows through the quantum layer by the chain rule: the adjoint sweep gives the
// derivatives with respect to the circuit's input parameters as well as its weights.

#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/encoding.hpp"
#include "kettle/gradient.hpp"
#include "kettle/model.hpp"
#include "kettle/pauli.hpp"

namespace kettle {

/// What a dense layer applies to W x + b.
///   none:     y = z (a plain affine map)
///   pi_tanh:  y = π tanh(z), an angle in (-π, π): a rotation angle covers the whole circle
///             once, and the map stays smooth and bounded however large z grows.
enum class Activation { none, pi_tanh };

/// `none` or `pi_tanh`; Error(invalid_input) for anything else.
[[nodiscard]] Activation parse_activation(const std::string& name);
[[nodiscard]] std::string activation_name(Activation a);

/// y = act(g W x + b) with W of outputs x inputs and a fixed gain g, by default
/// 1/sqrt(inputs): the weights stay of order 1 whatever the width, so one optimizer step of
/// size lr moves z by about lr * sqrt(inputs), not lr * inputs, and a wide input layer trains at
/// the learning rate that suits the circuit's angles. A larger gain lets an output layer reach
/// the logit range a softmax over many classes needs in fewer steps. The layer holds no
/// numbers: its parameters [W row-major, b] live in the model's trainable vector.
class DenseLayer {
public:
    /// gain 0 means 1/sqrt(inputs). Throws Error(invalid_input) for 0 inputs or outputs or a
    /// negative or non-finite gain.
    DenseLayer(std::size_t inputs, std::size_t outputs, Activation activation = Activation::none, double gain = 0);

    [[nodiscard]] std::size_t num_inputs() const noexcept { return inputs_; }
    [[nodiscard]] std::size_t num_outputs() const noexcept { return outputs_; }
    [[nodiscard]] std::size_t num_parameters() const noexcept { return outputs_ * (inputs_ + 1); }
    [[nodiscard]] Activation activation() const noexcept { return activation_; }
    [[nodiscard]] double gain() const noexcept { return gain_; }

    /// Cost: O(inputs * outputs). Sizes are the caller's precondition (asserted).
    void forward(std::span<const double> params, std::span<const double> x, std::span<double> y) const;
    /// Given x, the y forward wrote and dy = d loss / d y: d loss / d params into dparams
    /// (overwritten) and, if not empty, d loss / d x into dx (overwritten). dz is scratch of
    /// num_outputs(). Cost: O(inputs * outputs).
    void backward(std::span<const double> params, std::span<const double> x, std::span<const double> y,
                  std::span<const double> dy, std::span<double> dz, std::span<double> dparams,
                  std::span<double> dx) const;
    /// Weights uniform in [-sqrt(3), sqrt(3)] (unit variance), zero biases.
    void initialize(std::span<double> params, std::mt19937_64& rng) const;

private:
    std::size_t inputs_, outputs_;
    Activation activation_;
    double gain_;
};

/// A parameterised circuit read out as expectation values: features reach it through a
/// FeatureBinding (direct parameters, ZZ products, or the amplitudes of the initial state),
/// trainable weights are bound to `weights`, and the outputs are <O_m>.
class QuantumLayer {
public:
    /// As VariationalClassifier: the binding's parameters and the weights name every circuit
    /// parameter exactly once, the circuit is differentiable and the observables fit it;
    /// Error(invalid_input) otherwise.
    QuantumLayer(Circuit circuit, FeatureBinding features, std::vector<Parameter> weights,
                 std::vector<PauliSum> observables);
    /// Inputs bound directly to the parameters `inputs`, feature f to inputs[f].
    QuantumLayer(Circuit circuit, std::vector<Parameter> inputs, std::vector<Parameter> weights,
                 std::vector<PauliSum> observables);

    [[nodiscard]] std::size_t num_inputs() const noexcept { return features_.num_features; }
    [[nodiscard]] std::size_t num_outputs() const noexcept { return observables_.size(); }
    [[nodiscard]] std::size_t num_weights() const noexcept { return weights_.size(); }
    /// The circuit parameters the layer's weights are bound to, in order.
    [[nodiscard]] const std::vector<Parameter>& weight_parameters() const noexcept { return weights_; }
    [[nodiscard]] const Circuit& circuit() const noexcept { return *circuit_; }
    [[nodiscard]] const FeatureBinding& features() const noexcept { return features_; }
    [[nodiscard]] const std::vector<PauliSum>& observables() const noexcept { return observables_; }
    /// How backward differentiates the circuit: adjoint (default; one backward sweep) or
    /// parameter shift (2 or 4 simulations per gate angle; a check, and what hardware can do).
    /// Amplitude encoding's input gradient needs the adjoint method.
    void set_gradient_method(GradientMethod method) noexcept { method_ = method; }
    [[nodiscard]] GradientMethod gradient_method() const noexcept { return method_; }

    /// One thread's adjoint states, bound values and (amplitude encoding) initial state.
    class Buffers {
    public:
        explicit Buffers(const QuantumLayer& layer);

    private:
        friend class QuantumLayer;
        std::shared_ptr<const Circuit> circuit_;  // keeps the circuit the differentiator points to
        AdjointDifferentiator<double> diff_;
        std::vector<double> bound_, gradient_;
        std::vector<std::complex<double>> initial_, initial_grad_;
        double norm_ = 0;
    };

    /// <O_m> of inputs x into out. Throws Error(invalid_input) for a zero or non-finite vector
    /// under amplitude encoding. Cost: one simulation.
    void forward(Buffers& b, std::span<const double> weights, std::span<const double> x, std::span<double> out) const;
    /// After forward on the same x: d loss / d weights and (if not empty) d loss / d x from
    /// d loss / d <O_m>. Cost: one adjoint backward sweep.
    void backward(Buffers& b, std::span<const double> x, std::span<const double> cotangent, std::span<double> dweights,
                  std::span<double> dinputs) const;

private:
    std::shared_ptr<const Circuit> circuit_;
    FeatureBinding features_;
    std::vector<Parameter> weights_;
    std::vector<PauliSum> observables_;
    GradientMethod method_ = GradientMethod::adjoint;
};

/// features -> [input DenseLayer] -> QuantumLayer -> readout -> class scores.
///
/// The readout is an output DenseLayer (expectations -> scores, its activation must be none)
/// or, without one, a trainable scale a_m and bias b_m per observable (score_m = a_m <O_m> +
/// b_m, as VariationalClassifier). One score means two classes (binary losses), K >= 2 scores
/// K classes (softmax losses).
/// Trainable vector: [input layer][circuit weights][output layer | a_0.., b_0..].
class HybridModel final : public Model {
public:
    /// Sizes must chain: input layer outputs = quantum inputs (without an input layer the
    /// quantum inputs are the features) and quantum outputs = output layer inputs. Throws
    /// Error(invalid_input) otherwise, or for an output layer with an activation.
    HybridModel(std::optional<DenseLayer> input, QuantumLayer quantum, std::optional<DenseLayer> output);

    [[nodiscard]] std::size_t num_features() const noexcept override;
    [[nodiscard]] std::size_t num_classes() const noexcept override;
    [[nodiscard]] std::size_t num_scores() const noexcept override;
    [[nodiscard]] std::size_t num_trainable() const noexcept override { return trainable_.size(); }
    [[nodiscard]] std::span<const double> trainable() const noexcept override { return trainable_; }
    void set_trainable(std::span<const double> values) override;

    [[nodiscard]] const std::optional<DenseLayer>& input_layer() const noexcept { return input_; }
    [[nodiscard]] const QuantumLayer& quantum_layer() const noexcept { return quantum_; }
    /// The quantum layer's states: three of its qubits (five with amplitude encoding), plus, up
    /// to kMaxBatchedQubits, the batch path's six states of 8 samples each (seven with
    /// amplitude encoding).
    [[nodiscard]] std::size_t workspace_bytes() const noexcept override {
        const unsigned n = quantum_.circuit().num_qubits();
        if (n > 40) return SIZE_MAX;
        const bool amplitude = quantum_.features().amplitude;
        const std::size_t state = sizeof(std::complex<double>) << n;
        return (amplitude ? 5 : 3) * state + (n <= kMaxBatchedQubits ? (amplitude ? 56 : 48) * state : 0);
    }
    [[nodiscard]] const std::optional<DenseLayer>& output_layer() const noexcept { return output_; }
    void set_gradient_method(GradientMethod method) noexcept { quantum_.set_gradient_method(method); }

    /// Dense weights uniform with unit variance and zero biases, circuit weights uniform in [-π, π), readout scales
    /// `readout_scale` and biases 0, all from `seed`.
    void initialize(std::uint64_t seed, double readout_scale = 1.0);

    [[nodiscard]] std::unique_ptr<Model::Workspace> make_workspace() const override;
    using Model::scores;
    void scores(Model::Workspace& ws, std::span<const double> x, std::span<double> out) const override;
    double loss_and_gradient(Model::Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                             std::span<double> grad_trainable, std::span<double> grad_inputs) const override;
    /// The batch forms: the dense layers per sample, the quantum layer 8 samples at a time (one
    /// per SIMD lane, as VariationalClassifier's batch path) with the adjoint method up to
    /// VariationalClassifier::kMaxBatchedQubits; otherwise the per-sample members.
    double loss_and_gradient_batch(Model::Workspace& ws, std::span<const double> xs,
                                   std::span<const std::size_t> labels, const Loss& loss, std::span<double> grad_sum,
                                   std::span<double> grad_inputs = {}) const override;
    void scores_batch(Model::Workspace& ws, std::span<const double> xs, std::span<double> out) const override;

private:
    class Work;
    [[nodiscard]] bool batched() const noexcept;
    std::size_t forward_group(Work& w, std::span<const double> xs, std::size_t first, std::size_t count,
                              const char* where) const;
    void forward(Work& w, std::span<const double> x, std::span<double> out) const;
    [[nodiscard]] std::size_t input_size() const noexcept { return input_ ? input_->num_parameters() : 0; }

    std::optional<DenseLayer> input_;
    QuantumLayer quantum_;
    std::optional<DenseLayer> output_;
    std::vector<double> trainable_;
};

}  // namespace kettle
