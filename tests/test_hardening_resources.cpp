// Resource limits: everything that grows with the qubits, the shots or the data is checked
// against the memory limit before it is allocated, and the error names the numbers; the
// `kettle` program adds what the user can change.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "kettle/kettle.hpp"

namespace kettle {
namespace {

/// Sets a memory limit for one scope and removes it after, even when an expectation fails.
class MemoryLimit {
public:
    explicit MemoryLimit(std::size_t bytes) { set_memory_limit(bytes); }
    ~MemoryLimit() { set_memory_limit(0); }
    MemoryLimit(const MemoryLimit&) = delete;
    MemoryLimit& operator=(const MemoryLimit&) = delete;
};

/// Expects `f` to throw Error(resource_limit) whose message holds every fragment and one line.
template <class F>
void expect_resource_limit(F&& f, std::initializer_list<std::string> fragments) {
    try {
        f();
        ADD_FAILURE() << "no error was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::resource_limit) << e.what();
        const std::string message = e.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        for (const std::string& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << message << " lacks " << f;
    }
}

TEST(Resources, StateNamesBytesNeededAndAvailable) {
    const MemoryLimit limit(1 << 20);
    expect_resource_limit([] { StateVector<double> s(17); },
                          {"a 17-qubit state in double precision needs 2097152 bytes (2.0 MiB)",
                           "but only 1048576 bytes (1.0 MiB) are available under the memory limit set"});
    StateVector<float> fits(17);  // 1 MiB in single precision
    EXPECT_EQ(fits.num_qubits(), 17u);
    expect_resource_limit([] { StateVector<double> s(200); }, {"200-qubit state", "at most 56 qubits"});
}

TEST(Resources, ProbabilitiesAreCheckedBeforeAllocating) {
    StateVector<double> state(14);  // 256 KiB; its probabilities take 128 KiB
    const MemoryLimit limit(100 << 10);
    expect_resource_limit([&] { (void)probabilities(state); },
                          {"probabilities: the 16384 probabilities of a 14-qubit state needs 131072 bytes"});
}

TEST(Resources, ShotsAreCheckedBeforeAllocating) {
    Circuit c(2);
    c.h(0).cx(0, 1);
    const StateVector<double> state = simulate<double>(c);
    const MemoryLimit limit(1 << 20);
    expect_resource_limit([&] { (void)sample(state, 1'000'000, 1); }, {"sample: 1000000 shots needs 16000000 bytes"});
    expect_resource_limit([&] { (void)sample_counts<double>(c, std::size_t{1} << 62, 1); }, {"shots"});
    EXPECT_EQ(sample(state, 1000, 1).size(), 1000u);
}

TEST(Resources, QasmExpansionIsCheckedBeforeExpanding) {
    // One statement expands to 4 * 8^5 = 131072 operations (some 40 MB); past 2^16 operations
    // the reader checks the memory for twice what it reached before expanding.
    const std::string gates = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
gate a x { h x; t x; s x; z x; x x; y x; sdg x; tdg x; }
gate b x { a x; a x; a x; a x; a x; a x; a x; a x; }
gate c x { b x; b x; b x; b x; b x; b x; b x; b x; }
gate d x { c x; c x; c x; c x; c x; c x; c x; c x; }
gate e x { d x; d x; d x; d x; d x; d x; d x; d x; }
)";
    {
        const MemoryLimit limit(1 << 20);
        expect_resource_limit([&] { (void)read_qasm(gates + "e q;\n", "deep.qasm"); },
                              {"deep.qasm:9:1: ", "expanding the program to 262144 operations needs"});
        // Small programs are not held up by the check.
        EXPECT_EQ(read_qasm(gates + "d q[0];\n", "deep.qasm").operations().size(), 4096u);
    }
}

TEST(Resources, TrainerWorkspacesAreCheckedTogether) {
    ClassifierOptions o;
    o.num_qubits = 12;  // 64 KiB per state, three per worker thread
    o.layers = 1;
    VariationalClassifier model = make_classifier(12, o);
    FeatureMatrix x = FeatureMatrix::Constant(4, 12, 0.5);
    const std::vector<std::size_t> y{0, 1, 0, 1};
    BinaryCrossEntropy loss;
    Sgd sgd(0.1);
    TrainerOptions t;
    t.epochs = 1;
    set_num_threads(2);
    {
        const MemoryLimit limit(300 << 10);  // one state fits, six do not
        expect_resource_limit([&] { (void)Trainer(loss, sgd, t).fit(model, x, y); },
                              {"Trainer::fit: the states of 2 worker threads needs 393216 bytes"});
        expect_resource_limit([&] { (void)evaluate(model, x, y, loss); }, {"evaluate: the states of 2 worker threads"});
    }
    set_num_threads(0);
    EXPECT_NO_THROW((void)Trainer(loss, sgd, t).fit(model, x, y));
}

// ---------------------------------------------------------------------------------------------
// The limit caps what kettle holds at once, not each allocation alone.

constexpr std::size_t kState12 = std::size_t{1} << 16;  // a 12-qubit state in double precision

TEST(Resources, SecondStateIsRefusedWhenTheSumPassesTheLimit) {
    const std::size_t before = memory_held();
    const MemoryLimit limit(before + 3 * (std::size_t{1} << 20));  // 3 MiB beside what is held
    {
        StateVector<double> first(17);  // 2 MiB
        EXPECT_EQ(memory_held(), before + (std::size_t{2} << 20));
        EXPECT_EQ(available_memory(), std::size_t{1} << 20);
        expect_resource_limit([] { StateVector<double> second(17); },
                              {"a 17-qubit state in double precision needs 2097152 bytes (2.0 MiB), but only 1048576 "
                               "bytes (1.0 MiB) are available under the memory limit set (",
                               fmt::format("of which kettle's live states and buffers hold {} bytes", before + (2 << 20))});
        // What is refused is not counted, and what still fits is allowed.
        EXPECT_EQ(memory_held(), before + (std::size_t{2} << 20));
        StateVector<double> third(16);  // 1 MiB: exactly the rest
        expect_resource_limit([] { StateVector<float> fourth(1); }, {"a 1-qubit state in single precision needs 64 bytes"});
        expect_resource_limit([&] { (void)probabilities(third); }, {"probabilities:", "hold "});
    }
    EXPECT_EQ(memory_held(), before);
    StateVector<double> again(17);  // the first two are gone: fits again
    EXPECT_EQ(memory_held(), before + (std::size_t{2} << 20));
}

TEST(Resources, MovesAndCopiesCountEachBufferOnce) {
    const std::size_t before = memory_held();
    {
        StateVector<double> a(12);
        StateVector<double> b(std::move(a));
        EXPECT_EQ(memory_held(), before + kState12);
        StateVector<double> c(12);
        c = std::move(b);  // c's own buffer is freed, b's moves in
        EXPECT_EQ(memory_held(), before + kState12);
        StateVector<double> d(c);  // a copy is a second buffer
        EXPECT_EQ(memory_held(), before + 2 * kState12);
        d = c;  // copy-assign: the old buffer goes, a new one comes
        EXPECT_EQ(memory_held(), before + 2 * kState12);
        std::vector<StateVector<double>> many;
        for (int i = 0; i < 8; ++i) many.emplace_back(10);  // reallocation moves them
        EXPECT_EQ(memory_held(), before + 2 * kState12 + 8 * (kState12 / 4));
    }
    EXPECT_EQ(memory_held(), before);

    MemoryReservation r(1000, "a test buffer");
    EXPECT_EQ(memory_held(), before + 1000);
    MemoryReservation s = std::move(r);
    EXPECT_EQ(r.bytes(), 0u);  // a moved-from reservation holds nothing
    EXPECT_EQ(s.bytes(), 1000u);
    MemoryReservation t(24, "another");
    t = std::move(s);
    EXPECT_EQ(memory_held(), before + 1000);
    t = MemoryReservation();
    EXPECT_EQ(memory_held(), before);
}

TEST(Resources, ThreadsReservingAtOnceNeverPassTheLimitTogether) {
    const std::size_t before = memory_held();
    const MemoryLimit limit(before + 4 * kState12 + kState12 / 2);  // room for four states, not five
    constexpr int kThreads = 8;
    std::atomic<int> made{0}, refused{0}, tried{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            std::optional<StateVector<double>> held;
            try {
                held.emplace(12);
                ++made;
            } catch (const Error& e) {
                if (e.code() == ErrorCode::resource_limit) ++refused;
            }
            // Keep the state until every thread has tried, so the four are held at once.
            ++tried;
            while (tried.load() < kThreads) std::this_thread::yield();
        });
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(made.load(), 4);
    EXPECT_EQ(refused.load(), kThreads - 4);
    EXPECT_EQ(memory_held(), before);
}

// ---------------------------------------------------------------------------------------------
// The `kettle` program: exit code 4 and a message with the numbers and what to change.

struct Outcome {
    int exit_code = -1;
    std::string output;
};

Outcome run_kettle(const std::string& arguments) {
    const std::string command = fmt::format("'{}' {} 2>&1", KETTLE_PROGRAM, arguments);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    Outcome o;
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), int(buffer.size()), pipe.get())) o.output += buffer.data();
    const int status = ::pclose(pipe.release());
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

