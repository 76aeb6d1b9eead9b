// Every seed of the fuzz corpora (fuzz/corpus/<target>/) and every input fuzzing ever found
// (tests/corpus/fuzz_regressions/<target>/) through the fuzz targets' harnesses: each must give
// success or a kettle::Error and keep the harness's invariants, never crash.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;

using Harness = void (*)(std::span<const std::uint8_t>);

/// The regular files under `folders` (missing folders skipped), sorted, README.md aside.
std::vector<fs::path> inputs(std::initializer_list<fs::path> folders) {
    std::vector<fs::path> files;
    for (const fs::path& folder : folders) {
        if (!fs::is_directory(folder)) continue;
        for (const auto& entry : fs::directory_iterator(folder))
            if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::uint8_t> bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Runs `harness` on the target's seeds and regressions (plus `extra` folders of seeds) and
/// returns how many inputs it ran.
std::size_t run_all(const char* target, Harness harness, std::initializer_list<fs::path> extra = {}) {
    const fs::path source(KETTLE_SOURCE_DIR);
    std::vector<fs::path> files = inputs({source / "fuzz" / "corpus" / target,
                                          source / "tests" / "corpus" / "fuzz_regressions" / target});
    for (const fs::path& more : inputs(extra)) files.push_back(more);
    set_memory_limit(fuzz::memory_cap);  // as while fuzzing: big requests must be refused
    for (const fs::path& file : files) {
        SCOPED_TRACE(file.string());
        const std::vector<std::uint8_t> data = bytes_of(file);
        harness(data);  // aborts with a message if an invariant fails
    }
    set_memory_limit(0);
    return files.size();
}

TEST(FuzzRegressions, Qasm) {
    const fs::path corpus = fs::path(KETTLE_SOURCE_DIR) / "tests" / "corpus";
    EXPECT_GT(run_all("qasm", fuzz::qasm_input, {corpus / "qasm" / "valid", corpus / "qasm" / "invalid", corpus / "cli"}),
              50u);
}

TEST(FuzzRegressions, Pauli) { EXPECT_GT(run_all("pauli", fuzz::pauli_input), 10u); }

TEST(FuzzRegressions, Csv) {
    EXPECT_GT(run_all("csv", fuzz::csv_input, {fs::path(KETTLE_SOURCE_DIR) / "data"}), 10u);
}

TEST(FuzzRegressions, State) { EXPECT_GT(run_all("state", fuzz::state_input), 5u); }

TEST(FuzzRegressions, Dataset) { EXPECT_GT(run_all("dataset", fuzz::dataset_input), 3u); }

TEST(FuzzRegressions, Model) { EXPECT_GT(run_all("model", fuzz::model_input), 2u); }

}  // namespace
}  // namespace kettle
