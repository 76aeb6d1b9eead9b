#pragma once
// Seeded toy data sets for classification, shaped as scikit-learn's make_moons, make_circles and
// make_blobs, plus XOR. The numbers are the same on every platform and standard library (up to
// the C math library's rounding): kettle draws from std::mt19937_64 with its own transforms.
// They are not scikit-learn's numbers, whose generator differs.
//
// Every generator returns rows in a seeded random order, classes named "0", "1", ..., features
// named "x0", "x1", .... Gaussian noise has standard deviation `noise` on every coordinate; it
// is drawn after the row order, so one seed with and without noise gives the same clean points
// in the same rows.
// Throws Error(invalid_input) for a negative or non-finite noise or size that leaves a class
// empty. Cost: O(num_samples * features).

#include <cstddef>
#include <cstdint>

#include "kettle/dataset.hpp"

namespace kettle {

/// Two interleaving half circles in 2-D: class 0 is the upper arc (cos t, sin t), class 1 the
/// lower arc (1 - cos t, 0.5 - sin t), t evenly spaced over [0, pi] including both ends.
/// Class 0 has num_samples / 2 points (rounded down), class 1 the rest. Needs num_samples >= 2.
[[nodiscard]] Dataset make_moons(std::size_t num_samples, double noise, std::uint64_t seed);

/// Two concentric circles in 2-D: class 0 of radius 1, class 1 of radius `factor` (0 <= factor
/// < 1), t evenly spaced over [0, 2 pi) without the end. Class 0 has num_samples / 2 points
/// (rounded down), class 1 the rest. Needs num_samples >= 2.
[[nodiscard]] Dataset make_circles(std::size_t num_samples, double noise, std::uint64_t seed, double factor = 0.8);

/// Isotropic Gaussian blobs: `num_centres` centres drawn uniformly from [box_low, box_high)^d
/// (d = num_features), then for centre k, num_samples / num_centres points (one more for the
/// first num_samples % num_centres centres) drawn from N(centre, cluster_std^2 I), class k.
/// Needs num_centres >= 1, num_samples >= num_centres, num_features >= 1, cluster_std >= 0,
/// box_low < box_high.
[[nodiscard]] Dataset make_blobs(std::size_t num_samples, std::size_t num_centres, std::uint64_t seed,
                                 std::size_t num_features = 2, double cluster_std = 1.0, double box_low = -10.0,
                                 double box_high = 10.0);

/// XOR in 2-D: point i lies in quadrant i mod 4 (uniform in that unit square of [-1, 1]^2) and
/// is class 1 when its coordinates have opposite signs, class 0 otherwise; noise is added after
/// labelling, as for the moons. Classes differ in size by at most one. Needs num_samples >= 2.
[[nodiscard]] Dataset make_xor(std::size_t num_samples, double noise, std::uint64_t seed);

}  // namespace kettle
