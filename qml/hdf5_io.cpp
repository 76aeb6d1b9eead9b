#include "hdf5_io.hpp"

#include <fmt/format.h>

#include "../simulator/hdf5_heap_references.hpp"
#include "../simulator/hdf5_probe.hpp"
#include "kettle/error.hpp"
#include "kettle/resources.hpp"

namespace kettle::qml_detail {

using detail::reclaim_variable_length;
using detail::untimed_creation;
using detail::utf8_string_type;

// ---------------------------------------------------------------------------------------------
// Writing

H5Writer::H5Writer(const std::filesystem::path& path, std::string where, std::string shown_name)
    : where_(std::move(where)), shown_(std::move(shown_name)), file_(-1, H5Fclose) {
    detail::silence_hdf5();  // before the first call, so that a failing create prints nothing
    file_ = H5Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    check(file_.valid(), "creating the file");
}

void H5Writer::check(bool ok, std::string_view step) const {
    if (!ok) throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot write '{}' ({})", where_, shown_, step));
}

H5Handle H5Writer::group(hid_t parent, const char* name) const {
    const H5Handle untimed = untimed_creation(H5P_GROUP_CREATE);
    H5Handle g(H5Gcreate2(parent, name, H5P_DEFAULT, untimed.get(), H5P_DEFAULT), H5Gclose);
    check(g.valid(), fmt::format("creating group '{}'", name));
    return g;
}

void H5Writer::attribute(hid_t object, const char* name, long long value) const {
    H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    H5Handle attr(H5Acreate2(object, name, H5T_NATIVE_LLONG, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    check(attr.valid() && H5Awrite(attr.get(), H5T_NATIVE_LLONG, &value) >= 0, fmt::format("attribute '{}'", name));
}

void H5Writer::attribute(hid_t object, const char* name, double value) const {
    H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    H5Handle attr(H5Acreate2(object, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    check(attr.valid() && H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value) >= 0, fmt::format("attribute '{}'", name));
}

void H5Writer::attribute(hid_t object, const char* name, const std::string& value) const {
    const H5Handle type = utf8_string_type();
    H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    H5Handle attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    const char* text = value.c_str();
    check(attr.valid() && H5Awrite(attr.get(), type.get(), &text) >= 0, fmt::format("attribute '{}'", name));
}

void H5Writer::doubles(hid_t parent, const char* name, const double* data, std::size_t rows, std::size_t cols) const {
    const hsize_t dims[2] = {rows, cols};
    H5Handle space(H5Screate_simple(cols == 0 ? 1 : 2, dims, nullptr), H5Sclose);
    const H5Handle untimed = untimed_creation(H5P_DATASET_CREATE);
    H5Handle set(H5Dcreate2(parent, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, untimed.get(), H5P_DEFAULT),
                 H5Dclose);
    const bool empty = rows == 0;
    check(set.valid() && (empty || H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0),
          fmt::format("dataset '{}'", name));
}

void H5Writer::strings(hid_t parent, const char* name, const std::vector<std::string>& values) const {
    const H5Handle type = utf8_string_type();
    const hsize_t n = values.size();
    H5Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    const H5Handle untimed = untimed_creation(H5P_DATASET_CREATE);
    H5Handle set(H5Dcreate2(parent, name, type.get(), space.get(), H5P_DEFAULT, untimed.get(), H5P_DEFAULT), H5Dclose);
    std::vector<const char*> pointers;
    for (const std::string& v : values) pointers.push_back(v.c_str());
    check(set.valid() && (n == 0 || H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                             pointers.data()) >= 0),
          fmt::format("dataset '{}'", name));
}

void H5Writer::finish() { check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) >= 0 && file_.close(), "flushing"); }

// ---------------------------------------------------------------------------------------------
// Reading

H5Reader::H5Reader(const std::filesystem::path& path, std::string where)
    : where_(std::move(where)), file_name_(path.string()), file_(-1, H5Fclose) {
    detail::silence_hdf5();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail("does not exist");
    if (!std::filesystem::is_regular_file(path, ec)) fail("is not a regular file");
    if (H5Fis_hdf5(path.c_str()) <= 0) fail("is not an HDF5 file (or is truncated or corrupted)");
    if (const std::string problem = detail::damaged_hdf5_problem(path, heaps_); !problem.empty()) fail(problem);
    file_ = H5Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file_.valid()) fail("cannot be opened as HDF5 (it may be truncated or corrupted)");
}

void H5Reader::fail(std::string_view problem) const {
    throw Error(ErrorCode::invalid_input, fmt::format("{}: '{}' {}", where_, file_name_, problem));
}

bool H5Reader::has(hid_t parent, const char* name) const { return H5Lexists(parent, name, H5P_DEFAULT) > 0; }

bool H5Reader::has_attribute(hid_t object, const char* name) const { return H5Aexists(object, name) > 0; }

H5Handle H5Reader::group(hid_t parent, const char* name) const {
    if (!has(parent, name)) fail(fmt::format("has no group '{}'", name));
    H5Handle g(H5Gopen2(parent, name, H5P_DEFAULT), H5Gclose);
    if (!g.valid()) fail(fmt::format("has a '{}' that is not a readable group", name));
    return g;
}

long long H5Reader::int_attribute(hid_t object, const char* name) const {
    if (!has_attribute(object, name)) fail(fmt::format("lacks the attribute '{}'", name));
    H5Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    H5Handle type(H5Aget_type(attr.get()), H5Tclose);
    long long value = 0;
    if (!attr.valid() || H5Tget_class(type.get()) != H5T_INTEGER || H5Aread(attr.get(), H5T_NATIVE_LLONG, &value) < 0)
        fail(fmt::format("has an unreadable or non-integer attribute '{}'", name));
    return value;
}

