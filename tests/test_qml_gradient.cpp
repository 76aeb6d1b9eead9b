// Adjoint differentiation against parameter-shift rules and central finite differences.

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "../qml/compiled_circuit.hpp"
#include "kettle/encoding.hpp"
#include "kettle/error.hpp"
#include "kettle/gradient.hpp"
#include "kettle/observable.hpp"
#include "kettle/pauli.hpp"
#include "kettle/simulator.hpp"

namespace kettle {
namespace {

constexpr GateKind kParameterised[] = {GateKind::rx, GateKind::ry,  GateKind::rz,  GateKind::p,  GateKind::u,
                                       GateKind::ug, GateKind::rxx, GateKind::ryy, GateKind::rzz};

std::vector<double> expectations(const Circuit& c, std::span<const PauliSum> obs, std::span<const double> params) {
    const StateVector<double> s = simulate<double>(c, params);
    std::vector<double> v;
    for (const PauliSum& o : obs) v.push_back(expectation(s, o));
    return v;
}

/// Central differences, step h, row-major M x P.
std::vector<double> finite_differences(const Circuit& c, std::span<const PauliSum> obs, std::vector<double> params,
                                       double h = 1e-5) {
    const std::size_t p = params.size();
    std::vector<double> d(obs.size() * p);
    for (std::size_t k = 0; k < p; ++k) {
        const double x = params[k];
        params[k] = x + h;
        const auto plus = expectations(c, obs, params);
        params[k] = x - h;
        const auto minus = expectations(c, obs, params);
        params[k] = x;
        for (std::size_t m = 0; m < obs.size(); ++m) d[m * p + k] = (plus[m] - minus[m]) / (2 * h);
    }
    return d;
}

/// An affine angle of 1 or 2 random parameters with random coefficients and a constant.
ParamExpr random_angle(std::mt19937_64& rng, std::size_t num_params) {
    std::uniform_real_distribution<double> u(-1.5, 1.5);
    std::uniform_int_distribution<std::size_t> pick(0, num_params - 1);
    ParamExpr e(u(rng));
    e += u(rng) * ParamExpr(Parameter(pick(rng)));
    if (rng() % 2) e += u(rng) * ParamExpr(Parameter(pick(rng)));
    return e;
}

/// A circuit on n qubits: each parameterised kind in `kinds`, with 0..2 random controls
/// (open or closed), between fixed gates; angles are affine in `num_params` shared parameters.
Circuit random_circuit(unsigned n, std::size_t num_params, std::span<const GateKind> kinds, std::size_t rounds,
                       std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Circuit c(n);
    for (std::size_t k = 0; k < num_params; ++k) c.parameter("t" + std::to_string(k));
    for (unsigned q = 0; q < n; ++q) c.h(q);
    for (std::size_t r = 0; r < rounds; ++r)
        for (GateKind kind : kinds) {
            std::vector<unsigned> qubits(n);
            for (unsigned q = 0; q < n; ++q) qubits[q] = q;
            std::shuffle(qubits.begin(), qubits.end(), rng);
            const unsigned width = gate_info(kind).num_targets;
            const unsigned num_controls = static_cast<unsigned>(rng() % std::min<unsigned>(3, n - width + 1));
            std::vector<unsigned> targets(qubits.begin(), qubits.begin() + width);
            std::vector<unsigned> controls(qubits.begin() + width, qubits.begin() + width + num_controls);
            std::vector<std::uint8_t> values;
            for (unsigned j = 0; j < num_controls; ++j) values.push_back(static_cast<std::uint8_t>(rng() % 2));
            std::vector<ParamExpr> angles;
            for (unsigned j = 0; j < gate_info(kind).num_params; ++j) angles.push_back(random_angle(rng, num_params));
            c.add(kind, targets, angles, controls, values);
            c.cx(qubits[0], qubits[n - 1]).sx(qubits[1]);
        }
    return c;
}

std::vector<PauliSum> some_observables() {
    return {PauliSum::parse("Z0"), PauliSum::parse("0.5*X1 Y2 - 1.2*Z0 Z3 + 0.3"), PauliSum::parse("Y0 X3 + X2")};
}

std::vector<double> random_values(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    std::vector<double> v(count);
    for (double& x : v) x = u(rng);
    return v;
}

void expect_all_near(const std::vector<double>& a, const std::vector<double>& b, double tol, const char* what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tol) << what << " entry " << i;
}

TEST(GateDerivative, MatchesFiniteDifferencesOfGateMatrix) {
    const double h = 1e-6;
    for (GateKind kind : kParameterised) {
        const std::size_t np = gate_info(kind).num_params;
        std::vector<double> p = random_values(np, 7 + static_cast<unsigned>(kind));
        for (std::size_t j = 0; j < np; ++j) {
            const Matrix d = gate_matrix_derivative(kind, p, j);
            std::vector<double> hi = p, lo = p;
            hi[j] += h;
            lo[j] -= h;
            const Matrix a = gate_matrix(kind, hi), b = gate_matrix(kind, lo);
            ASSERT_EQ(d.size(), a.size());
            for (std::size_t e = 0; e < d.size(); ++e)
                EXPECT_NEAR(std::abs(d[e] - (a[e] - b[e]) / (2 * h)), 0.0, 1e-8)
                    << gate_info(kind).name << " angle " << j << " entry " << e;
        }
    }
}

TEST(GateDerivative, RejectsGatesWithoutThatParameter) {
    EXPECT_THROW((void)gate_matrix_derivative(GateKind::h, {}, 0), Error);
    const double a = 0.3;
    try {
        (void)gate_matrix_derivative(GateKind::rx, std::span<const double>(&a, 1), 1);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("gate `rx` has 1 parameters"), std::string::npos) << e.what();
    }
}

