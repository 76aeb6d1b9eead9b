// Whole circuits: QFT, the random supremacy-style circuit, a hardware-efficient ansatz and a
// QAOA swap network (with its SWAPs relabelled or run), fused and unfused, 1 and 2 threads,
// single and double precision.
//
//   build/bench/bench_circuits [--min-qubits A] [--max-qubits B] [benchmark flags]
//
// BM_Circuit/name:qft/fusion:4/blocking:1/threads:2/prec:double/n:24 reports seconds per run,
// `blocks` (fused blocks, or gates unfused) and blocks_per_second. blocking:1 runs the blocks
// in cache-blocked passes (FusionOptions::cache_blocking), blocking:0 one pass per block;
// BM_PlanPasses times planning those passes alone (once per plan).
// memory_passes counts the cache-blocked passes, and cmac_per_amplitude the fused run's
// arithmetic: 2^k complex multiply-adds per amplitude for a dense k-qubit block, 1 for any
// other (diagonal, permutation, phase). BM_PermuteQubits times the permutation that puts
// relabelled qubits back (qubit_permutation.hpp) against a read-modify-write pass (of_rmw), and
// BM_BlockedPass one cache-blocked pass of two Z gates over chunks of given qubits likewise.
// BM_SmallGate times each kind of gate of BM_SmallCircuit alone, as run applies it and
// prepared once (its kernel alone), on qubits 0, 1 (inside the register) and 5.
// BM_GroupedPasses runs the random circuit's cache-blocked passes (3-qubit fusion) with the
// chunks gathered one at a time (grouped:0) or in groups (grouped:1) whatever the state's size,
// the comparison behind cache_blocking.hpp's kGroupFromBytes.

#include <benchmark/benchmark.h>

#include <chrono>
#include <numbers>
#include <fmt/format.h>
#include <string>
#include <string_view>
#include <vector>

#include "cache_blocking.hpp"
#include "execution.hpp"
#include "lowering.hpp"
#include "parallel.hpp"
#include "qubit_permutation.hpp"
#include "kettle/kettle.hpp"
#include "qubit_range.hpp"

