#pragma once
// Multinomial logistic regression: the classical baseline every kettle report shows beside the
// quantum model, trained on the same features.

#include <cstddef>
#include <span>

#include <Eigen/Dense>

#include "kettle/dataset.hpp"
#include "kettle/feature_matrix.hpp"

namespace kettle {

struct LogisticRegressionOptions {
    /// Strength of the L2 penalty (l2 / 2) * ||W||^2 added to the mean cross-entropy; the bias
    /// is not penalised. scikit-learn's C corresponds to l2 = 1 / (C * rows).
    double l2 = 1e-3;
    /// Training stops when every entry of the gradient of the objective is at most this.
    double tolerance = 1e-6;
    /// L-BFGS iterations at most; training that hits this is reported by converged() == false.
    int max_iterations = 2000;
};

/// Softmax regression: p(class k | x) = softmax(x W + b)_k with W of features x classes. It is
/// fitted by full-batch L-BFGS from W = 0, b = 0 on the convex objective
///   mean_i -log p(y_i | x_i) + (l2 / 2) ||W||^2,
/// with no randomness, so the same data gives the same model on every run. Two classes use the
/// same softmax form (two columns). Standardise the features first: the penalty and the
/// optimiser both assume comparable scales.
class LogisticRegression {
public:
    /// Throws Error(invalid_input) for a negative or non-finite l2, a tolerance <= 0, or
    /// max_iterations < 1.
    explicit LogisticRegression(LogisticRegressionOptions options = {});

    /// Fits on rows `x` with class indices `y`, classes 0..num_classes-1. Preconditions: as many
    /// labels as rows, finite values, num_classes >= 2 and every class present in y (an absent
    /// class would drive its bias to minus infinity); throws Error(invalid_input) otherwise.
    /// Cost: O(rows * features * classes) per L-BFGS iteration, typically tens to hundreds.
    LogisticRegression& fit(const FeatureMatrix& x, std::span<const std::size_t> y, std::size_t num_classes);
    /// fit(d.x, d.y, d.num_classes()).
    LogisticRegression& fit(const Dataset& d);

    /// Class probabilities, one row per sample and one column per class; rows sum to 1. Throws
    /// Error(invalid_input) if not fitted or the width differs. Cost: O(rows * features * classes).
    [[nodiscard]] FeatureMatrix predict_proba(const FeatureMatrix& x) const;
    /// The most probable class of each row (the lowest index on exact ties).
    [[nodiscard]] std::vector<std::size_t> predict(const FeatureMatrix& x) const;
    /// The logits x W + b.
    [[nodiscard]] FeatureMatrix decision_function(const FeatureMatrix& x) const;

    [[nodiscard]] const Eigen::MatrixXd& weights() const noexcept { return weights_; }  ///< features x classes
    [[nodiscard]] const Eigen::RowVectorXd& bias() const noexcept { return bias_; }     ///< one per class
    [[nodiscard]] std::size_t num_classes() const noexcept { return static_cast<std::size_t>(bias_.size()); }
    [[nodiscard]] int iterations() const noexcept { return iterations_; }  ///< L-BFGS iterations of the last fit
    [[nodiscard]] bool converged() const noexcept { return converged_; }   ///< the tolerance was met
    [[nodiscard]] double objective() const noexcept { return objective_; } ///< final penalised loss

private:
    LogisticRegressionOptions options_;
    Eigen::MatrixXd weights_;
    Eigen::RowVectorXd bias_;
    int iterations_ = 0;
    bool converged_ = false;
    double objective_ = 0.0;
};

}  // namespace kettle
