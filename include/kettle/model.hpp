#pragma once
// What the Trainer trains: any model that maps a feature vector to class scores and gives the
// gradient of a loss on those scores with respect to its trainable values (and its inputs).

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "kettle/loss.hpp"

namespace kettle {

/// The models' batch paths (several samples per SIMD register) run circuits of up to this
/// many qubits: their states hold 8 samples each, and beyond this they outgrow a core's cache,
/// where the per-sample path does as well.
inline constexpr unsigned kMaxBatchedQubits = 10;

/// A trainable classifier. Scores follow the Loss conventions: one score for a binary model
/// (class 1 when > 0), K scores for K classes (argmax).
///
/// Thread safety: const members may be called concurrently, each thread with its own
/// Workspace (from make_workspace); set_trainable may not run concurrently with anything.
class Model {
public:
    /// Per-thread buffers of one model (states, activations), made once per thread so that
    /// nothing is allocated per sample. A workspace belongs to the model that made it.
    class Workspace {
    public:
        virtual ~Workspace() = default;
        /// Scratch of the default batch members (one sample's gradient, scores), sized on
        /// first use.
        std::vector<double> batch_scratch;
    };

    virtual ~Model() = default;

    [[nodiscard]] virtual std::size_t num_features() const noexcept = 0;
    [[nodiscard]] virtual std::size_t num_classes() const noexcept = 0;
    /// 1 for a binary model, num_classes() otherwise.
    [[nodiscard]] virtual std::size_t num_scores() const noexcept = 0;
    [[nodiscard]] virtual std::size_t num_trainable() const noexcept = 0;

    /// The trainable values, in a model-defined order (num_trainable() of them).
    [[nodiscard]] virtual std::span<const double> trainable() const noexcept = 0;
    /// Throws Error(invalid_input) unless values has num_trainable() finite entries.
    virtual void set_trainable(std::span<const double> values) = 0;

    [[nodiscard]] virtual std::unique_ptr<Workspace> make_workspace() const = 0;
    /// Bytes of the states one workspace holds (checked against available memory, for every
    /// worker thread together, before workspaces are made); 0 where negligible.
    [[nodiscard]] virtual std::size_t workspace_bytes() const noexcept { return 0; }

    /// Class scores of features x (num_features()) into out (num_scores()). Throws
    /// Error(invalid_input) for wrong sizes or a workspace of another kind of model.
    virtual void scores(Workspace& ws, std::span<const double> x, std::span<double> out) const = 0;

    /// The loss of sample (x, label); writes d loss / d trainable into grad_trainable
    /// (num_trainable(), overwritten) and, if not empty, d loss / d x into grad_inputs
    /// (num_features()).
    virtual double loss_and_gradient(Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                                     std::span<double> grad_trainable, std::span<double> grad_inputs) const = 0;

    /// The batch forms, for `count` samples: xs holds their features row after row (count *
    /// num_features()), labels their classes (count of them).
    ///
    /// The summed loss of the samples; grad_sum (num_trainable()) is overwritten with the sum
    /// of their gradients by the trainable values and, if not empty, grad_inputs (count *
    /// num_features()) with each sample's gradient by its features. The sums run in a fixed
    /// order that depends only on the samples, never on threads. The default calls
    /// loss_and_gradient per sample; models that can run several samples at once (several per
    /// SIMD register) override it. Throws Error(invalid_input) for wrong sizes.
    virtual double loss_and_gradient_batch(Workspace& ws, std::span<const double> xs,
                                           std::span<const std::size_t> labels, const Loss& loss,
                                           std::span<double> grad_sum, std::span<double> grad_inputs = {}) const;
    /// Scores of `count` = xs.size() / num_features() samples into out (count * num_scores(),
    /// sample after sample). The default calls scores per sample.
    virtual void scores_batch(Workspace& ws, std::span<const double> xs, std::span<double> out) const;

    /// Scores with a temporary workspace (convenient, not for loops: it allocates).
    [[nodiscard]] std::vector<double> scores(std::span<const double> x) const;
    /// predicted_class of the scores.
    [[nodiscard]] std::size_t predict(std::span<const double> x) const;
};

}  // namespace kettle
