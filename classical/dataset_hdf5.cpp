// HDF5 data sets: save_dataset and load_dataset (layouts in kettle/dataset_io.hpp).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hdf5.h>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "../simulator/hdf5_heap_references.hpp"
#include "../simulator/hdf5_probe.hpp"
#include "../simulator/hdf5_support.hpp"
#include "kettle/dataset_io.hpp"
#include "kettle/detail/atomic_file.hpp"
#include "kettle/error.hpp"
#include "kettle/version.hpp"

namespace kettle {
namespace {

using detail::H5Handle;
using detail::reclaim_variable_length;
using detail::untimed_creation;
using detail::utf8_string_type;

constexpr long long kFormatVersion = 1;
constexpr const char* kKind = "kettle-dataset";
/// Bytes in memory a file may claim for each of its bytes. Uncompressed data is 1:1; gzip on
/// real features rarely passes 10:1. More means a corrupt header or a compression bomb.
constexpr std::uintmax_t kMaxExpansion = 64;

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The checks of the features alone: a name per column, every value finite (row-major scan,
/// so the first bad value named is the first in the file).
std::string feature_problem(const Dataset& d) {
    if (d.num_features() == 0) return "has no feature columns";
    if (d.feature_names.size() != d.num_features())
        return fmt::format("names {} features for {} feature columns", d.feature_names.size(), d.num_features());
    for (Eigen::Index r = 0; r < d.x.rows(); ++r)
        for (Eigen::Index c = 0; c < d.x.cols(); ++c)
            if (!std::isfinite(d.x(r, c)))
                return fmt::format("has {} at features[{}, {}] (row {}, column {} '{}')",
                                   std::isnan(d.x(r, c)) ? "NaN" : "an infinite value", r, c, r, c,
                                   d.feature_names[std::size_t(c)]);
    return {};
}

/// What load_dataset checks once the parts are read, also run before saving so that no file is
/// written that could not be read back. Returns the problem, or an empty string.
std::string dataset_problem(const Dataset& d, bool need_classes = true) {
    if (d.y.size() != d.num_samples())
        return fmt::format("has {} rows of features but {} labels", d.num_samples(), d.y.size());
    if (std::string problem = feature_problem(d); !problem.empty()) return problem;
    for (std::size_t i = 0; i < d.y.size(); ++i)
        if (d.y[i] >= d.num_classes())
            return fmt::format("has class index {} at labels[{}], but {} classes (valid 0..{})", d.y[i], i,
                               d.num_classes(), d.num_classes() == 0 ? 0 : d.num_classes() - 1);
    const std::set<std::string> names(d.class_names.begin(), d.class_names.end());
    if (names.size() != d.class_names.size()) return fmt::format("repeats a class name ({})", fmt::join(d.class_names, ", "));
    const std::set<std::size_t> present(d.y.begin(), d.y.end());
    if (need_classes && present.size() < 2)
        return fmt::format("has a single class ({}); classification needs at least two",
                           present.empty() ? std::string("no rows") : d.class_names[*present.begin()]);
    return {};
}

// ---------------------------------------------------------------------------------------------
// Writing

class Writer {
public:
    Writer(const std::filesystem::path& temp, std::string shown) : shown_(std::move(shown)), file_(-1, H5Fclose) {
        detail::silence_hdf5();  // before the first call, so that a failing create prints nothing
        file_ = H5Handle(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
        check(file_.valid(), "creating the file");
    }

    void check(bool ok, std::string_view step) const {
        if (!ok) throw Error(ErrorCode::invalid_input, fmt::format("save_dataset: cannot write '{}' ({})", shown_, step));
    }

    void attribute(const char* name, long long value) const {
        H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        H5Handle attr(H5Acreate2(file_.get(), name, H5T_NATIVE_LLONG, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        check(attr.valid() && H5Awrite(attr.get(), H5T_NATIVE_LLONG, &value) >= 0, name);
    }

    void attribute(const char* name, const std::string& value) const {
        const H5Handle type = utf8_string_type();
        H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        H5Handle attr(H5Acreate2(file_.get(), name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        const char* text = value.c_str();
        check(attr.valid() && H5Awrite(attr.get(), type.get(), &text) >= 0, name);
    }

    /// A dataset of `rank` dimensions `dims` from `data` of memory type `type`.
    void dataset(const char* name, hid_t type, int rank, const hsize_t* dims, const void* data) const {
        H5Handle space(H5Screate_simple(rank, dims, nullptr), H5Sclose);
        const H5Handle untimed = untimed_creation(H5P_DATASET_CREATE);
        H5Handle set(H5Dcreate2(file_.get(), name, type, space.get(), H5P_DEFAULT, untimed.get(), H5P_DEFAULT), H5Dclose);
        check(set.valid() && H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0, name);
    }

    void strings(const char* name, const std::vector<std::string>& values) const {
        std::vector<const char*> pointers;
        for (const std::string& v : values) pointers.push_back(v.c_str());
        const hsize_t n = values.size();
        dataset(name, utf8_string_type().get(), 1, &n, pointers.data());
    }

    void finish() { check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) >= 0 && file_.close(), "flushing"); }

private:
    std::string shown_;
    H5Handle file_;
};

// ---------------------------------------------------------------------------------------------
// Reading

#if H5_VERSION_GE(1, 12, 0)
using LinkInfo = H5L_info2_t;
#else
using LinkInfo = H5L_info_t;
#endif

/// H5Literate's callback: collects up to 20 names (enough for a message).
herr_t collect_name(hid_t, const char* name, const LinkInfo*, void* out) {
    auto& list = *static_cast<std::vector<std::string>*>(out);
    list.emplace_back(name);
    return list.size() < 20 ? 0 : 1;
}

class Reader {
public:
    explicit Reader(const std::filesystem::path& path) : name_(path.string()), file_(-1, H5Fclose) {
        detail::silence_hdf5();
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) fail("does not exist");
        if (!std::filesystem::is_regular_file(path, ec)) fail("is not a regular file");
        const std::uintmax_t size = std::filesystem::file_size(path, ec);
        if (ec) fail("cannot be read");
        budget_ = std::max<std::uintmax_t>(size, 4096) * kMaxExpansion;
        if (H5Fis_hdf5(path.c_str()) <= 0) fail("is not an HDF5 file (or is truncated or corrupted)");
        if (const std::string problem = detail::damaged_hdf5_problem(path, heaps_); !problem.empty()) fail(problem);
        file_ = H5Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
        if (!file_.valid()) fail("cannot be opened as HDF5 (it may be truncated or corrupted)");
    }

    [[noreturn]] void fail(std::string_view problem) const {
        throw Error(ErrorCode::invalid_input, fmt::format("load_dataset: '{}' {}", name_, problem));
    }

    [[nodiscard]] hid_t root() const noexcept { return file_.get(); }
    [[nodiscard]] bool has(const char* name) const { return H5Lexists(root(), name, H5P_DEFAULT) > 0; }
    [[nodiscard]] bool has_attribute(const char* name) const { return H5Aexists(root(), name) > 0; }

    /// The first of `names` that exists at the root, or nothing.
    [[nodiscard]] std::optional<std::string> first_of(std::initializer_list<const char*> names) const {
        for (const char* n : names)
            if (has(n)) return std::string(n);
        return std::nullopt;
    }

    /// The names at the root, for messages.
    [[nodiscard]] std::string contents() const {
        std::vector<std::string> names;
        hsize_t start = 0;
#if H5_VERSION_GE(1, 12, 0)
        H5Literate2(root(), H5_INDEX_NAME, H5_ITER_INC, &start, collect_name, &names);
#else
        H5Literate(root(), H5_INDEX_NAME, H5_ITER_INC, &start, collect_name, &names);
#endif
        return names.empty() ? std::string("it holds nothing") : fmt::format("it holds {}", fmt::join(names, ", "));
    }

    /// Charges `count` values of `size` bytes to the file's budget; refuses more than it holds.
    void reserve(std::uintmax_t count, std::size_t size, const std::string& what) {
        if (count > budget_ / size)
            fail(fmt::format("claims {} values of {} bytes for {}, more than {} times the file's size in memory (a "
                             "corrupt header or a compression bomb)", count, size, what, kMaxExpansion));
        budget_ -= count * size;
    }

    H5Handle open_dataset(const std::string& name) const {
        H5Handle set(H5Dopen2(root(), name.c_str(), H5P_DEFAULT), H5Dclose);
        if (!set.valid()) fail(fmt::format("has a '{}' that is not a readable dataset", name));
        return set;
    }

    /// The dimensions of a dataset's or attribute's space; fails for a null or unreadable one.
    std::vector<hsize_t> shape(hid_t space, const std::string& name) const {
        const int rank = H5Sget_simple_extent_ndims(space);
        if (rank < 0 || H5Sget_simple_extent_type(space) == H5S_NULL) fail(fmt::format("has an unreadable '{}'", name));
        std::vector<hsize_t> dims(std::size_t(rank), 0);
        if (rank > 0 && H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0)
            fail(fmt::format("has an unreadable '{}'", name));
        return dims;
    }

    /// A dataset of numbers, converted by HDF5 to `memory_type` (8 bytes per value).
    template <class T>
    std::vector<T> numbers(hid_t set, hid_t memory_type, std::uintmax_t count, const std::string& name) {
        reserve(count, sizeof(T), fmt::format("'{}'", name));
        std::vector<T> values(count);
        if (count > 0 && H5Dread(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
            fail(fmt::format("cannot be read: the dataset '{}' is truncated or corrupted", name));
        return values;
    }

    /// A 1-D list of strings (fixed or variable length) from a dataset (attribute = false) or an
    /// attribute of the root.
    std::vector<std::string> strings(const std::string& name, bool attribute);

private:
    std::string name_;
    H5Handle file_;
    std::uintmax_t budget_ = 0;
    detail::GlobalHeaps heaps_;  // the probe's scan, against which variable-length values are checked
};

std::vector<std::string> Reader::strings(const std::string& name, bool attribute) {
    H5Handle object = attribute ? H5Handle(H5Aopen(root(), name.c_str(), H5P_DEFAULT), H5Aclose)
                                : H5Handle(H5Dopen2(root(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!object.valid()) fail(fmt::format("has an unreadable '{}'", name));
    H5Handle type(attribute ? H5Aget_type(object.get()) : H5Dget_type(object.get()), H5Tclose);
    H5Handle space(attribute ? H5Aget_space(object.get()) : H5Dget_space(object.get()), H5Sclose);
    if (!type.valid() || !space.valid() || H5Tget_class(type.get()) != H5T_STRING)
        fail(fmt::format("has a '{}' that does not hold strings", name));
    const std::vector<hsize_t> dims = shape(space.get(), name);
    if (dims.size() > 2 || (dims.size() == 2 && dims[1] != 1))
        fail(fmt::format("has a '{}' of {} dimensions, expected a list", name, dims.size()));
    const std::uintmax_t n = dims.empty() ? 1 : dims[0];
    auto read = [&](hid_t memory, void* buffer) {
        return attribute ? H5Aread(object.get(), memory, buffer)
                         : H5Dread(object.get(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    };
    std::vector<std::string> values;
    const htri_t variable = H5Tis_variable_str(type.get());
    if (variable < 0) fail(fmt::format("has a '{}' of an unreadable string type", name));
    if (variable > 0) {
        reserve(n, sizeof(char*) + detail::kHeapReferenceBytes, fmt::format("'{}'", name));
        H5Handle memory = utf8_string_type();
        H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
        std::vector<char*> pointers(n, nullptr);
        if (detail::check_variable_length_references(object.get(), attribute, heaps_) == detail::References::broken)
            fail(fmt::format("has a '{}' whose global heap references name missing objects or ones of another "
                             "length: the file is damaged",
                             name));
        if (n > 0 && read(memory.get(), pointers.data()) < 0)
            fail(fmt::format("cannot be read: '{}' is truncated or corrupted", name));
        for (char* p : pointers) values.emplace_back(p == nullptr ? "" : p);
        if (n > 0) reclaim_variable_length(memory.get(), space.get(), pointers.data());
        return values;
    }
    const std::size_t width = H5Tget_size(type.get());
    if (width == 0) fail(fmt::format("has a '{}' of an unreadable string type", name));
    reserve(n, width, fmt::format("'{}'", name));
    H5Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), width);
    H5Tset_strpad(memory.get(), H5T_STR_NULLPAD);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    std::string buffer(n * width, '\0');
    if (n > 0 && read(memory.get(), buffer.data()) < 0)
        fail(fmt::format("cannot be read: '{}' is truncated or corrupted", name));
    for (std::uintmax_t i = 0; i < n; ++i) {
        const std::string_view field(buffer.data() + i * width, width);
        values.emplace_back(field.substr(0, field.find('\0')));
    }
    return values;
}

/// Checks the optional format_version and kind attributes.
void check_header(Reader& r) {
    if (r.has_attribute("kind")) {
        const std::vector<std::string> kind = r.strings("kind", true);
        if (kind.size() != 1 || kind[0] != kKind)
            r.fail(fmt::format("is a '{}' file, not a data set (kind \"{}\")", kind.empty() ? "" : kind[0], kKind));
    }
    if (!r.has_attribute("format_version")) return;
    H5Handle attr(H5Aopen(r.root(), "format_version", H5P_DEFAULT), H5Aclose);
    H5Handle type(attr.valid() ? H5Aget_type(attr.get()) : -1, H5Tclose);
    long long version = 0;
    if (!type.valid() || H5Tget_class(type.get()) != H5T_INTEGER || H5Aread(attr.get(), H5T_NATIVE_LLONG, &version) < 0)
        r.fail("has an unreadable or non-integer attribute 'format_version'");
    if (version < 1 || version > kFormatVersion)
        r.fail(fmt::format("has format_version {}, but this kettle reads format_version 1 to {}", version, kFormatVersion));
}

/// Names from a root dataset, else a root attribute, else nothing.
std::optional<std::vector<std::string>> optional_names(Reader& r, const char* name) {
    if (r.has(name)) return r.strings(name, false);
    if (r.has_attribute(name)) return r.strings(name, true);
    return std::nullopt;
}

FeatureMatrix read_features(Reader& r) {
    const std::optional<std::string> name = r.first_of({"features", "X", "data"});
    if (!name) r.fail(fmt::format("has no features dataset ('features', 'X' or 'data'); {}", r.contents()));
    const H5Handle set = r.open_dataset(*name);
    H5Handle type(H5Dget_type(set.get()), H5Tclose);
    const H5T_class_t kind = H5Tget_class(type.get());
    if (kind != H5T_FLOAT && kind != H5T_INTEGER)
        r.fail(fmt::format("has a features dataset '{}' that does not hold numbers", *name));
    H5Handle space(H5Dget_space(set.get()), H5Sclose);
    const std::vector<hsize_t> dims = r.shape(space.get(), *name);
    if (dims.size() != 2)
        r.fail(fmt::format("has a features dataset '{}' of {} dimensions; it must be 2-D, rows x columns", *name,
                           dims.size()));
    if (dims[1] == 0) r.fail(fmt::format("has a features dataset '{}' with no columns", *name));
    if (dims[0] > (std::uintmax_t(1) << 60) / dims[1])  // keeps the product below from overflowing
        r.fail(fmt::format("has a features dataset '{}' of impossible shape {} x {}", *name, dims[0], dims[1]));
    const std::vector<double> values = r.numbers<double>(set.get(), H5T_NATIVE_DOUBLE, dims[0] * dims[1], *name);
    return Eigen::Map<const RowMajor>(values.data(), Eigen::Index(dims[0]), Eigen::Index(dims[1]));
}

/// Labels as text (to be indexed like CSV labels) or as class indices (with class names).
struct RawLabels {
    std::vector<std::string> text;
    std::vector<long long> numbers;
    bool is_text = false;
};

std::optional<RawLabels> read_labels(Reader& r, std::string& name_out, bool required) {
    const std::optional<std::string> name = r.first_of({"labels", "y", "target"});
    if (!name && !required) return std::nullopt;
    if (!name) r.fail(fmt::format("has no labels dataset ('labels', 'y' or 'target'); {}", r.contents()));
    name_out = *name;
    const H5Handle set = r.open_dataset(*name);
    H5Handle type(H5Dget_type(set.get()), H5Tclose);
    H5Handle space(H5Dget_space(set.get()), H5Sclose);
    const std::vector<hsize_t> dims = r.shape(space.get(), *name);
    if (dims.size() != 1 && !(dims.size() == 2 && dims[1] == 1))
        r.fail(fmt::format("has a labels dataset '{}' of {} dimensions; it must be 1-D, one label per row", *name,
                           dims.size()));
    RawLabels raw;
    const H5T_class_t kind = H5Tget_class(type.get());
    if (kind == H5T_STRING) {
        raw.is_text = true;
        raw.text = r.strings(*name, false);
        for (std::size_t i = 0; i < raw.text.size(); ++i)
            if (raw.text[i].empty()) r.fail(fmt::format("has an empty label at {}[{}]", *name, i));
        return raw;
    }
    if (kind == H5T_INTEGER) {
        raw.numbers = r.numbers<long long>(set.get(), H5T_NATIVE_LLONG, dims[0], *name);
        return raw;
    }
    if (kind != H5T_FLOAT)
        r.fail(fmt::format("has a labels dataset '{}' that holds neither integers nor strings", *name));
    const std::vector<double> values = r.numbers<double>(set.get(), H5T_NATIVE_DOUBLE, dims[0], *name);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v) || v != std::floor(v) || std::abs(v) > 9.0e15)
            r.fail(fmt::format("has the label {} at {}[{}]; labels must be whole numbers or strings", v, *name, i));
        raw.numbers.push_back(static_cast<long long>(v));
    }
    return raw;
}

/// load_dataset (labelled = true) and load_features.
Dataset load(const std::filesystem::path& path, bool labelled) {
    const std::lock_guard lock(detail::hdf5_mutex());
    Reader r(path);
    check_header(r);
    Dataset d;
    d.x = read_features(r);
    if (const auto features = optional_names(r, "feature_names")) {
        d.feature_names = *features;
    } else {
        for (Eigen::Index c = 0; c < d.x.cols(); ++c) d.feature_names.push_back(fmt::format("x{}", c));
    }
    std::string label_name;
    const std::optional<RawLabels> raw = read_labels(r, label_name, labelled);
    if (!raw) {
        if (const std::string problem = feature_problem(d); !problem.empty()) r.fail(problem);
        return d;
    }
    const std::size_t count = raw->is_text ? raw->text.size() : raw->numbers.size();
    if (count != d.num_samples())
        r.fail(fmt::format("has {} rows of features but {} labels in '{}'", d.num_samples(), count, label_name));
    if (const auto classes = optional_names(r, "class_names")) {
        // The file fixes the classes and their order; labels index or name them.
        d.class_names = *classes;
        for (std::size_t i = 0; i < count; ++i) {
            if (raw->is_text) {
                const auto it = std::find(classes->begin(), classes->end(), raw->text[i]);
                if (it == classes->end())
                    r.fail(fmt::format("has the label \"{}\" at {}[{}], which is not in class_names ({})", raw->text[i],
                                       label_name, i, fmt::join(*classes, ", ")));
                d.y.push_back(std::size_t(it - classes->begin()));
            } else {
                const long long v = raw->numbers[i];
                if (v < 0 || std::size_t(v) >= classes->size())
                    r.fail(fmt::format("has the class index {} at {}[{}], but class_names names {} classes (valid "
                                       "0..{})", v, label_name, i, classes->size(),
                                       classes->empty() ? 0 : classes->size() - 1));
                d.y.push_back(std::size_t(v));
            }
        }
    } else {
        std::vector<std::string> text = raw->text;
        if (!raw->is_text)
            for (const long long v : raw->numbers) text.push_back(std::to_string(v));
        LabelIndex index = index_labels(text);
        d.y = std::move(index.y);
        d.class_names = std::move(index.class_names);
    }
    if (const std::string problem = dataset_problem(d, labelled); !problem.empty()) r.fail(problem);
    return d;
}

}  // namespace

void save_dataset(const std::filesystem::path& path, const Dataset& d) {
    if (const std::string problem = dataset_problem(d); !problem.empty())
        throw Error(ErrorCode::invalid_input, fmt::format("save_dataset: the data set {}", problem));
    const RowMajor rows = d.x;  // numpy's order on disk; Eigen's default is column-major
    const std::vector<long long> labels(d.y.begin(), d.y.end());
    const std::lock_guard lock(detail::hdf5_mutex());
    detail::AtomicFile out(path, "save_dataset");
    {
        Writer w(out.temp_path(), path.string());
        w.attribute("format_version", kFormatVersion);
        w.attribute("kettle_version", std::string(version));
        w.attribute("kind", std::string(kKind));
        const hsize_t shape[2] = {hsize_t(rows.rows()), hsize_t(rows.cols())};
        w.dataset("features", H5T_NATIVE_DOUBLE, 2, shape, rows.data());
        w.dataset("labels", H5T_NATIVE_LLONG, 1, shape, labels.data());
        w.strings("class_names", d.class_names);
        w.strings("feature_names", d.feature_names);
        w.finish();
    }
    out.commit();
}

Dataset load_dataset(const std::filesystem::path& path) { return load(path, true); }

Dataset load_features(const std::filesystem::path& path) { return load(path, false); }

}  // namespace kettle
