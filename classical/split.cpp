#include "kettle/split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include <fmt/format.h>

#include "kettle/error.hpp"
#include "portable_random.hpp"

namespace kettle {
namespace {

// Rows of each class, each list shuffled by one generator in class order.
std::vector<std::vector<std::size_t>> shuffled_rows_by_class(std::span<const std::size_t> y, std::uint64_t seed) {
    const std::size_t num_classes = y.empty() ? 0 : *std::max_element(y.begin(), y.end()) + 1;
    std::vector<std::vector<std::size_t>> rows(num_classes);
    for (std::size_t i = 0; i < y.size(); ++i) rows[y[i]].push_back(i);
    std::mt19937_64 rng(seed);
    for (auto& list : rows) detail::shuffle(std::span<std::size_t>(list), rng);
    return rows;
}

}  // namespace

SplitIndices stratified_split(std::span<const std::size_t> y, double test_fraction, std::uint64_t seed) {
    if (!(test_fraction > 0.0 && test_fraction < 1.0))
        throw Error(ErrorCode::invalid_input, fmt::format("stratified_split: test fraction {} is outside (0, 1)", test_fraction));
    const std::size_t n = y.size();
    if (n < 2) throw Error(ErrorCode::invalid_input, fmt::format("stratified_split: {} row(s), at least 2 are needed", n));
    const auto n_test = static_cast<std::size_t>(std::ceil(test_fraction * static_cast<double>(n) - 1e-9));
    if (n_test == 0 || n_test >= n)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("stratified_split: a test fraction of {} of {} rows leaves {} test and {} training rows; both must be > 0",
                                test_fraction, n, n_test, n - std::min(n_test, n)));

    const auto rows = shuffled_rows_by_class(y, seed);
    const std::size_t num_classes = rows.size();
    std::vector<std::size_t> take(num_classes);
    std::vector<double> remainder(num_classes);
    std::size_t taken = 0;
    for (std::size_t c = 0; c < num_classes; ++c) {
        const double exact = test_fraction * static_cast<double>(rows[c].size());
        take[c] = std::min(static_cast<std::size_t>(std::floor(exact)), rows[c].size() == 0 ? 0 : rows[c].size() - 1);
        remainder[c] = exact - static_cast<double>(take[c]);
        taken += take[c];
    }
    std::vector<std::size_t> order(num_classes);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    // Hand out the missing test rows by largest remainder; a pass may skip full classes, so repeat.
    for (bool progress = true; taken < n_test && progress;) {
        progress = false;
        for (std::size_t c : order) {
            if (taken == n_test) break;
            if (take[c] + 1 < rows[c].size()) {
                ++take[c];
                ++taken;
                progress = true;
            }
        }
    }
    SplitIndices out;
    for (std::size_t c = 0; c < num_classes; ++c) {
        out.test.insert(out.test.end(), rows[c].begin(), rows[c].begin() + static_cast<std::ptrdiff_t>(take[c]));
        out.train.insert(out.train.end(), rows[c].begin() + static_cast<std::ptrdiff_t>(take[c]), rows[c].end());
    }
    if (out.test.empty())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("stratified_split: every class has a single row, so no test row can be drawn ({} rows)", n));
    std::sort(out.train.begin(), out.train.end());
    std::sort(out.test.begin(), out.test.end());
    return out;
}

TrainTest train_test_split(const Dataset& d, double test_fraction, std::uint64_t seed) {
    validate_dataset(d, "train_test_split");
    const SplitIndices s = stratified_split(d.y, test_fraction, seed);
    return {subset(d, s.train), subset(d, s.test)};
}

std::vector<SplitIndices> stratified_k_fold(std::span<const std::size_t> y, std::size_t k, std::uint64_t seed) {
    if (k < 2 || k > y.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("stratified_k_fold: {} folds for {} rows; need 2 <= folds <= rows", k, y.size()));
    std::vector<std::size_t> fold_of(y.size());
    std::size_t next = 0;
    for (const auto& list : shuffled_rows_by_class(y, seed))
        for (const std::size_t row : list) fold_of[row] = next++ % k;
    std::vector<SplitIndices> folds(k);
    for (std::size_t row = 0; row < y.size(); ++row)
        for (std::size_t f = 0; f < k; ++f) (fold_of[row] == f ? folds[f].test : folds[f].train).push_back(row);
    return folds;
}

}  // namespace kettle
