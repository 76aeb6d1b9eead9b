#include "kettle/state_io.hpp"

#include <bit>
#include <cmath>
#include <complex>
#include <fmt/format.h>
#include <hdf5.h>
#include <string>
#include <utility>

#include "hdf5_probe.hpp"
#include "hdf5_support.hpp"
#include "kettle/detail/atomic_file.hpp"
#include "kettle/error.hpp"
#include "kettle/version.hpp"

namespace kettle {
namespace {

constexpr int kFormatVersion = 1;

using detail::hdf5_mutex;
using detail::silence_hdf5;
using Handle = detail::H5Handle;

template <Precision T>
hid_t native_float() {
    return std::is_same_v<T, float> ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
}

/// The compound {r, i} type of std::complex<T> in memory (std::complex is two packed T's).
template <Precision T>
Handle complex_type() {
    Handle type(H5Tcreate(H5T_COMPOUND, sizeof(std::complex<T>)), H5Tclose);
    H5Tinsert(type.get(), "r", 0, native_float<T>());
    H5Tinsert(type.get(), "i", sizeof(T), native_float<T>());
    return type;
}

// ---------------------------------------------------------------------------------------------
// Writing

class Writer {
public:
    explicit Writer(std::filesystem::path file) : file_(std::move(file)) {}

    void check(bool ok, std::string_view step) const {
        if (!ok)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("save_state: cannot write '{}' ({} failed)", file_.string(), step));
    }

    void int_attribute(hid_t object, const char* name, long long value) const {
        Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        Handle attr(H5Acreate2(object, name, H5T_NATIVE_LLONG, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        check(attr.valid() && H5Awrite(attr.get(), H5T_NATIVE_LLONG, &value) >= 0, name);
    }

    /// A variable-length UTF-8 string, which h5py reads back as a Python str.
    void string_attribute(hid_t object, const char* name, const std::string& value) const {
        Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(type.get(), H5T_VARIABLE);
        H5Tset_cset(type.get(), H5T_CSET_UTF8);
        Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        Handle attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        const char* text = value.c_str();
        check(attr.valid() && H5Awrite(attr.get(), type.get(), &text) >= 0, name);
    }

private:
    std::filesystem::path file_;
};

// ---------------------------------------------------------------------------------------------
// Reading

class Reader {
public:
    explicit Reader(std::filesystem::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(std::string_view problem) const {
        throw Error(ErrorCode::invalid_input, fmt::format("load_state: '{}' {}", file_.string(), problem));
    }

    /// An optional integer attribute of `object`; false if absent.
    bool int_attribute(hid_t object, const char* name, long long& value) const {
        if (H5Aexists(object, name) <= 0) return false;
        Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
        Handle type(H5Aget_type(attr.get()), H5Tclose);
        if (!attr.valid() || H5Tget_class(type.get()) != H5T_INTEGER ||
            H5Aread(attr.get(), H5T_NATIVE_LLONG, &value) < 0)
            fail(fmt::format("has an unreadable or non-integer attribute '{}'", name));
        return true;
    }

    /// Checks the dataset's element type: a compound with float members `r` and `i`; returns
    /// whether both are stored in single precision.
    bool check_complex_type(hid_t dataset) const {
        Handle type(H5Dget_type(dataset), H5Tclose);
        if (!type.valid() || H5Tget_class(type.get()) != H5T_COMPOUND)
            fail("has a dataset '/state' that is not of the compound type {r, i} of complex numbers");
        if (const std::size_t size = H5Tget_size(type.get()); size > 64)
            fail(fmt::format("has a dataset '/state' whose compound type takes {} bytes, more than two floats with "
                             "padding (at most 64)", size));
        if (H5Tget_nmembers(type.get()) != 2)
            fail(fmt::format("has a dataset '/state' whose compound type has {} members, expected exactly 'r' and 'i'",
                             H5Tget_nmembers(type.get())));
        bool single = true;
        for (const char* name : {"r", "i"}) {
            const int index = H5Tget_member_index(type.get(), name);
            if (index < 0) fail(fmt::format("has a dataset '/state' whose compound type lacks the member '{}'", name));
            Handle member(H5Tget_member_type(type.get(), static_cast<unsigned>(index)), H5Tclose);
            if (H5Tget_class(member.get()) != H5T_FLOAT)
                fail(fmt::format("has a dataset '/state' whose member '{}' is not a floating-point number", name));
            // HDF5 sizes its conversion buffers by the stored type: a corrupted size would make
            // it allocate gigabytes (found by fuzzing), so only IEEE single and double pass.
            const std::size_t size = H5Tget_size(member.get());
            if (size != sizeof(float) && size != sizeof(double))
                fail(fmt::format("has a dataset '/state' whose member '{}' is a {}-byte float (kettle reads 4- and "
                                 "8-byte floats)", name, size));
            single = single && size == sizeof(float);
        }
        return single;
    }

    /// The number of qubits from the dataset's length, which must be a power of two.
    unsigned qubits_from_length(hid_t dataset) const {
        Handle space(H5Dget_space(dataset), H5Sclose);
        if (!space.valid() || H5Sget_simple_extent_ndims(space.get()) != 1)
            fail("has a dataset '/state' that is not one-dimensional");
        hsize_t length = 0;
        H5Sget_simple_extent_dims(space.get(), &length, nullptr);
        if (length == 0 || !std::has_single_bit(static_cast<std::uint64_t>(length)))
            fail(fmt::format("has a dataset '/state' of {} amplitudes, which is not a power of two", length));
        return static_cast<unsigned>(std::countr_zero(static_cast<std::uint64_t>(length)));
    }

private:
    std::filesystem::path file_;
};

}  // namespace

template <Precision T>
void save_state(const std::filesystem::path& path, const StateVector<T>& state) {
    const std::lock_guard lock(hdf5_mutex());
    silence_hdf5();
    detail::AtomicFile out(path, "save_state");
    const Writer w(path);
    {
        Handle file(H5Fcreate(out.temp_path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
        w.check(file.valid(), "creating the file");
        const Handle type = complex_type<T>();
        const hsize_t length = state.size();
        Handle space(H5Screate_simple(1, &length, nullptr), H5Sclose);
        const Handle untimed = detail::untimed_creation(H5P_DATASET_CREATE);
        Handle dataset(H5Dcreate2(file.get(), "state", type.get(), space.get(), H5P_DEFAULT, untimed.get(), H5P_DEFAULT),
                       H5Dclose);
        w.check(dataset.valid(), "creating the dataset '/state'");
        w.check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, state.data()) >= 0,
                "writing the amplitudes");
        w.int_attribute(dataset.get(), "format_version", kFormatVersion);
        w.string_attribute(dataset.get(), "kettle_version", std::string(version));
        w.int_attribute(dataset.get(), "num_qubits", state.num_qubits());
        w.string_attribute(dataset.get(), "precision", std::is_same_v<T, float> ? "single" : "double");
        // The same attributes on the file itself, where tools that list a file's metadata look.
        w.int_attribute(file.get(), "format_version", kFormatVersion);
        w.string_attribute(file.get(), "kettle_version", std::string(version));
        w.int_attribute(file.get(), "num_qubits", state.num_qubits());
        w.string_attribute(file.get(), "precision", std::is_same_v<T, float> ? "single" : "double");
        w.check(dataset.close() && H5Fflush(file.get(), H5F_SCOPE_GLOBAL) >= 0 && file.close(), "flushing");
    }
    out.commit();
}

template <Precision T>
StateVector<T> load_state(const std::filesystem::path& path) {
    const std::lock_guard lock(hdf5_mutex());
    silence_hdf5();
    const Reader r(path);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) r.fail("does not exist");
    if (!std::filesystem::is_regular_file(path, ec)) r.fail("is not a regular file");
    if (H5Fis_hdf5(path.c_str()) <= 0) r.fail("is not an HDF5 file (or is truncated or corrupted)");
    // load_state reads no variable-length values (the string attributes are not read back), so
    // the scan is not kept.
    detail::GlobalHeaps heaps;
    if (const std::string problem = detail::damaged_hdf5_problem(path, heaps); !problem.empty()) r.fail(problem);
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) r.fail("cannot be opened as HDF5 (it may be truncated or corrupted)");

