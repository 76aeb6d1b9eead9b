// Probabilities, marginals, collapsing measurement and reset, classical conditions, and which
// measurements are terminal.

#include <gtest/gtest.h>

#include <cmath>

#include "kettle/kettle.hpp"
#include "support/expect_error.hpp"
#include "support/precision.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"

namespace kettle {
namespace {

using reference::CVector;
using test::expect_error;
using test::kTolerance;

/// psi projected on qubit q = outcome and normalised.
CVector project(const CVector& psi, unsigned q, int outcome) {
    CVector out = psi;
    for (Eigen::Index i = 0; i < psi.size(); ++i)
        if (int(i >> q & 1) != outcome) out(i) = 0;
    return out / out.norm();
}

template <class T>
class Measurement : public ::testing::Test {};
TYPED_TEST_SUITE(Measurement, test::Precisions, test::PrecisionName);

TYPED_TEST(Measurement, ProbabilitiesAreSquaredMagnitudes) {
    test::Random random(31);
    for (unsigned n = 1; n <= 8; ++n) {
        const CVector psi = test::random_state(n, random);
        const auto state = reference::make_state<TypeParam>(n, psi);
        const std::vector<double> p = probabilities(state);
        ASSERT_EQ(p.size(), std::size_t{1} << n);
        double total = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            EXPECT_NEAR(p[i], std::norm(psi(Eigen::Index(i))), kTolerance<TypeParam>);
            total += p[i];
        }
        EXPECT_NEAR(total, 1.0, kTolerance<TypeParam>);
    }
}

TYPED_TEST(Measurement, MarginalProbabilitiesFollowTheQubitOrder) {
    test::Random random(32);
    const unsigned n = 5;
    const CVector psi = test::random_state(n, random);
    const auto state = reference::make_state<TypeParam>(n, psi);
    for (const std::vector<unsigned>& qubits :
         std::vector<std::vector<unsigned>>{{2, 0}, {0, 2}, {4}, {3, 1, 4}, {0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {}}) {
        std::vector<double> expected(std::size_t{1} << qubits.size(), 0.0);
        for (std::uint64_t i = 0; i < (1u << n); ++i) {
            std::size_t outcome = 0;
            for (std::size_t j = 0; j < qubits.size(); ++j) outcome |= std::size_t(i >> qubits[j] & 1) << j;
            expected[outcome] += std::norm(psi(Eigen::Index(i)));
        }
        const std::vector<double> got = marginal_probabilities(state, qubits);
        ASSERT_EQ(got.size(), expected.size());
        for (std::size_t k = 0; k < got.size(); ++k) EXPECT_NEAR(got[k], expected[k], kTolerance<TypeParam>);
    }
    // |q2 q1 q0> = |100>: outcome bit 0 is qubits[0] = 2.
    StateVector<TypeParam> basis(3);
    basis.set_basis_state(0b100);
    const std::vector<unsigned> q20 = {2, 0};
    EXPECT_EQ(marginal_probabilities(basis, q20), (std::vector<double>{0, 1, 0, 0}));
}

TEST(Measurement, MarginalProbabilitiesErrors) {
    const StateVector<double> state(3);
    const std::vector<unsigned> out_of_range = {0, 3}, twice = {1, 2, 1};
    expect_error([&] { (void)marginal_probabilities(state, out_of_range); }, ErrorCode::invalid_input,
                 "marginal_probabilities: qubit 3 is out of range for 3 qubits (valid 0..2)");
    expect_error([&] { (void)marginal_probabilities(state, twice); }, ErrorCode::invalid_input,
                 "marginal_probabilities: qubit 1 is listed twice");
    Rng rng(0);
    StateVector<double> s = state;
    expect_error([&] { (void)measure(s, 7, rng); }, ErrorCode::invalid_input,
                 "measure: qubit 7 is out of range for 3 qubits (valid 0..2)");
    expect_error([&] { reset(s, 3, rng); }, ErrorCode::invalid_input,
                 "measure: qubit 3 is out of range for 3 qubits (valid 0..2)");
}

TYPED_TEST(Measurement, MeasureCollapsesAndRenormalises) {
    test::Random random(33);
    const unsigned n = 4;
    const CVector psi = test::random_state(n, random);
    for (unsigned q = 0; q < n; ++q) {
        double p1 = 0;
        for (Eigen::Index i = 0; i < psi.size(); ++i)
            if (i >> q & 1) p1 += std::norm(psi(i));
        std::size_t ones = 0;
        const std::size_t trials = 400;
        Rng rng(q);
        for (std::size_t t = 0; t < trials; ++t) {
            auto state = reference::make_state<TypeParam>(n, psi);
            const int outcome = measure(state, q, rng);
            ASSERT_TRUE(outcome == 0 || outcome == 1);
            ones += std::size_t(outcome);
            EXPECT_NEAR(state.norm_squared(), 1.0, kTolerance<TypeParam>);
            EXPECT_LT(reference::max_abs_diff(reference::to_eigen(state), project(psi, q, outcome)),
                      10 * kTolerance<TypeParam>);
        }
        const double sd = std::sqrt(trials * p1 * (1 - p1));
        EXPECT_LE(std::abs(double(ones) - trials * p1), 5 * sd) << "qubit " << q;
    }
    // A certain outcome is always drawn.
    StateVector<TypeParam> one(2);
    one.set_basis_state(0b10);
    Rng rng(5);
    for (int t = 0; t < 20; ++t) {
        EXPECT_EQ(measure(one, 1, rng), 1);
        EXPECT_EQ(measure(one, 0, rng), 0);
    }
}

TYPED_TEST(Measurement, ResetLeavesTheQubitInZero) {
    test::Random random(34);
    const unsigned n = 3;
    const CVector psi = test::random_state(n, random);
    int seen[2] = {0, 0};
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const unsigned q = unsigned(seed % n);
        auto state = reference::make_state<TypeParam>(n, psi);
        // reset draws as measure does: a copy of the generator tells which branch it takes.
        Rng rng(seed), copy(seed);
        auto probe = state;
        const int outcome = measure(probe, q, copy);
        ++seen[outcome];
        reset(state, q, rng);
        CVector expected = project(psi, q, outcome);
        if (outcome == 1) expected = reference::apply(expected, n, reference::pauli('X'), {{q}, {}, {}});
        EXPECT_LT(reference::max_abs_diff(reference::to_eigen(state), expected), 10 * kTolerance<TypeParam>);
        const std::vector<unsigned> just_q = {q};
        EXPECT_NEAR(marginal_probabilities(state, just_q)[0], 1.0, kTolerance<TypeParam>);
    }
    EXPECT_GT(seen[0], 0);
    EXPECT_GT(seen[1], 0);
}

TYPED_TEST(Measurement, ConditionsCompareTheWholeRegister) {
    // Register a (2 bits) will hold a0 = 1, a1 = 0, i.e. the value 1; register b (1 bit) 1.
    for (std::uint64_t value = 0; value < 4; ++value) {
        Circuit c(4);
        c.add_creg("a", 2);
        c.add_creg("b", 1);
        c.x(0).measure(0, 0).measure(1, 1).x(3).measure(3, 2);
        c.x(2).c_if(0, value);
        c.h(1).c_if(1, 1);
        StateVector<TypeParam> state(4);
        const RunResult r = run(c, state);
        EXPECT_EQ(r.clbits, (std::vector<std::uint8_t>{1, 0, 1}));
        const std::vector<unsigned> q2 = {2}, q1 = {1};
        EXPECT_NEAR(marginal_probabilities(state, q2)[1], value == 1 ? 1.0 : 0.0, kTolerance<TypeParam>) << value;
        EXPECT_NEAR(marginal_probabilities(state, q1)[1], 0.5, kTolerance<TypeParam>);
    }
}

TEST(Measurement, TerminalMeasurementClassification) {
    auto terminal = [](const Circuit& c) { return terminal_measurements(c); };
    using V = std::vector<bool>;
    {
        Circuit c(2, 2);
        c.h(0).measure(0, 0).h(1).barrier().measure(1, 1);
        EXPECT_EQ(terminal(c), (V{false, true, false, false, true}));
        EXPECT_FALSE(needs_per_shot_simulation(c));
    }
    {
        Circuit c(2, 2);  // a later gate on the qubit, as target or as control
        c.measure(0, 0).x(0).measure(1, 1).cx(1, 0);
        EXPECT_EQ(terminal(c), (V{false, false, false, false}));
        EXPECT_TRUE(needs_per_shot_simulation(c));
    }
    {
        Circuit c(2, 2);  // a later condition reads the bit
        c.measure(0, 0).x(1).c_if(0, 1);
        EXPECT_EQ(terminal(c), (V{false, false}));
    }
    {
        Circuit c(1, 2);  // measured twice: only the second is terminal
        c.measure(0, 0).measure(0, 1);
        EXPECT_EQ(terminal(c), (V{false, true}));
    }
    {
        Circuit c(2, 1);  // a reset of the qubit, and a conditioned measurement
        c.measure(0, 0).reset(0).measure(1, 0).c_if(0, 1);
        EXPECT_EQ(terminal(c), (V{false, false, false}));
        EXPECT_TRUE(needs_per_shot_simulation(c));
    }
    {
        Circuit c(1);
        c.reset(0);
        EXPECT_TRUE(needs_per_shot_simulation(c));
    }
}

TYPED_TEST(Measurement, RunResultContents) {
    // Terminal measurements are listed, not applied: the state keeps both branches.
    Circuit c(3, 3);
    c.h(0).x(1).measure(1, 2).x(1).measure(0, 0).measure(1, 1);
    StateVector<TypeParam> state(3);
    const RunResult r = run(c, state, {}, RunOptions{4});
    EXPECT_EQ(r.clbits, (std::vector<std::uint8_t>{0, 0, 1}));  // only the collapsing one is set
    const std::vector<std::pair<unsigned, std::size_t>> expected{{0, 0}, {1, 1}};
    EXPECT_EQ(r.terminal_measurements, expected);
    const std::vector<double> p = probabilities(state);
    EXPECT_NEAR(p[0b000], 0.5, kTolerance<TypeParam>);
    EXPECT_NEAR(p[0b001], 0.5, kTolerance<TypeParam>);
}

TYPED_TEST(Measurement, LaterMeasurementIntoTheSameBitWins) {
    // q0 = 1 is measured terminally into c0, then q1 = 0 overwrites c0 with a collapsing
    // measurement (q1 is flipped afterwards): c0 must read 0.
    Circuit c(2, 1);
    c.x(0).measure(0, 0).measure(1, 0).x(1);
    StateVector<TypeParam> state(2);
    const RunResult r = run(c, state);
    EXPECT_EQ(r.clbits, (std::vector<std::uint8_t>{0}));
    EXPECT_TRUE(r.terminal_measurements.empty());
    StateVector<TypeParam> fused_state(2);
    const RunResult fused = run(c, fused_state, {}, RunOptions{0, 4});
    EXPECT_EQ(fused.clbits, r.clbits);
    EXPECT_EQ(fused.terminal_measurements, r.terminal_measurements);
    const std::map<std::string, std::size_t> expected{{"0", 50}};
    EXPECT_EQ(sample_counts<TypeParam>(c, 50, 1), expected);
    // Two terminal measurements into one bit: the later one's qubit is what the bit holds.
    Circuit both(2, 1);
    both.x(0).measure(0, 0).measure(1, 0);
    EXPECT_FALSE(needs_per_shot_simulation(both));
    EXPECT_EQ(sample_counts<TypeParam>(both, 50, 1), expected);
}

TEST(Measurement, RunRejectsAStateOfAnotherSize) {
    Circuit c(2);
    c.h(0);
    StateVector<double> state(3);
    expect_error([&] { (void)run(c, state); }, ErrorCode::invalid_input, "run: the circuit has 2 qubits but the state has 3");
}

}  // namespace
}  // namespace kettle
