#pragma once
// Classification losses on the class scores of one sample, with their gradients.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kettle {

/// A loss on the scores of one sample. Binary tasks give one score s (class 1 when s > 0);
/// K-class tasks give K scores (the class is the argmax). Thread safety: const, stateless.
class Loss {
public:
    virtual ~Loss() = default;
    /// The loss of `scores` given the true class `label`, and d loss / d scores written into
    /// `gradient` (same size as scores). Throws Error(invalid_input) for a score count the loss
    /// does not take, a label out of range or mismatched sizes. Cost: O(scores).
    virtual double evaluate(std::span<const double> scores, std::size_t label, std::span<double> gradient) const = 0;
    [[nodiscard]] virtual std::string name() const = 0;
};

/// Binary cross-entropy on one logit s: log(1 + e^s) - y s for label y in {0, 1}, computed
/// without overflow. Gradient sigmoid(s) - y.
class BinaryCrossEntropy final : public Loss {
public:
    double evaluate(std::span<const double> scores, std::size_t label, std::span<double> gradient) const override;
    [[nodiscard]] std::string name() const override { return "binary_cross_entropy"; }
};

/// Multi-class cross-entropy with softmax over K >= 2 scores: -log softmax(s)_y.
/// Gradient softmax(s) - onehot(y).
class CrossEntropy final : public Loss {
public:
    double evaluate(std::span<const double> scores, std::size_t label, std::span<double> gradient) const override;
    [[nodiscard]] std::string name() const override { return "cross_entropy"; }
};

/// Hinge. One score: max(0, 1 - t s) with t = +1 for class 1 and -1 for class 0. K >= 2
/// scores (Crammer-Singer): max(0, 1 + max_{j != y} s_j - s_y). The subgradient at the kink
/// is taken as 0.
class Hinge final : public Loss {
public:
    double evaluate(std::span<const double> scores, std::size_t label, std::span<double> gradient) const override;
    [[nodiscard]] std::string name() const override { return "hinge"; }
};

/// Mean squared error of the scores against targets +1 for the true class and -1 for the
/// others (one score: +1 for class 1, -1 for class 0), the range of a Pauli expectation.
class MeanSquaredError final : public Loss {
public:
    double evaluate(std::span<const double> scores, std::size_t label, std::span<double> gradient) const override;
    [[nodiscard]] std::string name() const override { return "mse"; }
};

/// The loss named `binary_cross_entropy`, `cross_entropy`, `hinge` or `mse`; throws
/// Error(invalid_input) listing the names otherwise.
[[nodiscard]] std::unique_ptr<Loss> make_loss(std::string_view name);

/// Class probabilities from scores: sigmoid for one score (two probabilities, class 0 then 1),
/// softmax for K >= 2. Numerically stable.
[[nodiscard]] std::vector<double> class_probabilities(std::span<const double> scores);

/// The predicted class: s > 0 for one score, the first argmax for K scores.
[[nodiscard]] std::size_t predicted_class(std::span<const double> scores);

}  // namespace kettle
