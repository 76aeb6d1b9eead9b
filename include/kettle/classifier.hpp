#pragma once
// A variational quantum classifier: features and weights bound to a circuit's parameters,
// expectation values of Pauli observables read out as class scores.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/encoding.hpp"
#include "kettle/gradient.hpp"
#include "kettle/loss.hpp"
#include "kettle/model.hpp"
#include "kettle/pauli.hpp"

namespace kettle {

/// score_m = a_m <O_m> + b_m with trainable scale a_m and bias b_m per observable. One
/// observable: a binary classifier (class 1 when the score is > 0); K >= 2 observables: K
/// classes (argmax). The trainable vector is [circuit weights..., a_0..a_{M-1}, b_0..b_{M-1}].
///
/// Thread safety: const members may be called concurrently, each thread with its own
/// Workspace. Precision: double states (the states of a classifier are small).
class VariationalClassifier : public Model {
public:
    /// `inputs` are the circuit parameters bound to the features x_0..x_{F-1} in order,
    /// `weights` the trainable ones; together they must name every circuit parameter exactly
    /// once. The circuit must be differentiable (check_differentiable) and the observables fit
    /// its qubits. Throws Error(invalid_input) otherwise. Weights start at 0, scales at 1,
    /// biases at 0; see initialize.
    VariationalClassifier(Circuit circuit, std::vector<Parameter> inputs, std::vector<Parameter> weights,
                          std::vector<PauliSum> observables);

    [[nodiscard]] std::size_t num_features() const noexcept override { return inputs_.size(); }
    [[nodiscard]] std::size_t num_classes() const noexcept override { return observables_.size() == 1 ? 2 : observables_.size(); }
    [[nodiscard]] std::size_t num_scores() const noexcept override { return observables_.size(); }
    [[nodiscard]] std::size_t num_circuit_weights() const noexcept { return weights_.size(); }
    /// Circuit weights plus a scale and a bias per observable.
    [[nodiscard]] std::size_t num_trainable() const noexcept override { return trainable_.size(); }
    [[nodiscard]] const Circuit& circuit() const noexcept { return *circuit_; }
    [[nodiscard]] const std::vector<PauliSum>& observables() const noexcept { return observables_; }

    [[nodiscard]] std::span<const double> trainable() const noexcept override { return trainable_; }
    /// Throws Error(invalid_input) unless values has num_trainable() finite entries.
    void set_trainable(std::span<const double> values) override;
    /// Circuit weights uniform in [-π, π) from `seed`, scales `readout_scale`, biases 0.
    void initialize(std::uint64_t seed, double readout_scale = 1.0);

    /// Per-thread buffers (the adjoint states and bound values), made once per thread so that
    /// no state is allocated per sample.
    class Workspace : public Model::Workspace {
    public:
        explicit Workspace(const VariationalClassifier& model);

    private:
        friend class VariationalClassifier;
        AdjointDifferentiator<double> diff_;
        std::vector<double> bound_, expectations_, scores_, score_grad_, cotangent_, circuit_grad_;
    };

    /// Class scores of features x (num_features() of them) into out (num_scores()).
    /// Cost: one simulation. Throws Error(invalid_input) for wrong sizes.
    void scores(Workspace& ws, std::span<const double> x, std::span<double> out) const;
    [[nodiscard]] std::vector<double> scores(std::span<const double> x) const;
    [[nodiscard]] std::size_t predict(std::span<const double> x) const;

    /// The loss of sample (x, label); writes d loss / d trainable into grad_trainable
    /// (num_trainable(), overwritten) and, if not empty, d loss / d x into grad_inputs
    /// (num_features()). Cost: one adjoint forward and backward sweep.
    double loss_and_gradient(Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                             std::span<double> grad_trainable, std::span<double> grad_inputs = {}) const;

    // The Model interface: the same computations on a Workspace made by make_workspace
    // (implemented in qml/classifier_model.cpp).
    [[nodiscard]] std::unique_ptr<Model::Workspace> make_workspace() const override;
    void scores(Model::Workspace& ws, std::span<const double> x, std::span<double> out) const override;
    double loss_and_gradient(Model::Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                             std::span<double> grad_trainable, std::span<double> grad_inputs) const override;

private:
    void bind(Workspace& ws, std::span<const double> x, const char* where) const;

    std::shared_ptr<const Circuit> circuit_;  // shared so that workspaces survive a move
    std::vector<Parameter> inputs_, weights_;
    std::vector<PauliSum> observables_;
    std::vector<double> trainable_;
};

/// How make_classifier builds its circuit.
struct ClassifierOptions {
    unsigned num_qubits = 2;
    std::size_t num_classes = 2;   ///< 2: one observable Z0; K > 2: Z0..Z{K-1} (needs K <= qubits)
    std::size_t layers = 3;        ///< data re-uploading blocks
    Entangler entangler = Entangler::ring;
    double input_scale = 1.0;      ///< angle = input_scale * feature
};

/// A data re-uploading classifier (see data_reuploading) on `num_features` features, with
/// Z readouts. Throws Error(invalid_input) for num_classes < 2 or more classes than qubits.
[[nodiscard]] VariationalClassifier make_classifier(std::size_t num_features, const ClassifierOptions& options);

}  // namespace kettle
