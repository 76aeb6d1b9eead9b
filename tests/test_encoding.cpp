#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <map>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kettle/encoding.hpp"
#include "kettle/simulator.hpp"

namespace kettle {
namespace {

using Complex = std::complex<double>;
constexpr Complex i1{0.0, 1.0};

// The single-qubit state each axis encodes the angle a into, from |0>.
std::pair<Complex, Complex> encoded_qubit(RotationAxis axis, double a) {
    switch (axis) {
        case RotationAxis::x: return {std::cos(a / 2), -i1 * std::sin(a / 2)};
        case RotationAxis::y: return {std::cos(a / 2), std::sin(a / 2)};
        case RotationAxis::z: break;
    }
    // H then RZ(a) = diag(e^{-ia/2}, e^{ia/2}).
    return {std::exp(-i1 * (a / 2)) / std::sqrt(2.0), std::exp(i1 * (a / 2)) / std::sqrt(2.0)};
}

// The product state of the encoded qubits, basis bit q being qubit q.
std::vector<Complex> expected_product(RotationAxis axis, const std::vector<double>& angles) {
    std::vector<Complex> out(std::size_t{1} << angles.size());
    for (std::size_t index = 0; index < out.size(); ++index) {
        Complex a = 1.0;
        for (std::size_t q = 0; q < angles.size(); ++q) {
            const auto [zero, one] = encoded_qubit(axis, angles[q]);
            a *= (index >> q & 1) ? one : zero;
        }
        out[index] = a;
    }
    return out;
}

class AngleEncoding : public ::testing::TestWithParam<RotationAxis> {};

TEST_P(AngleEncoding, PreparesTheProductStateOfTheFeatures) {
    const RotationAxis axis = GetParam();
    const std::vector<double> features{0.3, -1.1, 2.5};
    const double scale = 0.75;
    Circuit c(3);
    const std::vector<Parameter> x = angle_encoding(c, axis, scale);
    ASSERT_EQ(x.size(), 3u);

    const auto state = simulate<double>(c, features);
    std::vector<double> angles;
    for (double f : features) angles.push_back(scale * f);
    const std::vector<Complex> expected = expected_product(axis, angles);
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_NEAR(std::abs(state[i] - expected[i]), 0.0, 1e-12) << "basis index " << i;
}

TEST_P(AngleEncoding, DifferentFeaturesGiveDifferentStates) {
    // Guards the RZ case: without the Hadamard, RZ on |0> would only change a global phase.
    Circuit c(2);
    (void)angle_encoding(c, GetParam());
    const auto a = simulate<double>(c, std::vector<double>{0.0, 0.0});
    const auto b = simulate<double>(c, std::vector<double>{1.0, 0.0});
    Complex overlap = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) overlap += std::conj(a[i]) * b[i];
    EXPECT_NEAR(std::abs(overlap), std::cos(0.5), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Axes, AngleEncoding,
                         ::testing::Values(RotationAxis::x, RotationAxis::y, RotationAxis::z),
                         [](const auto& info) {
                             return std::string(info.param == RotationAxis::x   ? "x"
                                                : info.param == RotationAxis::y ? "y"
                                                                                : "z");
                         });

TEST(AngleEncodingCircuit, NamesOneParameterPerQubitInOrder) {
    Circuit c(4);
    const std::vector<Parameter> x = angle_encoding(c, RotationAxis::y);
    ASSERT_EQ(x.size(), 4u);
    EXPECT_EQ(c.parameter_names(), (std::vector<std::string>{"x0", "x1", "x2", "x3"}));
    for (std::size_t q = 0; q < x.size(); ++q) {
        EXPECT_EQ(x[q].index(), q);
        const Operation& op = c.operations()[q];
        EXPECT_EQ(op.gate, GateKind::ry);
        EXPECT_EQ(op.targets, std::vector<unsigned>{unsigned(q)});
    }
}

TEST(AngleEncodingCircuit, ZAxisPutsAHadamardBeforeEachRotation) {
    Circuit c(3);
    (void)angle_encoding(c, RotationAxis::z);
    EXPECT_EQ(c.count_ops(), (std::map<std::string, std::size_t>{{"h", 3}, {"rz", 3}}));
    Circuit x(3);
    (void)angle_encoding(x, RotationAxis::x);
    EXPECT_EQ(x.count_ops(), (std::map<std::string, std::size_t>{{"rx", 3}}));
}

TEST(HardwareEfficientAnsatz, HasTwoWeightsPerQubitPerLayer) {
    for (unsigned n : {1u, 2u, 5u})
        for (std::size_t layers : {std::size_t{1}, std::size_t{3}}) {
            Circuit c(n);
            const std::vector<Parameter> w = hardware_efficient_ansatz(c, layers, Entangler::linear);
            ASSERT_EQ(w.size(), 2 * n * layers) << n << " qubits, " << layers << " layers";
            EXPECT_EQ(c.num_parameters(), 2 * n * layers);
            for (std::size_t k = 0; k < w.size(); ++k) {
                EXPECT_EQ(w[k].index(), k);
                EXPECT_EQ(c.parameter_names()[k], fmt::format("w{}", k));
            }
        }
}

TEST(HardwareEfficientAnsatz, EachLayerIsRyRzThenEntanglers) {
    Circuit c(3);
    const std::vector<Parameter> w = hardware_efficient_ansatz(c, 2, Entangler::linear);
    const auto& ops = c.operations();
    ASSERT_EQ(ops.size(), 2u * (6 + 2));
    std::size_t at = 0;
    for (std::size_t layer = 0; layer < 2; ++layer) {
        for (unsigned q = 0; q < 3; ++q) {
            for (GateKind kind : {GateKind::ry, GateKind::rz}) {
                const Operation& op = ops[at++];
                EXPECT_EQ(op.gate, kind);
                EXPECT_EQ(op.targets, std::vector<unsigned>{q});
                ASSERT_EQ(op.params.size(), 1u);
                ASSERT_EQ(op.params[0].terms().size(), 1u);
                // Weights are consumed in circuit order: w0 (ry q0), w1 (rz q0), w2 (ry q1), ...
                EXPECT_EQ(op.params[0].terms()[0].parameter, layer * 6 + 2 * q + (kind == GateKind::rz));
            }
        }
        for (unsigned q = 0; q < 2; ++q) {
            const Operation& op = ops[at++];
            EXPECT_EQ(op.name(), "cx");
            EXPECT_EQ(op.controls, std::vector<unsigned>{q});
            EXPECT_EQ(op.targets, std::vector<unsigned>{q + 1});
        }
    }
}

// The (control, target) pairs of the CNOTs in one layer.
std::vector<std::pair<unsigned, unsigned>> cnot_pairs(unsigned n, Entangler entangler) {
    Circuit c(n);
    (void)hardware_efficient_ansatz(c, 1, entangler);
    std::vector<std::pair<unsigned, unsigned>> pairs;
    for (const Operation& op : c.operations())
        if (op.name() == "cx") pairs.emplace_back(op.controls[0], op.targets[0]);
    return pairs;
}

TEST(HardwareEfficientAnsatz, EntanglerGateCounts) {
    for (unsigned n : {1u, 2u, 3u, 4u, 6u})
        for (std::size_t layers : {std::size_t{1}, std::size_t{2}}) {
            auto cx_count = [&](Entangler e) {
                Circuit c(n);
                (void)hardware_efficient_ansatz(c, layers, e);
                const auto ops = c.count_ops();
                EXPECT_EQ(ops.at("ry"), n * layers);
                EXPECT_EQ(ops.at("rz"), n * layers);
                return ops.contains("cx") ? ops.at("cx") : 0;
            };
            const std::size_t ring = n > 2 ? n : n - 1;
            EXPECT_EQ(cx_count(Entangler::linear), (n - 1) * layers) << n;
            EXPECT_EQ(cx_count(Entangler::ring), ring * layers) << n;
            EXPECT_EQ(cx_count(Entangler::full), n * (n - 1) / 2 * layers) << n;
        }
}

TEST(HardwareEfficientAnsatz, EntanglerPairs) {
    using Pairs = std::vector<std::pair<unsigned, unsigned>>;
    EXPECT_EQ(cnot_pairs(4, Entangler::linear), (Pairs{{0, 1}, {1, 2}, {2, 3}}));
    EXPECT_EQ(cnot_pairs(4, Entangler::ring), (Pairs{{0, 1}, {1, 2}, {2, 3}, {3, 0}}));
    EXPECT_EQ(cnot_pairs(2, Entangler::ring), (Pairs{{0, 1}}));
    EXPECT_EQ(cnot_pairs(4, Entangler::full), (Pairs{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
}

TEST(HardwareEfficientAnsatz, ZeroWeightsLeaveZeroStateAlone) {
    // RY(0), RZ(0) are identities and CNOTs fix |0...0>.
    Circuit c(4);
    const std::vector<Parameter> w = hardware_efficient_ansatz(c, 2, Entangler::full);
    const auto state = simulate<double>(c, std::vector<double>(w.size(), 0.0));
    EXPECT_NEAR(std::abs(state[0]), 1.0, 1e-12);
}

TEST(HardwareEfficientAnsatz, LinearEntanglerCopiesAFlipAlongTheChain) {
    // RY(pi) on qubit 0 (weight w0) gives |001>; CNOT(0,1) then CNOT(1,2) make it |111>.
    Circuit c(3);
    const std::vector<Parameter> w = hardware_efficient_ansatz(c, 1, Entangler::linear);
    std::vector<double> values(w.size(), 0.0);
    values[0] = std::acos(-1.0);
    const auto state = simulate<double>(c, values);
    EXPECT_NEAR(std::abs(state[0b111]), 1.0, 1e-12);
}

TEST(HardwareEfficientAnsatz, FollowsAnEncodingOnTheSameCircuit) {
    Circuit c(3);
    const std::vector<Parameter> x = angle_encoding(c, RotationAxis::y);
    const std::vector<Parameter> w = hardware_efficient_ansatz(c, 2, Entangler::ring);
    EXPECT_EQ(c.num_parameters(), 3u + 12u);
    EXPECT_EQ(x.back().index(), 2u);
    EXPECT_EQ(w.front().index(), 3u);
    EXPECT_EQ(c.parameter_names()[3], "w0");
}

}  // namespace
}  // namespace kettle
