// Fuzz harness: load_state on arbitrary bytes written to a file (HDF5 reads files), in both
// precisions.

#include <cmath>
#include <filesystem>

#include "fuzz_support.hpp"
#include "kettle/state_io.hpp"

namespace kettle::fuzz {
namespace {

template <Precision T>
void load_and_check(const std::filesystem::path& file) {
    StateVector<T> state(0);
    if (!succeeds([&] { state = load_state<T>(file); })) return;
    // load_state rejects states that are not normalised; what it returns must be.
    check(std::abs(state.norm_squared() - 1.0) < 2e-3, "load_state returns a state of norm != 1");
}

}  // namespace

void state_input(std::span<const std::uint8_t> data) {
    const std::filesystem::path file = write_scratch_file("state", data);
    load_and_check<double>(file);
    load_and_check<float>(file);
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(state_input)
