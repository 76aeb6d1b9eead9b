// HDF5 state files: round trips, interoperability with h5py, and clear errors for bad files.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <unistd.h>

#include "support/file_bytes.hpp"
#include "kettle/kettle.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;

/// A fresh, empty folder per test.
fs::path scratch_dir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir = fs::path(KETTLE_BINARY_DIR) / "test_scratch" /
                         fmt::format("state_io_{}_{}_{}", test->test_suite_name(), test->name(), ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

Circuit entangling_circuit(unsigned n) {
    Circuit c(n);
    for (unsigned q = 0; q < n; ++q) c.h(q).ry(q, 0.3 + 0.17 * q).rz(q, -0.4 * q);
    for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
    c.rx(0, 1.1).cp(n - 1, 0, 0.7);
    return c;
}

/// Expects `call` to throw Error(code) whose message contains every fragment.
template <class F>
void expect_error(F&& call, ErrorCode code, std::initializer_list<std::string> fragments) {
    try {
        call();
        ADD_FAILURE() << "no error was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), code) << e.what();
        const std::string message = e.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        for (const std::string& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << message << " lacks " << f;
    }
}

/// The files in `dir`, to see that a save leaves no temporary file behind.
std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

template <class T>
class StateIoRoundTrip : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(StateIoRoundTrip, Precisions);

TYPED_TEST(StateIoRoundTrip, SameAmplitudesBitForBit) {
    const fs::path dir = scratch_dir();
    const auto state = simulate<TypeParam>(entangling_circuit(6));
    save_state(dir / "s.h5", state);
    const auto back = load_state<TypeParam>(dir / "s.h5");
    ASSERT_EQ(back.num_qubits(), 6u);
    for (std::size_t i = 0; i < state.size(); ++i) EXPECT_EQ(back[i], state[i]) << "amplitude " << i;
    EXPECT_EQ(listing(dir), std::vector<std::string>{"s.h5"});
}

TYPED_TEST(StateIoRoundTrip, ConvertsToTheOtherPrecision) {
    using Other = std::conditional_t<std::is_same_v<TypeParam, float>, double, float>;
    const fs::path dir = scratch_dir();
    const auto state = simulate<TypeParam>(entangling_circuit(5));
    save_state(dir / "s.h5", state);
    const auto back = load_state<Other>(dir / "s.h5");
    for (std::size_t i = 0; i < state.size(); ++i) {
        EXPECT_NEAR(back[i].real(), state[i].real(), 1e-7) << "amplitude " << i;
        EXPECT_NEAR(back[i].imag(), state[i].imag(), 1e-7) << "amplitude " << i;
    }
}

TEST(StateIo, SingleQubitAndOverwrite) {
    const fs::path dir = scratch_dir();
    Circuit one(1);
    one.x(0);
    save_state(dir / "s.h5", simulate<double>(entangling_circuit(3)));
    save_state(dir / "s.h5", simulate<double>(one));  // replaces the 3-qubit file
    const auto back = load_state<double>(dir / "s.h5");
    ASSERT_EQ(back.num_qubits(), 1u);
    EXPECT_EQ(back[0], std::complex<double>(0));
    EXPECT_EQ(back[1], std::complex<double>(1));
    EXPECT_EQ(listing(dir), std::vector<std::string>{"s.h5"});
}

// No modification times in the file (HDF5 stamps objects by default): a second later, the same
// state saves to the same bytes.
TEST(StateIo, SavesOfTheSameStateAreTheSameBytes) {
    const fs::path dir = scratch_dir();
    const auto state = simulate<double>(entangling_circuit(3));
    save_state(dir / "first.h5", state);
    ::usleep(1'100'000);
    save_state(dir / "second.h5", state);
    EXPECT_EQ(test::file_bytes(dir / "first.h5"), test::file_bytes(dir / "second.h5"));
}

TEST(StateIo, SaveIntoMissingFolderFails) {
    const fs::path dir = scratch_dir();
    expect_error([&] { save_state(dir / "no_such_folder" / "s.h5", simulate<double>(Circuit(2))); },
                 ErrorCode::invalid_input, {"save_state", "no_such_folder"});
}

TEST(StateIo, MissingFile) {
    const fs::path file = scratch_dir() / "absent.h5";
    expect_error([&] { (void)load_state<double>(file); }, ErrorCode::invalid_input, {file.string(), "does not exist"});
}

TEST(StateIo, TextFileIsNotHdf5) {
    const fs::path file = scratch_dir() / "text.h5";
    std::ofstream(file) << "OPENQASM 2.0;\nqreg q[2];\n";
    expect_error([&] { (void)load_state<double>(file); }, ErrorCode::invalid_input, {file.string(), "not an HDF5 file"});
}

TEST(StateIo, EmptyFile) {
    const fs::path file = scratch_dir() / "empty.h5";
    std::ofstream{file};
    expect_error([&] { (void)load_state<double>(file); }, ErrorCode::invalid_input, {file.string(), "not an HDF5 file"});
}

TEST(StateIo, TruncatedFile) {
    const fs::path dir = scratch_dir();
    save_state(dir / "full.h5", simulate<double>(entangling_circuit(10)));
    const auto size = fs::file_size(dir / "full.h5");
    for (const auto keep : {size / 2, size - 1, std::uintmax_t{600}}) {
        fs::copy_file(dir / "full.h5", dir / "cut.h5", fs::copy_options::overwrite_existing);
        fs::resize_file(dir / "cut.h5", keep);
        expect_error([&] { (void)load_state<double>(dir / "cut.h5"); }, ErrorCode::invalid_input,
                     {(dir / "cut.h5").string()});
    }
}

TEST(StateIo, CorruptedSuperblock) {
    const fs::path dir = scratch_dir();
    save_state(dir / "s.h5", simulate<double>(entangling_circuit(4)));
    {
        std::fstream f(dir / "s.h5", std::ios::in | std::ios::out | std::ios::binary);
        f.write("garbage!", 8);
    }
    expect_error([&] { (void)load_state<double>(dir / "s.h5"); }, ErrorCode::invalid_input, {"not an HDF5 file"});
}

TEST(StateIo, CorruptedAmplitudes) {
    const fs::path dir = scratch_dir();
    const auto state = simulate<double>(entangling_circuit(10));
    save_state(dir / "s.h5", state);
    std::string bytes = test::file_bytes(dir / "s.h5");
    // Overwrite amplitude 100 where it lies in the file with all-ones bits (a NaN).
    const std::string amplitude(reinterpret_cast<const char*>(state.data() + 100), sizeof(std::complex<double>));
    const auto at = bytes.find(amplitude);
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, amplitude.size(), std::string(amplitude.size(), '\xff'));
    std::ofstream(dir / "s.h5", std::ios::binary) << bytes;
    expect_error([&] { (void)load_state<double>(dir / "s.h5"); }, ErrorCode::invalid_input,
                 {"NaN or infinite amplitude at index 100"});
}

TEST(StateIo, MemoryIsCheckedBeforeLoading) {
    const fs::path dir = scratch_dir();
    save_state(dir / "s.h5", simulate<double>(Circuit(14)));  // 256 KiB of amplitudes
    set_memory_limit(64 * 1024);
    try {
        (void)load_state<double>(dir / "s.h5");
        ADD_FAILURE() << "no error was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::resource_limit) << e.what();
    }
    set_memory_limit(0);
    EXPECT_EQ(load_state<double>(dir / "s.h5").num_qubits(), 14u);
}

// ---------------------------------------------------------------------------------------------
// Files written by h5py (other tools' view of the format), when a Python with h5py is present.

/// A Python interpreter that can import h5py and numpy, or empty.
std::string python_with_h5py() {
    for (const char* python : {"/usr/bin/python3", "python3"}) {
        const std::string probe = fmt::format("{} -c 'import h5py, numpy' >/dev/null 2>&1", python);
        if (std::system(probe.c_str()) == 0) return python;
    }
    return {};
}

/// Runs a Python script with `file` as sys.argv[1]; returns whether it succeeded.
bool run_python(const std::string& python, const fs::path& dir, const std::string& script, const fs::path& file) {
    const fs::path source = dir / "script.py";
    std::ofstream(source) << "import sys, h5py, numpy as np\n" << script;
    const std::string command = fmt::format("{} '{}' '{}'", python, source.string(), file.string());
    return std::system(command.c_str()) == 0;
}

class StateIoH5py : public ::testing::Test {
protected:
    void SetUp() override {
        python_ = python_with_h5py();
        if (python_.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
        dir_ = scratch_dir();
    }
    /// Writes a file with h5py and returns its path.
    fs::path write(const std::string& script) {
        const fs::path file = dir_ / "from_h5py.h5";
        EXPECT_TRUE(run_python(python_, dir_, script, file)) << script;
        return file;
    }
    std::string python_;
    fs::path dir_;
};

TEST_F(StateIoH5py, LoadsComplex128AndComplex64) {
    for (const char* dtype : {"complex128", "complex64"}) {
        const fs::path file = write(fmt::format(
            "a = np.array([0.6, 0.0, 0.48j, -0.64], dtype=np.{})\n"
            "with h5py.File(sys.argv[1], 'w') as f: f['state'] = a\n", dtype));
        const auto state = load_state<double>(file);
        ASSERT_EQ(state.num_qubits(), 2u);
        const double tol = std::string(dtype) == "complex64" ? 1e-7 : 0;
        EXPECT_NEAR(state[0].real(), 0.6, tol);
        EXPECT_NEAR(state[2].imag(), 0.48, tol);
        EXPECT_NEAR(state[3].real(), -0.64, tol);
        EXPECT_EQ(state[1], std::complex<double>(0));
    }
}

TEST_F(StateIoH5py, ReadsWhatKettleWrote) {
    const auto state = simulate<float>(entangling_circuit(4));
    save_state(dir_ / "kettle.h5", state);
    std::string expected = "expected = np.array([";
    for (std::size_t i = 0; i < state.size(); ++i)
        expected += fmt::format("complex({:.9g}, {:.9g}), ", state[i].real(), state[i].imag());
    expected += "])\n";
    EXPECT_TRUE(run_python(python_, dir_, expected + R"(
with h5py.File(sys.argv[1], 'r') as f:
    d = f['state']
    assert d.dtype == np.complex64, d.dtype
    assert np.allclose(d[()], expected, atol=1e-7), d[()]
    for attrs in (d.attrs, f.attrs):
        assert attrs['format_version'] == 1
        assert attrs['num_qubits'] == 4
        assert attrs['precision'] == 'single', attrs['precision']
        assert attrs['kettle_version'] == ')" + std::string(version) + R"('
)",
                           dir_ / "kettle.h5"));
}

TEST_F(StateIoH5py, RejectsMalformedLayouts) {
    struct Case {
        const char* script;
        const char* fragment;
    };
    const Case cases[] = {
        {"with h5py.File(sys.argv[1], 'w') as f: f['other'] = np.ones(2, dtype=np.complex128)\n",
         "has no dataset '/state'"},
        {"with h5py.File(sys.argv[1], 'w') as f: f.create_group('state')\n", "not a dataset"},
        {"with h5py.File(sys.argv[1], 'w') as f: f['state'] = np.array([0.6, 0.8])\n", "compound type"},
        {"with h5py.File(sys.argv[1], 'w') as f: f['state'] = np.array([1, 0, 0], dtype=np.complex128)\n",
         "3 amplitudes, which is not a power of two"},
        {"with h5py.File(sys.argv[1], 'w') as f: f['state'] = np.ones((2, 2), dtype=np.complex128) / 2\n",
         "not one-dimensional"},
        {"t = np.dtype([('re', '<f8'), ('im', '<f8')])\n"
         "with h5py.File(sys.argv[1], 'w') as f: f['state'] = np.array([(1, 0), (0, 0)], dtype=t)\n",
         "lacks the member 'r'"},
        {"t = np.dtype([('r', '<i4'), ('i', '<f8')])\n"
         "with h5py.File(sys.argv[1], 'w') as f: f['state'] = np.array([(1, 0), (0, 0)], dtype=t)\n",
         "member 'r' is not a floating-point number"},
        {"with h5py.File(sys.argv[1], 'w') as f:\n"
         "    f['state'] = np.array([1, 0], dtype=np.complex128)\n"
         "    f['state'].attrs['num_qubits'] = 3\n",
         "declares num_qubits 3"},
        {"with h5py.File(sys.argv[1], 'w') as f:\n"
         "    f['state'] = np.array([1, 0], dtype=np.complex128)\n"
         "    f.attrs['format_version'] = 7\n",
         "format_version 7"},
        {"with h5py.File(sys.argv[1], 'w') as f: f['state'] = np.array([1, 1], dtype=np.complex128)\n",
         "norm^2 2"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.script);
        const fs::path file = write(c.script);
        expect_error([&] { (void)load_state<double>(file); }, ErrorCode::invalid_input, {file.string(), c.fragment});
    }
}

}  // namespace
}  // namespace kettle