namespace {

using namespace kettle;

Circuit hea(unsigned n) {
    Circuit c(n);
    (void)hardware_efficient_ansatz(c, 4, Entangler::ring);
    return c;
}

std::vector<double> angles(const Circuit& c) {
    std::vector<double> v(c.num_parameters());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.1 * double(i % 31) - 1.3;
    return v;
}

template <class T>
void run_circuit(benchmark::State& st, const Circuit& c, unsigned fusion, bool blocking, unsigned threads,
                 bool relabel) {
    set_num_threads(threads);
    const std::vector<double> values = angles(c);
    StateVector<T> s(c.num_qubits());
    const FusionPlan plan(c, FusionOptions{fusion == 0 ? 1u : fusion, blocking, relabel});
    for (auto _ : st) {
        if (fusion == 0)
            run(c, s, values, RunOptions{0, 0, relabel});
        else
            plan.run(s, values);
        benchmark::ClobberMemory();
    }
    const double passes = fusion == 0 ? double(gate_passes(c, relabel)) : double(plan.blocks().size());
    st.counters["blocks"] = passes;
    if (fusion > 0) {
        double cmac = 0;
        for (const FusionPlan::Block& b : plan.blocks())
            cmac += b.shape == MatrixShape::dense ? double(1u << b.qubits.size()) : 1.0;
        st.counters["cmac_per_amplitude"] = cmac;
    }
    if (fusion > 0 && blocking && c.num_qubits() >= detail::chunk_qubits<T>() + 2) {
        // Passes over memory: the blocks' cache-blocked grouping (the circuits here have no
        // measurements, so every block lowers to a step).
        std::vector<detail::BlockedStep> steps;
        for (const FusionPlan::Block& b : plan.blocks()) steps.push_back(*detail::lower_block(plan.circuit(), b, values));
        // Relabelled SWAPs add the pass that puts the qubits back, unless they cancelled.
        const auto relabelling = detail::FusionPlanInternals::relabelling(plan);
        st.counters["memory_passes"] =
            double(detail::blocked_passes(c.num_qubits(), detail::chunk_qubits<T>(), steps).size() +
                   (relabelling ? detail::permutation_passes(relabelling->restore, detail::chunk_qubits<T>()) : 0));
    }
    st.counters["blocks_per_second"] = benchmark::Counter(passes * double(st.iterations()), benchmark::Counter::kIsRate);
    set_num_threads(0);
}

template <class T>
void register_all(const char* prec, unsigned min_n, unsigned max_n) {
    for (unsigned n = min_n; n <= max_n; n += 2)
        for (auto [name, make] : {std::pair<const char*, Circuit (*)(unsigned)>{"qft", [](unsigned q) { return qft(q); }},
                                  {"random20", [](unsigned q) { return random_supremacy_circuit(q, 20, 1); }},
                                  {"hea4", hea},
                                  {"swapnet", [](unsigned q) { return qaoa_swap_network(q, 1, 1); }}}) {
            const Circuit c = make(n);
            // The swap network also runs with its SWAPs as passes (relabel:0), to show what the
            // relabelling saves; the other circuits gain nothing from it (their plans are the same).
            const bool swaps = std::string_view(name) == "swapnet";
            for (bool relabel : {true, false}) {
                if (!relabel && !swaps) continue;
                const std::string label = swaps ? fmt::format("{}/relabel:{}", name, int(relabel)) : name;
                for (auto [fusion, blocking] :
                     {std::pair{0u, false}, {1u, true}, {2u, false}, {2u, true}, {3u, true}, {4u, false}, {4u, true}})
                    for (unsigned threads : {1u, 2u})
                        benchmark::RegisterBenchmark(
                            fmt::format("BM_Circuit/name:{}/fusion:{}/blocking:{}/threads:{}/prec:{}/n:{}", label,
                                        fusion, int(blocking), threads, prec, n)
                                .c_str(),
                            [c, fusion, blocking, threads, relabel](benchmark::State& st) {
                                run_circuit<T>(st, c, fusion, blocking, threads, relabel);
                            })
                            ->UseRealTime()
                            ->Unit(benchmark::kMillisecond);
            }
        }
}

/// Small states: a 10-qubit circuit of 1,000 random gates (the supremacy circuit's gate set),
/// per-gate time (the target is under 0.25 us: no thread start, allocation or look-up per gate).
/// mode 0: kettle::run; 1: a FusionPlan (3-qubit blocks) run each time; 2: a PreparedCircuit
/// (blocks of up to `k` qubits lowered once).
template <class T>
void small_circuit(benchmark::State& st, int mode, unsigned k = 2) {
    const Circuit c = random_supremacy_circuit(10, 76, 3);  // 76 cycles of 10 + ~3 gates: 1,000 or so
    StateVector<T> s(10);
    const FusionPlan plan(c, FusionOptions{3});
    const PreparedCircuit<T> prepared(c, {}, FusionOptions{k, true});
    for (auto _ : st) {
        if (mode == 1)
            plan.run(s);
        else if (mode == 2)
            prepared.run(s);
        else
            run(c, s);
        benchmark::ClobberMemory();
    }
    st.counters["gates"] = double(c.operations().size());
    // Seconds per gate: gates per iteration as a rate, inverted.
    st.counters["s_per_gate"] = benchmark::Counter(double(c.operations().size()),
                                                   benchmark::Counter::kIsIterationInvariantRate |
                                                       benchmark::Counter::kInvert);
}

/// One gate of BM_SmallCircuit's kinds (rx and ry of pi/2, the circuit's √W, cz with the
/// qubit above) on qubit q of a 10-qubit state, one thread: `apply` as kettle::run applies it
/// (its matrix, site layout and kernel chosen per gate), `kernel` prepared once
/// (detail::PreparedGate).
template <class T>
void small_gate(benchmark::State& st, const std::string& kind, unsigned q, bool prepared) {
    constexpr unsigned n = 10;
    Circuit c(n);
    if (kind == "rx") c.rx(q, std::numbers::pi / 2);
    if (kind == "ry") c.ry(q, std::numbers::pi / 2);
    if (kind == "cz") c.cz(q, q + 1);
    if (kind == "sqrtw") {
        const Circuit random = random_supremacy_circuit(n, 3, 3);
        for (const Operation& op : random.operations())
            if (op.gate == GateKind::unitary) {
                c.unitary(*op.matrix, {q});
                break;
            }
    }
    const Operation& op = c.operations().at(0);
    StateVector<T> s(n);
    std::vector<double> values(op.params.size());
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = op.params[i].evaluate({});
    const Matrix m = op.gate == GateKind::unitary ? *op.matrix : gate_matrix(op.gate, values);
    const detail::PreparedGate<T> gate =
        detail::prepare_shaped<T>(m, detail::operation_shape(op), n, op.targets, op.controls, op.control_values);
    for (auto _ : st) {
        if (prepared)
            gate.run(s.data(), false);
        else
            apply_gate(s, op);
        benchmark::ClobberMemory();
    }
}

/// Planning the cache-blocked passes (done once per FusionPlan or PreparedCircuit): the random
/// circuit on 28 qubits, `cycles` cycles, fused into blocks of up to `k` qubits; no state.
void plan_passes(benchmark::State& st, unsigned cycles, unsigned k) {
    const Circuit c = random_supremacy_circuit(28, cycles, 1);
    const FusionPlan plan(c, FusionOptions{k});
    std::vector<detail::BlockedStep> steps;
    for (const FusionPlan::Block& b : plan.blocks()) steps.push_back(*detail::lower_block(plan.circuit(), b, {}));
    std::size_t passes = 0;
    for (auto _ : st) passes = detail::plan_blocked(28, detail::chunk_qubits<double>(), steps).size();
    st.counters["steps"] = double(steps.size());
    st.counters["passes"] = double(passes);
}

/// The random circuit's passes (20 cycles, 3-qubit fusion) on n qubits, their chunks gathered
/// in groups or one at a time regardless of the state's size (PassSizes).
template <class T>
void grouped_passes(benchmark::State& st, unsigned n, bool grouped) {
    const Circuit c = random_supremacy_circuit(n, 20, 1);
    const FusionPlan plan(c, FusionOptions{3});
    std::vector<detail::BlockedStep> steps;
    for (const FusionPlan::Block& b : plan.blocks()) steps.push_back(*detail::lower_block(plan.circuit(), b, {}));
    const std::vector<detail::BlockedPass> passes = detail::plan_blocked(n, detail::chunk_qubits<T>(), steps);
    const detail::PassSizes sizes{detail::kStreamBackBytes, grouped ? 0 : ~std::size_t{0}};
    StateVector<T> s(n);
    for (auto _ : st) {
        detail::run_blocked(s, std::span<const detail::BlockedStep>(steps), std::span<const detail::BlockedPass>(passes),
                            sizes);
        benchmark::ClobberMemory();
    }
    st.counters["passes"] = double(passes.size());
}

/// Times pass() on s; `of_rmw`: its speed against an in-place read-modify-write pass over the
/// same state, timed between its passes.
template <class T, class Pass>
void time_against_rmw(benchmark::State& st, StateVector<T>& s, Pass&& pass) {
    auto* p = reinterpret_cast<T*>(s.data());
    const std::size_t count = 2 * s.size();
    double rmw_seconds = 0, seconds = 0;
    for (auto _ : st) {
        st.PauseTiming();
        const auto t0 = std::chrono::steady_clock::now();
        detail::parallel_range(count, 1 << 14, [&](std::uint64_t b, std::uint64_t e) {
            for (std::uint64_t i = b; i < e; ++i) p[i] = p[i] * T(0.999999) + T(1e-9);
        });
        const auto t1 = std::chrono::steady_clock::now();
        st.ResumeTiming();
        pass();
        benchmark::ClobberMemory();
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
        rmw_seconds += std::chrono::duration<double>(t1 - t0).count();
    }
    st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(2 * s.size() * sizeof(std::complex<T>)));
    st.counters["of_rmw"] = rmw_seconds / seconds;
}

