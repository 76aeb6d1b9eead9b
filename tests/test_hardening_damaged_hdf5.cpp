// Files that crash libhdf5 1.10.8 itself (found by fuzzing) are refused with one line, because
// every reader first lets a child process read them (simulator/hdf5_probe.hpp).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "kettle/dataset_io.hpp"
#include "kettle/error.hpp"
#include "kettle/model_io.hpp"
#include "kettle/state_io.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;

fs::path finding(const std::string& target, const std::string& name) {
    return fs::path(KETTLE_SOURCE_DIR) / "tests" / "corpus" / "fuzz_regressions" / target / name;
}

/// Runs `load`, which must throw an invalid-input Error naming `file` and containing `words`.
template <class Load>
void expect_refused(Load&& load, const fs::path& file, const std::string& words) {
    ASSERT_TRUE(fs::exists(file)) << file;
    try {
        load();
        FAIL() << file << " was loaded";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << message;
        EXPECT_NE(message.find(file.filename().string()), std::string::npos) << message;
        EXPECT_NE(message.find(words), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(DamagedHdf5, DivisionByZeroInLibhdf5IsRefused) {
    // SIGFPE in H5D__chunk_set_info when libhdf5 opens the dataset '/state'.
    const fs::path file = finding("state", "sigfpe_in_hdf5_chunk_set_info_on_open.h5");
    expect_refused([&] { (void)load_state<double>(file); }, file, "makes libhdf5 crash (SIGFPE)");
    expect_refused([&] { (void)load_state<float>(file); }, file, "makes libhdf5 crash (SIGFPE)");
}

TEST(DamagedHdf5, GlobalHeapReferenceToAMissingObjectIsRefused) {
    // libhdf5 copies from whatever the corrupted index names (a segfault, or garbage read).
    const fs::path file = finding("model", "model_segv_in_H5HG_read.h5");
    expect_refused([&] { (void)load_model(file); }, file, "global heap reference names a missing object or one of another length");
}

TEST(DamagedHdf5, GarbageReferenceInADatasetHiddenFromTheProbeIsRefused) {
    // A dataset's address moved by 22 bytes, so its strings' stored references are garbage, one
    // of 442 MB: libhdf5 allocates and clears that much before it finds no collection there. A
    // damaged symbol table hides the dataset from the probe's walk, but load_model opens it by
    // name; its own check of the references refuses it.
    const fs::path file = finding("model", "string_length_of_442_mb_in_an_18_kib_file.h5");
    expect_refused([&] { (void)load_model(file); }, file,
                   "'setting_names' whose global heap references name missing objects or ones of another length");
}

TEST(DamagedHdf5, RunawayMemoryInLibhdf5IsRefused) {
    // libhdf5 asks for petabytes and keeps gigabytes. Without sanitizers the child's address
    // space limit makes libhdf5 report it; under AddressSanitizer the child dies of the report.
    const fs::path file = finding("dataset", "dataset_oom_in_libhdf5.h5");
    expect_refused([&] { (void)load_dataset(file); }, file, "the file is damaged");
}

TEST(DamagedHdf5, HeapOverrunBeforeOpeningIsRefused) {
    // libhdf5 copies through a failed 1.3 TB allocation inside H5Fopen; the heap scan finds the
    // collection that runs past the end of the file first.
    const fs::path file = finding("state", "segv_in_hdf5_accum_read_after_failed_1_3_tb_allocation.h5");
    expect_refused([&] { (void)load_state<double>(file); }, file, "past the end of the file");
}

TEST(DamagedHdf5, StoredLengthBeyondItsHeapObjectIsRefused) {
    // A sound data set, then one string's stored length (the 4 bytes before its collection's
    // address) made 1 GiB while the object keeps its 10 bytes: libhdf5 would allocate and clear
    // the gigabyte, and copy 10 bytes into it.
    const fs::path file = fs::path(KETTLE_BINARY_DIR) / "test_scratch" / "damaged_hdf5_length.h5";
    fs::create_directories(file.parent_path());
    Dataset d;
    d.x.resize(2, 1);
    d.x << 1, 2;
    d.y = {0, 1};
    d.class_names = {"a", "b"};
    d.feature_names = {"0123456789"};
    save_dataset(file, d);
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::size_t collection = bytes.find("GCOL");
    ASSERT_NE(collection, std::string::npos);
    std::string reference = {'\x0a', 0, 0, 0};  // length 10, then the collection's address
    for (int i = 0; i < 8; ++i) reference += static_cast<char>((collection >> (8 * i)) & 0xff);
    const std::size_t at = bytes.find(reference);
    ASSERT_NE(at, std::string::npos);
    ASSERT_EQ(bytes.find(reference, at + 1), std::string::npos) << "one string of length 10";
    bytes[at + 3] = 0x40;
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    expect_refused([&] { (void)load_dataset(file); }, file,
                   "global heap reference names a missing object or one of another length");
    fs::remove(file);
}

TEST(DamagedHdf5, SoundFilesStillLoadAfterTheProbe) {
    const fs::path file = fs::path(KETTLE_BINARY_DIR) / "test_scratch" / "damaged_hdf5_sound.h5";
    fs::create_directories(file.parent_path());
    StateVector<double> state(12);
    save_state(file, state);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(load_state<double>(file).num_qubits(), 12u);
    fs::remove(file);
}

}  // namespace
}  // namespace kettle
