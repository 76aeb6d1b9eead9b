#pragma once
// A variational quantum classifier: features and weights bound to a circuit's parameters,
// expectation values of Pauli observables read out as class scores.

#include <complex>
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

namespace qml_detail {
class BatchedFeatures;
}

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
    /// The general form: features reach the circuit as `features` says (parameters bound
    /// directly, products of features such as the ZZ map's pair terms, or amplitude encoding).
    /// Every circuit parameter must be named exactly once among the direct inputs, the product
    /// inputs and the weights; product inputs must name features < num_features.
    VariationalClassifier(Circuit circuit, FeatureBinding features, std::vector<Parameter> weights,
                          std::vector<PauliSum> observables);

    [[nodiscard]] std::size_t num_features() const noexcept override { return features_.num_features; }
    [[nodiscard]] const FeatureBinding& features() const noexcept { return features_; }
    /// The batch path runs circuits of up to this many qubits (see model.hpp).
    static constexpr unsigned kMaxBatchedQubits = kettle::kMaxBatchedQubits;
    /// Three states of the circuit's qubits (five with amplitude encoding), plus, up to
    /// kMaxBatchedQubits, the batch path's six states of 8 samples each (seven with amplitude
    /// encoding).
    [[nodiscard]] std::size_t workspace_bytes() const noexcept override {
        const unsigned n = circuit_->num_qubits();
        if (n > 40) return SIZE_MAX;
        const std::size_t state = sizeof(std::complex<double>) << n;
        const std::size_t batched = n <= kMaxBatchedQubits ? (features_.amplitude ? 56 : 48) * state : 0;
        return (features_.amplitude ? 5 : 3) * state + batched;
    }
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
        ~Workspace() override;
        Workspace(Workspace&&) noexcept;
        Workspace& operator=(Workspace&&) noexcept;

    private:
        friend class VariationalClassifier;
        AdjointDifferentiator<double> diff_;
        // The batch path: several samples per SIMD register, made on first use.
        std::unique_ptr<qml_detail::BatchedFeatures> batch_;
        std::vector<double> bound_, expectations_, scores_, score_grad_, cotangent_, circuit_grad_;
        std::vector<std::complex<double>> initial_, initial_grad_;  // amplitude encoding only
        double norm_ = 0;                                           // |x| of the encoded sample
    };

    /// Class scores of features x (num_features() of them) into out (num_scores()).
    /// Cost: one simulation. Throws Error(invalid_input) for wrong sizes.
    void scores(Workspace& ws, std::span<const double> x, std::span<double> out) const;
    [[nodiscard]] std::vector<double> scores(std::span<const double> x) const;
    [[nodiscard]] std::size_t predict(std::span<const double> x) const;

    /// The loss of sample (x, label); writes d loss / d trainable into grad_trainable
    /// (num_trainable(), overwritten) and, if not empty, d loss / d x into grad_inputs
    /// (num_features()), chained through product inputs and the normalisation of amplitude
    /// encoding. Cost: one adjoint forward and backward sweep; nothing is allocated.
    double loss_and_gradient(Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                             std::span<double> grad_trainable, std::span<double> grad_inputs = {}) const;

    /// The batch forms of the Model interface: groups of 8 samples run together through one
    /// batched state (a sample per SIMD lane), from a plan compiled once per workspace and
    /// weight matrices recomputed only when the weights change. Same results as the
    /// per-sample members to rounding; gradients summed in sample order. Circuits above
    /// kMaxBatchedQubits use the per-sample members.
    double loss_and_gradient_batch(Model::Workspace& ws, std::span<const double> xs,
                                   std::span<const std::size_t> labels, const Loss& loss, std::span<double> grad_sum,
                                   std::span<double> grad_inputs = {}) const override;
    void scores_batch(Model::Workspace& ws, std::span<const double> xs, std::span<double> out) const override;

    // The Model interface: the same computations on a Workspace made by make_workspace
    // (implemented in qml/classifier_model.cpp).
    [[nodiscard]] std::unique_ptr<Model::Workspace> make_workspace() const override;
    void scores(Model::Workspace& ws, std::span<const double> x, std::span<double> out) const override;
    double loss_and_gradient(Model::Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                             std::span<double> grad_trainable, std::span<double> grad_inputs) const override;

private:
    void bind(Workspace& ws, std::span<const double> x, const char* where) const;
    qml_detail::BatchedFeatures& batch(Workspace& ws) const;

    std::shared_ptr<const Circuit> circuit_;  // shared so that workspaces survive a move
    FeatureBinding features_;
    std::vector<Parameter> weights_;
    std::vector<PauliSum> observables_;
    std::vector<double> trainable_;
};

/// Parity readouts: one observable Z_a Z_b ... per group, whose expectation is the probability
/// that the group's bits have even parity minus that of odd parity. Throws
/// Error(invalid_input) for an empty group or a repeated qubit in a group.
[[nodiscard]] std::vector<PauliSum> parity_observables(std::span<const std::vector<unsigned>> groups);

/// Parity readouts for `num_classes` classes on n qubits: for 2 classes one observable, the
/// parity of all n qubits; for K > 2 classes, K groups of consecutive qubits, as equal in size
/// as they can be (the first n mod K groups one larger). Throws Error(invalid_input) for
/// num_classes < 2 or more than n classes.
[[nodiscard]] std::vector<PauliSum> parity_observables(unsigned num_qubits, std::size_t num_classes);

enum class EncodingKind { reupload, angle, zz, amplitude };
enum class AnsatzKind { hardware_efficient, strongly_entangling, real_amplitudes, efficient_su2 };
enum class ReadoutKind { z_per_class, parity };

/// How make_classifier builds its circuit.
struct ClassifierOptions {
    unsigned num_qubits = 2;
    std::size_t num_classes = 2;   ///< 2: one readout; K > 2: K readouts (needs K <= qubits)
    std::size_t layers = 3;        ///< ansatz layers (reps), or data re-uploading blocks
    Entangler entangler = Entangler::ring;  ///< of data re-uploading, the hardware-efficient
                                            ///< ansatz and the ZZ map's pairs
    double input_scale = 1.0;      ///< angle = input_scale * feature (reupload and angle)
    EncodingKind encoding = EncodingKind::reupload;
    AnsatzKind ansatz = AnsatzKind::hardware_efficient;  ///< after angle, zz or amplitude encoding
    ReadoutKind readout = ReadoutKind::z_per_class;      ///< Z0 (binary) or Z0..Z{K-1}; or parity
    std::size_t zz_reps = 2;       ///< repetitions of the ZZ feature map
};

/// A classifier on `num_features` features. reupload: data_reuploading (the ansatz option is
/// ignored; features past n unused); angle: RY angle encoding of n features (num_features must
/// equal n); zz: zz_feature_map (num_features = n); amplitude: amplitude_encoding
/// (num_features <= 2^n). Then the chosen ansatz with `layers` layers, and the readout. Throws
/// Error(invalid_input) for num_classes < 2, more classes than qubits, or a feature count the
/// encoding does not take.
[[nodiscard]] VariationalClassifier make_classifier(std::size_t num_features, const ClassifierOptions& options);

}  // namespace kettle
