#include "kettle/scaler.hpp"

#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {
namespace {

void check_fit_input(const FeatureMatrix& x, const char* where) {
    if (x.rows() == 0 || x.cols() == 0)
        throw Error(ErrorCode::invalid_input, fmt::format("{}::fit: the data has no rows or no columns", where));
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            if (!std::isfinite(x(r, c)))
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}::fit: value at row {}, column {} is NaN or infinite", where, r, c));
}

void check_transform_input(const FeatureMatrix& x, Eigen::Index fitted, const char* where) {
    if (fitted == 0) throw Error(ErrorCode::invalid_input, fmt::format("{}::transform: the scaler is not fitted", where));
    if (x.cols() != fitted)
        throw Error(ErrorCode::invalid_input, fmt::format("{}::transform: the data has {} columns, the scaler was fitted on {}",
                                                          where, x.cols(), fitted));
}

}  // namespace

StandardScaler& StandardScaler::fit(const FeatureMatrix& x) {
    check_fit_input(x, "StandardScaler");
    mean_ = x.colwise().mean();
    const Eigen::RowVectorXd var = (x.rowwise() - mean_).array().square().colwise().mean();
    scale_ = var.array().sqrt();
    for (Eigen::Index c = 0; c < scale_.size(); ++c)
        if (scale_(c) == 0.0) scale_(c) = 1.0;
    return *this;
}

FeatureMatrix StandardScaler::transform(const FeatureMatrix& x) const {
    check_transform_input(x, mean_.size(), "StandardScaler");
    return (x.rowwise() - mean_).array().rowwise() / scale_.array();
}

MinMaxScaler::MinMaxScaler(double low, double high) : low_(low), high_(high) {
    if (!(low < high) || !std::isfinite(low) || !std::isfinite(high))
        throw Error(ErrorCode::invalid_input, fmt::format("MinMaxScaler: the range [{}, {}] is empty or not finite", low, high));
}

MinMaxScaler& MinMaxScaler::fit(const FeatureMatrix& x) {
    check_fit_input(x, "MinMaxScaler");
    min_ = x.colwise().minCoeff();
    max_ = x.colwise().maxCoeff();
    return *this;
}

FeatureMatrix MinMaxScaler::transform(const FeatureMatrix& x) const {
    check_transform_input(x, min_.size(), "MinMaxScaler");
    FeatureMatrix out(x.rows(), x.cols());
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
        const double span = max_(c) - min_(c);
        // A feature constant in training maps to the middle of the range.
        if (span == 0.0)
            out.col(c).setConstant((low_ + high_) / 2);
        else
            out.col(c) = ((x.col(c).array() - min_(c)) / span * (high_ - low_) + low_).matrix();
    }
    return out;
}

}  // namespace kettle
