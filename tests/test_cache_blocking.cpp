// Cache-blocked passes (simulator/cache_blocking.hpp) equal the steps run one by one: small
// chunks force gathers, scatters, chunk-restricted phase polynomials, controls inside a chunk
// and gates wider than a chunk; and a fused run large enough to block by default equals the
// plain run.

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <numbers>
#include <numeric>
#include <random>

#include "cache_blocking.hpp"
#include "execution.hpp"
#include "lowering.hpp"
#include "kettle/kettle.hpp"
#include "support/random_circuit.hpp"

namespace kettle::detail {
namespace {

std::vector<BlockedStep> random_steps(unsigned n, std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    test::Random random(seed);
    std::uniform_real_distribution<double> angle(-3.0, 3.0);
    std::vector<BlockedStep> steps;
    for (std::size_t i = 0; i < count; ++i) {
        BlockedStep s;
        const unsigned kind = unsigned(rng() % 6);
        if (kind == 0 || kind == 5) {
            // Arbitrary angles, or multiples of pi/2 (S, CZ, controlled-S): then some chunks see
            // linear terms that are multiples of pi (the real sign kernel) where the whole
            // polynomial's are not, and some layers are signs throughout.
            auto term = [&] { return kind == 0 ? angle(rng) : std::numbers::pi / 2 * double(rng() % 4); };
            s.phase.emplace(n);
            s.phase->constant = term();
            for (unsigned q = 0; q < n; ++q) {
                s.phase->linear[q] = term();
                for (unsigned r = 0; r < q; ++r) s.phase->quadratic[q][r] = rng() % 3 == 0 ? term() : 0.0;
            }
            s.qubits = (std::uint64_t{1} << n) - 1;
        } else {
            const unsigned k = 1 + unsigned(rng() % 3), nc = unsigned(rng() % 3);
            const std::vector<unsigned> qs = random.qubits(n, k + nc);
            s.targets.assign(qs.begin(), qs.begin() + k);
            s.controls.assign(qs.begin() + k, qs.end());
            for (unsigned j = 0; j < nc; ++j) s.control_values.push_back(std::uint8_t(rng() & 1));
            s.shape = kind == 1 ? MatrixShape::diagonal : kind == 2 ? MatrixShape::permutation : MatrixShape::dense;
            s.matrix = test::random_unitary(k, kind == 1   ? test::UnitaryShape::diagonal
                                               : kind == 2 ? test::UnitaryShape::monomial
                                                           : test::UnitaryShape::dense,
                                            random);
            for (unsigned q : qs) s.qubits |= std::uint64_t{1} << q;
        }
        steps.push_back(std::move(s));
    }
    return steps;
}

template <class T>
StateVector<T> random_state(unsigned n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g;
    StateVector<T> s(n);
    double norm = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        s.data()[i] = std::complex<T>(T(g(rng)), T(g(rng)));
        norm += std::norm(std::complex<double>(s.data()[i]));
    }
    for (std::size_t i = 0; i < s.size(); ++i) s.data()[i] *= T(1 / std::sqrt(norm));
    return s;
}

template <class T>
void expect_blocked_equals_steps(unsigned n, unsigned chunk, std::uint64_t seed, double tol,
                                 const PassSizes& sizes = {}) {
    const std::vector<BlockedStep> steps = random_steps(n, 60, seed);
    StateVector<T> blocked = random_state<T>(n, seed + 1), direct = random_state<T>(n, seed + 1);
    run_blocked(blocked, std::span<const BlockedStep>(steps), chunk, sizes);
    for (const BlockedStep& s : steps) run_blocked(direct, std::span<const BlockedStep>(&s, 1), chunk);
    for (std::size_t i = 0; i < direct.size(); ++i)
        ASSERT_NEAR(std::abs(std::complex<double>(blocked.data()[i]) - std::complex<double>(direct.data()[i])), 0.0, tol)
            << "amplitude " << i << " n " << n << " chunk " << chunk;
}

TEST(CacheBlocking, BlockedPassesEqualStepByStep) {
    for (unsigned n : {9u, 11u, 12u})
        for (unsigned chunk : {5u, 6u, 8u}) {
            expect_blocked_equals_steps<double>(n, chunk, 100 + n * 10 + chunk, 1e-12);
            expect_blocked_equals_steps<float>(n, chunk, 200 + n * 10 + chunk, 2e-5);
        }
}

TEST(CacheBlocking, StreamedWriteBackEqualsStepByStep) {
    // Large states write chunks back with streaming stores; here every state does.
    for (unsigned chunk : {5u, 7u}) {
        expect_blocked_equals_steps<double>(11, chunk, 300 + chunk, 1e-12, {0, kGroupFromBytes});
        expect_blocked_equals_steps<float>(11, chunk, 400 + chunk, 2e-5, {0, kGroupFromBytes});
    }
}

TEST(CacheBlocking, GroupedGathersEqualStepByStep) {
    // Large states gather their chunks in groups; here every state does, with and without
    // streaming write-back, down to chunks with only two other qubits (one group).
    for (unsigned n : {9u, 12u})
        for (unsigned chunk : {5u, 7u})
            for (std::size_t stream_back : {std::size_t{0}, kStreamBackBytes}) {
                const PassSizes sizes{stream_back, 0};
                expect_blocked_equals_steps<double>(n, chunk, 500 + n * 10 + chunk, 1e-12, sizes);
                expect_blocked_equals_steps<float>(n, chunk, 600 + n * 10 + chunk, 2e-5, sizes);
            }
}

TEST(CacheBlocking, EveryIsaPathAgrees) {
    const Isa saved = current_isa();
    for (Isa isa : supported_isas()) {
        set_isa(isa);
        expect_blocked_equals_steps<double>(12, 7, 7, 1e-12);
        expect_blocked_equals_steps<float>(12, 7, 8, 2e-5, {0, 0});  // streamed back, in groups
    }
    set_isa(saved);
}

TEST(CacheBlocking, PassesKeepOrderAndGroup) {
    // 1-qubit gates on each qubit in turn: a chunk of 6 qubits (3 always local) takes 3 more per
    // pass, so 12 qubits need 3 passes (the last one 3 qubits short), not 12.
    std::vector<BlockedStep> steps;
    for (unsigned q = 0; q < 12; ++q) {
        BlockedStep s;
        s.matrix = gate_matrix(GateKind::h, {});
        s.targets = {q};
        s.qubits = std::uint64_t{1} << q;
        steps.push_back(s);
    }
    const auto passes = blocked_passes(12, 6, steps);
    ASSERT_EQ(passes.size(), 3u);
    EXPECT_EQ(passes[0], (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
    // A gate on a deferred qubit defers every later gate on it.
    BlockedStep cx;
    cx.matrix = gate_matrix(GateKind::x, {});
    cx.shape = MatrixShape::permutation;
    cx.targets = {0};
    cx.controls = {11};
    cx.qubits = 1u | (1u << 11);
    steps.push_back(cx);
    const auto with_cx = blocked_passes(12, 6, steps);
    EXPECT_EQ(with_cx.back().back(), steps.size() - 1);
}

TEST(CacheBlocking, PassesGrowByLookahead) {
    // The random circuit on 26 qubits in 3-qubit blocks, 16-qubit chunks: taking each block's
    // qubits in circuit order makes 17 passes; growing each pass by the block that lets it run
    // the most further blocks makes 14. Planning only: no state is allocated.
    const Circuit c = random_supremacy_circuit(26, 20, 1);
    const FusionPlan plan(c, FusionOptions{3});
    std::vector<BlockedStep> steps;
    for (const FusionPlan::Block& b : plan.blocks()) steps.push_back(*lower_block(plan.circuit(), b, {}));
    const auto passes = blocked_passes(26, 16, steps);
    EXPECT_LE(passes.size(), 14u);
    // Every step once, and each qubit's steps in order.
    std::vector<std::size_t> seen;
    for (const auto& p : passes) seen.insert(seen.end(), p.begin(), p.end());
    std::vector<std::size_t> sorted = seen, all(steps.size());
    std::sort(sorted.begin(), sorted.end());
    std::iota(all.begin(), all.end(), std::size_t{0});
    ASSERT_EQ(sorted, all);
    std::vector<std::size_t> last(26, 0);
    std::vector<bool> started(26, false);
    for (std::size_t i : seen) {
        for (unsigned q = 0; q < 26; ++q) {
            if (!(steps[i].qubits >> q & 1)) continue;
            if (started[q]) {
                EXPECT_GT(i, last[q]) << "qubit " << q;
            }
            started[q] = true;
            last[q] = i;
        }
    }
}

template <class T>
void planned_runs_split_at_measurements(double tol) {
    // A plan's passes are made once, per run of blocks between measurements, resets and
    // conditioned gates; re-bound parameters and every split must still land on the right run,
    // in FusionPlan::run and in a PreparedCircuit, which reuses the plan's passes.
    const unsigned n = 19;  // blocked in both precisions
    Circuit c(n, 2);
    c.compose(random_supremacy_circuit(n, 3, 8));
    const Parameter a = c.parameter("a");
    for (unsigned q = 0; q < n; ++q) c.ry(q, 0.4 * a + 0.1 * q);
    c.measure(3, 0);
    for (unsigned q = 0; q + 1 < n; q += 2) c.cz(q, q + 1);
    c.reset(7).h(7).x(5).c_if(0, 1);
    for (unsigned q = 0; q < n; ++q) c.rx(q, -0.3 * a);
    c.measure(11, 1);
    c.h(11).cx(11, 18);
    const FusionPlan plan(c, FusionOptions{3});
    for (double value : {0.7, -1.9})
        for (std::uint64_t seed : {1u, 2u}) {
            StateVector<T> plain = random_state<T>(n, 5), fused = random_state<T>(n, 5);
            const std::vector<double> values{value};
            const RunResult x = run(c, plain, values, RunOptions{seed});
            const RunResult y = plan.run(fused, values, RunOptions{seed});
            StateVector<T> prepared = random_state<T>(n, 5);
            const RunResult z = PreparedCircuit<T>(c, values, FusionOptions{3}).run(prepared, RunOptions{seed});
            EXPECT_EQ(x.clbits, y.clbits);
            EXPECT_EQ(x.clbits, z.clbits);
            double worst = 0;
            for (std::size_t i = 0; i < plain.size(); ++i)
                worst = std::max({worst, double(std::abs(plain.data()[i] - fused.data()[i])),
                                  double(std::abs(plain.data()[i] - prepared.data()[i]))});
            EXPECT_LT(worst, tol) << value << " " << seed;
        }
}

TEST(CacheBlocking, PlannedRunsSplitAtMeasurementsDouble) { planned_runs_split_at_measurements<double>(1e-12); }
TEST(CacheBlocking, PlannedRunsSplitAtMeasurementsFloat) { planned_runs_split_at_measurements<float>(2e-5); }

TEST(CacheBlocking, FusedRunsBlockAndEqualThePlainRun) {
    // Above chunk_qubits<double>() + 2 = 18 qubits the fused run takes the blocked path.
    for (const Circuit& c : {qft(19), random_supremacy_circuit(19, 6, 5)}) {
        // A random start: from |0...0> a QFT's controlled phases all act on zeros.
        StateVector<double> plain = random_state<double>(19, 3), fused = random_state<double>(19, 3);
        run(c, plain);
        FusionPlan(c, FusionOptions{4}).run(fused);
        double worst = 0;
        for (std::size_t i = 0; i < plain.size(); ++i) worst = std::max(worst, std::abs(plain.data()[i] - fused.data()[i]));
        EXPECT_LT(worst, 1e-12) << c.num_qubits();
    }
}

}  // namespace
}  // namespace kettle::detail