double H5Reader::double_attribute(hid_t object, const char* name) const {
    if (!has_attribute(object, name)) fail(fmt::format("lacks the attribute '{}'", name));
    H5Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    H5Handle type(H5Aget_type(attr.get()), H5Tclose);
    double value = 0;
    const H5T_class_t c = H5Tget_class(type.get());
    if (!attr.valid() || (c != H5T_FLOAT && c != H5T_INTEGER) || H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0)
        fail(fmt::format("has an unreadable or non-numeric attribute '{}'", name));
    return value;
}

std::string H5Reader::string_attribute(hid_t object, const char* name) const {
    if (!has_attribute(object, name)) fail(fmt::format("lacks the attribute '{}'", name));
    H5Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    H5Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (!attr.valid() || H5Tget_class(type.get()) != H5T_STRING)
        fail(fmt::format("has an unreadable or non-text attribute '{}'", name));
    // Both reads below fill room for one value.
    const H5Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (const hssize_t points = H5Sget_simple_extent_npoints(space.get()); points != 1)
        fail(fmt::format("has an attribute '{}' of {} values, expected one", name, points));
    if (H5Tis_variable_str(type.get()) > 0) {
        const H5Handle memory = utf8_string_type();
        char* text = nullptr;
        check_references(attr.get(), true, name);
        if (H5Aread(attr.get(), memory.get(), &text) < 0 || text == nullptr)
            fail(fmt::format("has an unreadable attribute '{}'", name));
        std::string value(text);
        H5free_memory(text);
        return value;
    }
    const std::size_t size = H5Tget_size(type.get());
    std::string value(size, '\0');
    if (H5Aread(attr.get(), type.get(), value.data()) < 0) fail(fmt::format("has an unreadable attribute '{}'", name));
    return value.substr(0, value.find('\0'));
}

std::vector<double> H5Reader::doubles(hid_t parent, const char* name, std::size_t& rows, std::size_t& cols) const {
    if (!has(parent, name)) fail(fmt::format("has no dataset '{}'", name));
    H5Handle set(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose);
    if (!set.valid()) fail(fmt::format("has a '{}' that is not a readable dataset", name));
    H5Handle type(H5Dget_type(set.get()), H5Tclose);
    const H5T_class_t c = H5Tget_class(type.get());
    if (c != H5T_FLOAT && c != H5T_INTEGER) fail(fmt::format("has a dataset '{}' that does not hold numbers", name));
    H5Handle space(H5Dget_space(set.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank != 1 && rank != 2) fail(fmt::format("has a dataset '{}' of rank {}, expected 1 or 2", name, rank));
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    rows = dims[0];
    cols = rank == 2 ? dims[1] : 0;
    const hsize_t count = rank == 2 ? dims[0] * dims[1] : dims[0];
    constexpr hsize_t kMaxValues = hsize_t(1) << 28;  // 2 GiB of doubles: far beyond any model
    if (count > kMaxValues) fail(fmt::format("has a dataset '{}' of {} values, more than a model holds", name, count));
    // A corrupt header can claim far more values than the file holds (unwritten chunks read as
    // fill values): ask the memory limit first, as every other large allocation does.
    check_memory(std::size_t(count) * sizeof(double), fmt::format("{}: dataset '{}' of '{}'", where_, name, file_name_));
    std::vector<double> values(count);
    if (count > 0 && H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        fail(fmt::format("cannot be read: the dataset '{}' is truncated or corrupted", name));
    return values;
}

std::vector<double> H5Reader::doubles(hid_t parent, const char* name) const {
    std::size_t rows = 0, cols = 0;
    std::vector<double> v = doubles(parent, name, rows, cols);
    if (cols != 0) fail(fmt::format("has a two-dimensional dataset '{}', expected a list", name));
    return v;
}

void H5Reader::check_references(hid_t object, bool attribute, const char* name) const {
    if (detail::check_variable_length_references(object, attribute, heaps_) == detail::References::broken)
        fail(fmt::format("has {} '{}' whose global heap references name missing objects or ones of another length: "
                         "the file is damaged",
                         attribute ? "an attribute" : "a dataset", name));
}

std::vector<std::string> H5Reader::strings(hid_t parent, const char* name) const {
    if (!has(parent, name)) fail(fmt::format("has no dataset '{}'", name));
    H5Handle set(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose);
    if (!set.valid()) fail(fmt::format("has a '{}' that is not a readable dataset", name));
    H5Handle type(H5Dget_type(set.get()), H5Tclose);
    H5Handle space(H5Dget_space(set.get()), H5Sclose);
    if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0 ||
        H5Sget_simple_extent_ndims(space.get()) != 1)
        fail(fmt::format("has a dataset '{}' that is not a list of variable-length strings", name));
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    // As for numbers: a corrupt header can claim far more strings than the file holds.
    check_memory(std::size_t(n) * (sizeof(char*) + sizeof(std::string)),
                 fmt::format("{}: dataset '{}' of '{}'", where_, name, file_name_));
    std::vector<char*> pointers(n, nullptr);
    const H5Handle memory = utf8_string_type();
    check_references(set.get(), false, name);
    if (n > 0 && H5Dread(set.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
        fail(fmt::format("cannot be read: the dataset '{}' is truncated or corrupted", name));
    std::vector<std::string> values;
    bool missing = false;
    for (char* p : pointers) {
        missing = missing || p == nullptr;
        values.emplace_back(p == nullptr ? "" : p);
    }
    if (n > 0) reclaim_variable_length(memory.get(), space.get(), pointers.data());
    if (missing) fail(fmt::format("has a missing entry in the dataset '{}'", name));
    return values;
}

}  // namespace kettle::qml_detail
