#include "hdf5_probe.hpp"

#include "hdf5_heap_references.hpp"
#include "hdf5_support.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <hdf5.h>
#include <set>
#include <string>
#include <thread>
#include <vector>

#if defined(__unix__)
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#define KETTLE_HDF5_PROBE 1
#endif

// Set by the sanitizers' runtime, and by libFuzzer to save the input that killed the process: a
// child that dies must not leave that input behind as if the fuzzed process had crashed.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace kettle::detail {

#if defined(KETTLE_HDF5_PROBE)
namespace {

// The child's exit statuses. Any other status, or a signal, means it died inside libhdf5 (or of
// a sanitizer report there, which exits with status 1).
constexpr int kReadAll = 0;
constexpr int kHdf5Error = 3;
constexpr int kOutOfMemory = 4;
constexpr int kBadHeapReference = 5;

constexpr std::size_t kSlabBytes = std::size_t{16} << 20;

// ---------------------------------------------------------------------------------------------
// The child: read everything, with nothing of kettle's own but a buffer.

struct ChildState {
    const GlobalHeaps* heaps = nullptr;
    hid_t raw_heap_ids = -1;  // raw_heap_reference_type(), or negative when nothing can be checked
    std::vector<unsigned char> buffer;
    bool error = false;
    bool out_of_memory = false;
    bool bad_reference = false;
    std::set<std::string> visited;
};

herr_t note_resource_error(unsigned, const H5E_error2_t* e, void* data) {
    if (e->maj_num == H5E_RESOURCE) *static_cast<bool*>(data) = true;
    return 0;
}

/// Records a failed call (a negative identifier or status) and whether libhdf5 ran out of memory.
bool ok(ChildState& s, long long result) {
    if (result >= 0) return true;
    s.error = true;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, note_resource_error, &s.out_of_memory);
    return false;
}

/// A buffer of `bytes`, or nothing when that is more than a slab (a single element or row that
/// large is left to the in-process read, which checks memory before it allocates).
unsigned char* buffer_for(ChildState& s, std::size_t bytes) {
    if (bytes > kSlabBytes) return nullptr;
    if (s.buffer.size() < bytes) s.buffer.resize(bytes);
    return s.buffer.data();
}

/// The in-memory type libhdf5 converts a stored type to, and whether reading it allocates.
struct MemoryType {
    hid_t id = -1;
    bool variable = false;
};

MemoryType memory_type(ChildState& s, hid_t stored) {
    MemoryType m;
    m.id = H5Tget_native_type(stored, H5T_DIR_ASCEND);
    if (!ok(s, m.id)) return m;
    m.variable = H5Tdetect_class(m.id, H5T_VLEN) > 0 || H5Tis_variable_str(m.id) > 0;
    return m;
}

herr_t read_attribute(hid_t object, const char* name, const H5A_info_t*, void* data) {
    auto& s = *static_cast<ChildState*>(data);
    const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
    if (!ok(s, attribute)) return 0;
    const hid_t stored = H5Aget_type(attribute), space = H5Aget_space(attribute);
    if (ok(s, stored) && ok(s, space)) {
        const MemoryType m = memory_type(s, stored);
        const hssize_t points = H5Sget_simple_extent_npoints(space);
        if (m.id >= 0 && ok(s, points) && points > 0) {
            const auto count = static_cast<std::size_t>(points);
            if (m.variable && s.raw_heap_ids >= 0)
                if (unsigned char* raw = buffer_for(s, count * kHeapReferenceBytes);
                    raw != nullptr && ok(s, H5Aread(attribute, s.raw_heap_ids, raw)))
                    s.bad_reference |= !heap_references_hold(*s.heaps, raw, count, variable_length_element_bytes(stored));
            if (unsigned char* b = buffer_for(s, count * H5Tget_size(m.id)); b != nullptr && !s.bad_reference) {
                if (ok(s, H5Aread(attribute, m.id, b)) && m.variable) reclaim_variable_length(m.id, space, b);
            }
        }
        if (m.id >= 0) H5Tclose(m.id);
    }
    if (space >= 0) H5Sclose(space);
    if (stored >= 0) H5Tclose(stored);
    H5Aclose(attribute);
    return 0;
}

