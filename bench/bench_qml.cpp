// The quantum machine-learning layer on issue 4's reference circuit: RY angle encoding on n
// qubits, then L layers of RY and RZ on every qubit and a CNOT ring, readout <Z0>
// (P = 2 n L weights).
//
//   build/bench/bench_qml [benchmark flags]
//
// BM_QmlAdjoint/n:8/L:16 times, per sample, the forward pass (simulation and <Z0>) and the
// adjoint gradient (forward pass and backward sweep, all parameters); counters forward_us,
// gradient_us and ratio = gradient / forward. Up to 10 qubits the forward pass also records
// the states the backward sweep reads (CompiledCircuit's tape), so forward_us includes that.
// BM_QmlBatchedAdjoint/n:8/L:16 times the same through VariationalClassifier's batch path (8
// samples per SIMD register): scores_batch (forward) against loss_and_gradient_batch
// (forward, backward, gradients by weights and inputs), per sample.
// BM_QmlSamples/n:4/L:4/threads:2 runs loss and full gradient (weights and inputs) of a
// VariationalClassifier over 4096 samples as the Trainer does: fixed chunks of 16 samples in
// parallel, each through loss_and_gradient_batch; items_per_second is samples per second.
// BM_QmlSamplesPerSample/... is the per-sample path (loss_and_gradient, one state per sample)
// on the same work, for comparison within one run.
// BM_QmlTrain/n:8/L:4/batch:64/threads:2 is Trainer::fit (Adam, batches of 64 or 256, four
// epochs of 2048 samples, each with its evaluation, from building the model on); items_per_second
// is training samples per second. A batch is 4 or 16 chunks of 16 samples: the smaller the batch, the larger the share
// of each optimizer step's serial part and of waking the second thread.
// BM_QmlTrainPerSample/... trains the same model seen through its per-sample members only.

#include <benchmark/benchmark.h>

#include <ctime>
#include <fmt/format.h>
#include <random>
#include <span>
#include <string>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <Eigen/Dense>
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

VariationalClassifier reference_model(unsigned n, std::size_t layers) {
    Reference r = reference_circuit(n, layers);
    VariationalClassifier model(std::move(r.circuit), r.inputs, r.weights, {PauliSum::parse("Z0")});
    model.initialize(2);
    return model;
}

std::vector<std::size_t> alternating_labels(std::size_t count) {
    std::vector<std::size_t> y(count);
    for (std::size_t i = 0; i < count; ++i) y[i] = i % 2;
    return y;
}

/// Forward (scores_batch) and forward + full gradient (loss_and_gradient_batch) through the
/// batch path, one thread, alternating rounds as in adjoint().
void batched_adjoint(benchmark::State& st, unsigned n, std::size_t layers) {
    const VariationalClassifier model = reference_model(n, layers);
    const std::size_t batch = std::max<std::size_t>(16, (std::size_t{1} << 14) >> n);
    const std::vector<double> x = random_values(batch * n, 3);
    const std::vector<std::size_t> y = alternating_labels(batch);
    std::vector<double> scores(batch), grad(model.num_trainable()), input_grads(batch * n);
    BinaryCrossEntropy loss;
    const std::unique_ptr<Model::Workspace> ws = model.make_workspace();
    double forward_s = 0, gradient_s = 0;
    for (auto _ : st) {
        const double t0 = thread_seconds();
        model.scores_batch(*ws, x, scores);
        const double t1 = thread_seconds();
        benchmark::DoNotOptimize(model.loss_and_gradient_batch(*ws, x, y, loss, grad, input_grads));
        const double t2 = thread_seconds();
        forward_s += t1 - t0;
        gradient_s += t2 - t1;
    }
    const double calls = double(st.iterations() * batch);
    st.counters["P"] = double(model.num_circuit_weights());
    st.counters["forward_us"] = 1e6 * forward_s / calls;
    st.counters["gradient_us"] = 1e6 * gradient_s / calls;
    st.counters["ratio"] = gradient_s / forward_s;
}

/// Loss and full gradient (weights and inputs) of 4096 samples, as Trainer::fit computes
/// them: chunks of 16 samples in parallel through the batch path.
void samples(benchmark::State& st, unsigned n, std::size_t layers, unsigned threads) {
    set_num_threads(threads);
    const VariationalClassifier model = reference_model(n, layers);
    const std::size_t batch = 4096, chunk = 16, p = model.num_trainable();
    const std::vector<double> x = random_values(batch * n, 3);
    const std::vector<std::size_t> y = alternating_labels(batch);
    std::vector<double> grads(batch / chunk * p), input_grads(batch * n), losses(batch / chunk);
    BinaryCrossEntropy loss;
    tbb::enumerable_thread_specific<std::unique_ptr<Model::Workspace>> ws([&model] { return model.make_workspace(); });
    for (auto _ : st) {
        tbb::parallel_for(std::size_t{0}, batch / chunk, [&](std::size_t c) {
            losses[c] = model.loss_and_gradient_batch(
                *ws.local(), std::span<const double>(x).subspan(c * chunk * n, chunk * n),
                std::span<const std::size_t>(y).subspan(c * chunk, chunk), loss,
                std::span<double>(grads).subspan(c * p, p), std::span<double>(input_grads).subspan(c * chunk * n, chunk * n));
        });
        benchmark::DoNotOptimize(losses.data());
    }
    st.SetItemsProcessed(std::int64_t(st.iterations() * batch));
    set_num_threads(0);
}

