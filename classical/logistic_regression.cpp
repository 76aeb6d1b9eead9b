#include "kettle/logistic_regression.hpp"

#include <cmath>

#include <fmt/format.h>

#include "kettle/error.hpp"
#include "lbfgs.hpp"

namespace kettle {
namespace {

// Row-wise softmax of logits, shifted by each row's maximum so exp cannot overflow; also
// returns each row's log-sum-exp.
Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logits, Eigen::VectorXd* log_norm) {
    const Eigen::VectorXd row_max = logits.rowwise().maxCoeff();
    Eigen::MatrixXd p = (logits.colwise() - row_max).array().exp();
    const Eigen::VectorXd sums = p.rowwise().sum();
    if (log_norm) *log_norm = row_max.array() + sums.array().log();
    return p.array().colwise() / sums.array();
}

}  // namespace

LogisticRegression::LogisticRegression(LogisticRegressionOptions options) : options_(options) {
    if (!(options.l2 >= 0.0) || !std::isfinite(options.l2))
        throw Error(ErrorCode::invalid_input, fmt::format("LogisticRegression: l2 {} must be finite and >= 0", options.l2));
    if (!(options.tolerance > 0.0))
        throw Error(ErrorCode::invalid_input, fmt::format("LogisticRegression: tolerance {} must be > 0", options.tolerance));
    if (options.max_iterations < 1)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("LogisticRegression: max_iterations {} must be >= 1", options.max_iterations));
}

LogisticRegression& LogisticRegression::fit(const FeatureMatrix& x, std::span<const std::size_t> y, std::size_t num_classes) {
    const auto fail = [](const std::string& what) { throw Error(ErrorCode::invalid_input, "LogisticRegression::fit: " + what); };
    if (x.rows() == 0 || x.cols() == 0) fail("the data has no rows or no columns");
    if (static_cast<std::size_t>(x.rows()) != y.size()) fail(fmt::format("{} rows but {} labels", x.rows(), y.size()));
    if (num_classes < 2) fail(fmt::format("{} class(es), at least 2 are needed", num_classes));
    if (!x.allFinite()) fail("the data holds NaN or infinite values");
    std::vector<std::size_t> counts(num_classes, 0);
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y[i] >= num_classes) fail(fmt::format("label {} at row {} is not a class index (valid 0..{})", y[i], i, num_classes - 1));
        ++counts[y[i]];
    }
    for (std::size_t k = 0; k < num_classes; ++k)
        if (counts[k] == 0) fail(fmt::format("class {} has no rows; every class needs at least one", k));

    const Eigen::Index n = x.rows(), d = x.cols(), k = static_cast<Eigen::Index>(num_classes);
    Eigen::MatrixXd one_hot = Eigen::MatrixXd::Zero(n, k);
    for (Eigen::Index i = 0; i < n; ++i) one_hot(i, static_cast<Eigen::Index>(y[static_cast<std::size_t>(i)])) = 1.0;
    const double l2 = options_.l2, inv_n = 1.0 / static_cast<double>(n);

    // Parameters packed as [W column-major (d x k), b (k)].
    const detail::Objective objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
        const Eigen::Map<const Eigen::MatrixXd> w(theta.data(), d, k);
        const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + d * k, k);
        const Eigen::MatrixXd logits = (x * w).rowwise() + b;
        Eigen::VectorXd log_norm;
        const Eigen::MatrixXd p = softmax_rows(logits, &log_norm);
        const double data_loss = (log_norm.sum() - logits.cwiseProduct(one_hot).sum()) * inv_n;
        const Eigen::MatrixXd residual = (p - one_hot) * inv_n;
        Eigen::Map<Eigen::MatrixXd>(gradient.data(), d, k) = x.transpose() * residual + l2 * w;
        Eigen::Map<Eigen::RowVectorXd>(gradient.data() + d * k, k) = residual.colwise().sum();
        return data_loss + 0.5 * l2 * w.squaredNorm();
    };
    detail::LbfgsOptions lbfgs;
    lbfgs.max_iterations = options_.max_iterations;
    lbfgs.gradient_tolerance = options_.tolerance;
    const detail::LbfgsResult result = detail::minimize_lbfgs(objective, Eigen::VectorXd::Zero(d * k + k), lbfgs);

    weights_ = Eigen::Map<const Eigen::MatrixXd>(result.x.data(), d, k);
    bias_ = Eigen::Map<const Eigen::RowVectorXd>(result.x.data() + d * k, k);
    iterations_ = result.iterations;
    converged_ = result.converged;
    objective_ = result.value;
    return *this;
}

LogisticRegression& LogisticRegression::fit(const Dataset& d) { return fit(d.x, d.y, d.num_classes()); }

FeatureMatrix LogisticRegression::decision_function(const FeatureMatrix& x) const {
    if (bias_.size() == 0) throw Error(ErrorCode::invalid_input, "LogisticRegression: the model is not fitted");
    if (x.cols() != weights_.rows())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("LogisticRegression: the data has {} columns, the model was fitted on {}", x.cols(), weights_.rows()));
    return (x * weights_).rowwise() + bias_;
}

FeatureMatrix LogisticRegression::predict_proba(const FeatureMatrix& x) const { return softmax_rows(decision_function(x), nullptr); }

std::vector<std::size_t> LogisticRegression::predict(const FeatureMatrix& x) const {
    const FeatureMatrix logits = decision_function(x);
    std::vector<std::size_t> out(static_cast<std::size_t>(logits.rows()));
    for (Eigen::Index r = 0; r < logits.rows(); ++r) {
        Eigen::Index best = 0;
        for (Eigen::Index c = 1; c < logits.cols(); ++c)
            if (logits(r, c) > logits(r, best)) best = c;
        out[static_cast<std::size_t>(r)] = static_cast<std::size_t>(best);
    }
    return out;
}

}  // namespace kettle
