#include "kettle/image.hpp"

#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {

FeatureMatrix downsample_images(const FeatureMatrix& x, std::size_t side, std::size_t factor) {
    if (side == 0 || factor == 0 || side % factor != 0)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("downsample_images: factor {} does not divide the image side {} (both must be >= 1)", factor, side));
    if (static_cast<std::size_t>(x.cols()) != side * side)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("downsample_images: rows have {} values, a {}x{} image has {}", x.cols(), side, side, side * side));
    const std::size_t small = side / factor;
    const double inv_area = 1.0 / static_cast<double>(factor * factor);
    FeatureMatrix out = FeatureMatrix::Zero(x.rows(), static_cast<Eigen::Index>(small * small));
    for (std::size_t r = 0; r < side; ++r)
        for (std::size_t c = 0; c < side; ++c) {
            const auto from = static_cast<Eigen::Index>(r * side + c);
            const auto to = static_cast<Eigen::Index>((r / factor) * small + c / factor);
            out.col(to) += x.col(from);
        }
    return out * inv_area;
}

Dataset downsample_images(const Dataset& d, std::size_t side, std::size_t factor) {
    Dataset out;
    out.x = downsample_images(d.x, side, factor);
    out.y = d.y;
    out.class_names = d.class_names;
    const std::size_t small = side / factor;
    for (std::size_t r = 0; r < small; ++r)
        for (std::size_t c = 0; c < small; ++c) out.feature_names.push_back(fmt::format("pixel_{}_{}", r, c));
    return out;
}

}  // namespace kettle
