#pragma once
// The small real data sets that ship with kettle (data/ in the source tree).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kettle/dataset.hpp"

namespace kettle {

/// Names accepted by load_builtin_dataset: "iris", "breast_cancer", "digits".
[[nodiscard]] std::vector<std::string> builtin_dataset_names();

/// The folder that holds the bundled CSV files: the source tree's data/ (fixed when kettle is
/// compiled) when it exists, otherwise the installed copy in <prefix>/share/kettle/data. Throws
/// Error(invalid_input) naming both places when neither holds the files. Cost: two stat calls.
[[nodiscard]] std::filesystem::path builtin_data_dir();

/// Reads a bundled data set by name (see data/README.md for provenance):
///   iris           150 rows,  4 features, classes setosa, versicolor, virginica (sorted)
///   breast_cancer  569 rows, 30 features, classes benign, malignant (sorted)
///   digits        1797 rows, 64 features (8x8 pixels, row-major, 0..16), classes "0".."9"
/// Throws Error(invalid_input) for another name (listing the valid ones) or a missing file.
/// Cost: reads and parses the CSV (about 0.3 MB for digits).
[[nodiscard]] Dataset load_builtin_dataset(std::string_view name);

}  // namespace kettle