/// Reads a dataset in slabs along its first dimension.
void read_dataset(ChildState& s, hid_t dataset) {
    const hid_t stored = H5Dget_type(dataset), file_space = H5Dget_space(dataset);
    if (ok(s, stored) && ok(s, file_space)) {
        const MemoryType m = memory_type(s, stored);
        const int rank = H5Sget_simple_extent_ndims(file_space);
        if (m.id >= 0 && ok(s, rank)) {
            std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)), 1);
            if (rank > 0) H5Sget_simple_extent_dims(file_space, dims.data(), nullptr);
            std::size_t row_bytes = H5Tget_size(m.id);
            for (int d = 1; d < rank; ++d) row_bytes *= dims[static_cast<std::size_t>(d)];
            const hsize_t rows = H5Sget_simple_extent_type(file_space) == H5S_NULL ? 0 : dims[0];
            const hsize_t per_slab = std::max<hsize_t>(1, kSlabBytes / std::max<std::size_t>(row_bytes, 1));
            for (hsize_t start = 0; start < rows && !s.out_of_memory; start += per_slab) {
                std::vector<hsize_t> offset(dims.size(), 0), count = dims;
                offset[0] = start;
                count[0] = std::min(per_slab, rows - start);
                const std::size_t elements = static_cast<std::size_t>(count[0]) * (row_bytes / H5Tget_size(m.id));
                unsigned char* b = buffer_for(s, std::max(elements * kHeapReferenceBytes, elements * H5Tget_size(m.id)));
                if (b == nullptr) break;
                const hid_t slab = H5Scopy(file_space);
                const hid_t memory = H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr);
                const hid_t memory_space = rank == 0 ? H5S_ALL : memory, selection = rank == 0 ? H5S_ALL : slab;
                if (ok(s, slab) && ok(s, memory) &&
                    (rank == 0 ||
                     ok(s, H5Sselect_hyperslab(slab, H5S_SELECT_SET, offset.data(), nullptr, count.data(), nullptr)))) {
                    if (m.variable && s.raw_heap_ids >= 0 &&
                        ok(s, H5Dread(dataset, s.raw_heap_ids, memory_space, selection, H5P_DEFAULT, b)))
                        s.bad_reference |= !heap_references_hold(*s.heaps, b, elements, variable_length_element_bytes(stored));
                    if (!s.bad_reference && ok(s, H5Dread(dataset, m.id, memory_space, selection, H5P_DEFAULT, b)) &&
                        m.variable)
                        reclaim_variable_length(m.id, rank == 0 ? file_space : memory, b);
                }
                if (memory >= 0) H5Sclose(memory);
                if (slab >= 0) H5Sclose(slab);
                if (s.error || s.bad_reference) break;
            }
        }
        if (m.id >= 0) H5Tclose(m.id);
    }
    if (file_space >= 0) H5Sclose(file_space);
    if (stored >= 0) H5Tclose(stored);
}

#if H5_VERSION_GE(1, 12, 0)
using LinkInfo = H5L_info2_t;
#else
using LinkInfo = H5L_info_t;
#endif

void read_object(ChildState& s, hid_t object);

herr_t read_link(hid_t group, const char* name, const LinkInfo* info, void* data) {
    auto& s = *static_cast<ChildState*>(data);
    // Soft and external links name objects that are read through their hard links, or that are
    // not in this file.
    if (info->type != H5L_TYPE_HARD) return 0;
    const hid_t object = H5Oopen(group, name, H5P_DEFAULT);
    if (ok(s, object)) {
        read_object(s, object);
        H5Oclose(object);
    }
    return s.out_of_memory || s.bad_reference ? 1 : 0;
}

/// Reads an object's attributes, and a dataset's data or a group's members. Walks links itself
/// rather than with H5Ovisit, which stops at the first member whose header cannot be read.
void read_object(ChildState& s, hid_t object) {
    // Hard links can make cycles: each object is read once, known by its address in the file.
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (!ok(s, H5Oget_info3(object, &info, H5O_INFO_BASIC))) return;
    const std::string identity(reinterpret_cast<const char*>(&info.token), sizeof info.token);
#else
    H5O_info_t info;
    if (!ok(s, H5Oget_info2(object, &info, H5O_INFO_BASIC))) return;
    const std::string identity(reinterpret_cast<const char*>(&info.addr), sizeof info.addr);
#endif
    if (!s.visited.insert(identity).second) return;
    hsize_t at = 0;
    ok(s, H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_NATIVE, &at, read_attribute, &s));
    if (info.type == H5O_TYPE_DATASET) {
        read_dataset(s, object);
    } else if (info.type == H5O_TYPE_GROUP) {
        hsize_t next = 0;
#if H5_VERSION_GE(1, 12, 0)
        ok(s, H5Literate2(object, H5_INDEX_NAME, H5_ITER_NATIVE, &next, read_link, &s));
#else
        ok(s, H5Literate(object, H5_INDEX_NAME, H5_ITER_NATIVE, &next, read_link, &s));
#endif
    }
}