TEST(AdjointGradient, AnalyticRy) {
    Circuit c(1);
    const Parameter t = c.parameter("t");
    c.ry(0, t);
    const std::vector<PauliSum> obs{PauliSum::parse("Z0"), PauliSum::parse("X0")};
    const double theta = 0.7;
    const Jacobian j = adjoint_jacobian(c, obs, std::span<const double>(&theta, 1));
    EXPECT_NEAR(j.values[0], std::cos(theta), 1e-14);
    EXPECT_NEAR(j(0, 0), -std::sin(theta), 1e-14);
    EXPECT_NEAR(j(1, 0), std::cos(theta), 1e-14);
}

// Each parameterised kind alone, uncontrolled and under open and closed controls: this is where
// the two- and four-term shift rules and the masked adjoint inner product differ.
TEST(AdjointGradient, EveryGateKindMatchesShiftRulesAndFiniteDifferences) {
    const auto obs = some_observables();
    for (GateKind kind : kParameterised) {
        const GateKind one[] = {kind};
        for (std::uint64_t seed = 0; seed < 4; ++seed) {
            const Circuit c = random_circuit(4, 3, one, 2, 100 * static_cast<unsigned>(kind) + seed);
            const std::vector<double> params = random_values(3, seed);
            const Jacobian adj = adjoint_jacobian(c, obs, params);
            const Jacobian ps = parameter_shift_jacobian(c, obs, params);
            SCOPED_TRACE(testing::Message() << "gate " << gate_info(kind).name << " seed " << seed);
            expect_all_near(adj.values, expectations(c, obs, params), 1e-12, "values");
            expect_all_near(adj.derivatives, ps.derivatives, 1e-9, "adjoint vs parameter shift");
            expect_all_near(adj.derivatives, finite_differences(c, obs, params), 1e-7, "adjoint vs finite differences");
        }
    }
}

TEST(AdjointGradient, RandomMixedCircuits) {
    const auto obs = some_observables();
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        const Circuit c = random_circuit(5, 6, kParameterised, 2, 9000 + seed);
        const std::vector<double> params = random_values(6, 50 + seed);
        const Jacobian adj = adjoint_jacobian(c, obs, params);
        const Jacobian ps = jacobian(c, obs, params, GradientMethod::parameter_shift);
        SCOPED_TRACE(testing::Message() << "seed " << seed);
        expect_all_near(adj.derivatives, ps.derivatives, 1e-9, "adjoint vs parameter shift");
        expect_all_near(adj.derivatives, finite_differences(c, obs, params), 1e-7, "adjoint vs finite differences");
    }
}