/// The permutation that ends a run whose SWAPs were relabelled (qubit_permutation.hpp), alone:
/// the qubits reversed (a QFT's), the two highest swapped (whole chunks moved) or the two
/// lowest (every chunk permuted in place).
template <class T>
void permute(benchmark::State& st, unsigned n, const std::string& kind) {
    StateVector<T> s(n);
    std::vector<unsigned> to(n);
    for (unsigned q = 0; q < n; ++q) to[q] = kind == "reverse" ? n - 1 - q : q;
    if (kind == "high_pair") std::swap(to[n - 1], to[n - 2]);
    if (kind == "low_pair") std::swap(to[0], to[1]);
    time_against_rmw(st, s, [&] { detail::permute_qubits(s, to, detail::chunk_qubits<T>()); });
}

/// One cache-blocked pass whose chunks span the qubits `local`, with two Z gates as its steps
/// (next to nothing to compute): what the gather, the write-back and, for local = the lowest
/// qubits, the pass in place cost against a read-modify-write pass (`of_rmw`).
template <class T>
void blocked_pass(benchmark::State& st, unsigned n, std::uint64_t local) {
    StateVector<T> s(n);
    std::vector<detail::BlockedStep> steps;
    for (unsigned q = detail::kRunQubits; q < n && steps.size() < 2; ++q)
        if (local >> q & 1) {
            detail::BlockedStep z;
            z.matrix = {1.0, -1.0};
            z.shape = MatrixShape::diagonal;
            z.targets = {q};
            z.qubits = std::uint64_t{1} << q;
            steps.push_back(std::move(z));
        }
    const std::vector<detail::BlockedPass> plan{detail::BlockedPass{{0, 1}, local}};
    time_against_rmw(st, s, [&] { detail::run_blocked(s, std::span<const detail::BlockedStep>(steps), plan); });
}

}  // namespace

