#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <string>

#include "kettle/error.hpp"
#include "kettle/scaler.hpp"

namespace kettle {
namespace {

// Runs `f`, which must throw Error(invalid_input) whose message contains `text`.
void expect_invalid(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected Error(invalid_input) containing \"" << text << "\", nothing was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << e.what();
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

// Three samples of three features; the last feature is constant.
FeatureMatrix sample_data() {
    FeatureMatrix x(3, 3);
    x << 1.0, 10.0, 5.0,
         2.0, 20.0, 5.0,
         6.0, 60.0, 5.0;
    return x;
}

TEST(StandardScaler, LearnsPopulationMeanAndDeviation) {
    StandardScaler s;
    s.fit(sample_data());
    EXPECT_DOUBLE_EQ(s.mean()(0), 3.0);
    EXPECT_DOUBLE_EQ(s.mean()(1), 30.0);
    EXPECT_DOUBLE_EQ(s.mean()(2), 5.0);
    // Population variance of {1, 2, 6}: (4 + 1 + 9) / 3.
    EXPECT_DOUBLE_EQ(s.scale()(0), std::sqrt(14.0 / 3.0));
    EXPECT_DOUBLE_EQ(s.scale()(1), 10 * std::sqrt(14.0 / 3.0));
}

TEST(StandardScaler, TransformGivesZeroMeanUnitVariance) {
    const FeatureMatrix x = sample_data();
    const FeatureMatrix z = StandardScaler().fit(x).transform(x);
    ASSERT_EQ(z.rows(), 3);
    ASSERT_EQ(z.cols(), 3);
    for (Eigen::Index c = 0; c < 2; ++c) {
        EXPECT_NEAR(z.col(c).mean(), 0.0, 1e-12);
        EXPECT_NEAR(z.col(c).array().square().mean(), 1.0, 1e-12);
    }
    EXPECT_NEAR(z(0, 0), -2.0 / std::sqrt(14.0 / 3.0), 1e-12);
    EXPECT_NEAR(z(2, 1), 3.0 / std::sqrt(14.0 / 3.0), 1e-12);
}

TEST(StandardScaler, ConstantColumnIsOnlyCentred) {
    const FeatureMatrix x = sample_data();
    StandardScaler s;
    s.fit(x);
    EXPECT_DOUBLE_EQ(s.scale()(2), 1.0);
    FeatureMatrix y(1, 3);
    y << 0.0, 0.0, 7.5;
    const FeatureMatrix z = s.transform(y);
    EXPECT_DOUBLE_EQ(z(0, 2), 2.5);
    for (Eigen::Index r = 0; r < x.rows(); ++r) EXPECT_DOUBLE_EQ(s.transform(x)(r, 2), 0.0);
}

TEST(StandardScaler, AppliesTrainingStatisticsToNewData) {
    StandardScaler s;
    s.fit(sample_data());
    FeatureMatrix y(2, 3);
    y << 3.0, 30.0, 5.0,
         3.0 + std::sqrt(14.0 / 3.0), 0.0, 5.0;
    const FeatureMatrix z = s.transform(y);
    EXPECT_NEAR(z(0, 0), 0.0, 1e-12);
    EXPECT_NEAR(z(1, 0), 1.0, 1e-12);
    EXPECT_NEAR(z(1, 1), -30.0 / (10 * std::sqrt(14.0 / 3.0)), 1e-12);
}

TEST(StandardScaler, Errors) {
    expect_invalid([] { StandardScaler().fit(FeatureMatrix(0, 3)); }, "StandardScaler::fit: the data has no rows");
    FeatureMatrix bad = sample_data();
    bad(1, 2) = std::numeric_limits<double>::quiet_NaN();
    expect_invalid([&] { StandardScaler().fit(bad); }, "StandardScaler::fit: value at row 1, column 2 is NaN");
    bad(1, 2) = std::numeric_limits<double>::infinity();
    expect_invalid([&] { StandardScaler().fit(bad); }, "row 1, column 2 is NaN or infinite");
    expect_invalid([] { (void)StandardScaler().transform(sample_data()); },
                   "StandardScaler::transform: the scaler is not fitted");
    StandardScaler s;
    s.fit(sample_data());
    expect_invalid([&] { (void)s.transform(FeatureMatrix::Zero(2, 4)); },
                   "StandardScaler::transform: the data has 4 columns, the scaler was fitted on 3");
}

TEST(MinMaxScaler, MapsTrainingRangeOntoTarget) {
    const FeatureMatrix x = sample_data();
    MinMaxScaler s(0.0, std::numbers::pi);
    s.fit(x);
    EXPECT_DOUBLE_EQ(s.data_min()(0), 1.0);
    EXPECT_DOUBLE_EQ(s.data_max()(0), 6.0);
    EXPECT_DOUBLE_EQ(s.data_min()(1), 10.0);
    EXPECT_DOUBLE_EQ(s.data_max()(1), 60.0);
    const FeatureMatrix z = s.transform(x);
    for (Eigen::Index c = 0; c < 2; ++c) {
        EXPECT_NEAR(z(0, c), 0.0, 1e-15);
        EXPECT_NEAR(z(1, c), std::numbers::pi / 5, 1e-15);
        EXPECT_NEAR(z(2, c), std::numbers::pi, 1e-15);
    }
}

TEST(MinMaxScaler, DefaultRangeIsUnitInterval) {
    const FeatureMatrix z = MinMaxScaler().fit(sample_data()).transform(sample_data());
    EXPECT_DOUBLE_EQ(z(0, 0), 0.0);
    EXPECT_DOUBLE_EQ(z(1, 0), 0.2);
    EXPECT_DOUBLE_EQ(z(2, 0), 1.0);
}

TEST(MinMaxScaler, ConstantColumnMapsToMiddle) {
    MinMaxScaler s(-1.0, 3.0);
    s.fit(sample_data());
    FeatureMatrix y(2, 3);
    y << 1.0, 10.0, 5.0,
         1.0, 10.0, -100.0;
    const FeatureMatrix z = s.transform(y);
    EXPECT_DOUBLE_EQ(z(0, 2), 1.0);
    EXPECT_DOUBLE_EQ(z(1, 2), 1.0);
}

TEST(MinMaxScaler, DoesNotClipOutsideTrainingRange) {
    MinMaxScaler s;
    s.fit(sample_data());
    FeatureMatrix y(2, 3);
    y << -4.0, 110.0, 5.0,
         11.0, 35.0, 5.0;
    const FeatureMatrix z = s.transform(y);
    EXPECT_DOUBLE_EQ(z(0, 0), -1.0);
    EXPECT_DOUBLE_EQ(z(0, 1), 2.0);
    EXPECT_DOUBLE_EQ(z(1, 0), 2.0);
    EXPECT_DOUBLE_EQ(z(1, 1), 0.5);
}

TEST(MinMaxScaler, Errors) {
    expect_invalid([] { MinMaxScaler(1.0, 1.0); }, "MinMaxScaler: the range [1, 1] is empty or not finite");
    expect_invalid([] { MinMaxScaler(2.0, -2.0); }, "the range [2, -2] is empty");
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    expect_invalid([] { MinMaxScaler(0.0, inf); }, "[0, inf] is empty or not finite");
    expect_invalid([] { MinMaxScaler(nan, 1.0); }, "is empty or not finite");
    expect_invalid([] { MinMaxScaler().fit(FeatureMatrix(2, 0)); },
                   "MinMaxScaler::fit: the data has no rows or no columns");
    FeatureMatrix bad = sample_data();
    bad(2, 0) = -inf;
    expect_invalid([&] { MinMaxScaler().fit(bad); },
                   "MinMaxScaler::fit: value at row 2, column 0 is NaN or infinite");
    expect_invalid([] { (void)MinMaxScaler().transform(sample_data()); },
                   "MinMaxScaler::transform: the scaler is not fitted");
    MinMaxScaler s;
    s.fit(sample_data());
    expect_invalid([&] { (void)s.transform(FeatureMatrix::Zero(1, 2)); },
                   "MinMaxScaler::transform: the data has 2 columns, the scaler was fitted on 3");
}

}  // namespace
}  // namespace kettle
