#pragma once
// A small typed layer over the HDF5 C API for model files: groups, scalar attributes, numeric
// datasets (1-D or 2-D doubles) and string lists. Every failure is Error(invalid_input) naming
// the operation and the file. Internal to kettle::qml.

#include <cstddef>
#include <filesystem>
#include <hdf5.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../simulator/hdf5_support.hpp"

namespace kettle::qml_detail {

using H5Handle = detail::H5Handle;

/// Writes a new file at `path` (the caller's temporary file of an atomic save).
class H5Writer {
public:
    H5Writer(const std::filesystem::path& path, std::string where, std::string shown_name);
    [[nodiscard]] hid_t root() const noexcept { return file_.get(); }
    [[nodiscard]] H5Handle group(hid_t parent, const char* name) const;
    void attribute(hid_t object, const char* name, long long value) const;
    void attribute(hid_t object, const char* name, double value) const;
    void attribute(hid_t object, const char* name, const std::string& value) const;
    /// rows x cols doubles, row-major; cols == 0 writes a 1-D dataset of `rows` values.
    void doubles(hid_t parent, const char* name, const double* data, std::size_t rows, std::size_t cols = 0) const;
    void strings(hid_t parent, const char* name, const std::vector<std::string>& values) const;
    /// Flushes and closes; throws if that fails.
    void finish();

private:
    void check(bool ok, std::string_view step) const;
    std::string where_, shown_;
    H5Handle file_;
};

/// Reads an existing file; every accessor checks kind, type and shape.
class H5Reader {
public:
    /// Throws unless `path` is a readable HDF5 file.
    H5Reader(const std::filesystem::path& path, std::string where);
    [[noreturn]] void fail(std::string_view problem) const;
    [[nodiscard]] hid_t root() const noexcept { return file_.get(); }
    [[nodiscard]] bool has(hid_t parent, const char* name) const;
    [[nodiscard]] bool has_attribute(hid_t object, const char* name) const;
    [[nodiscard]] H5Handle group(hid_t parent, const char* name) const;
    [[nodiscard]] long long int_attribute(hid_t object, const char* name) const;
    [[nodiscard]] double double_attribute(hid_t object, const char* name) const;
    [[nodiscard]] std::string string_attribute(hid_t object, const char* name) const;
    /// A 1-D (cols = 0) or 2-D dataset of numbers, as doubles, row-major.
    [[nodiscard]] std::vector<double> doubles(hid_t parent, const char* name, std::size_t& rows,
                                              std::size_t& cols) const;
    [[nodiscard]] std::vector<double> doubles(hid_t parent, const char* name) const;
    [[nodiscard]] std::vector<std::string> strings(hid_t parent, const char* name) const;

private:
    /// Fails if the global heap references of the variable-length values of `object` (an
    /// attribute when `attribute`) are broken (hdf5_heap_references.hpp).
    void check_references(hid_t object, bool attribute, const char* name) const;

    std::string where_, file_name_;
    H5Handle file_;
    detail::GlobalHeaps heaps_;  // the probe's scan
};

}  // namespace kettle::qml_detail