int main(int argc, char** argv) {
    const auto [min_n, max_n] = kettle::bench::init_with_qubit_range(argc, argv, {16, 20});
    for (const char* prec : {"double", "single"}) {
        const bool single = std::string_view(prec) == "single";
        auto small = [single](benchmark::State& st, int mode, unsigned k) {
            single ? small_circuit<float>(st, mode, k) : small_circuit<double>(st, mode, k);
        };
        benchmark::RegisterBenchmark(fmt::format("BM_SmallCircuit/n:10/run/prec:{}", prec).c_str(),
                                     [=](benchmark::State& st) { small(st, 0, 2); })
            ->UseRealTime();
        benchmark::RegisterBenchmark(fmt::format("BM_SmallCircuit/n:10/fusion_plan:3/prec:{}", prec).c_str(),
                                     [=](benchmark::State& st) { small(st, 1, 2); })
            ->UseRealTime();
        for (unsigned k : {1u, 2u, 3u})
            benchmark::RegisterBenchmark(fmt::format("BM_SmallCircuit/n:10/prepared:{}/prec:{}", k, prec).c_str(),
                                         [=](benchmark::State& st) { small(st, 2, k); })
                ->UseRealTime();
        for (const char* kind : {"rx", "ry", "sqrtw", "cz"})
            for (unsigned q : {0u, 1u, 5u})
                for (bool prepared : {false, true}) {
                    const std::string name = fmt::format("BM_SmallGate/gate:{}/q:{}/{}/prec:{}", kind, q,
                                                         prepared ? "kernel" : "apply", prec);
                    benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& st) {
                        if (single)
                            small_gate<float>(st, kind, q, prepared);
                        else
                            small_gate<double>(st, kind, q, prepared);
                    });
                }
    }
    for (unsigned cycles : {20u, 1000u})
        for (unsigned k : {1u, 3u})
            benchmark::RegisterBenchmark(fmt::format("BM_PlanPasses/n:28/cycles:{}/fusion:{}", cycles, k).c_str(),
                                         [cycles, k](benchmark::State& st) { plan_passes(st, cycles, k); })
                ->Unit(benchmark::kMillisecond);
    register_all<double>("double", min_n, max_n);
    register_all<float>("single", min_n, max_n);
    // Chunks of the lowest 16 qubits (in place), in runs of 4 KiB (qubits 0-7 and 16-23) and
    // in runs of 128 B (a pass of the random circuit's plan at 26 qubits).
    for (unsigned n = min_n; n <= max_n; n += 2)
        for (std::uint64_t local : {0xffffull, 0xff00ffull, 0x1a69db7ull}) {
            // run_blocked's plan form wants chunk + 2 qubits; the masks name qubits up to 24.
            if (n < detail::chunk_qubits<double>() + 2 || (std::uint64_t{1} << n) <= local) continue;
            benchmark::RegisterBenchmark(fmt::format("BM_BlockedPass/local:{:#x}/prec:double/n:{}", local, n).c_str(),
                                         [n, local](benchmark::State& st) { blocked_pass<double>(st, n, local); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
        }
    for (unsigned n = std::max(min_n, detail::chunk_qubits<float>() + 2); n <= max_n; ++n)
        for (int grouped : {0, 1}) {
            benchmark::RegisterBenchmark(fmt::format("BM_GroupedPasses/grouped:{}/prec:double/n:{}", grouped, n).c_str(),
                                         [n, grouped](benchmark::State& st) { grouped_passes<double>(st, n, grouped); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark(fmt::format("BM_GroupedPasses/grouped:{}/prec:single/n:{}", grouped, n).c_str(),
                                         [n, grouped](benchmark::State& st) { grouped_passes<float>(st, n, grouped); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
        }
    for (unsigned n = min_n; n <= max_n; n += 2)
        for (const char* kind : {"reverse", "high_pair", "low_pair"}) {
            benchmark::RegisterBenchmark(fmt::format("BM_PermuteQubits/perm:{}/prec:double/n:{}", kind, n).c_str(),
                                         [n, kind](benchmark::State& st) { permute<double>(st, n, kind); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark(fmt::format("BM_PermuteQubits/perm:{}/prec:single/n:{}", kind, n).c_str(),
                                         [n, kind](benchmark::State& st) { permute<float>(st, n, kind); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
        }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
