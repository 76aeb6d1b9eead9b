#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "kettle/dataset.hpp"
#include "kettle/error.hpp"
#include "kettle/split.hpp"

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

// 50 rows of class 0, 30 of class 1, 20 of class 2, interleaved.
std::vector<std::size_t> labels() {
    std::vector<std::size_t> y;
    for (int i = 0; i < 100; ++i) y.push_back(i % 10 < 5 ? 0 : (i % 10 < 8 ? 1 : 2));
    return y;
}

void expect_partition(const SplitIndices& s, std::size_t n) {
    EXPECT_TRUE(std::is_sorted(s.train.begin(), s.train.end()));
    EXPECT_TRUE(std::is_sorted(s.test.begin(), s.test.end()));
    std::vector<std::size_t> all = s.train;
    all.insert(all.end(), s.test.begin(), s.test.end());
    std::sort(all.begin(), all.end());
    ASSERT_EQ(all.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(all[i], i);
}

std::vector<std::size_t> counts_of(const std::vector<std::size_t>& rows, const std::vector<std::size_t>& y) {
    std::vector<std::size_t> picked;
    for (const auto r : rows) picked.push_back(y[r]);
    return class_counts(picked, 3);
}

TEST(StratifiedSplit, ProportionalPerClassAndCoversEveryRow) {
    const auto y = labels();
    const SplitIndices s = stratified_split(y, 0.2, 1);
    expect_partition(s, y.size());
    EXPECT_EQ(s.test.size(), 20u);
    EXPECT_EQ(counts_of(s.test, y), (std::vector<std::size_t>{10, 6, 4}));
}

TEST(StratifiedSplit, RemaindersGoToTheLargestFractions) {
    const auto y = labels();
    // 0.25 of 100 = 25 test rows: 12.5, 7.5, 5 by class -> 12, 7, 5, and the one missing row goes
    // to the first of the tied remainders 0.5, 0.5 (class 0).
    const SplitIndices s = stratified_split(y, 0.25, 3);
    EXPECT_EQ(s.test.size(), 25u);
    EXPECT_EQ(counts_of(s.test, y), (std::vector<std::size_t>{13, 7, 5}));
    // ceil(0.33 * 100) = 33: 16.5, 9.9, 6.6 -> 16, 9, 6 plus two: class 1 (0.9), then class 2 (0.6).
    const SplitIndices t = stratified_split(y, 0.33, 3);
    EXPECT_EQ(counts_of(t.test, y), (std::vector<std::size_t>{16, 10, 7}));
}

TEST(StratifiedSplit, DeterministicForASeedAndDifferentAcrossSeeds) {
    const auto y = labels();
    const SplitIndices a = stratified_split(y, 0.3, 42), b = stratified_split(y, 0.3, 42), c = stratified_split(y, 0.3, 43);
    EXPECT_EQ(a.test, b.test);
    EXPECT_EQ(a.train, b.train);
    EXPECT_NE(a.test, c.test);
}

TEST(StratifiedSplit, EveryClassKeepsATrainingRow) {
    const std::vector<std::size_t> y{0, 0, 0, 0, 0, 0, 1, 2, 2};
    const SplitIndices s = stratified_split(y, 0.5, 0);
    expect_partition(s, y.size());
    const auto train = counts_of(s.train, y);
    for (const auto c : train) EXPECT_GE(c, 1u);
}

TEST(StratifiedSplit, Validation) {
    const auto y = labels();
    expect_invalid([&] { (void)stratified_split(y, 0.0, 0); }, "test fraction 0 is outside (0, 1)");
    expect_invalid([&] { (void)stratified_split(y, 1.0, 0); }, "test fraction 1 is outside (0, 1)");
    const std::vector<std::size_t> one{0};
    expect_invalid([&] { (void)stratified_split(one, 0.5, 0); }, "1 row(s), at least 2");
    const std::vector<std::size_t> singles{0, 1, 2};
    expect_invalid([&] { (void)stratified_split(singles, 0.5, 0); }, "every class has a single row");
}

TEST(TrainTestSplit, SplitsTheDataSetRows) {
    Dataset d;
    d.y = labels();
    d.x.resize(100, 1);
    for (int i = 0; i < 100; ++i) d.x(i, 0) = i;
    d.class_names = {"a", "b", "c"};
    d.feature_names = {"f"};
    const TrainTest tt = train_test_split(d, 0.2, 5);
    const SplitIndices s = stratified_split(d.y, 0.2, 5);
    ASSERT_EQ(tt.test.num_samples(), s.test.size());
    for (std::size_t i = 0; i < s.test.size(); ++i) {
        EXPECT_EQ(tt.test.x(static_cast<Eigen::Index>(i), 0), static_cast<double>(s.test[i]));
        EXPECT_EQ(tt.test.y[i], d.y[s.test[i]]);
    }
    EXPECT_EQ(tt.train.num_samples(), 80u);
    EXPECT_EQ(tt.train.class_names, d.class_names);
}

TEST(StratifiedKFold, FoldsPartitionTheRowsEvenly) {
    const auto y = labels();
    const auto folds = stratified_k_fold(y, 3, 8);
    ASSERT_EQ(folds.size(), 3u);
    std::vector<std::size_t> seen(y.size(), 0);
    for (const auto& f : folds) {
        expect_partition(f, y.size());
        EXPECT_GE(f.test.size(), 33u);
        EXPECT_LE(f.test.size(), 34u);
        const auto c = counts_of(f.test, y);
        EXPECT_TRUE(c[0] == 16 || c[0] == 17) << c[0];
        EXPECT_TRUE(c[1] == 10) << c[1];
        EXPECT_TRUE(c[2] == 6 || c[2] == 7) << c[2];
        for (const auto r : f.test) ++seen[r];
    }
    for (const auto s : seen) EXPECT_EQ(s, 1u);
    EXPECT_EQ(stratified_k_fold(y, 3, 8)[1].test, folds[1].test);
    EXPECT_NE(stratified_k_fold(y, 3, 9)[1].test, folds[1].test);
    expect_invalid([&] { (void)stratified_k_fold(y, 1, 0); }, "1 folds for 100 rows; need 2 <= folds <= rows");
    expect_invalid([&] { (void)stratified_k_fold(y, 101, 0); }, "101 folds");
}

}  // namespace
}  // namespace kettle
