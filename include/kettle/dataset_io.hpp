#pragma once
// Data sets in HDF5 files: kettle's own layout, and the plain layouts Python users write with
// h5py. Thread safety: calls may overlap; every HDF5 access holds kettle's one HDF5 lock (the
// one state and model files use), so they run one at a time.
//
// Written by save_dataset (format_version 1; every object plain HDF5, readable with h5py):
//   /                attributes format_version (1), kettle_version, kind ("kettle-dataset")
//   /features        float64, rows x columns, row-major (numpy's order)
//   /labels          int64, one class index per row, 0..classes-1
//   /class_names     variable-length UTF-8 strings, one per class index
//   /feature_names   variable-length UTF-8 strings, one per column
//
// Read by load_dataset: that layout, and any file of this shape, e.g. from h5py
//     with h5py.File("data.h5", "w") as f:
//         f["X"] = X          # (rows, columns), any float or integer type
//         f["y"] = y          # (rows,) integers, or strings (bytes or str)
//   features     the first of the datasets `features`, `X`, `data` at the root: 2-D (rows x
//                columns) of integers or floats, at least one column.
//   labels       the first of `labels`, `y`, `target`: one per row, 1-D or rows x 1, of
//                - integers (or floats with whole values). With class names in the file they
//                  are class indices 0..classes-1; without, they are class values, ordered
//                  numerically and named by their decimal text (y in {3, 7}: classes "3", "7").
//                - strings, fixed or variable length (h5py writes numpy's bytes arrays as the
//                  first, lists of str as the second). Class order as Dataset states (numeric
//                  when every label is a number, otherwise by bytes); with class names in the
//                  file, every label must be one of them and their order is the class order.
//   class_names, feature_names   optional: 1-D string datasets at the root, or string-array
//                attributes of the root. Without feature names the columns are x0, x1, ...
//   format_version, kind   optional; when present, format_version must be at most 1 and kind
//                "kettle-dataset" (a model or state file is refused by name).

#include <filesystem>

#include "kettle/dataset.hpp"

namespace kettle {

/// Writes `d` to `path` in the layout above, atomically (a temporary file beside it, flushed,
/// then renamed), so an interrupted save leaves the previous file intact. Throws
/// Error(invalid_input) for a data set load_dataset would refuse (parts that disagree, NaN or
/// infinite values, fewer than two classes present, repeated class names) or a folder that is
/// not writable. Cost: O(rows * cols).
void save_dataset(const std::filesystem::path& path, const Dataset& d);

/// Reads a data set in one of the layouts above. Throws Error(invalid_input) with one line
/// "load_dataset: 'FILE' PROBLEM" for: a missing, unreadable, truncated or corrupt file; no
/// features or labels dataset (naming the datasets there are); features that are not 2-D or not
/// numbers; labels that are not 1-D, not integers or strings, or not one per row; a NaN or
/// infinite feature (naming its row and column); a label that is not a class index (with class
/// names) or a fractional number; an empty string label; class or feature names of the wrong
/// count or repeated class names; fewer than two classes present; a newer format_version or
/// another kind of kettle file; and datasets that claim more than 64 bytes in memory for every
/// byte of the file (a corrupt header or a compression bomb: kettle reads data sets whole).
/// Cost: O(file size) time and memory.
[[nodiscard]] Dataset load_dataset(const std::filesystem::path& path);

/// As load_dataset, for rows to predict: the labels dataset may be absent (then y and
/// class_names are empty) and, when present, may hold a single class. Throws as load_dataset
/// otherwise. Cost: O(file size).
[[nodiscard]] Dataset load_features(const std::filesystem::path& path);

}  // namespace kettle
