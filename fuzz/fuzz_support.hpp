#pragma once
// What every kettle fuzz target shares: the contract it checks and a hard stop for a broken one.
//
// The contract of kettle's readers: any input either succeeds or throws kettle::Error. Any other
// exception escapes the target and libFuzzer reports it as a crash, as it does for a sanitizer
// report, a timeout or an invariant that fails (check()).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "kettle/error.hpp"
#include "kettle/resources.hpp"

namespace kettle::fuzz {

/// Memory cap while fuzzing: a reader must refuse an input that asks for more (through
/// check_memory) instead of allocating it, so libFuzzer's RSS limit never has to stop it.
inline constexpr std::size_t memory_cap = std::size_t{64} << 20;

/// Stops with a message when an invariant fails, so libFuzzer keeps the input as a crash.
inline void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "kettle fuzz invariant failed: %s\n", what);
        std::abort();
    }
}

/// Calls `f` and accepts success or kettle::Error; anything else propagates to libFuzzer.
template <class F>
bool succeeds(F&& f) {
    try {
        f();
        return true;
    } catch (const Error& e) {
        // An Error message is one line naming the operation (the contract of error.hpp).
        const std::string_view message = e.what();
        check(!message.empty(), "a kettle::Error with an empty message");
        check(e.exit_code() >= 1 && e.exit_code() <= 4, "a kettle::Error with an unknown code");
        return false;
    }
}

// The harnesses: one input each. The fuzz targets call them from libFuzzer's entry points;
// tests/test_hardening_fuzz_regressions.cpp calls them on the corpora without libFuzzer.
void qasm_input(std::span<const std::uint8_t> data);
void pauli_input(std::span<const std::uint8_t> data);
void csv_input(std::span<const std::uint8_t> data);
void state_input(std::span<const std::uint8_t> data);
void dataset_input(std::span<const std::uint8_t> data);
void model_input(std::span<const std::uint8_t> data);

/// A scratch file for `target` in this process, removed at exit, holding `data`: HDF5 reads
/// files, not memory. Its name is the same from run to run (kettle_fuzz_<uid>_<target>_0.h5 in
/// $TMPDIR or /tmp), so that a seeded run compares the same strings each time; processes
/// fuzzing at once (libFuzzer's -jobs) each lock a name of their own, the first free of _0, _1,
/// ... (an flock, which dies with its process, so a crashed run leaves no name taken; a name
/// whose lock cannot be opened, another user's say, is passed over too).
inline std::filesystem::path write_scratch_file(const std::string& target, std::span<const std::uint8_t> data) {
    static std::map<std::string, std::filesystem::path> files;
    auto [it, added] = files.emplace(target, std::filesystem::path());
    if (added) {
        const char* tmp = std::getenv("TMPDIR");
        const std::filesystem::path dir(tmp ? tmp : "/tmp");
        const std::string prefix = "kettle_fuzz_" + std::to_string(::getuid()) + "_" + target + "_";
        for (int i = 0;; ++i) {
            check(i < 64, "no free scratch file name in $TMPDIR or /tmp");
            it->second = dir / (prefix + std::to_string(i) + ".h5");
            const std::string lock = it->second.string() + ".lock";
            const int fd = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
            if (fd < 0) continue;
            if (::flock(fd, LOCK_EX | LOCK_NB) == 0) break;  // held, open, until the process ends
            ::close(fd);
        }
        if (files.size() == 1)
            std::atexit([] {
                std::error_code ignored;
                for (const auto& [name, file] : files) std::filesystem::remove(file, ignored);
            });
    }
    std::ofstream out(it->second, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    out.close();
    check(!out.fail(), "cannot write the scratch file");
    return it->second;
}

inline std::string_view as_text(std::span<const std::uint8_t> data) {
    return {reinterpret_cast<const char*>(data.data()), data.size()};
}

}  // namespace kettle::fuzz

// libFuzzer's entry points for one harness, left out where the harnesses are linked into a test.
#ifdef KETTLE_FUZZ_NO_ENTRY
#define KETTLE_FUZZ_ENTRY(harness)
#else
#define KETTLE_FUZZ_ENTRY(harness)                                                      \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
        kettle::fuzz::harness({data, size});                                            \
        return 0;                                                                       \
    }                                                                                   \
    extern "C" int LLVMFuzzerInitialize(int*, char***) {                                \
        kettle::set_memory_limit(kettle::fuzz::memory_cap);                             \
        /* one thread: how work splits between threads changes coverage counts */      \
        kettle::set_num_threads(1);                                                     \
        return 0;                                                                       \
    }
#endif
