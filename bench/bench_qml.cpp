// The quantum machine-learning layer on issue 4's reference circuit: RY angle encoding on n
// qubits, then L layers of RY and RZ on every qubit and a CNOT ring, readout <Z0>
// (P = 2 n L weights).
//
//   build/bench/bench_qml [benchmark flags]
//
// BM_QmlAdjoint/n:8/L:16 times, per sample, the forward pass (simulation and <Z0>) and the
// adjoint gradient (forward pass and backward sweep, all parameters); counters forward_us,
// gradient_us and ratio = gradient / forward.
// BM_QmlSamples/n:4/L:4/threads:2 runs loss and full gradient (weights and inputs) of a
// VariationalClassifier over a batch, samples in parallel with one workspace per worker as
// the Trainer does; items_per_second is samples per second.

#include <benchmark/benchmark.h>

#include <ctime>
#include <fmt/format.h>
#include <random>
#include <span>
#include <string>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <vector>

#include "kettle/kettle.hpp"

namespace {

using namespace kettle;

struct Reference {
    Circuit circuit;
    std::vector<Parameter> inputs, weights;
};

Reference reference_circuit(unsigned n, std::size_t layers) {
    Reference r{Circuit(n), {}, {}};
    r.inputs = angle_encoding(r.circuit, RotationAxis::y);
    r.weights = hardware_efficient_ansatz(r.circuit, layers, Entangler::ring);
    return r;
}

std::vector<double> random_values(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    std::vector<double> v(count);
    for (double& x : v) x = u(rng);
    return v;
}

/// CPU time of the calling thread: on a shared machine it does not count the time other
/// processes hold the core (wall time did, by a factor of 2 to 3 on a loaded 2-core machine).
double thread_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

/// Forward and gradient are timed (thread CPU time) in rounds of `reps` calls each,
/// alternating, so that both see the same machine load.
void adjoint(benchmark::State& st, unsigned n, std::size_t layers) {
    const Reference r = reference_circuit(n, layers);
    AdjointDifferentiator<double> diff(r.circuit, {PauliSum::parse("Z0")});
    const std::vector<double> params = random_values(r.circuit.num_parameters(), 1);
    std::vector<double> value(1), gradient(params.size());
    const double cotangent = 1.0;
    const std::size_t reps = std::max<std::size_t>(1, (std::size_t{1} << 16) >> n);
    double forward_s = 0, gradient_s = 0;
    for (auto _ : st) {
        const double t0 = thread_seconds();
        for (std::size_t i = 0; i < reps; ++i) diff.forward(params, value);
        const double t1 = thread_seconds();
        for (std::size_t i = 0; i < reps; ++i) {
            diff.forward(params, value);
            diff.backward(std::span<const double>(&cotangent, 1), gradient);
        }
        const double t2 = thread_seconds();
        benchmark::DoNotOptimize(gradient.data());
        forward_s += t1 - t0;
        gradient_s += t2 - t1;
    }
    const double calls = double(st.iterations() * reps);
    st.counters["P"] = double(params.size());
    st.counters["forward_us"] = 1e6 * forward_s / calls;
    st.counters["gradient_us"] = 1e6 * gradient_s / calls;
    st.counters["ratio"] = gradient_s / forward_s;
}

/// Loss and full gradient of every sample of a batch, as Trainer::fit computes them.
void samples(benchmark::State& st, unsigned n, std::size_t layers, unsigned threads) {
    set_num_threads(threads);
    Reference r = reference_circuit(n, layers);
    VariationalClassifier model(std::move(r.circuit), r.inputs, r.weights, {PauliSum::parse("Z0")});
    model.initialize(2);
    const std::size_t batch = 4096;
    const std::vector<double> x = random_values(batch * n, 3);
    std::vector<double> grads(batch * model.num_trainable()), input_grads(batch * n), losses(batch);
    BinaryCrossEntropy loss;
    tbb::enumerable_thread_specific<VariationalClassifier::Workspace> ws(
        [&model] { return VariationalClassifier::Workspace(model); });
    for (auto _ : st) {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch, 64), [&](const tbb::blocked_range<std::size_t>& b) {
            auto& w = ws.local();
            const std::size_t p = model.num_trainable();
            for (std::size_t i = b.begin(); i < b.end(); ++i)
                losses[i] = model.loss_and_gradient(w, std::span<const double>(x).subspan(i * n, n), i % 2, loss,
                                                    std::span<double>(grads).subspan(i * p, p),
                                                    std::span<double>(input_grads).subspan(i * n, n));
        });
        benchmark::DoNotOptimize(losses.data());
    }
    st.SetItemsProcessed(std::int64_t(st.iterations() * batch));
    set_num_threads(0);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    for (unsigned n : {4u, 8u, 12u, 16u})
        for (std::size_t target_p : {16u, 64u, 256u, 1024u}) {
            const std::size_t layers = std::max<std::size_t>(1, target_p / (2 * n));
            benchmark::RegisterBenchmark(fmt::format("BM_QmlAdjoint/n:{}/L:{}", n, layers).c_str(),
                                         [n, layers](benchmark::State& st) { adjoint(st, n, layers); })
                ->Unit(benchmark::kMillisecond);
        }
    for (unsigned n : {4u, 8u})
        for (unsigned threads : {1u, 2u})
            benchmark::RegisterBenchmark(fmt::format("BM_QmlSamples/n:{}/L:4/threads:{}", n, threads).c_str(),
                                         [n, threads](benchmark::State& st) { samples(st, n, 4, threads); })
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
