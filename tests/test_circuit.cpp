// The circuit builder: every validation rule with its message, symbolic parameters, compose,
// and ParamExpr arithmetic.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "kettle/kettle.hpp"
#include "support/expect_error.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"

namespace kettle {
namespace {

using test::expect_error;
using test::expect_invalid;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(CircuitValidation, QubitOutOfRange) {
    Circuit c(3);
    expect_invalid([&] { c.h(3); }, "Circuit: operation #0 (h): qubit 3 is out of range for a 3-qubit circuit (valid 0..2)");
    expect_invalid([&] { c.cx(7, 0); }, "Circuit: operation #0 (cx): qubit 7 is out of range for a 3-qubit circuit (valid 0..2)");
    c.h(0);
    expect_invalid([&] { c.swap(0, 4); }, "Circuit: operation #1 (swap): qubit 4 is out of range for a 3-qubit circuit (valid 0..2)");
    expect_invalid([&] { c.measure(5, 0); }, "Circuit: operation #1 (measure): qubit 5 is out of range for a 3-qubit circuit (valid 0..2)");
    expect_invalid([&] { c.reset(3); }, "Circuit: operation #1 (reset): qubit 3 is out of range for a 3-qubit circuit (valid 0..2)");
    expect_invalid([&] { c.barrier({0, 3}); }, "Circuit: operation #1 (barrier): qubit 3 is out of range for a 3-qubit circuit (valid 0..2)");
    Circuit empty;
    expect_invalid([&] { empty.x(0); }, "Circuit: operation #0 (x): qubit 0 is out of range: the circuit has no qubits");
    EXPECT_EQ(c.operations().size(), 1u);  // failed calls add nothing
}

TEST(CircuitValidation, QubitUsedTwice) {
    Circuit c(4);
    expect_invalid([&] { c.cx(1, 1); }, "Circuit: operation #0 (cx): qubit 1 is used twice");
    expect_invalid([&] { c.swap(2, 2); }, "Circuit: operation #0 (swap): qubit 2 is used twice");
    expect_invalid([&] { c.ccx(0, 3, 0); }, "Circuit: operation #0 (ccx): qubit 0 is used twice");
    expect_invalid([&] { c.mcx({0, 1, 2, 1}, 3); }, "Circuit: operation #0 (c4x): qubit 1 is used twice");
    expect_invalid([&] { c.unitary(gate_matrix(GateKind::swap, {}), {3, 3}); },
                   "Circuit: operation #0 (unitary): qubit 3 is used twice");
}

TEST(CircuitValidation, TargetAndParameterCounts) {
    Circuit c(3);
    expect_invalid([&] { c.add(GateKind::rx, {0}); }, "Circuit: operation #0 (rx): takes 1 parameter, got 0");
    expect_invalid([&] { c.add(GateKind::u, {0}, {1.0, 2.0}); }, "Circuit: operation #0 (u): takes 3 parameters, got 2");
    expect_invalid([&] { c.add(GateKind::h, {0}, {1.0}); }, "Circuit: operation #0 (h): takes 0 parameters, got 1");
    expect_invalid([&] { c.add(GateKind::swap, {0}); }, "Circuit: operation #0 (swap): takes 2 target qubits, got 1");
    expect_invalid([&] { c.add(GateKind::x, {0, 1}); }, "Circuit: operation #0 (x): takes 1 target qubit, got 2");
    expect_invalid([&] { c.unitary(gate_matrix(GateKind::h, {}), {0, 1}); },
                   "Circuit: operation #0 (unitary): takes 1 target qubit, got 2");
}

TEST(CircuitValidation, NonFiniteParameters) {
    Circuit c(2);
    const Parameter theta = c.parameter("theta");
    expect_invalid([&] { c.rx(0, kNaN); }, "Circuit: operation #0 (rx): parameter #0 is NaN or infinite");
    expect_invalid([&] { c.u3(0, 0.1, kInf, 0.2); }, "Circuit: operation #0 (u): parameter #1 is NaN or infinite");
    expect_invalid([&] { c.cu(0, 1, 0, 0, 0, -kInf); }, "Circuit: operation #0 (cu): parameter #3 is NaN or infinite");
    expect_invalid([&] { c.ry(1, kNaN * theta); }, "Circuit: operation #0 (ry): parameter #0 is NaN or infinite");
    expect_invalid([&] { c.rz(1, theta + kInf); }, "Circuit: operation #0 (rz): parameter #0 is NaN or infinite");
    expect_invalid([&] { c.rzz(0, 1, Parameter(3)); },
                   "Circuit: operation #0 (rzz): parameter #0 of this gate refers to parameter 3, but the circuit declares 1");
}

TEST(CircuitValidation, UnitaryMatrices) {
    Circuit c(7);
    expect_invalid([&] { c.unitary({1, 1, 0, 1}, {0}); },
                   "Circuit: operation #0 (unitary): the 2x2 matrix is not unitary (entry (0, 0) of U U^dagger is off "
                   "the identity by 1, tolerance 1e-9)");
    Matrix almost = gate_matrix(GateKind::h, {});
    almost[3] += 1e-6;
    expect_invalid([&] { c.unitary(almost, {0}); },
                   "Circuit: operation #0 (unitary): the 2x2 matrix is not unitary (entry (0, 1) of U U^dagger is off "
                   "the identity by 7.07e-07, tolerance 1e-9)");
    expect_invalid([&] { c.unitary({1, 0, 0}, {0}); },
                   "Circuit: operation #0 (unitary): a unitary must be 2^k x 2^k with 1 <= k <= 6, got 3 entries");
    expect_invalid([&] { c.unitary({}, {}); },
                   "Circuit: operation #0 (unitary): a unitary must be 2^k x 2^k with 1 <= k <= 6, got 0 entries");
    // k = 7 is beyond the widest kernel, even for an identity.
    Matrix identity7(std::size_t{1} << 14, 0.0);
    for (std::size_t j = 0; j < 128; ++j) identity7[j * 128 + j] = 1;
    expect_invalid([&] { c.unitary(identity7, {0, 1, 2, 3, 4, 5, 6}); },
                   "Circuit: operation #0 (unitary): a unitary must be 2^k x 2^k with 1 <= k <= 6, got 16384 entries");
    expect_invalid([&] { c.unitary({1, 0, 0, kNaN}, {0}); },
                   "Circuit: operation #0 (unitary): the matrix has a NaN or infinite entry");
    Operation no_matrix;
    no_matrix.gate = GateKind::unitary;
    no_matrix.targets = {0};
    expect_invalid([&] { c.append(no_matrix); }, "Circuit: operation #0 (unitary): a unitary gate needs a matrix");
    // k = 6 is accepted.
    test::Random random(4);
    c.unitary(test::random_unitary(6, test::UnitaryShape::dense, random), {6, 0, 5, 1, 4, 2});
    EXPECT_EQ(c.operations().size(), 1u);
    EXPECT_EQ(check_unitary(gate_matrix(GateKind::rxx, std::vector<double>{0.3}), "test"), 2u);
}

// An angle far larger than another (1e27 and pi: their sum rounds to the larger) must still
// give a unitary matrix; the fuzzer found u(0.3, 1e27, pi) leaving a state of norm 0.38.
TEST(CircuitValidation, GateMatricesOfHugeAnglesAreUnitary) {
    using std::numbers::pi;
    for (const double big : {1e27, -4e104, 1.4e22, 1e300})
        for (const double small : {pi, 0.1, -2.5}) {
            SCOPED_TRACE(fmt::format("{} and {}", big, small));
            EXPECT_EQ(check_unitary(gate_matrix(GateKind::u, std::vector<double>{0.3, big, small}), "u"), 1u);
            EXPECT_EQ(check_unitary(gate_matrix(GateKind::u, std::vector<double>{0.3, small, big}), "u"), 1u);
            EXPECT_EQ(check_unitary(gate_matrix(GateKind::ug, std::vector<double>{big, small, big, small}), "ug"), 1u);
        }
}

TEST(CircuitValidation, ControlValues) {
    Circuit c(3);
    expect_invalid([&] { c.add(GateKind::x, {0}, {}, {1}, {2}); },
                   "Circuit: operation #0 (cx): a control value must be 0 or 1, got 2");
    expect_invalid([&] { c.add(GateKind::x, {0}, {}, {1, 2}, {1}); },
                   "Circuit: operation #0 (ccx): 2 controls but 1 control values");
    c.add(GateKind::x, {0}, {}, {1, 2}, {0, 1});
    EXPECT_EQ(c.operations().back().control_values, (std::vector<std::uint8_t>{0, 1}));
    c.add(GateKind::h, {0}, {}, {2});
    EXPECT_EQ(c.operations().back().control_values, (std::vector<std::uint8_t>{1}));  // default: on |1>
}

TEST(CircuitValidation, MeasurementsAndConditions) {
    Circuit c(2, 2);
    expect_invalid([&] { c.measure(0, 2); },
                   "Circuit: operation #0 (measure): classical bit 2 is out of range for 2 bits (valid 0..1)");
    Circuit quantum_only(1);
    expect_invalid([&] { quantum_only.measure(0, 0); },
                   "Circuit: operation #0 (measure): classical bit 0 is out of range: the circuit has no classical bits");
    expect_invalid([&] { c.c_if(0, 1); }, "Circuit::c_if: there is no operation to condition");
    c.x(0);
    expect_invalid([&] { c.c_if(1, 0); }, "Circuit::c_if: classical register #1 does not exist (the circuit has 1)");
    expect_invalid([&] { c.c_if(0, 4); }, "Circuit::c_if: value 4 does not fit the 2-bit register c");
    c.c_if(0, 3);
    EXPECT_EQ(c.operations().back().condition, (Condition{0, 3}));
    c.barrier();
    expect_invalid([&] { c.c_if(0, 1); }, "Circuit::c_if: a barrier cannot be conditioned");
    c.add_creg("wide", 65);
    c.x(1);
    expect_invalid([&] { c.c_if(1, 0); }, "Circuit::c_if: register wide has 65 bits; conditions support at most 64");
    Operation conditioned;
    conditioned.gate = GateKind::x;
    conditioned.targets = {0};
    conditioned.condition = Condition{5, 0};
    expect_invalid([&] { c.append(conditioned); },
                   "Circuit: operation #3 (x): condition on classical register #5, but the circuit has 2");
}

TEST(CircuitValidation, RegistersAndParameterNames) {
    Circuit c(2);
    (void)c.parameter("theta");
    expect_invalid([&] { (void)c.parameter("theta"); }, "Circuit::parameter: a parameter named 'theta' already exists");
    expect_error([] { Circuit big(1025); }, ErrorCode::resource_limit,
                 "Circuit: register q of 1025 qubits would give 1025 qubits, more than the limit of 1024");
    EXPECT_EQ(c.add_qreg("anc", 3), 2u);
    EXPECT_EQ(c.num_qubits(), 5u);
    EXPECT_EQ(c.qregs().back(), (Register{"anc", 2, 3}));
}

TEST(CircuitValidation, BindingsAtRunTime) {
    Circuit c(1);
    const Parameter theta = c.parameter("theta"), phi = c.parameter("phi");
    c.rx(0, theta).rz(0, phi);
    StateVector<double> state(1);
    const std::vector<double> one = {0.1}, three = {1, 2, 3}, nan = {0.1, kNaN}, inf = {-kInf, 0.0};
    expect_invalid([&] { (void)run(c, state); }, "run: the circuit has 2 parameters, but 0 values were given");
    expect_invalid([&] { (void)run(c, state, one); }, "run: the circuit has 2 parameters, but 1 value was given");
    expect_invalid([&] { (void)run(c, state, three); }, "run: the circuit has 2 parameters, but 3 values were given");
    expect_invalid([&] { (void)run(c, state, nan); }, "run: the value of parameter #1 (phi) is nan");
    expect_invalid([&] { (void)run(c, state, inf); }, "run: the value of parameter #0 (theta) is -inf");
    expect_invalid([&] { (void)sample_counts<double>(c, 10, 0, one); },
                   "sample_counts: the circuit has 2 parameters, but 1 value was given");
    Circuit fixed(1);
    fixed.h(0);
    expect_invalid([&] { (void)run(fixed, state, one); }, "run: the circuit has 0 parameters, but 1 value was given");
}

/// The same circuit built with the parameters' values as constants.
Circuit with_constants(double a, double b) {
    Circuit c(3);
    c.h(0).rx(0, a).cry(0, 1, 2 * b + 0.5).u3(2, a, b, a - b).rzz(1, 2, -a).cu(2, 0, b, a, 0.3, a / 4);
    return c;
}

TEST(SymbolicParameters, OneCircuitManyBindingsEqualsConstantCircuits) {
    Circuit c(3);
    const Parameter a = c.parameter("a"), b = c.parameter("b");
    c.h(0).rx(0, a).cry(0, 1, 2 * b + 0.5).u3(2, a, b, a - b).rzz(1, 2, -a).cu(2, 0, b, a, 0.3, a / 4);
    EXPECT_EQ(c.num_parameters(), 2u);
    EXPECT_EQ(c.parameter_names(), (std::vector<std::string>{"a", "b"}));
    test::Random random(9);
    for (int trial = 0; trial < 25; ++trial) {
        const std::vector<double> values = {random.angle(), random.angle()};
        const auto symbolic = simulate<double>(c, values);
        const auto constant = simulate<double>(with_constants(values[0], values[1]));
        EXPECT_LT(reference::max_abs_diff(reference::to_eigen(symbolic), reference::to_eigen(constant)), 1e-14);
        const reference::CVector expected = reference::run(c, reference::basis_state(3, 0), values);
        EXPECT_LT(reference::max_abs_diff(reference::to_eigen(symbolic), expected), 1e-12);
    }
}

TEST(Compose, AppendsOperationsAndMatchesParametersByName) {
    Circuit first(3, 1);
    const Parameter theta = first.parameter("theta");
    first.h(0).rx(1, theta);
    Circuit second(2);
    const Parameter phi = second.parameter("phi"), theta2 = second.parameter("theta");
    second.ry(0, phi + theta2).cx(0, 1).rz(1, 2 * theta2);
    first.compose(second);
    EXPECT_EQ(first.parameter_names(), (std::vector<std::string>{"theta", "phi"}));
    ASSERT_EQ(first.operations().size(), 5u);

    Circuit manual(3, 1);
    const Parameter t = manual.parameter("theta"), p = manual.parameter("phi");
    manual.h(0).rx(1, t).ry(0, p + t).cx(0, 1).rz(1, 2 * t);
    EXPECT_EQ(first, manual);

    Circuit too_big(4);
    expect_invalid([&] { first.compose(too_big); },
                   "Circuit::compose: the other circuit has 4 qubits and 0 bits, this one 3 and 1");
}

TEST(Compose, ConditionsFollowRegisterNames) {
    Circuit other(1);
    other.add_creg("flags", 1);
    other.x(0).c_if(0, 1);
    Circuit target(1);
    target.add_creg("junk", 1);
    target.add_creg("flags", 1);
    target.compose(other);
    EXPECT_EQ(target.operations().back().condition, (Condition{1, 1}));
    Circuit lacking(1, 2);
    expect_invalid([&] { lacking.compose(other); }, "Circuit::compose: condition on register flags, which this circuit lacks");
}

TEST(ParamExpr, AffineArithmetic) {
    Circuit c(1);
    const Parameter a = c.parameter("a"), b = c.parameter("b");
    const std::vector<double> values = {0.25, -2.0};
    const ParamExpr e = 2 * a + 1.5 - b / 4;
    EXPECT_DOUBLE_EQ(e.evaluate(values), 2 * 0.25 + 1.5 + 0.5);
    EXPECT_EQ(e.constant(), 1.5);
    ASSERT_EQ(e.terms().size(), 2u);
    EXPECT_EQ(e.terms()[0], (ParamExpr::Term{0, 2.0}));
    EXPECT_EQ(e.terms()[1], (ParamExpr::Term{1, -0.25}));
    // Like terms combine; cancelled terms vanish, leaving a constant.
    const ParamExpr cancelled = (a + b) - a - b + 3.0;
    EXPECT_TRUE(cancelled.is_constant());
    EXPECT_EQ(cancelled, ParamExpr(3.0));
    EXPECT_TRUE((0.0 * a).is_constant());
    EXPECT_EQ((a * 2.0).terms(), (2 * ParamExpr(a)).terms());
    EXPECT_DOUBLE_EQ((-a).evaluate(values), -0.25);
    EXPECT_DOUBLE_EQ((-(a - 1.0) * 3).evaluate(values), 2.25);
    EXPECT_DOUBLE_EQ((a + ParamExpr(a)).evaluate(values), 0.5);
    EXPECT_FALSE(ParamExpr(a).is_constant());
    EXPECT_DOUBLE_EQ(ParamExpr(4.0).evaluate({}), 4.0);
}

}  // namespace
}  // namespace kettle
