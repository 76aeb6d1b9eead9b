// The fused run equals the unfused run up to rounding, for every block limit, both precisions,
// re-bound parameters, and circuits that measure, reset and condition.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "kettle/kettle.hpp"
#include "support/states_near.hpp"

namespace kettle {
namespace {

/// A random circuit over every gate kind with 0..2 controls (on 0 or 1), symbolic angles
/// (parameters "a", "b"), a few unitary blocks, and barriers.
Circuit random_gates(unsigned n, std::size_t gates, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Circuit c(n);
    const Parameter a = c.parameter("a"), b = c.parameter("b");
    auto angle = [&]() -> ParamExpr {
        switch (rng() % 3) {
            case 0: return 0.3 * a + 0.1;
            case 1: return -1.7 * b;
            default: return double(rng() % 1000) / 100.0;
        }
    };
    std::uniform_int_distribution<unsigned> qubit(0, n - 1);
    for (std::size_t g = 0; g < gates; ++g) {
        const auto kind = static_cast<GateKind>(rng() % static_cast<unsigned>(GateKind::unitary));
        const GateInfo& info = gate_info(kind);
        if (info.num_targets > n) continue;
        std::vector<unsigned> all(n);
        std::iota(all.begin(), all.end(), 0u);
        std::shuffle(all.begin(), all.end(), rng);
        const unsigned nc = std::min<unsigned>(unsigned(rng() % 3), n - info.num_targets);
        std::vector<unsigned> targets(all.begin(), all.begin() + info.num_targets);
        std::vector<unsigned> controls(all.begin() + info.num_targets, all.begin() + info.num_targets + nc);
        std::vector<std::uint8_t> values(nc);
        for (auto& v : values) v = std::uint8_t(rng() & 1);
        std::vector<ParamExpr> params;
        for (unsigned p = 0; p < info.num_params; ++p) params.push_back(angle());
        c.add(kind, targets, params, controls, values);
        if (rng() % 17 == 0) c.barrier();
        if (n >= 2 && rng() % 23 == 0) {
            // A rotation in the |00>, |11> plane: exactly unitary.
            const unsigned q = qubit(rng), r = (q + 1) % n;
            const double t = 0.25 * double(rng() % 10);
            c.unitary({std::cos(t), 0, 0, -std::sin(t), 0, 1, 0, 0, 0, 0, 1, 0, std::sin(t), 0, 0, std::cos(t)}, {q, r});
        }
    }
    return c;
}


template <class T>
void fused_equals_unfused(double tol) {
    for (unsigned n : {1u, 2u, 3u, 5u, 8u, 11u}) {
        const Circuit c = random_gates(n, 120, 1000 + n);
        for (unsigned k = 1; k <= 6; ++k) {
            const FusionPlan plan(c, FusionOptions{k});
            for (const auto& values : {std::vector<double>{0.5, -1.25}, std::vector<double>{2.0, 0.125}}) {
                StateVector<T> plain(n), fused(n);
                run(c, plain, values);
                plan.run(fused, values);  // the same plan, re-bound
                test::expect_states_near(plain, fused, tol);
            }
            // Blocks respect the limits and cover every gate of the circuit they index (the
            // given one, or its copy with the SWAPs relabelled) exactly once.
            std::size_t covered = 0;
            for (const auto& block : plan.blocks()) {
                covered += block.ops.size();
                const unsigned limit = block.shape == MatrixShape::dense ? k : 6u;
                if (block.kind == FusionPlan::Kind::matrix) {
                    EXPECT_LE(block.qubits.size(), limit);
                }
                if (block.kind == FusionPlan::Kind::phase) {
                    EXPECT_TRUE(block.quadratic_phase);
                }
            }
            std::size_t gates = 0;
            for (const auto& op : plan.circuit().operations()) gates += op.kind != OpKind::barrier;
            EXPECT_EQ(covered, gates);
        }
    }
}

TEST(Fusion, FusedEqualsUnfusedDouble) { fused_equals_unfused<double>(1e-12); }
TEST(Fusion, FusedEqualsUnfusedFloat) { fused_equals_unfused<float>(2e-5); }

// Gates that cancel fuse into a permutation block whose matrix is the identity (X X, CX CX,
// SWAP SWAP, CCX CCX, Y Y): its kernel moves nothing, and must run (it once divided by zero
// setting up its prefetch).
TEST(Fusion, BlocksThatCancelLeaveTheState) {
    const unsigned n = 12;
    Circuit c(n);
    c.add(GateKind::h, {0}).add(GateKind::ry, {5}, {ParamExpr(0.7)}).add(GateKind::h, {9});
    c.add(GateKind::x, {4}).add(GateKind::x, {4});
    c.add(GateKind::x, {7}, {}, {2}).add(GateKind::x, {7}, {}, {2});
    c.add(GateKind::swap, {3, 10}).add(GateKind::swap, {3, 10});
    c.add(GateKind::x, {11}, {}, {1, 6}).add(GateKind::x, {11}, {}, {1, 6});
    c.add(GateKind::y, {8}).add(GateKind::y, {8});
    for (unsigned k : {1u, 2u, 3u}) {
        const FusionPlan plan(c, FusionOptions{k, true, false});
        StateVector<double> plain(n), fused(n);
        run(c, plain);
        plan.run(fused);
        test::expect_states_near(plain, fused, 1e-12);
    }
}

TEST(Fusion, FewerPassesOnAQft) {
    const unsigned n = 10;
    Circuit c(n);
    for (unsigned j = n; j-- > 0;) {
        c.h(j);
        for (unsigned k = j; k-- > 0;) c.cp(k, j, 3.14159 / double(1u << (j - k)));
    }
    const FusionPlan plan(c, FusionOptions{4});
    EXPECT_LT(plan.blocks().size(), c.operations().size() / 3);
    StateVector<double> plain(n), fused(n);
    for (StateVector<double>* s : {&plain, &fused}) s->set_basis_state(0b1011001101);
    run(c, plain);
    plan.run(fused);
    test::expect_states_near(plain, fused, 1e-12);
}

TEST(Fusion, OneQubitGatesWaitForTheNextGateOnTheirQubit) {
    // Every cycle of the supremacy circuit puts a 1-qubit gate on each qubit and CZs on some
    // pairs: each CZ's 2-qubit block can take the 1-qubit gates around it, so no more blocks
    // are needed than CZs (pairing unrelated 1-qubit gates made 220 blocks of 155 CZs here).
    const Circuit c = random_supremacy_circuit(20, 20, 7);
    std::size_t two_qubit = 0;
    for (const Operation& op : c.operations()) two_qubit += op.targets.size() + op.controls.size() == 2 ? 1 : 0;
    const FusionPlan plan(c, FusionOptions{2});
    EXPECT_LE(plan.blocks().size(), two_qubit);
    for (const FusionPlan::Block& block : plan.blocks())
        EXPECT_TRUE(std::is_sorted(block.ops.begin(), block.ops.end()));
    // The gates that wait move past others; the state is the same. Also before a measurement
    // and a condition, and on qubits that see no other gate.
    for (unsigned k : {2u, 3u, 4u}) {
        const Circuit small = random_supremacy_circuit(9, 6, k);
        StateVector<double> plain(9), fused(9);
        run(small, plain);
        FusionPlan(small, FusionOptions{k}).run(fused);
        test::expect_states_near(plain, fused, 1e-12);
    }
    Circuit m(3, 1);
    m.h(0).sx(1).ry(2, 0.4).measure(0, 0).h(0).c_if(0, 1).sx(2).cz(1, 2).rx(1, 0.2);
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        StateVector<double> plain(3), fused(3);
        const RunResult a = run(m, plain, {}, RunOptions{seed});
        const RunResult b = run(m, fused, {}, RunOptions{seed, 2});
        EXPECT_EQ(a.clbits, b.clbits) << "seed " << seed;
        test::expect_states_near(plain, fused, 1e-12);
    }
}

TEST(Fusion, MeasurementResetAndConditionsKeepTheirDraws) {
    Circuit c(3, 3);
    c.h(0).h(1).cx(0, 2).measure(0, 0).ry(1, 0.7).reset(2).x(2).c_if(0, 1).h(2).cz(1, 2).measure(2, 2).rx(2, 0.3);
    for (std::uint64_t seed = 0; seed < 16; ++seed) {
        StateVector<double> plain(3), fused(3);
        const RunResult a = run(c, plain, {}, RunOptions{seed});
        const RunResult b = run(c, fused, {}, RunOptions{seed, 3});
        EXPECT_EQ(a.clbits, b.clbits) << "seed " << seed;
        test::expect_states_near(plain, fused, 1e-12);
    }
}

template <class T>
void wide_phase_blocks(double tol) {
    // Every quadratic-phase gate kind, open and closed controls, over more qubits than a matrix
    // block may span, on every instruction set; states small (one row) and large (many rows).
    for (unsigned n : {7u, 9u, 13u, 15u}) {
        std::mt19937_64 rng(n);
        Circuit c(n);
        for (unsigned q = 0; q < n; ++q) c.h(q);
        for (int g = 0; g < 60; ++g) {
            const unsigned a = unsigned(rng() % n), b = (a + 1 + unsigned(rng() % (n - 1))) % n;
            const double t = double(rng() % 628) / 100.0;
            switch (g % 9) {
                case 0: c.cp(a, b, t); break;
                case 1: c.cz(a, b); break;
                case 2: c.rz(a, t); break;
                case 3: c.rzz(a, b, t); break;
                case 4: c.crz(a, b, t); break;
                case 5: c.add(GateKind::p, {a}, {t}, {b}, {0}); break;
                case 6: c.s(a).tdg(b); break;
                case 7: c.add(GateKind::z, {a}, {}, {b}, {0}); break;
                default: c.unitary({std::polar(1.0, t), 0, 0, 0, 0, std::polar(1.0, -t), 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                    std::polar(1.0, 2 * t)},
                                   {a, b});
            }
        }
        const FusionPlan plan(c, FusionOptions{2});
        ASSERT_TRUE(std::any_of(plan.blocks().begin(), plan.blocks().end(),
                                [](const auto& b) { return b.kind == FusionPlan::Kind::phase; }));
        const Isa original = current_isa();
        for (Isa isa : supported_isas()) {
            set_isa(isa);
            StateVector<T> plain(n), fused(n);
            run(c, plain);
            plan.run(fused);
            test::expect_states_near(plain, fused, tol);
        }
        set_isa(original);
    }
}

TEST(Fusion, WidePhaseBlocksDouble) { wide_phase_blocks<double>(1e-12); }
TEST(Fusion, WidePhaseBlocksFloat) { wide_phase_blocks<float>(1e-5); }

TEST(Fusion, QftControlledPhasesShareWidePasses) {
    // Without swaps: Hadamards pair up in 2-qubit blocks, and the controlled phases of two
    // stages (which commute with the other stage's Hadamard) share one phase pass.
    const unsigned n = 12;
    const Circuit c = qft(n, false);
    const FusionPlan plan(c, FusionOptions{2});
    std::size_t phase = 0;
    for (const auto& b : plan.blocks()) phase += b.kind == FusionPlan::Kind::phase;
    EXPECT_GE(phase, 3u);
    EXPECT_LE(plan.blocks().size(), n);
    StateVector<double> plain(n), fused(n);
    for (StateVector<double>* s : {&plain, &fused}) s->set_basis_state(0b101100111010);
    run(c, plain);
    plan.run(fused);
    test::expect_states_near(plain, fused, 1e-12);
}

TEST(Fusion, RejectsBadLimits) {
    Circuit c(2);
    EXPECT_THROW(FusionPlan(c, FusionOptions{0}), Error);
    EXPECT_THROW(FusionPlan(c, FusionOptions{7}), Error);
}

// measured_fusion_limit: a limit a plan accepts, in 1..5, and the same on a later call.
TEST(Fusion, MeasuredLimitIsAValidLimitAndKept) {
    for (unsigned limit : {measured_fusion_limit<double>(), measured_fusion_limit<float>()}) {
        EXPECT_GE(limit, 1u);
        EXPECT_LE(limit, 5u);
        EXPECT_NO_THROW(FusionPlan(random_supremacy_circuit(4, 2, 1), FusionOptions{limit}));
    }
    EXPECT_EQ(measured_fusion_limit<double>(), measured_fusion_limit<double>());
}

}  // namespace
}  // namespace kettle
