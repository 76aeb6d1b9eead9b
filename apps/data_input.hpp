#pragma once
// Data for `kettle train` and `kettle predict`: bundled sets by name, CSV files, and the
// feature columns a saved model needs.

#include <optional>
#include <string>
#include <vector>

#include "kettle/dataset.hpp"

namespace kettle::cli {

/// Whether `path` names an HDF5 file (.h5 or .hdf5), which load_dataset reads.
[[nodiscard]] bool is_hdf5_path(const std::string& path);

/// `name` is a bundled data set (iris, breast_cancer, digits), a CSV file or an HDF5 data set
/// (kettle/dataset_io.hpp; `label` must then be empty, else Error(usage)). `label` names the
/// label column (empty: the last; for a bundled set, its own). `classes`, if not empty, is a
/// comma-separated list of class names to keep, relabelled in that order. Throws
/// Error(invalid_input) for a missing file, an unknown name, a bad CSV or bad classes.
[[nodiscard]] Dataset load_training_data(const std::string& name, const std::string& label,
                                         const std::string& classes);

/// The rows of a CSV file for prediction: the columns named `features`, in that order (other
/// columns are ignored), and the text of column `label` where the file has one.
struct FeatureTable {
    FeatureMatrix x;
    std::optional<std::vector<std::string>> labels;
};

/// Reads an HDF5 data set (load_features: columns by feature name where the file names all the
/// model's features, otherwise by position when the widths agree; labels where it has them), or
/// a CSV file with a header row (RFC 4180 quotes, LF or CRLF, a UTF-8 byte-order mark,
/// blank lines skipped). Throws Error(invalid_input) starting `file:line:column:` for a ragged
/// row, a missing feature column (listing the columns there are), or a value that is not a
/// finite number.
[[nodiscard]] FeatureTable read_feature_table(const std::string& path, const std::vector<std::string>& features,
                                              const std::string& label);

}  // namespace kettle::cli
