#pragma once
// What every HDF5 reader and writer in kettle shares (state files here, model files in qml):
// an owning handle, silencing HDF5's own error printing, and one process-wide lock. Internal;
// kettle::qml includes it by path.

#include <cstdint>
#include <filesystem>
#include <map>
#include <hdf5.h>
#include <mutex>
#include <string>
#include <utility>

namespace kettle::detail {

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class H5Handle {
public:
    using Closer = herr_t (*)(hid_t);
    H5Handle(hid_t id, Closer close) noexcept : id_(id), close_(close) {}
    ~H5Handle() {
        if (id_ >= 0) close_(id_);
    }
    H5Handle(H5Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), close_(other.close_) {}
    H5Handle(const H5Handle&) = delete;
    H5Handle& operator=(const H5Handle&) = delete;
    H5Handle& operator=(H5Handle&& other) noexcept {
        if (this != &other) {
            if (id_ >= 0) close_(id_);
            id_ = std::exchange(other.id_, -1);
            close_ = other.close_;
        }
        return *this;
    }

    [[nodiscard]] hid_t get() const noexcept { return id_; }
    [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }
    /// Closes now and reports whether closing (which flushes) succeeded.
    [[nodiscard]] bool close() noexcept {
        const herr_t status = id_ >= 0 ? close_(id_) : 0;
        id_ = -1;
        return status >= 0;
    }

private:
    hid_t id_;
    Closer close_;
};

/// HDF5 prints its own error stack to stderr by default; kettle reports errors as exceptions.
void silence_hdf5() noexcept;

/// HDF5 built without its thread-safe option must not be entered by two threads at once. Every
/// save and load of a state or model file holds this one lock, so concurrent calls are safe
/// with any HDF5 build.
std::mutex& hdf5_mutex() noexcept;

/// The global heap collections of an HDF5 file (where variable-length strings live), as
/// scan_global_heaps finds them: each collection's address (relative to the superblock) and the
/// size of each object in it by index.
struct GlobalHeaps {
    std::map<std::uint64_t, std::map<std::uint16_t, std::uint64_t>> collections;
    std::uint64_t base = 0;  // where the superblock is: addresses in the file count from here
    std::uint64_t file_size = 0;
    bool checked = false;    // false for files it cannot check (addresses or lengths other than 8 bytes)
    std::string problem;     // empty, or what is wrong with a collection
};

/// The unsigned number stored little-endian in the `count` (at most 8) bytes at `bytes`, as HDF5
/// stores its addresses, lengths and indices.
[[nodiscard]] std::uint64_t little_endian(const void* bytes, std::size_t count) noexcept;

/// Finds the global heap collections ("GCOL", version 1) of an HDF5 file and walks their objects
/// before libhdf5 reads them: libhdf5 1.10 trusts their sizes and copies past the end of a
/// collection whose object sizes are corrupted (a crash found by fuzzing kettle's readers).
/// Cost: one read of the file, in blocks of 1 MiB.
[[nodiscard]] GlobalHeaps scan_global_heaps(const std::filesystem::path& file);

/// The type of a variable-length UTF-8 string (names, labels, circuits in files).
[[nodiscard]] H5Handle utf8_string_type();

/// Creation properties of class `property_class` (H5P_DATASET_CREATE or H5P_GROUP_CREATE) for an
/// object that stores no modification times. HDF5 otherwise stamps every object with the time
/// of the save, so two saves of the same thing would differ in bytes.
[[nodiscard]] H5Handle untimed_creation(hid_t property_class);

/// Frees what HDF5 allocated while reading variable-length data into `buffer`.
void reclaim_variable_length(hid_t type, hid_t space, void* buffer);

}  // namespace kettle::detail
