#pragma once
// Classification metrics over class indices and predicted probabilities.
//
// Labels are class indices 0..num_classes-1 (as Dataset::y). Every function throws
// Error(invalid_input) naming itself when the inputs are empty, differ in length, or hold an
// index >= num_classes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "kettle/feature_matrix.hpp"

namespace kettle {

/// Counts of (true class, predicted class): row = true, column = predicted (scikit-learn's
/// layout). Cost: O(n + num_classes^2).
using ConfusionMatrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;
[[nodiscard]] ConfusionMatrix confusion_matrix(std::span<const std::size_t> y_true, std::span<const std::size_t> y_pred,
                                               std::size_t num_classes);

/// Share of rows predicted right, in [0, 1]. Cost: O(n).
[[nodiscard]] double accuracy(std::span<const std::size_t> y_true, std::span<const std::size_t> y_pred);

/// Scores of one class, or an average over classes.
struct ClassMetrics {
    double precision = 0.0;  ///< right predictions of the class / predictions of it (0 if none)
    double recall = 0.0;     ///< right predictions of the class / rows of it (0 if none)
    double f1 = 0.0;         ///< harmonic mean of precision and recall (0 if both are 0)
    std::size_t support = 0; ///< rows of the class (for an average: all rows)
};

/// Per-class precision, recall, F1 and support, with their unweighted (macro) and
/// support-weighted averages, as scikit-learn's classification_report with zero_division=0.
struct ClassificationReport {
    std::vector<ClassMetrics> per_class;
    ClassMetrics macro;
    ClassMetrics weighted;
};
/// Cost: O(n + num_classes^2).
[[nodiscard]] ClassificationReport classification_report(std::span<const std::size_t> y_true,
                                                         std::span<const std::size_t> y_pred, std::size_t num_classes);

/// Mean cross-entropy -log p(true class) of rows of class probabilities (rows = samples, one
/// column per class). Probabilities are clipped to [1e-15, 1] so a confident mistake costs
/// about 34.5, not infinity. Preconditions: entries in [0, 1], each row summing to 1 within
/// 1e-6; throws Error(invalid_input) otherwise. Cost: O(n * classes).
[[nodiscard]] double log_loss(std::span<const std::size_t> y_true, const FeatureMatrix& probabilities);

/// Area under the ROC curve of a binary problem: the probability that a random positive row
/// (y == 1) scores above a random negative one (y == 0), ties counting one half: the
/// Mann-Whitney U statistic over n_pos * n_neg, with mid-ranks for tied scores. Preconditions:
/// labels 0 or 1, both present; finite scores. Cost: O(n log n).
[[nodiscard]] double roc_auc(std::span<const std::size_t> y_true, std::span<const double> scores);

}  // namespace kettle
