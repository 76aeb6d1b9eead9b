#pragma once
// Feature scaling: fitted on training data, applied to any data of the same width.

#include <Eigen/Dense>

#include "kettle/feature_matrix.hpp"

namespace kettle {

/// Centres each feature on its training mean and divides by its standard deviation (population
/// form, as scikit-learn). Features constant in training are only centred.
class StandardScaler {
public:
    /// Learns means and deviations. Throws Error(invalid_input) for no rows or non-finite values.
    StandardScaler& fit(const FeatureMatrix& x);
    /// Cost: O(rows * cols). Throws Error(invalid_input) if not fitted or the width differs.
    [[nodiscard]] FeatureMatrix transform(const FeatureMatrix& x) const;
    [[nodiscard]] const Eigen::RowVectorXd& mean() const noexcept { return mean_; }
    [[nodiscard]] const Eigen::RowVectorXd& scale() const noexcept { return scale_; }

private:
    Eigen::RowVectorXd mean_, scale_;
};

/// Maps each feature's training range linearly onto [low, high] (e.g. [0, π] for angles).
/// Values outside the training range map outside [low, high]; they are not clipped.
class MinMaxScaler {
public:
    explicit MinMaxScaler(double low = 0.0, double high = 1.0);
    MinMaxScaler& fit(const FeatureMatrix& x);
    [[nodiscard]] FeatureMatrix transform(const FeatureMatrix& x) const;
    [[nodiscard]] const Eigen::RowVectorXd& data_min() const noexcept { return min_; }
    [[nodiscard]] const Eigen::RowVectorXd& data_max() const noexcept { return max_; }

private:
    double low_, high_;
    Eigen::RowVectorXd min_, max_;
};

}  // namespace kettle
