#pragma once
// Shrinking square images stored one per row, e.g. the 8x8 digits to 4x4 for fewer qubits.

#include <cstddef>

#include "kettle/dataset.hpp"
#include "kettle/feature_matrix.hpp"

namespace kettle {

/// Downsamples images by averaging factor x factor blocks. Each row of `x` is one side x side
/// image in row-major order (pixel (r, c) in column r * side + c); each row of the result is the
/// (side / factor)^2 block means in the same order. Preconditions: side >= 1, factor >= 1,
/// side % factor == 0, x.cols() == side * side; throws Error(invalid_input) otherwise.
/// Cost: O(rows * side^2).
[[nodiscard]] FeatureMatrix downsample_images(const FeatureMatrix& x, std::size_t side, std::size_t factor);

/// As above on a data set; labels are kept and the features are renamed "pixel_<row>_<col>" of
/// the smaller image.
[[nodiscard]] Dataset downsample_images(const Dataset& d, std::size_t side, std::size_t factor);

}  // namespace kettle
