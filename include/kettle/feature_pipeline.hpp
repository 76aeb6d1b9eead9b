#pragma once
// The classical steps between raw rows and a model's features, fitted on training rows and
// stored with the model so that predictions see exactly the transformation training saw.

#include <cstddef>
#include <numbers>

#include <Eigen/Dense>

#include "kettle/feature_matrix.hpp"

namespace kettle {

/// Which steps FeaturePipeline::fit learns, applied in this order.
struct PipelineOptions {
    /// Images of image_side x image_side pixels per row, averaged over image_factor x
    /// image_factor blocks (downsample_images); 0: no downsampling.
    std::size_t image_side = 0;
    std::size_t image_factor = 1;
    bool standardize = true;          ///< StandardScaler
    std::size_t pca_components = 0;   ///< PCA to at most this many components; 0: none
    bool min_max = true;              ///< MinMaxScaler onto [low, high]
    double low = 0.0;
    double high = std::numbers::pi;
};

/// The fitted numbers of each step; an empty vector means the step is absent. Plain data, so
/// that model files can store and restore it exactly.
struct FeaturePipeline {
    std::size_t num_inputs = 0;  ///< width of the raw rows
    std::size_t image_side = 0, image_factor = 1;
    Eigen::RowVectorXd standard_mean, standard_scale;
    Eigen::RowVectorXd pca_mean;
    Eigen::MatrixXd pca_components;  ///< one component per row
    Eigen::RowVectorXd min_max_min, min_max_max;
    double min_max_low = 0.0, min_max_high = 1.0;

    /// Learns the steps of `options` from training rows x, with kettle's classical facilities
    /// (downsample_images, StandardScaler, PCA, MinMaxScaler). Throws Error(invalid_input) as
    /// those do (too few rows, non-finite values, image sizes that do not divide).
    [[nodiscard]] static FeaturePipeline fit(const FeatureMatrix& x, const PipelineOptions& options);

    /// Applies the steps to raw rows. Throws Error(invalid_input) if the width is not
    /// num_inputs or the pipeline is malformed. Cost: O(rows * width * components).
    [[nodiscard]] FeatureMatrix transform(const FeatureMatrix& x) const;

    /// The width transform returns.
    [[nodiscard]] std::size_t num_outputs() const;

    /// Throws Error(invalid_input), naming `where`, unless the step sizes agree with each other
    /// and every number is finite (scales and ranges non-zero): what a loaded file must pass.
    void validate(const char* where) const;
};

}  // namespace kettle
