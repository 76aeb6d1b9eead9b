#pragma once
// Principal component analysis: project features onto the directions of largest variance.

#include <cstddef>

#include <Eigen/Dense>

#include "kettle/feature_matrix.hpp"

namespace kettle {

/// PCA fitted on training rows and applied to any rows of the same width, as scikit-learn's
/// PCA(n_components=k) with full SVD. The data is centred on the training mean, not scaled:
/// standardise first when features have different units.
///
/// Components are unit vectors sorted by decreasing variance, each with its sign chosen so that
/// its entry of largest magnitude is positive (the first such entry on ties), so the projection
/// is the same on every run and platform, up to rounding, for a given input.
class PCA {
public:
    /// Keeps at most `max_components` components (>= 1; throws Error(invalid_input) for 0). The
    /// fitted number is min(max_components, rows, columns), so "PCA to at most k" needs no
    /// knowledge of the data's width.
    explicit PCA(std::size_t max_components);

    /// Learns the mean and the components from `x` (rows = samples). Needs at least 2 rows and
    /// 1 column, all finite; throws Error(invalid_input) otherwise. Cost: O(rows * cols^2 +
    /// cols^3) (covariance matrix, then a symmetric eigendecomposition).
    PCA& fit(const FeatureMatrix& x);

    /// Projects `x` onto the components: (x - mean) * components^T, one row per sample and one
    /// column per component. Throws Error(invalid_input) if not fitted or the width differs.
    /// Cost: O(rows * cols * components).
    [[nodiscard]] FeatureMatrix transform(const FeatureMatrix& x) const;

    /// fit(x) then transform(x).
    [[nodiscard]] FeatureMatrix fit_transform(const FeatureMatrix& x);

    /// Back from component space to feature space: z * components + mean (lossy when fewer
    /// components than features). Throws Error(invalid_input) if not fitted or the width differs.
    [[nodiscard]] FeatureMatrix inverse_transform(const FeatureMatrix& z) const;

    [[nodiscard]] std::size_t num_components() const noexcept { return static_cast<std::size_t>(components_.rows()); }
    /// One component per row, each of unit length, in decreasing order of variance.
    [[nodiscard]] const Eigen::MatrixXd& components() const noexcept { return components_; }
    /// Training mean of each feature.
    [[nodiscard]] const Eigen::RowVectorXd& mean() const noexcept { return mean_; }
    /// Variance along each component (sample variance, divisor rows - 1, as scikit-learn).
    [[nodiscard]] const Eigen::VectorXd& explained_variance() const noexcept { return variance_; }
    /// Share of the total variance of all features that each kept component explains; sums to 1
    /// when every component is kept (0 for every component when the data is constant).
    [[nodiscard]] const Eigen::VectorXd& explained_variance_ratio() const noexcept { return ratio_; }

private:
    void check_fitted(Eigen::Index width, Eigen::Index expected, const char* where) const;

    std::size_t max_components_;
    Eigen::MatrixXd components_;
    Eigen::RowVectorXd mean_;
    Eigen::VectorXd variance_, ratio_;
};

}  // namespace kettle
