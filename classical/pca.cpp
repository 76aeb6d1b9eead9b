#include "kettle/pca.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {

PCA::PCA(std::size_t max_components) : max_components_(max_components) {
    if (max_components == 0) throw Error(ErrorCode::invalid_input, "PCA: max_components is 0, at least 1 is needed");
}

PCA& PCA::fit(const FeatureMatrix& x) {
    if (x.rows() < 2 || x.cols() < 1)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("PCA::fit: the data is {}x{}; at least 2 rows and 1 column are needed", x.rows(), x.cols()));
    if (!x.allFinite()) throw Error(ErrorCode::invalid_input, "PCA::fit: the data holds NaN or infinite values");

    mean_ = x.colwise().mean();
    const Eigen::MatrixXd centred = x.rowwise() - mean_;
    const Eigen::MatrixXd covariance = (centred.transpose() * centred) / static_cast<double>(x.rows() - 1);
    // Eigenvalues come in increasing order; the last columns are the leading components.
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    if (solver.info() != Eigen::Success)
        throw Error(ErrorCode::internal, "PCA::fit: the eigendecomposition of the covariance matrix did not converge");

    const Eigen::Index d = x.cols();
    const auto k = static_cast<Eigen::Index>(std::min<std::size_t>(max_components_, static_cast<std::size_t>(std::min(x.rows(), d))));
    // Rounding can leave tiny negative eigenvalues for directions without variance.
    const double total = solver.eigenvalues().cwiseMax(0.0).sum();
    components_.resize(k, d);
    variance_.resize(k);
    ratio_.resize(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        const Eigen::Index src = d - 1 - i;
        Eigen::RowVectorXd v = solver.eigenvectors().col(src).transpose();
        Eigen::Index largest = 0;
        for (Eigen::Index j = 1; j < d; ++j)
            if (std::abs(v(j)) > std::abs(v(largest))) largest = j;
        if (v(largest) < 0) v = -v;
        components_.row(i) = v;
        variance_(i) = std::max(solver.eigenvalues()(src), 0.0);
        ratio_(i) = total > 0.0 ? variance_(i) / total : 0.0;
    }
    return *this;
}

void PCA::check_fitted(Eigen::Index width, Eigen::Index expected, const char* where) const {
    if (components_.rows() == 0) throw Error(ErrorCode::invalid_input, fmt::format("{}: the PCA is not fitted", where));
    if (width != expected)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: the data has {} columns, expected {}", where, width, expected));
}

FeatureMatrix PCA::transform(const FeatureMatrix& x) const {
    check_fitted(x.cols(), components_.cols(), "PCA::transform");
    return (x.rowwise() - mean_) * components_.transpose();
}

FeatureMatrix PCA::fit_transform(const FeatureMatrix& x) { return fit(x).transform(x); }

FeatureMatrix PCA::inverse_transform(const FeatureMatrix& z) const {
    check_fitted(z.cols(), components_.rows(), "PCA::inverse_transform");
    return (z * components_).rowwise() + mean_;
}

}  // namespace kettle
