#pragma once
// Seeded, stratified splits of a labelled data set into training and test rows.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kettle/dataset.hpp"

namespace kettle {

/// Row indices of one split. Both lists are sorted ascending and together hold every row once.
struct SplitIndices {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
};

/// Stratified train/test split of the rows with labels `y` (class indices).
///
/// The test set has ceil(test_fraction * n) rows (as scikit-learn), shared among the classes in
/// proportion to their sizes: each class gets floor(test_fraction * n_c), and the rows still
/// missing go one each to the classes with the largest remainders (ties to the lower class
/// index), never taking a class's last training row. Which rows of a class go to the test set is
/// a seeded shuffle of that class's rows (the same on every platform). Preconditions:
/// 0 < test_fraction < 1; at least 2 rows. Throws Error(invalid_input) otherwise, or when the
/// test or training set would be empty. Cost: O(n log n).
[[nodiscard]] SplitIndices stratified_split(std::span<const std::size_t> y, double test_fraction, std::uint64_t seed);

/// The data set split by stratified_split of its labels, as (train, test). Cost: O(n * cols).
struct TrainTest {
    Dataset train;
    Dataset test;
};
[[nodiscard]] TrainTest train_test_split(const Dataset& d, double test_fraction, std::uint64_t seed);

/// Stratified k-fold cross-validation: `k` splits whose test sets are disjoint and cover every
/// row once. Each class's rows are shuffled with the seed and dealt to the folds in turn,
/// continuing from where the previous class stopped, so a class's count differs by at most one
/// between folds, and so do the fold sizes. Preconditions: 2 <= k <= number of rows; throws
/// Error(invalid_input) otherwise. A class with fewer than k rows is absent from some test folds.
/// Cost: O(k * n).
[[nodiscard]] std::vector<SplitIndices> stratified_k_fold(std::span<const std::size_t> y, std::size_t k, std::uint64_t seed);

}  // namespace kettle