TEST(Resources, CliSaysWhatToChange) {
    const std::string twelve = std::string(KETTLE_SOURCE_DIR) + "/tests/corpus/cli/twelve.qasm";
    const Outcome limited = run_kettle(fmt::format("run '{}' --max-memory 16K", twelve));
    EXPECT_EQ(limited.exit_code, 4) << limited.output;
    EXPECT_EQ(limited.output,
              "kettle run: a 12-qubit state in double precision needs 65536 bytes (64.0 KiB), but only 16384 bytes "
              "(16.0 KiB) are available under the memory limit set; use fewer qubits (or shots), --precision single, "
              "or raise --max-memory\n");

    const Outcome shots = run_kettle(fmt::format("run '{}' --shots 100000 --seed 1 --max-memory 1M", twelve));
    EXPECT_EQ(shots.exit_code, 4) << shots.output;
    EXPECT_NE(shots.output.find("sample: 100000 shots needs 1600000 bytes"), std::string::npos) << shots.output;

    const std::string forty = std::string(KETTLE_SOURCE_DIR) + "/tests/corpus/cli/register40.qasm";
    const Outcome machine = run_kettle(fmt::format("run '{}'", forty));
    EXPECT_EQ(machine.exit_code, 4) << machine.output;
    EXPECT_NE(machine.output.find("use fewer qubits (or shots) or --precision single (this is the memory the machine "
                                  "has available)"),
              std::string::npos)
        << machine.output;
}

}  // namespace
}  // namespace kettle
