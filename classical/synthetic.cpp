#include "kettle/synthetic.hpp"

#include <cmath>
#include <numbers>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kettle/error.hpp"
#include "portable_random.hpp"

namespace kettle {
namespace {

void check_noise(double noise, const char* where) {
    if (!(noise >= 0.0) || !std::isfinite(noise))
        throw Error(ErrorCode::invalid_input, fmt::format("{}: noise {} must be finite and >= 0", where, noise));
}

void check_two_classes(std::size_t num_samples, const char* where) {
    if (num_samples < 2)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {} sample(s) requested, at least 2 are needed (one per class)",
                                                          where, num_samples));
}

// Evenly spaced points as numpy.linspace(start, stop, count, endpoint).
double spaced(double start, double stop, std::size_t i, std::size_t count, bool endpoint) {
    const std::size_t intervals = endpoint ? count - 1 : count;
    if (intervals == 0) return start;
    return start + (stop - start) * static_cast<double>(i) / static_cast<double>(intervals);
}

// Puts the rows in a seeded random order, then adds N(0, noise^2) to every value. Shuffling first
// keeps the order independent of the noise, so the same seed with and without noise gives the
// same clean points in the same rows.
Dataset finish(const FeatureMatrix& x, const std::vector<std::size_t>& y, std::size_t num_classes, double noise,
               std::mt19937_64& rng) {
    std::vector<std::size_t> order(y.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    detail::shuffle(std::span<std::size_t>(order), rng);
    Dataset d;
    d.x.resize(x.rows(), x.cols());
    d.y.resize(y.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        d.x.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(order[i]));
        d.y[i] = y[order[i]];
    }
    if (noise > 0.0) {
        detail::NormalSource normal(rng);
        for (Eigen::Index r = 0; r < d.x.rows(); ++r)
            for (Eigen::Index c = 0; c < d.x.cols(); ++c) d.x(r, c) += noise * normal();
    }
    for (std::size_t k = 0; k < num_classes; ++k) d.class_names.push_back(std::to_string(k));
    for (Eigen::Index c = 0; c < x.cols(); ++c) d.feature_names.push_back(fmt::format("x{}", c));
    return d;
}

}  // namespace

Dataset make_moons(std::size_t num_samples, double noise, std::uint64_t seed) {
    check_two_classes(num_samples, "make_moons");
    check_noise(noise, "make_moons");
    const std::size_t outer = num_samples / 2, inner = num_samples - outer;
    FeatureMatrix x(static_cast<Eigen::Index>(num_samples), 2);
    std::vector<std::size_t> y(num_samples);
    for (std::size_t i = 0; i < outer; ++i) {
        const double t = spaced(0.0, std::numbers::pi, i, outer, true);
        x.row(static_cast<Eigen::Index>(i)) << std::cos(t), std::sin(t);
        y[i] = 0;
    }
    for (std::size_t i = 0; i < inner; ++i) {
        const double t = spaced(0.0, std::numbers::pi, i, inner, true);
        x.row(static_cast<Eigen::Index>(outer + i)) << 1.0 - std::cos(t), 0.5 - std::sin(t);
        y[outer + i] = 1;
    }
    std::mt19937_64 rng(seed);
    return finish(x, y, 2, noise, rng);
}

Dataset make_circles(std::size_t num_samples, double noise, std::uint64_t seed, double factor) {
    check_two_classes(num_samples, "make_circles");
    check_noise(noise, "make_circles");
    if (!(factor >= 0.0 && factor < 1.0))
        throw Error(ErrorCode::invalid_input, fmt::format("make_circles: factor {} is outside [0, 1)", factor));
    const std::size_t outer = num_samples / 2, inner = num_samples - outer;
    FeatureMatrix x(static_cast<Eigen::Index>(num_samples), 2);
    std::vector<std::size_t> y(num_samples);
    for (std::size_t i = 0; i < outer; ++i) {
        const double t = spaced(0.0, 2.0 * std::numbers::pi, i, outer, false);
        x.row(static_cast<Eigen::Index>(i)) << std::cos(t), std::sin(t);
        y[i] = 0;
    }
    for (std::size_t i = 0; i < inner; ++i) {
        const double t = spaced(0.0, 2.0 * std::numbers::pi, i, inner, false);
        x.row(static_cast<Eigen::Index>(outer + i)) << factor * std::cos(t), factor * std::sin(t);
        y[outer + i] = 1;
    }
    std::mt19937_64 rng(seed);
    return finish(x, y, 2, noise, rng);
}

Dataset make_blobs(std::size_t num_samples, std::size_t num_centres, std::uint64_t seed, std::size_t num_features,
                   double cluster_std, double box_low, double box_high) {
    if (num_centres == 0 || num_samples < num_centres)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("make_blobs: {} samples for {} centres; need at least 1 centre and one sample per centre",
                                num_samples, num_centres));
    if (num_features == 0) throw Error(ErrorCode::invalid_input, "make_blobs: num_features is 0, at least 1 is needed");
    if (!(cluster_std >= 0.0) || !std::isfinite(cluster_std))
        throw Error(ErrorCode::invalid_input, fmt::format("make_blobs: cluster_std {} must be finite and >= 0", cluster_std));
    if (!(box_low < box_high) || !std::isfinite(box_low) || !std::isfinite(box_high))
        throw Error(ErrorCode::invalid_input, fmt::format("make_blobs: the centre box [{}, {}) is empty or not finite", box_low, box_high));
    std::mt19937_64 rng(seed);
    const auto d = static_cast<Eigen::Index>(num_features);
    FeatureMatrix centres(static_cast<Eigen::Index>(num_centres), d);
    for (Eigen::Index k = 0; k < centres.rows(); ++k)
        for (Eigen::Index c = 0; c < d; ++c) centres(k, c) = detail::uniform(rng, box_low, box_high);
    FeatureMatrix x(static_cast<Eigen::Index>(num_samples), d);
    std::vector<std::size_t> y;
    y.reserve(num_samples);
    for (std::size_t k = 0; k < num_centres; ++k) {
        const std::size_t count = num_samples / num_centres + (k < num_samples % num_centres ? 1 : 0);
        for (std::size_t i = 0; i < count; ++i) {
            x.row(static_cast<Eigen::Index>(y.size())) = centres.row(static_cast<Eigen::Index>(k));
            y.push_back(k);
        }
    }
    return finish(x, y, num_centres, cluster_std, rng);
}

Dataset make_xor(std::size_t num_samples, double noise, std::uint64_t seed) {
    check_two_classes(num_samples, "make_xor");
    check_noise(noise, "make_xor");
    // Quadrant q has signs (+,+), (-,+), (-,-), (+,-): classes 0, 1, 0, 1.
    constexpr double sign0[4] = {1.0, -1.0, -1.0, 1.0};
    constexpr double sign1[4] = {1.0, 1.0, -1.0, -1.0};
    std::mt19937_64 rng(seed);
    FeatureMatrix x(static_cast<Eigen::Index>(num_samples), 2);
    std::vector<std::size_t> y(num_samples);
    for (std::size_t i = 0; i < num_samples; ++i) {
        const std::size_t q = i % 4;
        const double a = detail::uniform01(rng), b = detail::uniform01(rng);
        x.row(static_cast<Eigen::Index>(i)) << sign0[q] * a, sign1[q] * b;
        y[i] = q % 2;
    }
    return finish(x, y, 2, noise, rng);
}

}  // namespace kettle
