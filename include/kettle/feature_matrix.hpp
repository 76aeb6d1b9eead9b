#pragma once
// The matrix type every classical facility takes and returns.

#include <Eigen/Dense>

namespace kettle {

/// Rows are samples, columns features.
using FeatureMatrix = Eigen::MatrixXd;

}  // namespace kettle