    if (H5Lexists(file.get(), "state", H5P_DEFAULT) <= 0) r.fail("has no dataset '/state'");
    {
        Handle object(H5Oopen(file.get(), "state", H5P_DEFAULT), H5Oclose);
        if (!object.valid() || H5Iget_type(object.get()) != H5I_DATASET) r.fail("has a '/state' that is not a dataset");
    }
    Handle dataset(H5Dopen2(file.get(), "state", H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) r.fail("has a dataset '/state' that cannot be opened");

    long long format = 0;
    const bool has_format = r.int_attribute(dataset.get(), "format_version", format) ||
                            r.int_attribute(file.get(), "format_version", format);
    if (has_format && (format < 1 || format > kFormatVersion))
        r.fail(fmt::format("has format_version {}, but this kettle reads format_version 1 to {}", format,
                           kFormatVersion));
    const bool single = r.check_complex_type(dataset.get());
    const unsigned n = r.qubits_from_length(dataset.get());
    long long declared = 0;
    const bool has_declared = r.int_attribute(dataset.get(), "num_qubits", declared) ||
                              r.int_attribute(file.get(), "num_qubits", declared);
    if (has_declared && declared != n)
        r.fail(fmt::format("declares num_qubits {} but '/state' holds 2^{} amplitudes", declared, n));

    StateVector<T> state(n);  // checks the memory before allocating
    const Handle type = complex_type<T>();
    if (H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, state.data()) < 0)
        r.fail("cannot be read: the dataset '/state' is truncated or corrupted");

    double norm = 0;
    for (std::size_t i = 0; i < state.size(); ++i) {
        const std::complex<double> a(state[i]);
        if (!std::isfinite(a.real()) || !std::isfinite(a.imag()))
            r.fail(fmt::format("has a NaN or infinite amplitude at index {}", i));
        norm += std::norm(a);
    }
    // Single-precision states drift further from norm 1 over long circuits than double ones.
    const double tolerance = single || std::is_same_v<T, float> ? 1e-3 : 1e-6;
    if (std::abs(norm - 1.0) > tolerance)
        r.fail(fmt::format("holds a state of norm^2 {:.9g}, not 1 (tolerance {:g})", norm, tolerance));
    return state;
}

template void save_state(const std::filesystem::path&, const StateVector<float>&);
template void save_state(const std::filesystem::path&, const StateVector<double>&);
template StateVector<float> load_state(const std::filesystem::path&);
template StateVector<double> load_state(const std::filesystem::path&);

}  // namespace kettle
