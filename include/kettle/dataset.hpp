#pragma once
// A labelled data set: a feature matrix, one class index per row, and the names behind both.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "kettle/feature_matrix.hpp"

namespace kettle {

/// Samples for classification. Row i of `x` has class `y[i]`, an index into `class_names`.
///
/// Class order, as every reader in kettle builds it: when all labels are numbers, classes are in
/// increasing numeric order (so "2" before "10"); otherwise they are sorted by their bytes
/// (std::string's operator<, the order of numpy.unique and scikit-learn's LabelEncoder). The
/// order therefore does not depend on the order of the rows.
struct Dataset {
    FeatureMatrix x;                         ///< rows are samples, columns features
    std::vector<std::size_t> y;              ///< class index of each row, < class_names.size()
    std::vector<std::string> class_names;    ///< name of each class index
    std::vector<std::string> feature_names;  ///< name of each column of x

    [[nodiscard]] std::size_t num_samples() const noexcept { return static_cast<std::size_t>(x.rows()); }
    [[nodiscard]] std::size_t num_features() const noexcept { return static_cast<std::size_t>(x.cols()); }
    [[nodiscard]] std::size_t num_classes() const noexcept { return class_names.size(); }
};

/// Class indices of text labels, and the class names they index.
struct LabelIndex {
    std::vector<std::size_t> y;            ///< class index of each label
    std::vector<std::string> class_names;  ///< in Dataset's class order
};

/// Turns one text label per row into class indices, in Dataset's class order: numeric when every
/// label is a decimal number (a class is named by the text where its value first appears, so
/// "1" and "1.0" are one class), otherwise sorted by bytes. What read_csv and load_dataset use.
/// Cost: O(n log n).
[[nodiscard]] LabelIndex index_labels(std::span<const std::string> labels);

/// Checks that the parts of `d` agree: y has one entry per row, every y < num_classes, one
/// feature name per column, and every value of x is finite. Throws Error(invalid_input) naming
/// `where` and the first inconsistency. Cost: O(rows * cols).
void validate_dataset(const Dataset& d, const char* where);

/// Number of rows of each class, indexed by class. Precondition: every y < num_classes.
/// Cost: O(rows).
[[nodiscard]] std::vector<std::size_t> class_counts(std::span<const std::size_t> y, std::size_t num_classes);

/// The rows `rows` of `d`, in that order (repeats allowed); names are kept. Throws
/// Error(invalid_input) for a row index out of range. Cost: O(rows.size() * cols).
[[nodiscard]] Dataset subset(const Dataset& d, std::span<const std::size_t> rows);

/// Only the rows whose class is one of `classes` (names), relabelled 0, 1, ... in the order of
/// `classes` (e.g. {"0", "1"} of digits for a binary task). Throws Error(invalid_input) for an
/// unknown or repeated name, or fewer than two names. Cost: O(rows * cols).
[[nodiscard]] Dataset select_classes(const Dataset& d, std::span<const std::string> classes);

}  // namespace kettle
