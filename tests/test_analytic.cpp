// Results known in closed form: entangled states, the QFT, expectation values, inverses, and
// circuit depth and operation counts as Qiskit reports them.

#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "kettle/kettle.hpp"
#include "support/precision.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"

namespace kettle {
namespace {

using std::numbers::pi;
using test::kTolerance;

template <class T>
class Analytic : public ::testing::Test {};
TYPED_TEST_SUITE(Analytic, test::Precisions, test::PrecisionName);

TYPED_TEST(Analytic, BellState) {
    Circuit c(2);
    c.h(0).cx(0, 1);
    const auto state = simulate<TypeParam>(c);
    const double r = 1 / std::sqrt(2.0);
    EXPECT_NEAR(std::abs(state[0b00] - std::complex<TypeParam>(TypeParam(r))), 0, kTolerance<TypeParam>);
    EXPECT_NEAR(std::abs(state[0b11] - std::complex<TypeParam>(TypeParam(r))), 0, kTolerance<TypeParam>);
    EXPECT_EQ(state[0b01], std::complex<TypeParam>(0));
    EXPECT_EQ(state[0b10], std::complex<TypeParam>(0));
}

TYPED_TEST(Analytic, GhzStates) {
    for (unsigned n = 2; n <= 12; ++n) {
        Circuit c(n);
        c.h(0);
        for (unsigned q = 1; q < n; ++q) c.cx(q - 1, q);
        const auto state = simulate<TypeParam>(c);
        const std::vector<double> p = probabilities(state);
        EXPECT_NEAR(p.front(), 0.5, kTolerance<TypeParam>);
        EXPECT_NEAR(p.back(), 0.5, kTolerance<TypeParam>);
        double rest = 0;
        for (std::size_t i = 1; i + 1 < p.size(); ++i) rest += p[i];
        EXPECT_EQ(rest, 0.0) << "n=" << n;
        // Parity of every pair of qubits is even.
        EXPECT_NEAR(expectation(state, PauliSum::parse(fmt::format("Z0 Z{}", n - 1))), 1.0, kTolerance<TypeParam>);
    }
}

/// Qiskit's QFT: h and controlled phases from the top qubit down, then swaps that reverse the
/// qubits. It maps |j> to sum_k e^{2πi jk/2^n} |k> / sqrt(2^n), j and k little-endian integers.
Circuit qft(unsigned n) {
    Circuit c(n);
    for (unsigned j = n; j-- > 0;) {
        c.h(j);
        for (unsigned k = j; k-- > 0;) c.cp(j, k, pi / double(1u << (j - k)));
    }
    for (unsigned i = 0; i < n / 2; ++i) c.swap(i, n - 1 - i);
    return c;
}

TYPED_TEST(Analytic, QftOfEveryBasisStateIsTheDft) {
    for (unsigned n = 1; n <= 6; ++n) {
        const Circuit c = qft(n);
        const std::size_t dim = std::size_t{1} << n;
        for (std::uint64_t j = 0; j < dim; ++j) {
            StateVector<TypeParam> state(n);
            state.set_basis_state(j);
            run(c, state);
            double worst = 0;
            for (std::uint64_t k = 0; k < dim; ++k) {
                const std::complex<double> expected =
                    std::polar(1 / std::sqrt(double(dim)), 2 * pi * double(j * k % dim) / double(dim));
                worst = std::max(worst, std::abs(std::complex<double>(state[k]) - expected));
            }
            EXPECT_LT(worst, kTolerance<TypeParam>) << "n=" << n << " j=" << j;
        }
    }
}

TYPED_TEST(Analytic, RotationExpectations) {
    for (double theta : {0.0, 0.3, pi / 2, 2.0, pi, -1.1, 5.5}) {
        Circuit ry(1), rx(1);
        ry.ry(0, theta);
        rx.rx(0, theta);
        const auto a = simulate<TypeParam>(ry);
        const auto b = simulate<TypeParam>(rx);
        EXPECT_NEAR(expectation(a, PauliSum::parse("Z0")), std::cos(theta), kTolerance<TypeParam>);
        EXPECT_NEAR(expectation(a, PauliSum::parse("X0")), std::sin(theta), kTolerance<TypeParam>);
        EXPECT_NEAR(expectation(a, PauliSum::parse("Y0")), 0.0, kTolerance<TypeParam>);
        EXPECT_NEAR(expectation(b, PauliSum::parse("Y0")), -std::sin(theta), kTolerance<TypeParam>);
        EXPECT_NEAR(expectation(b, PauliSum::parse("Z0")), std::cos(theta), kTolerance<TypeParam>);
        EXPECT_NEAR(expectation(b, PauliSum::parse("X0")), 0.0, kTolerance<TypeParam>);
    }
}

TYPED_TEST(Analytic, BellAndWeightedExpectations) {
    Circuit bell(2);
    bell.h(0).cx(0, 1);
    const auto state = simulate<TypeParam>(bell);
    EXPECT_NEAR(expectation(state, PauliSum::parse("X0 X1")), 1.0, kTolerance<TypeParam>);
    EXPECT_NEAR(expectation(state, PauliSum::parse("Y0 Y1")), -1.0, kTolerance<TypeParam>);
    EXPECT_NEAR(expectation(state, PauliSum::parse("Z0 Z1")), 1.0, kTolerance<TypeParam>);
    EXPECT_NEAR(expectation(state, PauliSum::parse("Z0")), 0.0, kTolerance<TypeParam>);
    EXPECT_NEAR(expectation(state, PauliSum::parse("X0 Z1")), 0.0, kTolerance<TypeParam>);

    // A Bell pair on 0, 1 and RY(θ) on 2: <0.5 Z0 Z1 - 1.2 X2> = 0.5 - 1.2 sin θ.
    const double theta = 0.7;
    Circuit c(3);
    c.h(0).cx(0, 1).ry(2, theta);
    const auto s3 = simulate<TypeParam>(c);
    EXPECT_NEAR(expectation(s3, PauliSum::parse("0.5*Z0 Z1 - 1.2*X2")), 0.5 - 1.2 * std::sin(theta),
                kTolerance<TypeParam>);
    EXPECT_NEAR(expectation(s3, PauliSum::parse("X0*X1 + 3")), 4.0, kTolerance<TypeParam>);
}

TYPED_TEST(Analytic, InverseUndoesRandomCircuits) {
    for (unsigned n = 1; n <= 8; ++n)
        for (std::size_t num_parameters : {std::size_t{0}, std::size_t{3}}) {
            test::RandomCircuitOptions options;
            options.num_parameters = num_parameters;
            const auto [c, values] = test::random_circuit(n, 40, 500 + n, options);
            const Circuit inv = c.inverse();
            EXPECT_EQ(inv.num_parameters(), c.num_parameters());
            ASSERT_EQ(inv.operations().size(), c.operations().size());
            test::Random random(n);
            const reference::CVector psi = test::random_state(n, random);
            StateVector<TypeParam> state = reference::make_state<TypeParam>(n, psi);
            const reference::CVector before = reference::to_eigen(state);
            run(c, state, values);
            run(inv, state, values);
            EXPECT_LT(reference::max_abs_diff(reference::to_eigen(state), before), test::kLooseTolerance<TypeParam>)
                << "n=" << n << " parameters=" << num_parameters;
            // The inverse is the adjoint, not just some left inverse: the reference agrees.
            const reference::CVector forward = reference::run(c, psi, values);
            EXPECT_LT(reference::max_abs_diff(reference::run(inv, forward, values), psi), 1e-12);
        }
}

TEST(Inverse, EveryGateKindUnderControls) {
    test::Random random(8);
    for (unsigned kind = 0; kind < unsigned(GateKind::unitary); ++kind) {
        const GateInfo& info = gate_info(GateKind(kind));
        std::vector<ParamExpr> params;
        for (unsigned i = 0; i < info.num_params; ++i) params.emplace_back(random.angle());
        Circuit c(4);
        std::vector<unsigned> targets = {2, 0};
        targets.resize(info.num_targets);
        c.add(GateKind(kind), targets, params, {3, 1}, {1, 0});
        const reference::CMatrix u = reference::full_operator(
            4, reference::operation_matrix(c.operations()[0], {}), {targets, {3, 1}, {1, 0}});
        const Circuit inverse = c.inverse();
        const Operation& inv = inverse.operations()[0];
        const reference::CMatrix v =
            reference::full_operator(4, reference::operation_matrix(inv, {}), {inv.targets, inv.controls, inv.control_values});
        EXPECT_LT((v - u.adjoint()).cwiseAbs().maxCoeff(), 1e-14) << info.name;
    }
}

TEST(Inverse, RejectsNonUnitaryOperations) {
    Circuit c(2, 2);
    c.h(0).measure(0, 0);
    try {
        (void)c.inverse();
        FAIL() << "inverse of a measuring circuit";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_STREQ(e.what(), "Circuit::inverse: operation #1 (measure) is not unitary");
    }
    Circuit r(1);
    r.reset(0);
    EXPECT_THROW((void)r.inverse(), Error);
    Circuit conditioned(1, 1);
    conditioned.x(0).c_if(0, 1);
    EXPECT_THROW((void)conditioned.inverse(), Error);
}

// Depths below are what Qiskit's QuantumCircuit.depth() reports for the same circuits: the
// longest path over qubit and classical-bit wires, barriers excluded.
TEST(CircuitMetrics, DepthAsQiskitCountsIt) {
    Circuit bell(2, 2);
    bell.h(0).cx(0, 1).measure(0, 0).measure(1, 1);
    EXPECT_EQ(bell.depth(), 3u);

    Circuit layers(3);
    layers.h(0).h(1).h(2);
    EXPECT_EQ(layers.depth(), 1u);
    layers.cx(0, 1).cx(1, 2);
    EXPECT_EQ(layers.depth(), 3u);

    // A barrier adds no layer, but the gates after it start after everything before it on
    // the qubits it spans.
    Circuit barrier(3);
    barrier.h(0).barrier({0, 1}).h(1).h(2);
    EXPECT_EQ(barrier.depth(), 2u);
    Circuit only_barriers(2);
    only_barriers.barrier().barrier();
    EXPECT_EQ(only_barriers.depth(), 0u);

    // Two measurements into one bit are ordered by the bit.
    Circuit shared(2, 1);
    shared.h(0).h(1).measure(0, 0).measure(1, 0);
    EXPECT_EQ(shared.depth(), 3u);

    // A condition waits for the bits of its register.
    Circuit conditioned(3, 1);
    conditioned.h(0).measure(0, 0).x(2).c_if(0, 1);
    EXPECT_EQ(conditioned.depth(), 3u);

    EXPECT_EQ(qft(3).depth(), 6u);
    EXPECT_EQ(Circuit(4).depth(), 0u);
}

TEST(CircuitMetrics, CountOpsUsesQasmNames) {
    Circuit c(4, 2);
    c.h(0).h(1).cx(0, 1).ccx(0, 1, 2).mcx({0, 1, 2}, 3).cswap(0, 1, 2).crz(1, 0, 0.3).cp(0, 1, 0.2);
    c.cu3(0, 1, 0.1, 0.2, 0.3).cu(0, 1, 0.1, 0.2, 0.3, 0.4).rzz(0, 3, 0.5).u2(0, 0.1, 0.2);
    c.unitary(gate_matrix(GateKind::h, {}), {3}).barrier().measure(0, 0).measure(1, 1).reset(2);
    const std::map<std::string, std::size_t> expected{
        {"h", 2},   {"cx", 1}, {"ccx", 1}, {"c3x", 1}, {"cswap", 1}, {"crz", 1},     {"cp", 1},    {"cu3", 1},
        {"cu", 1},  {"rzz", 1}, {"u", 1},  {"unitary", 1}, {"barrier", 1}, {"measure", 2}, {"reset", 1}};
    EXPECT_EQ(c.count_ops(), expected);
}

}  // namespace
}  // namespace kettle
