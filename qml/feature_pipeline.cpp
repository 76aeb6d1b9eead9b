#include "kettle/feature_pipeline.hpp"

#include <cmath>
#include <fmt/format.h>

#include "kettle/error.hpp"
#include "kettle/image.hpp"
#include "kettle/pca.hpp"
#include "kettle/scaler.hpp"

namespace kettle {
namespace {

bool finite(const Eigen::MatrixXd& m) { return m.allFinite(); }

}  // namespace

FeaturePipeline FeaturePipeline::fit(const FeatureMatrix& x, const PipelineOptions& o) {
    FeaturePipeline p;
    p.num_inputs = std::size_t(x.cols());
    FeatureMatrix z = x;
    if (o.image_side > 0) {
        z = downsample_images(z, o.image_side, o.image_factor);
        p.image_side = o.image_side;
        p.image_factor = o.image_factor;
    }
    if (o.standardize) {
        StandardScaler s;
        s.fit(z);
        p.standard_mean = s.mean();
        p.standard_scale = s.scale();
        z = (z.rowwise() - p.standard_mean).array().rowwise() / p.standard_scale.array();
    }
    if (o.pca_components > 0) {
        PCA pca(o.pca_components);
        pca.fit(z);
        p.pca_mean = pca.mean();
        p.pca_components = pca.components();
        z = (z.rowwise() - p.pca_mean) * p.pca_components.transpose();
    }
    if (o.min_max) {
        MinMaxScaler m(o.low, o.high);  // validates the range
        m.fit(z);
        p.min_max_min = m.data_min();
        p.min_max_max = m.data_max();
        p.min_max_low = o.low;
        p.min_max_high = o.high;
    }
    return p;
}

FeatureMatrix FeaturePipeline::transform(const FeatureMatrix& x) const {
    if (std::size_t(x.cols()) != num_inputs)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("FeaturePipeline::transform: the data has {} columns, the pipeline takes {}", x.cols(),
                                num_inputs));
    FeatureMatrix z = image_side > 0 ? downsample_images(x, image_side, image_factor) : x;
    if (standard_mean.size() > 0) z = (z.rowwise() - standard_mean).array().rowwise() / standard_scale.array();
    if (pca_components.size() > 0) z = (z.rowwise() - pca_mean) * pca_components.transpose();
    if (min_max_min.size() > 0) {
        for (Eigen::Index c = 0; c < z.cols(); ++c) {
            const double span = min_max_max(c) - min_max_min(c);
            // A feature constant in training maps to the middle of the range, as MinMaxScaler.
            if (span == 0.0)
                z.col(c).setConstant((min_max_low + min_max_high) / 2);
            else
                z.col(c) = ((z.col(c).array() - min_max_min(c)) / span * (min_max_high - min_max_low) +
                            min_max_low).matrix();
        }
    }
    return z;
}

std::size_t FeaturePipeline::num_outputs() const {
    if (pca_components.size() > 0) return std::size_t(pca_components.rows());
    if (image_side > 0) return (image_side / image_factor) * (image_side / image_factor);
    return num_inputs;
}

void FeaturePipeline::validate(const char* where) const {
    auto fail = [where](const std::string& what) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: feature pipeline: {}", where, what));
    };
    if (num_inputs == 0) fail("0 inputs");
    std::size_t width = num_inputs;
    if (image_side > 0) {
        if (image_factor == 0 || image_side % image_factor != 0 || image_side * image_side != num_inputs)
            fail(fmt::format("images of side {} reduced by {} do not fit {} inputs", image_side, image_factor,
                             num_inputs));
        width = (image_side / image_factor) * (image_side / image_factor);
    }
    if (standard_mean.size() > 0 || standard_scale.size() > 0) {
        if (std::size_t(standard_mean.size()) != width || std::size_t(standard_scale.size()) != width)
            fail(fmt::format("standardisation of {} and {} values for {} features", standard_mean.size(),
                             standard_scale.size(), width));
        if (!finite(standard_mean) || !finite(standard_scale) || (standard_scale.array() == 0).any())
            fail("a standardisation mean or scale is zero, NaN or infinite");
    }
    if (pca_components.size() > 0 || pca_mean.size() > 0) {
        if (std::size_t(pca_mean.size()) != width || std::size_t(pca_components.cols()) != width)
            fail(fmt::format("PCA of {} components over {} values for {} features", pca_components.rows(),
                             pca_components.cols(), width));
        if (!finite(pca_mean) || !finite(pca_components)) fail("a PCA number is NaN or infinite");
        width = std::size_t(pca_components.rows());
    }
    if (min_max_min.size() > 0 || min_max_max.size() > 0) {
        if (std::size_t(min_max_min.size()) != width || std::size_t(min_max_max.size()) != width)
            fail(fmt::format("min-max scaling of {} and {} values for {} features", min_max_min.size(),
                             min_max_max.size(), width));
        if (!finite(min_max_min) || !finite(min_max_max) || !std::isfinite(min_max_low) ||
            !std::isfinite(min_max_high) || !(min_max_low < min_max_high))
            fail("a min-max bound is NaN or infinite, or the range is empty");
    }
}

}  // namespace kettle
