// Fuzz harness: load_state on arbitrary bytes written to a file (HDF5 reads files), in both
// precisions.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "fuzz_support.hpp"
#include "kettle/state_io.hpp"

namespace kettle::fuzz {
namespace {

/// One scratch file per process, so that parallel fuzzing jobs do not share it; removed at exit.
const std::filesystem::path& scratch_file() {
    static const std::filesystem::path file = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::filesystem::path f = std::filesystem::path(tmp ? tmp : "/tmp") /
                                  ("kettle_fuzz_state_" + std::to_string(::getpid()) + ".h5");
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove(scratch_file(), ignored);
        });
        return f;
    }();
    return file;
}

template <Precision T>
void load_and_check(const std::filesystem::path& file) {
    StateVector<T> state(0);
    if (!succeeds([&] { state = load_state<T>(file); })) return;
    // load_state rejects states that are not normalised; what it returns must be.
    check(std::abs(state.norm_squared() - 1.0) < 2e-3, "load_state returns a state of norm != 1");
}

}  // namespace

void state_input(std::span<const std::uint8_t> data) {
    const std::filesystem::path& file = scratch_file();
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    }
    load_and_check<double>(file);
    load_and_check<float>(file);
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(state_input)
