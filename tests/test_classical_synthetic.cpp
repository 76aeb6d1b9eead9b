#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <string>

#include "../classical/portable_random.hpp"
#include "kettle/dataset.hpp"
#include "kettle/error.hpp"
#include "kettle/synthetic.hpp"

namespace kettle {
namespace {

void expect_invalid(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected Error(invalid_input) containing \"" << text << "\", nothing was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << e.what();
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

TEST(PortableRandom, UniformAndNormalMoments) {
    std::mt19937_64 rng(7);
    detail::NormalSource normal(rng);
    constexpr int n = 200000;
    double sum = 0, sum_sq = 0;
    int within_one = 0;
    for (int i = 0; i < n; ++i) {
        const double z = normal();
        sum += z;
        sum_sq += z * z;
        within_one += std::abs(z) < 1.0;
    }
    EXPECT_NEAR(sum / n, 0.0, 0.01);
    EXPECT_NEAR(sum_sq / n, 1.0, 0.015);
    EXPECT_NEAR(static_cast<double>(within_one) / n, 0.6827, 0.005);

    std::mt19937_64 words(7);
    std::vector<int> histogram(5, 0);
    for (int i = 0; i < 50000; ++i) {
        const double u = detail::uniform01(words);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ++histogram[static_cast<std::size_t>(detail::uniform_below(words, 5))];
    }
    for (const int count : histogram) EXPECT_NEAR(count, 10000, 400);
}

TEST(PortableRandom, ValuesFixedByTheStandardGenerator) {
    // mt19937_64's 10000th output from the default seed is fixed by the C++ standard, so the
    // transforms built on it give these numbers with every standard library.
    std::mt19937_64 rng;
    rng.discard(9999);
    const std::uint64_t word = rng();
    ASSERT_EQ(word, 9981545732273789042ull);
    std::mt19937_64 again;
    again.discard(9999);
    EXPECT_DOUBLE_EQ(detail::uniform01(again), static_cast<double>(word >> 11) / 9007199254740992.0);
}

TEST(Synthetic, MoonsWithoutNoiseLieOnTheArcs) {
    const Dataset d = make_moons(101, 0.0, 3);
    ASSERT_EQ(d.num_samples(), 101u);
    EXPECT_EQ(class_counts(d.y, 2), (std::vector<std::size_t>{50, 51}));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x0", "x1"}));
    for (std::size_t i = 0; i < d.num_samples(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        const double cx = d.y[i] == 0 ? 0.0 : 1.0, cy = d.y[i] == 0 ? 0.0 : 0.5;
        EXPECT_NEAR(std::hypot(d.x(r, 0) - cx, d.x(r, 1) - cy), 1.0, 1e-12);
        EXPECT_TRUE(d.y[i] == 0 ? d.x(r, 1) >= -1e-12 : d.x(r, 1) <= 0.5 + 1e-12);
    }
}

TEST(Synthetic, NoiseHasTheRequestedDeviation) {
    const Dataset clean = make_circles(4000, 0.0, 11, 0.5);
    const Dataset noisy = make_circles(4000, 0.1, 11, 0.5);
    // The same seed gives the same row order, so the difference is the noise alone.
    ASSERT_EQ(clean.y, noisy.y);
    const Eigen::ArrayXXd diff = noisy.x - clean.x;
    EXPECT_NEAR(diff.mean(), 0.0, 0.005);
    EXPECT_NEAR(std::sqrt(diff.square().mean()), 0.1, 0.003);
    for (std::size_t i = 0; i < clean.num_samples(); ++i)
        EXPECT_NEAR(clean.x.row(static_cast<Eigen::Index>(i)).norm(), clean.y[i] == 0 ? 1.0 : 0.5, 1e-12);
}

TEST(Synthetic, SameSeedSameDataOtherSeedOtherData) {
    const Dataset a = make_moons(50, 0.1, 42), b = make_moons(50, 0.1, 42), c = make_moons(50, 0.1, 43);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.y, b.y);
    EXPECT_NE(a.x, c.x);
}

TEST(Synthetic, PinnedValuesGuardAgainstChangedStreams) {
    // Recorded from this implementation; a change here means every seeded data set changed.
    // The tolerance allows for last-bit differences of log/sin/cos between C math libraries.
    const Dataset d = make_moons(4, 0.1, 1);
    const double expected[4][2] = {{-1.1646256614151471, 0.22391959951508811},
                                   {-0.04236034099687716, 0.50787338189565145},
                                   {1.7936554199166925, 0.40314355497102056},
                                   {1.0806093758822948, 0.050768622008260947}};
    EXPECT_EQ(d.y, (std::vector<std::size_t>{0, 1, 1, 0}));
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 2; ++c) EXPECT_NEAR(d.x(r, c), expected[r][c], 1e-12) << r << "," << c;
}

TEST(Synthetic, BlobsHaveTheirCentresAndSizes) {
    const Dataset d = make_blobs(3002, 3, 5, 4, 0.5);
    EXPECT_EQ(d.num_features(), 4u);
    EXPECT_EQ(class_counts(d.y, 3), (std::vector<std::size_t>{1001, 1001, 1000}));
    for (std::size_t k = 0; k < 3; ++k) {
        Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(4);
        double sq = 0;
        std::size_t count = 0;
        for (std::size_t i = 0; i < d.num_samples(); ++i)
            if (d.y[i] == k) {
                sum += d.x.row(static_cast<Eigen::Index>(i));
                ++count;
            }
        const Eigen::RowVectorXd centre = sum / static_cast<double>(count);
        EXPECT_TRUE((centre.array().abs() < 10.1).all());
        for (std::size_t i = 0; i < d.num_samples(); ++i)
            if (d.y[i] == k) sq += (d.x.row(static_cast<Eigen::Index>(i)) - centre).squaredNorm();
        EXPECT_NEAR(std::sqrt(sq / static_cast<double>(count * 4)), 0.5, 0.02);
    }
}

TEST(Synthetic, XorLabelsFollowTheSignsAndAreBalanced) {
    const Dataset d = make_xor(203, 0.0, 9);
    EXPECT_EQ(class_counts(d.y, 2), (std::vector<std::size_t>{102, 101}));
    for (std::size_t i = 0; i < d.num_samples(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        EXPECT_LE(d.x.row(r).cwiseAbs().maxCoeff(), 1.0);
        EXPECT_EQ(d.y[i], (d.x(r, 0) * d.x(r, 1) < 0) ? 1u : 0u);
    }
}

TEST(Synthetic, Validation) {
    expect_invalid([] { (void)make_moons(1, 0.1, 0); }, "make_moons: 1 sample(s) requested, at least 2");
    expect_invalid([] { (void)make_moons(10, -0.1, 0); }, "make_moons: noise -0.1 must be finite and >= 0");
    expect_invalid([] { (void)make_circles(10, 0.1, 0, 1.0); }, "make_circles: factor 1 is outside [0, 1)");
    expect_invalid([] { (void)make_blobs(2, 3, 0); }, "make_blobs: 2 samples for 3 centres");
    expect_invalid([] { (void)make_blobs(10, 2, 0, 0); }, "num_features is 0");
    expect_invalid([] { (void)make_blobs(10, 2, 0, 2, 1.0, 1.0, 1.0); }, "centre box [1, 1) is empty");
    expect_invalid([] { (void)make_xor(10, std::nan(""), 0); }, "make_xor: noise nan");
}

}  // namespace
}  // namespace kettle
