#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "kettle/dataset.hpp"
#include "kettle/error.hpp"
#include "kettle/image.hpp"

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

Dataset small() {
    Dataset d;
    d.x.resize(4, 2);
    d.x << 0, 1, 2, 3, 4, 5, 6, 7;
    d.y = {2, 0, 1, 2};
    d.class_names = {"a", "b", "c"};
    d.feature_names = {"u", "v"};
    return d;
}

TEST(Dataset, ValidateFindsEachInconsistency) {
    EXPECT_NO_THROW(validate_dataset(small(), "here"));
    Dataset d = small();
    d.y.pop_back();
    expect_invalid([&] { validate_dataset(d, "here"); }, "here: the data set has 4 rows but 3 labels");
    d = small();
    d.feature_names.pop_back();
    expect_invalid([&] { validate_dataset(d, "here"); }, "2 columns but 1 feature names");
    d = small();
    d.y[1] = 3;
    expect_invalid([&] { validate_dataset(d, "here"); }, "row 1 has class index 3, but there are 3 classes (valid 0..2)");
    d = small();
    d.x(2, 1) = std::numeric_limits<double>::quiet_NaN();
    expect_invalid([&] { validate_dataset(d, "here"); }, "row 2, column 1");
}

TEST(Dataset, ClassCounts) {
    const Dataset d = small();
    EXPECT_EQ(class_counts(d.y, 3), (std::vector<std::size_t>{1, 1, 2}));
    EXPECT_EQ(class_counts(d.y, 4), (std::vector<std::size_t>{1, 1, 2, 0}));
}

TEST(Dataset, SubsetKeepsOrderAndNames) {
    const std::vector<std::size_t> rows{3, 1, 3};
    const Dataset s = subset(small(), rows);
    ASSERT_EQ(s.num_samples(), 3u);
    EXPECT_EQ(s.y, (std::vector<std::size_t>{2, 0, 2}));
    EXPECT_DOUBLE_EQ(s.x(0, 0), 6.0);
    EXPECT_DOUBLE_EQ(s.x(1, 1), 3.0);
    EXPECT_EQ(s.class_names, small().class_names);
    EXPECT_EQ(s.feature_names, small().feature_names);
    const std::vector<std::size_t> bad{4};
    expect_invalid([&] { (void)subset(small(), bad); }, "row index 4 is out of range");
}

TEST(Dataset, SelectClassesRelabelsInTheGivenOrder) {
    const std::vector<std::string> wanted{"c", "a"};
    const Dataset s = select_classes(small(), wanted);
    EXPECT_EQ(s.class_names, wanted);
    EXPECT_EQ(s.y, (std::vector<std::size_t>{0, 1, 0}));
    EXPECT_DOUBLE_EQ(s.x(1, 0), 2.0);
    const std::vector<std::string> unknown{"a", "z"}, twice{"a", "a"}, one{"a"};
    expect_invalid([&] { (void)select_classes(small(), unknown); }, "no class named \"z\" (classes: a, b, c)");
    expect_invalid([&] { (void)select_classes(small(), twice); }, "named twice");
    expect_invalid([&] { (void)select_classes(small(), one); }, "at least 2");
}

TEST(Image, AveragesBlocksRowMajor) {
    // One 4x4 image with pixel (r, c) = 4r + c, and its negative.
    FeatureMatrix x(2, 16);
    for (int i = 0; i < 16; ++i) {
        x(0, i) = i;
        x(1, i) = -i;
    }
    const FeatureMatrix z = downsample_images(x, 4, 2);
    ASSERT_EQ(z.cols(), 4);
    // Top-left block holds 0, 1, 4, 5; top-right 2, 3, 6, 7; bottom-left 8, 9, 12, 13.
    EXPECT_DOUBLE_EQ(z(0, 0), 2.5);
    EXPECT_DOUBLE_EQ(z(0, 1), 4.5);
    EXPECT_DOUBLE_EQ(z(0, 2), 10.5);
    EXPECT_DOUBLE_EQ(z(0, 3), 12.5);
    EXPECT_DOUBLE_EQ(z(1, 3), -12.5);
    EXPECT_TRUE(downsample_images(x, 4, 1).isApprox(x));
    const FeatureMatrix mean = downsample_images(x, 4, 4);
    EXPECT_DOUBLE_EQ(mean(0, 0), 7.5);
}

TEST(Image, DatasetRenamesFeaturesAndKeepsLabels) {
    Dataset d;
    d.x = FeatureMatrix::Ones(3, 64);
    d.y = {0, 1, 1};
    d.class_names = {"0", "1"};
    d.feature_names.assign(64, "p");
    const Dataset s = downsample_images(d, 8, 2);
    EXPECT_EQ(s.num_features(), 16u);
    EXPECT_EQ(s.feature_names[5], "pixel_1_1");
    EXPECT_EQ(s.y, d.y);
    EXPECT_TRUE(s.x.isApprox(FeatureMatrix::Ones(3, 16)));
}

TEST(Image, RejectsBadShapes) {
    const FeatureMatrix x = FeatureMatrix::Zero(1, 64);
    expect_invalid([&] { (void)downsample_images(x, 8, 3); }, "factor 3 does not divide the image side 8");
    expect_invalid([&] { (void)downsample_images(x, 8, 0); }, "factor 0");
    expect_invalid([&] { (void)downsample_images(x, 4, 2); }, "rows have 64 values, a 4x4 image has 16");
}

}  // namespace
}  // namespace kettle
