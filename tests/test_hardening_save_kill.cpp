// No data lost: a process killed (SIGKILL) at random points while it saves states over one file
// leaves that file whole and loadable every time; damaged files (bytes flipped, cut short, in
// any place) give kettle::Error, never a crash. tests/test_state_io.cpp holds the fixed cases.

#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "support/file_bytes.hpp"
#include "kettle/kettle.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;

fs::path scratch_dir(const std::string& name) {
    const fs::path dir = fs::path(KETTLE_BINARY_DIR) / "test_scratch" / fmt::format("hardening_{}_{}", name, ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

constexpr unsigned kQubits = 10;

/// Version k of the saved file: the basis state |k mod 2^n>, so a loaded file says which
/// complete save it is.
StateVector<double> version(std::uint64_t k) {
    StateVector<double> s(kQubits);
    s.set_basis_state(k % s.size());
    return s;
}

/// The k of a state version(k), or -1 if the state is not one of them.
long long which_version(const StateVector<double>& s) {
    long long found = -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == std::complex<double>(1)) {
            if (found >= 0) return -1;
            found = static_cast<long long>(i);
        } else if (s[i] != std::complex<double>(0)) {
            return -1;
        }
    }
    return found;
}

TEST(NoDataLost, SigkillDuringSavesLeavesTheLastCompleteFile) {
    const fs::path dir = scratch_dir("kill");
    const fs::path file = dir / "state.h5";
    save_state(file, version(0));
    std::mt19937_64 rng(20240607);  // the kill points
    std::uniform_int_distribution<int> delay_us(0, 30'000);
    long long last_seen = 0;
    constexpr int kRounds = 25;
    for (int round = 0; round < kRounds; ++round) {
        // The child saves versions last_seen+1, last_seen+2, ... over the file until killed. It
        // only saves (small states: no worker threads are needed after fork) and never returns
        // into the test framework.
        const long long first = last_seen + 1;
        std::fflush(nullptr);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0) << "fork failed";
        if (child == 0) {
            try {
                for (long long k = first;; ++k) save_state(file, version(static_cast<std::uint64_t>(k)));
            } catch (...) {
                ::_exit(3);
            }
        }
        ::usleep(static_cast<useconds_t>(delay_us(rng)));
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            << "round " << round << ": the saving child ended by itself (status " << status << ")";

        // Whatever the kill interrupted, the file is a whole earlier save: the one before this
        // round, or one the child completed.
        StateVector<double> loaded(0);
        ASSERT_NO_THROW(loaded = load_state<double>(file)) << "round " << round;
        const long long k = which_version(loaded);
        ASSERT_GE(k, 0) << "round " << round << ": the file holds a state no save wrote";
        const long long expected_floor = (last_seen) % (1 << kQubits);
        // Versions wrap around 2^n; within a round the child writes far fewer than 2^n saves.
        const long long advanced = (k - expected_floor + (1 << kQubits)) % (1 << kQubits);
        EXPECT_LT(advanced, 1 << (kQubits - 1)) << "round " << round << ": the file went back to an older save";
        last_seen += advanced;
    }
    // Only the file and, at most, temporary files of interrupted saves are left.
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(name == "state.h5" || name.rfind(".state.h5.tmp-", 0) == 0) << name;
    }
    std::printf("saves completed across %d killed children: %lld\n", kRounds, last_seen);
}

// ---------------------------------------------------------------------------------------------
// Damaged files: every kind of damage is an Error (or, for damage in unused bytes, a valid
// state), never a crash or a state of the wrong norm.

void write_bytes(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

/// Loads `file` in both precisions; passes if each load throws Error or returns a normalised state.
void expect_error_or_valid(const fs::path& file, const std::string& what) {
    for (int precision = 0; precision < 2; ++precision) {
        try {
            const double norm = precision == 0 ? load_state<double>(file).norm_squared()
                                               : load_state<float>(file).norm_squared();
            EXPECT_NEAR(norm, 1.0, 2e-3) << what;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_input) << what << ": " << e.what();
            EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << what << ": " << e.what();
        }
    }
}

TEST(NoDataLost, EveryTruncationIsAnError) {
    const fs::path dir = scratch_dir("truncate");
    save_state(dir / "full.h5", simulate<double>(Circuit(3).h(0).cx(0, 1).ry(2, 0.4)));
    const std::string bytes = test::file_bytes(dir / "full.h5");
    for (std::size_t keep = 0; keep < bytes.size(); keep += 7) {
        write_bytes(dir / "cut.h5", bytes.substr(0, keep));
        try {
            (void)load_state<double>(dir / "cut.h5");
            // HDF5 files end with data that may not be needed; any state that loads must be whole.
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_input) << "kept " << keep << " bytes: " << e.what();
        }
    }
}

TEST(NoDataLost, RandomByteDamageIsAnErrorOrHarmless) {
    const fs::path dir = scratch_dir("damage");
    save_state(dir / "good.h5", simulate<float>(Circuit(4).h(0).cx(0, 1).ry(2, 0.4).cp(3, 1, 0.3)));
    const std::string bytes = test::file_bytes(dir / "good.h5");
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<std::size_t> where(0, bytes.size() - 1);
    std::uniform_int_distribution<int> count(1, 8), value(0, 255);
    for (int trial = 0; trial < 300; ++trial) {
        std::string damaged = bytes;
        const int n = count(rng);
        for (int i = 0; i < n; ++i) damaged[where(rng)] = static_cast<char>(value(rng));
        write_bytes(dir / "bad.h5", damaged);
        expect_error_or_valid(dir / "bad.h5", fmt::format("trial {}", trial));
    }
}

}  // namespace
}  // namespace kettle