[[noreturn]] void child_reads(const char* path, const GlobalHeaps& heaps, std::size_t memory_budget) {
    // A crash must end the child with its signal, not run the handlers a sanitizer or libFuzzer
    // installed in the parent (they would report it as the parent's crash).
    for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
    if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
    if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) {
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
    }
    // A runaway allocation fails here before the parent's watch (below) sees it grow. The limit
    // counts what the process already maps writable (VmData: under the sanitizers, terabytes of
    // reserved shadow) plus the budget.
    long data_kib = -1;
    if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr)
            if (std::sscanf(line, "VmData: %ld kB", &data_kib) == 1) break;
        std::fclose(f);
    }
    if (data_kib >= 0) {
        const rlim_t limit = static_cast<rlim_t>(data_kib) * 1024 + memory_budget;
        const rlimit data{limit, limit};
        ::setrlimit(RLIMIT_DATA, &data);
    }
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    ChildState s;
    s.heaps = &heaps;
    s.raw_heap_ids = heaps.checked ? raw_heap_reference_type() : -1;
    const hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (ok(s, file)) {
        read_object(s, file);
        H5Fclose(file);
    }
    ::_exit(s.bad_reference ? kBadHeapReference : s.out_of_memory ? kOutOfMemory : s.error ? kHdf5Error : kReadAll);
}

// ---------------------------------------------------------------------------------------------
// The parent: watch the child's time and memory.

/// Resident memory of a process in bytes (0 if unknown). Allocates nothing (no FILE): the watch
/// below calls it a number of times that depends on timing, and what it allocated would shift
/// every later allocation, and with it the pointers a seeded fuzzing run compares.
std::size_t resident_bytes(const char* statm) {
    char text[128];
    const int fd = ::open(statm, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    const ssize_t length = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (length <= 0) return 0;
    text[length] = '\0';
    char* end = nullptr;
    (void)std::strtol(text, &end, 10);  // total size, then resident pages
    const long resident = std::strtol(end, nullptr, 10);
    return static_cast<std::size_t>(std::max(resident, 0L)) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

std::string describe_signal(int sig) {
    const char* name = sig == SIGSEGV ? "SIGSEGV"
                       : sig == SIGBUS ? "SIGBUS"
                       : sig == SIGFPE ? "SIGFPE"
                       : sig == SIGILL ? "SIGILL"
                       : sig == SIGABRT ? "SIGABRT"
                       : sig == SIGKILL ? "SIGKILL"
                                        : nullptr;
    return name != nullptr ? std::string(name) : fmt::format("signal {}", sig);
}

std::string hdf5_crash_problem(const std::filesystem::path& file, const GlobalHeaps& heaps) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) return {};
    const std::size_t budget = (std::size_t{1} << 30) + 2 * static_cast<std::size_t>(size);
    const auto time_limit = std::chrono::seconds(3 + static_cast<long long>(size / 50'000'000));
    const std::size_t inherited = resident_bytes("/proc/self/statm");

    const std::string path = file.string();
    std::fflush(nullptr);  // what the child inherits unwritten must not be written twice
    const pid_t child = ::fork();
    if (child < 0) return {};  // no process to spare: the in-process read goes on unprobed
    if (child == 0) child_reads(path.c_str(), heaps, budget);

    const std::string statm = fmt::format("/proc/{}/statm", child);
    const auto start = std::chrono::steady_clock::now();
    auto pause = std::chrono::microseconds(50);
    std::string problem;
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(child, &status, WNOHANG);
        if (done == child) break;
        if (done < 0 && errno != EINTR) return {};
        const std::size_t resident = resident_bytes(statm.c_str());
        if (resident > inherited + budget)
            problem = fmt::format("makes libhdf5 use more than {} MiB of memory to read a file of {} bytes: the "
                                  "file is damaged",
                                  budget >> 20, size);
        else if (std::chrono::steady_clock::now() - start > time_limit)
            problem = fmt::format("makes libhdf5 read for more than {} s: the file is damaged", time_limit.count());
        if (!problem.empty()) {
            ::kill(child, SIGKILL);
            while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
            }
            return problem;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(5000));
    }
    if (WIFSIGNALED(status))
        return fmt::format("makes libhdf5 crash ({}) while reading it: the file is damaged",
                           describe_signal(WTERMSIG(status)));
    const int code = WEXITSTATUS(status);
    if (code == kBadHeapReference)
        return "has a variable-length value whose global heap reference names a missing object or one of another "
               "length: the file is damaged";
    if (code == kOutOfMemory)
        return fmt::format("makes libhdf5 run out of memory (over {} MiB) while reading a file of {} bytes: the file "
                           "is damaged",
                           budget >> 20, size);
    if (code != kReadAll && code != kHdf5Error)
        return fmt::format("makes libhdf5 fail fatally (exit status {}) while reading it: the file is damaged", code);
    return {};
}

}  // namespace

#else

namespace {
std::string hdf5_crash_problem(const std::filesystem::path&, const GlobalHeaps&) { return {}; }
}  // namespace

#endif

std::string damaged_hdf5_problem(const std::filesystem::path& file, GlobalHeaps& heaps) {
    heaps = scan_global_heaps(file);
    return heaps.problem.empty() ? hdf5_crash_problem(file, heaps) : heaps.problem;
}

}  // namespace kettle::detail
