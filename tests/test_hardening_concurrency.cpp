// Concurrency: many simulations and trainings started from several std::threads at once, each
// on its own state or model, give exactly the results of the same work done one after another;
// shared const objects (Circuit, FusionPlan, PauliSum, a trained VariationalClassifier) are
// read concurrently. Also run under ThreadSanitizer by scripts/sanitizers.sh.

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <numbers>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "kettle/detail/parallel.hpp"
#include "kettle/kettle.hpp"
#include "support/random_circuit.hpp"

namespace kettle {
namespace {

constexpr unsigned kThreads = 6;

/// Starts `count` std::threads running job(i) and joins them; an exception in a job fails the
/// test with its message.
template <class Job>
void in_threads(unsigned count, Job job) {
    std::vector<std::thread> threads;
    std::vector<std::string> errors(count);
    for (unsigned i = 0; i < count; ++i)
        threads.emplace_back([&, i] {
            try {
                job(i);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    for (std::thread& t : threads) t.join();
    for (unsigned i = 0; i < count; ++i) EXPECT_EQ(errors[i], "") << "thread " << i;
}

template <class T>
std::vector<std::complex<T>> amplitudes_of(const StateVector<T>& s) {
    return {s.amplitudes().begin(), s.amplitudes().end()};
}

TEST(Concurrency, SimulationsFromManyThreadsMatchSequentialRuns) {
    // Small states run serially inside; the 16-qubit ones (above 2^14 amplitudes) also run their
    // kernels on oneTBB's workers, so both levels of parallelism meet.
    std::vector<test::RandomCircuit> circuits;
    for (unsigned i = 0; i < kThreads; ++i)
        circuits.push_back(test::random_circuit(i % 2 ? 16 : 8, i % 2 ? 60 : 400, 1000 + i));
    std::vector<std::vector<std::complex<double>>> sequential;
    for (const auto& rc : circuits) sequential.push_back(amplitudes_of(simulate<double>(rc.circuit)));

    std::vector<std::vector<std::complex<double>>> concurrent(kThreads);
    in_threads(kThreads, [&](unsigned i) {
        for (int repeat = 0; repeat < 3; ++repeat) concurrent[i] = amplitudes_of(simulate<double>(circuits[i].circuit));
    });
    for (unsigned i = 0; i < kThreads; ++i) EXPECT_EQ(concurrent[i], sequential[i]) << "circuit " << i;
}

TEST(Concurrency, SimulationsInsideTheLibrarysOwnParallelLoop) {
    // Each thread prepares its gates in one PreparedGate (detail::apply_kernel). A 16-qubit
    // state runs each gate's groups on oneTBB's workers, and a thread waiting for them may
    // take another iteration of the enclosing loop, whose gates must not be prepared over the
    // gate still running beneath them (apply_kernel gives them a gate of their own). Whether
    // a thread does is up to oneTBB's scheduler (on the 2-core development machine none did
    // in three runs); the results must match either way.
    constexpr unsigned kStates = 16;
    std::vector<test::RandomCircuit> circuits;
    for (unsigned i = 0; i < kStates; ++i) circuits.push_back(test::random_circuit(16, 200, 2000 + i));
    std::vector<std::vector<std::complex<double>>> sequential;
    for (const auto& rc : circuits) sequential.push_back(amplitudes_of(simulate<double>(rc.circuit)));

    std::vector<std::vector<std::complex<double>>> nested(kStates);
    detail::parallel_range(kStates, 1, [&](std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t i = begin; i < end; ++i) nested[i] = amplitudes_of(simulate<double>(circuits[i].circuit));
    });
    for (unsigned i = 0; i < kStates; ++i) EXPECT_EQ(nested[i], sequential[i]) << "circuit " << i;
}

TEST(Concurrency, SharedConstCircuitPlanAndObservable) {
    const test::RandomCircuit rc = test::random_circuit(15, 120, 5);
    const FusionPlan plan(rc.circuit, FusionOptions{4});
    const PauliSum observable = PauliSum::parse("0.5*Z0 Z1 - 1.5*X3 Y14 + Z7");
    StateVector<double> reference(15);
    plan.run(reference);
    const double expected = expectation(reference, observable);
    const auto expected_counts = sample_counts<double>(rc.circuit, 500, 11);

    std::vector<double> values(kThreads);
    std::vector<std::map<std::string, std::size_t>> counts(kThreads);
    in_threads(kThreads, [&](unsigned i) {
        StateVector<double> state(15);
        plan.run(state);
        values[i] = expectation(state, observable);
        counts[i] = sample_counts<double>(rc.circuit, 500, 11);
    });
    for (unsigned i = 0; i < kThreads; ++i) {
        EXPECT_EQ(values[i], expected) << "thread " << i;
        EXPECT_EQ(counts[i], expected_counts) << "thread " << i;
    }
}

struct Moons {
    FeatureMatrix x;
    std::vector<std::size_t> y;
};

Moons moons(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> t(0, std::numbers::pi);
    std::normal_distribution<double> e(0, 0.1);
    Moons d{FeatureMatrix(Eigen::Index(n), 2), std::vector<std::size_t>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double a = t(rng);
        const bool lower = i % 2;
        d.x(Eigen::Index(i), 0) = (lower ? 1 - std::cos(a) : std::cos(a)) + e(rng);
        d.x(Eigen::Index(i), 1) = (lower ? 0.5 - std::sin(a) : std::sin(a)) + e(rng);
        d.y[i] = lower;
    }
    return d;
}

/// Trains model `i` (its own seed, optimizer and loss) and returns its weights.
std::vector<double> train(unsigned i, const Moons& d) {
    ClassifierOptions o;
    o.num_qubits = 2 + i % 2;
    o.layers = 2;
    VariationalClassifier model = make_classifier(2, o);
    model.initialize(10 + i, 2.0);
    BinaryCrossEntropy loss;
    Adam adam(0.05);
    TrainerOptions t;
    t.epochs = 3;
    t.batch_size = 8;
    t.seed = 20 + i;
    t.validation_fraction = 0.25;
    (void)Trainer(loss, adam, t).fit(model, d.x, d.y);
    return {model.trainable().begin(), model.trainable().end()};
}

TEST(Concurrency, TrainingsFromManyThreadsMatchSequentialOnes) {
    const Moons d = moons(48, 3);
    std::vector<std::vector<double>> sequential;
    for (unsigned i = 0; i < 4; ++i) sequential.push_back(train(i, d));
    std::vector<std::vector<double>> concurrent(4);
    in_threads(4, [&](unsigned i) { concurrent[i] = train(i, d); });
    // The trainer sums per-sample gradients in sample order: bit-identical, however the workers
    // of several trainings interleave.
    for (unsigned i = 0; i < 4; ++i) EXPECT_EQ(concurrent[i], sequential[i]) << "model " << i;
}

TEST(Concurrency, OneTrainedModelServesManyThreads) {
    const Moons d = moons(40, 4);
    ClassifierOptions o;
    o.num_qubits = 3;
    o.layers = 2;
    VariationalClassifier model = make_classifier(2, o);
    model.initialize(1, 2.0);
    std::vector<std::vector<double>> expected;
    for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
        const std::vector<double> x{d.x(r, 0), d.x(r, 1)};
        expected.push_back(model.scores(x));
    }
    const VariationalClassifier& shared = model;
    std::vector<int> mismatches(kThreads, 0);
    in_threads(kThreads, [&](unsigned i) {
        VariationalClassifier::Workspace ws(shared);  // one per thread, as the header asks
        std::vector<double> out(shared.num_scores());
        for (int repeat = 0; repeat < 5; ++repeat)
            for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
                const std::vector<double> x{d.x(r, 0), d.x(r, 1)};
                shared.scores(ws, x, out);
                if (out != expected[std::size_t(r)]) ++mismatches[i];
            }
    });
    for (unsigned i = 0; i < kThreads; ++i) EXPECT_EQ(mismatches[i], 0) << "thread " << i;
}

TEST(Concurrency, SavesAndLoadsOfDistinctFilesFromManyThreads) {
    const std::filesystem::path dir =
        std::filesystem::path(KETTLE_BINARY_DIR) / "test_scratch" / fmt::format("hardening_threads_{}", ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::vector<std::vector<std::complex<float>>> written(kThreads), read(kThreads);
    in_threads(kThreads, [&](unsigned i) {
        for (int repeat = 0; repeat < 4; ++repeat) {
            const auto state = simulate<float>(test::random_circuit(6, 40, 300 + 10 * i + repeat).circuit);
            const auto file = dir / fmt::format("s{}.h5", i);
            save_state(file, state);
            written[i] = amplitudes_of(state);
            read[i] = amplitudes_of(load_state<float>(file));
        }
    });
    for (unsigned i = 0; i < kThreads; ++i) EXPECT_EQ(read[i], written[i]) << "thread " << i;
}

}  // namespace
}  // namespace kettle