TEST(AdjointGradient, InputAndWeightBlocks) {
    Circuit c(3);
    const std::vector<Parameter> x = angle_encoding(c, RotationAxis::y, 0.8);
    c.barrier();  // barriers are skipped by both passes
    const std::vector<Parameter> w = hardware_efficient_ansatz(c, 2, Entangler::ring);
    c.rx(1, 0.5 * ParamExpr(x[2]) + ParamExpr(w[3]));  // a re-uploaded feature mixed with a weight
    std::vector<double> params = random_values(c.num_parameters(), 3);
    const std::vector<PauliSum> obs{PauliSum::parse("Z0"), PauliSum::parse("Z1 Z2"), PauliSum::parse("X0 + Y2")};
    const Jacobian adj = adjoint_jacobian(c, obs, params);
    const std::vector<double> fd = finite_differences(c, obs, params);
    const std::vector<double> dx = adj.block(x), dw = adj.block(w);
    ASSERT_EQ(dx.size(), obs.size() * x.size());
    ASSERT_EQ(dw.size(), obs.size() * w.size());
    for (std::size_t m = 0; m < obs.size(); ++m) {
        for (std::size_t i = 0; i < x.size(); ++i)
            EXPECT_NEAR(dx[m * x.size() + i], fd[m * params.size() + x[i].index()], 1e-7);
        for (std::size_t i = 0; i < w.size(); ++i)
            EXPECT_NEAR(dw[m * w.size() + i], fd[m * params.size() + w[i].index()], 1e-7);
    }
}

TEST(AdjointGradient, VectorJacobianProductMatchesJacobian) {
    const auto obs = some_observables();
    const Circuit c = random_circuit(4, 5, kParameterised, 1, 77);
    const std::vector<double> params = random_values(5, 78);
    const Jacobian j = adjoint_jacobian(c, obs, params);
    AdjointDifferentiator<double> diff(c, obs);
    const std::vector<double> cot{0.3, -1.1, 2.0};
    std::vector<double> values(3), grad(5);
    for (int repeat = 0; repeat < 2; ++repeat) {  // the buffers are reused
        diff.forward(params, values);
        diff.backward(cot, grad);
        expect_all_near(values, j.values, 1e-13, "values");
        for (std::size_t k = 0; k < 5; ++k) {
            double expected = 0;
            for (std::size_t m = 0; m < 3; ++m) expected += cot[m] * j(m, k);
            EXPECT_NEAR(grad[k], expected, 1e-12);
        }
    }
    EXPECT_THROW(diff.backward(cot, grad), Error);  // the forward state was consumed
}

/// The compiled sweep's Jacobian with a tape of `slots` recorded states (0: psi un-applied at
/// every step), with all observables' adjoint states in one sweep or one sweep per observable.
std::vector<double> compiled_jacobian(const Circuit& c, const std::vector<PauliSum>& obs,
                                      const std::vector<double>& params, std::size_t slots, bool one_sweep) {
    const unsigned n = c.num_qubits();
    qml_detail::CompiledCircuit<double> cc(c, slots * (sizeof(std::complex<double>) << n));
    EXPECT_EQ(cc.num_taped(), slots);
    cc.bind(params);
    const std::size_t p = c.num_parameters(), m = obs.size();
    std::vector<double> out(m * p, 0.0);
    for (std::size_t first = 0; first < m; first += one_sweep ? m : 1) {
        const std::size_t count = one_sweep ? m : 1;
        StateVector<double> psi(n);
        psi.set_basis_state(0);
        cc.forward_recording(psi.data());
        std::vector<StateVector<double>> lambdas;
        std::vector<std::complex<double>*> data;
        for (std::size_t l = 0; l < count; ++l) {
            lambdas.emplace_back(n);
            apply_observable(psi, obs[first + l], lambdas.back());
        }
        for (auto& l : lambdas) data.push_back(l.data());
        cc.sweep(psi.data(), data.data(), count, std::span<double>(out).subspan(first * p, count * p));
    }
    return out;
}