/// The same work through the per-sample path (one serial state per sample).
void samples_per_sample(benchmark::State& st, unsigned n, std::size_t layers, unsigned threads) {
    set_num_threads(threads);
    const VariationalClassifier model = reference_model(n, layers);
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

/// A classifier seen through the per-sample members only (the Model's default batch members),
/// to time the Trainer on the per-sample path within the same run.
class PerSampleModel final : public Model {
public:
    explicit PerSampleModel(VariationalClassifier& inner) : inner_(&inner) {}
    [[nodiscard]] std::size_t num_features() const noexcept override { return inner_->num_features(); }
    [[nodiscard]] std::size_t num_classes() const noexcept override { return inner_->num_classes(); }
    [[nodiscard]] std::size_t num_scores() const noexcept override { return inner_->num_scores(); }
    [[nodiscard]] std::size_t num_trainable() const noexcept override { return inner_->num_trainable(); }
    [[nodiscard]] std::span<const double> trainable() const noexcept override { return inner_->trainable(); }
    void set_trainable(std::span<const double> values) override { inner_->set_trainable(values); }
    [[nodiscard]] std::unique_ptr<Workspace> make_workspace() const override { return inner_->make_workspace(); }
    void scores(Workspace& ws, std::span<const double> x, std::span<double> out) const override {
        inner_->scores(ws, x, out);
    }
    double loss_and_gradient(Workspace& ws, std::span<const double> x, std::size_t label, const Loss& loss,
                             std::span<double> grad_trainable, std::span<double> grad_inputs) const override {
        return inner_->loss_and_gradient(ws, x, label, loss, grad_trainable, grad_inputs);
    }

private:
    VariationalClassifier* inner_;
};

/// One epoch of Trainer::fit: 2048 samples in batches of 64, Adam, then the epoch's record.
void train(benchmark::State& st, unsigned n, std::size_t layers, unsigned threads, bool batched,
           std::size_t batch_size) {
    set_num_threads(threads);
    const std::size_t rows = 2048;
    const std::vector<double> values = random_values(rows * n, 5);
    FeatureMatrix x = FeatureMatrix::Zero(Eigen::Index(rows), Eigen::Index(n));
    for (std::size_t r = 0; r < rows; ++r)
        for (unsigned c = 0; c < n; ++c) x(Eigen::Index(r), Eigen::Index(c)) = values[r * n + c];
    const std::vector<std::size_t> y = alternating_labels(rows);
    BinaryCrossEntropy loss;
    TrainerOptions options;
    options.epochs = 4;
    options.batch_size = batch_size;
    for (auto _ : st) {
        VariationalClassifier model = reference_model(n, layers);
        PerSampleModel per_sample(model);
        Adam adam(0.01);
        Model& trained = batched ? static_cast<Model&>(model) : per_sample;
        benchmark::DoNotOptimize(Trainer(loss, adam, options).fit(trained, x, y));
    }
    st.SetItemsProcessed(std::int64_t(st.iterations() * rows * options.epochs));
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
        for (std::size_t target_p : {16u, 64u, 256u, 1024u}) {
            const std::size_t layers = std::max<std::size_t>(1, target_p / (2 * n));
            benchmark::RegisterBenchmark(fmt::format("BM_QmlBatchedAdjoint/n:{}/L:{}", n, layers).c_str(),
                                         [n, layers](benchmark::State& st) { batched_adjoint(st, n, layers); })
                ->Unit(benchmark::kMillisecond);
        }
    for (unsigned n : {4u, 8u})
        for (unsigned threads : {1u, 2u}) {
            benchmark::RegisterBenchmark(fmt::format("BM_QmlSamples/n:{}/L:4/threads:{}", n, threads).c_str(),
                                         [n, threads](benchmark::State& st) { samples(st, n, 4, threads); })
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark(fmt::format("BM_QmlSamplesPerSample/n:{}/L:4/threads:{}", n, threads).c_str(),
                                         [n, threads](benchmark::State& st) { samples_per_sample(st, n, 4, threads); })
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
        }
    for (bool batched : {true, false})
        for (std::size_t batch : {64u, 256u})
            for (unsigned threads : {1u, 2u})
                benchmark::RegisterBenchmark(fmt::format("BM_QmlTrain{}/n:8/L:4/batch:{}/threads:{}",
                                                         batched ? "" : "PerSample", batch, threads)
                                                 .c_str(),
                                             [threads, batched, batch](benchmark::State& st) {
                                                 train(st, 8, 4, threads, batched, batch);
                                             })
                    ->UseRealTime()
                    ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