// The tape (psi before each parametric step, recorded by the forward pass) replaces un-applying
// the steps from psi; with all of it, part of it (the rest un-applied) and none, for one and
// for several adjoint states, every gate kind under controls: the same Jacobian.
TEST(AdjointGradient, TapedSweepMatchesUntapedSweep) {
    const auto obs = some_observables();
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
        const Circuit c = random_circuit(5, 6, kParameterised, 2, 4000 + seed);
        const std::vector<double> params = random_values(6, 60 + seed);
        const std::size_t parametric = qml_detail::CompiledCircuit<double>(c, std::size_t{1} << 30).num_taped();
        ASSERT_GT(parametric, 10u);
        const Jacobian ps = parameter_shift_jacobian(c, obs, params);
        const std::vector<double> untaped = compiled_jacobian(c, obs, params, 0, true);
        expect_all_near(untaped, ps.derivatives, 1e-9, "untaped vs parameter shift");
        for (std::size_t slots : {std::size_t{0}, std::size_t{1}, parametric / 2, parametric})
            for (bool one_sweep : {true, false}) {
                if (slots == 0 && one_sweep) continue;  // the reference itself
                SCOPED_TRACE(testing::Message() << "seed " << seed << " slots " << slots << " one sweep " << one_sweep);
                expect_all_near(compiled_jacobian(c, obs, params, slots, one_sweep), untaped, 1e-12, "taped vs untaped");
            }
    }
}

TEST(AdjointGradient, FloatPrecision) {
    const auto obs = some_observables();
    const Circuit c = random_circuit(4, 6, kParameterised, 1, 31);
    const std::vector<double> params = random_values(6, 32);
    const Jacobian d = adjoint_jacobian<double>(c, obs, params);
    const Jacobian f = adjoint_jacobian<float>(c, obs, params);
    const Jacobian fps = parameter_shift_jacobian<float>(c, obs, params);
    expect_all_near(f.values, d.values, 1e-4, "float values");
    expect_all_near(f.derivatives, d.derivatives, 1e-4, "float adjoint");
    expect_all_near(fps.derivatives, d.derivatives, 1e-4, "float parameter shift");
}

TEST(AdjointGradient, RejectsMeasurementResetAndConditions) {
    const std::vector<PauliSum> obs{PauliSum::parse("Z0")};
    Circuit m(2, 1);
    m.h(0).measure(0, 0).ry(1, ParamExpr(m.parameter("a")));
    const double a = 0.1;
    try {
        (void)adjoint_jacobian(m, obs, std::span<const double>(&a, 1));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "AdjointDifferentiator: operation #1 (measure) is not a unitary gate; gradients need a circuit of "
                  "gates and barriers only (no measure, reset or c_if)");
    }
    Circuit r(1);
    r.reset(0);
    EXPECT_THROW((void)parameter_shift_jacobian(r, obs, {}), Error);
    Circuit cond(1, 1);
    cond.x(0).c_if(0, 1);
    try {
        (void)adjoint_jacobian(cond, obs, {});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("operation #0 (x with c_if)"), std::string::npos) << e.what();
    }
    Circuit small(1);
    const std::vector<PauliSum> wide{PauliSum::parse("Z3")};
    EXPECT_THROW((void)adjoint_jacobian(small, wide, {}), Error);
}

TEST(Observable, ApplyMatchesExpectation) {
    const Circuit c = random_circuit(4, 3, kParameterised, 1, 5);
    const std::vector<double> params = random_values(3, 6);
    const StateVector<double> psi = simulate<double>(c, params);
    StateVector<double> h_psi(4);
    for (const PauliSum& o : some_observables()) {
        apply_observable(psi, o, h_psi);
        std::complex<double> inner = 0;
        for (std::size_t i = 0; i < psi.size(); ++i) inner += std::conj(psi[i]) * h_psi[i];
        EXPECT_NEAR(inner.real(), expectation(psi, o), 1e-13);
        EXPECT_NEAR(inner.imag(), 0.0, 1e-13);
    }
}

}  // namespace
}  // namespace kettle
