// The batched engine (several samples per SIMD register) against the serial adjoint
// differentiator: values, gradients by every parameter (shared and per-sample), and the
// gradient by the initial state, on random circuits with every parameterised gate kind, on
// every instruction set this CPU has, for batch sizes that do not fill the last register.
// Then the classifier's and the hybrid model's batch paths against their per-sample ones.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <fmt/format.h>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "../qml/batched_circuit.hpp"
#include "kettle/ansatz.hpp"
#include "kettle/classifier.hpp"
#include "kettle/encoding.hpp"
#include "kettle/error.hpp"
#include "kettle/gradient.hpp"
#include "kettle/hybrid.hpp"
#include "kettle/isa.hpp"
#include "kettle/loss.hpp"
#include "kettle/model_spec.hpp"

namespace kettle {
namespace {

using qml_detail::kAmpStride;
using qml_detail::kLanes;

constexpr GateKind kParameterised[] = {GateKind::rx,  GateKind::ry, GateKind::rz,  GateKind::p,   GateKind::u,
                                       GateKind::ug,  GateKind::rxx, GateKind::ryy, GateKind::rzz};

ParamExpr random_angle(std::mt19937_64& rng, std::size_t num_params) {
    std::uniform_real_distribution<double> u(-1.5, 1.5);
    std::uniform_int_distribution<std::size_t> pick(0, num_params - 1);
    ParamExpr e(u(rng));
    e += u(rng) * ParamExpr(Parameter(pick(rng)));
    if (rng() % 2) e += u(rng) * ParamExpr(Parameter(pick(rng)));
    return e;
}

/// Leading one-qubit rotations (some folded into the product state), then every
/// parameterised kind with 0..2 controls between fixed gates, twice.
Circuit random_circuit(unsigned n, std::size_t num_params, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Circuit c(n);
    for (std::size_t k = 0; k < num_params; ++k) c.parameter(fmt::format("t{}", k));
    for (unsigned q = 0; q < n; ++q) {
        c.h(q);
        c.add(q % 2 ? GateKind::ry : GateKind::rx, {q}, {random_angle(rng, num_params)});
    }
    c.u(1, random_angle(rng, num_params), 0.4, random_angle(rng, num_params));
    for (int round = 0; round < 2; ++round)
        for (GateKind kind : kParameterised) {
            std::vector<unsigned> qubits(n);
            for (unsigned q = 0; q < n; ++q) qubits[q] = q;
            std::shuffle(qubits.begin(), qubits.end(), rng);
            const unsigned width = gate_info(kind).num_targets;
            const auto num_controls = unsigned(rng() % std::min<unsigned>(3, n - width + 1));
            std::vector<unsigned> targets(qubits.begin(), qubits.begin() + width);
            std::vector<unsigned> controls(qubits.begin() + width, qubits.begin() + width + num_controls);
            std::vector<std::uint8_t> values;
            for (unsigned j = 0; j < num_controls; ++j) values.push_back(std::uint8_t(rng() % 2));
            std::vector<ParamExpr> angles;
            for (unsigned j = 0; j < gate_info(kind).num_params; ++j) angles.push_back(random_angle(rng, num_params));
            c.add(kind, targets, angles, controls, values);
            c.cx(qubits[0], qubits[n - 1]).sx(qubits[1]).s(qubits[2]).cx(qubits[2], qubits[0]);
            c.ccx(qubits[3], qubits[1], qubits[0]).cz(qubits[1], qubits[3]);
        }
    return c;
}

std::vector<PauliSum> some_observables() {
    return {PauliSum::parse("Z0"), PauliSum::parse("0.5*X1 Y2 - 1.2*Z0 Z3 + 0.3"), PauliSum::parse("Y0 X3 + X2")};
}

/// Runs `batch` samples through the batched engine and the serial differentiator and compares
/// values, gradients and (without from_zero) the gradient by the initial state.
void compare(const Circuit& c, const std::vector<bool>& per_lane, std::size_t batch, bool from_zero,
             std::uint64_t seed) {
    const std::vector<PauliSum> obs = some_observables();
    const std::size_t p = c.num_parameters(), m = obs.size();
    const unsigned n = c.num_qubits();
    const std::size_t dim = std::size_t{1} << n;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    std::normal_distribution<double> normal;
    std::vector<double> shared(p);
    for (double& v : shared) v = u(rng);
    qml_detail::BatchedCircuit engine(c, per_lane, obs, from_zero);
    engine.bind_shared(shared);
    AdjointDifferentiator<double> serial(c, obs);
    std::vector<double> lane_params(p * kLanes), values(m * kLanes), cotangent(m * kLanes), grad(p * kLanes);
    qml_detail::AlignedDoubles initial(dim * kAmpStride);
    std::vector<std::vector<double>> params(batch, shared), cots(batch, std::vector<double>(m));
    std::vector<std::vector<std::complex<double>>> states(batch, std::vector<std::complex<double>>(dim));
    for (std::size_t i = 0; i < batch; ++i) {
        for (std::size_t k = 0; k < p; ++k)
            if (per_lane[k]) params[i][k] = u(rng);
        for (double& v : cots[i]) v = u(rng);
        double norm = 0;
        for (auto& a : states[i]) {
            a = {normal(rng), normal(rng)};
            norm += std::norm(a);
        }
        for (auto& a : states[i]) a /= std::sqrt(norm);
    }
    for (std::size_t g = 0; g < batch; g += kLanes) {
        for (unsigned l = 0; l < kLanes; ++l) {
            const std::size_t i = std::min(g + l, batch - 1);  // padding lanes repeat the last sample
            for (std::size_t k = 0; k < p; ++k) lane_params[k * kLanes + l] = params[i][k];
            for (std::size_t j = 0; j < m; ++j) cotangent[j * kLanes + l] = g + l < batch ? cots[i][j] : 0.0;
            for (std::size_t a = 0; a < dim; ++a) {
                initial.data()[a * kAmpStride + l] = states[i][a].real();
                initial.data()[a * kAmpStride + kLanes + l] = states[i][a].imag();
            }
        }
        engine.forward(lane_params.data(), from_zero ? nullptr : initial.data(), values.data());
        engine.backward(cotangent.data(), grad.data());
        for (unsigned l = 0; l < kLanes && g + l < batch; ++l) {
            const std::size_t i = g + l;
            std::vector<double> expected(m), gradient(p);
            std::vector<std::complex<double>> initial_grad(from_zero ? 0 : dim);
            serial.forward(params[i], expected, from_zero ? std::span<const std::complex<double>>() : states[i]);
            serial.backward(cots[i], gradient, initial_grad);
            for (std::size_t j = 0; j < m; ++j)
                EXPECT_NEAR(values[j * kLanes + l], expected[j], 1e-12) << "sample " << i << " observable " << j;
            for (std::size_t k = 0; k < p; ++k)
                EXPECT_NEAR(grad[k * kLanes + l], gradient[k], 1e-12) << "sample " << i << " parameter " << k;
            for (std::size_t a = 0; a < initial_grad.size(); ++a) {
                const double* lam = engine.adjoint_state() + a * kAmpStride;
                EXPECT_NEAR(2 * lam[l], initial_grad[a].real(), 1e-12) << "sample " << i << " amplitude " << a;
                EXPECT_NEAR(2 * lam[kLanes + l], initial_grad[a].imag(), 1e-12) << "sample " << i << " amplitude " << a;
            }
        }
    }
}

class BatchedOnEveryIsa : public ::testing::TestWithParam<Isa> {
protected:
    void SetUp() override {
        saved_ = current_isa();
        set_isa(GetParam());
    }
    void TearDown() override { set_isa(saved_); }

private:
    Isa saved_ = Isa::scalar;
};

TEST_P(BatchedOnEveryIsa, RandomCircuitsMatchTheSerialDifferentiator) {
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
        const unsigned n = 4 + unsigned(seed % 2);
        const std::size_t p = 6;
        const Circuit c = random_circuit(n, p, 100 + seed);
        std::vector<bool> per_lane(p);
        for (std::size_t k = 0; k < p; ++k) per_lane[k] = (k + seed) % 2 == 0;
        for (std::size_t batch : {1u, 7u, 13u}) {
            SCOPED_TRACE(fmt::format("seed {}, batch {}", seed, batch));
            compare(c, per_lane, batch, true, 7 * seed + batch);
            compare(c, per_lane, batch, false, 11 * seed + batch);
        }
    }
}

TEST_P(BatchedOnEveryIsa, AllSharedAndAllPerLaneParameters) {
    const Circuit c = random_circuit(4, 5, 42);
    compare(c, std::vector<bool>(5, false), 9, true, 1);
    compare(c, std::vector<bool>(5, true), 9, true, 2);
}

TEST_P(BatchedOnEveryIsa, ReferenceCircuitFoldsTheEncodingIntoAProductState) {
    Circuit c(5);
    const std::vector<Parameter> inputs = angle_encoding(c, RotationAxis::y, 0.7);
    (void)hardware_efficient_ansatz(c, 2, Entangler::ring);
    std::vector<bool> per_lane(c.num_parameters(), false);
    for (const Parameter& x : inputs) per_lane[x.index()] = true;
    compare(c, per_lane, 10, true, 3);
}

/// The classifier's batch members against its per-sample ones, for every encoding kind and
/// both readouts, with input gradients.
TEST_P(BatchedOnEveryIsa, ClassifierBatchMatchesPerSample) {
    struct Case {
        EncodingKind encoding;
        std::size_t features, classes;
        ReadoutKind readout;
    };
    const Case cases[] = {{EncodingKind::reupload, 3, 2, ReadoutKind::z_per_class},
                          {EncodingKind::angle, 4, 3, ReadoutKind::z_per_class},
                          {EncodingKind::zz, 4, 2, ReadoutKind::parity},
                          {EncodingKind::amplitude, 5, 3, ReadoutKind::parity}};
    CrossEntropy cross_entropy;
    BinaryCrossEntropy binary;
    for (const Case& k : cases) {
        SCOPED_TRACE(fmt::format("encoding {}", int(k.encoding)));
        ClassifierOptions o;
        o.num_qubits = 4;
        o.num_classes = k.classes;
        o.layers = 2;
        o.encoding = k.encoding;
        o.readout = k.readout;
        VariationalClassifier model = make_classifier(k.features, o);
        model.initialize(5, 1.3);
        const Loss& loss = k.classes == 2 ? static_cast<const Loss&>(binary) : cross_entropy;
        std::mt19937_64 rng(17);
        std::uniform_real_distribution<double> u(-2.0, 2.0);
        const std::size_t count = 13, f = k.features, p = model.num_trainable(), m = model.num_scores();
        std::vector<double> xs(count * f);
        for (double& v : xs) v = u(rng);
        std::vector<std::size_t> labels(count);
        for (std::size_t i = 0; i < count; ++i) labels[i] = i % k.classes;
        const std::unique_ptr<Model::Workspace> ws = model.make_workspace();
        std::vector<double> grad(p), inputs(count * f), scores(count * m);
        const double total = model.loss_and_gradient_batch(*ws, xs, labels, loss, grad, inputs);
        model.scores_batch(*ws, xs, scores);
        double expected_total = 0;
        std::vector<double> expected_grad(p, 0.0), gi(p), gx(f), si(m);
        for (std::size_t i = 0; i < count; ++i) {
            const std::span<const double> x(xs.data() + i * f, f);
            expected_total += model.loss_and_gradient(*ws, x, labels[i], loss, gi, gx);
            for (std::size_t j = 0; j < p; ++j) expected_grad[j] += gi[j];
            for (std::size_t j = 0; j < f; ++j) EXPECT_NEAR(inputs[i * f + j], gx[j], 1e-12) << "sample " << i;
            model.scores(*ws, x, si);
            for (std::size_t j = 0; j < m; ++j) EXPECT_NEAR(scores[i * m + j], si[j], 1e-12) << "sample " << i;
        }
        EXPECT_NEAR(total, expected_total, 1e-11);
        for (std::size_t j = 0; j < p; ++j) EXPECT_NEAR(grad[j], expected_grad[j], 1e-11) << "trainable " << j;
        // The weights changed since the last batch call: its matrices must follow.
        std::vector<double> w(model.trainable().begin(), model.trainable().end());
        w[0] += 0.5;
        model.set_trainable(w);
        model.scores_batch(*ws, xs, scores);
        model.scores(*ws, std::span<const double>(xs.data(), f), si);
        for (std::size_t j = 0; j < m; ++j) EXPECT_NEAR(scores[j], si[j], 1e-12) << "after set_trainable";
    }
}

/// Small circuits: one qubit (no entangler), two (one CNOT), three (a ring).
TEST(BatchedClassifier, FewQubits) {
    BinaryCrossEntropy loss;
    for (unsigned n : {1u, 2u, 3u}) {
        SCOPED_TRACE(fmt::format("{} qubits", n));
        ClassifierOptions o;
        o.num_qubits = n;
        o.layers = 2;
        VariationalClassifier model = make_classifier(2, o);
        model.initialize(3);
        const std::vector<double> xs{0.3, -1.2, 2.0, 0.7, -0.4, 0.1};
        const std::vector<std::size_t> labels{1, 0, 1};
        const std::unique_ptr<Model::Workspace> ws = model.make_workspace();
        std::vector<double> grad(model.num_trainable()), inputs(xs.size()), gi(grad.size()), gx(2);
        const double total = model.loss_and_gradient_batch(*ws, xs, labels, loss, grad, inputs);
        double expected = 0;
        std::vector<double> expected_grad(grad.size(), 0.0);
        for (std::size_t i = 0; i < labels.size(); ++i) {
            const std::span<const double> x = std::span<const double>(xs).subspan(2 * i, 2);
            expected += model.loss_and_gradient(*ws, x, labels[i], loss, gi, gx);
            for (std::size_t j = 0; j < gi.size(); ++j) expected_grad[j] += gi[j];
            for (std::size_t j = 0; j < 2; ++j) EXPECT_NEAR(inputs[2 * i + j], gx[j], 1e-12);
        }
        EXPECT_NEAR(total, expected, 1e-12);
        for (std::size_t j = 0; j < grad.size(); ++j) EXPECT_NEAR(grad[j], expected_grad[j], 1e-12) << "trainable " << j;
    }
}

/// HybridModel's batch members against its per-sample ones, with and without dense layers.
TEST(BatchedHybrid, MatchesPerSample) {
    CrossEntropy loss;
    for (bool in : {false, true})
        for (bool out : {false, true}) {
            SCOPED_TRACE(fmt::format("input layer {}, output layer {}", in, out));
            ModelSpec spec;
            spec.num_features = in ? 5 : 3;
            spec.num_classes = 3;
            spec.num_qubits = 3;
            spec.layers = 2;
            spec.input_layer = in;
            spec.output_layer = out;
            HybridModel model = build_model(spec);
            model.initialize(4);
            const std::size_t count = 11, f = spec.num_features, p = model.num_trainable(), s = model.num_scores();
            std::mt19937_64 rng(23);
            std::uniform_real_distribution<double> u(-1.5, 1.5);
            std::vector<double> xs(count * f);
            for (double& v : xs) v = u(rng);
            std::vector<std::size_t> labels(count);
            for (std::size_t i = 0; i < count; ++i) labels[i] = i % 3;
            const std::unique_ptr<Model::Workspace> ws = model.make_workspace();
            std::vector<double> grad(p), inputs(count * f), scores(count * s);
            const double total = model.loss_and_gradient_batch(*ws, xs, labels, loss, grad, inputs);
            model.scores_batch(*ws, xs, scores);
            double expected = 0;
            std::vector<double> expected_grad(p, 0.0), gi(p), gx(f), si(s);
            for (std::size_t i = 0; i < count; ++i) {
                const std::span<const double> x(xs.data() + i * f, f);
                expected += model.loss_and_gradient(*ws, x, labels[i], loss, gi, gx);
                for (std::size_t j = 0; j < p; ++j) expected_grad[j] += gi[j];
                for (std::size_t j = 0; j < f; ++j) EXPECT_NEAR(inputs[i * f + j], gx[j], 1e-12) << "sample " << i;
                model.scores(*ws, x, si);
                for (std::size_t j = 0; j < s; ++j) EXPECT_NEAR(scores[i * s + j], si[j], 1e-12) << "sample " << i;
            }
            EXPECT_NEAR(total, expected, 1e-11);
            for (std::size_t j = 0; j < p; ++j) EXPECT_NEAR(grad[j], expected_grad[j], 1e-11) << "trainable " << j;
        }
}

TEST(BatchedClassifier, RejectsBadSizesAndFeatures) {
    ClassifierOptions o;
    o.num_qubits = 2;
    const VariationalClassifier model = make_classifier(2, o);
    const std::unique_ptr<Model::Workspace> ws = model.make_workspace();
    BinaryCrossEntropy loss;
    std::vector<double> xs{0.1, 0.2, 0.3, std::nan("")}, grad(model.num_trainable()), short_grad(1);
    const std::vector<std::size_t> labels{0, 1};
    try {
        (void)model.loss_and_gradient_batch(*ws, xs, labels, loss, grad);
        ADD_FAILURE() << "no error for a NaN feature";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "VariationalClassifier::loss_and_gradient_batch: feature 1 of sample 1 is nan (features "
                               "must be finite numbers)");
    }
    xs[3] = 0.4;
    try {
        (void)model.loss_and_gradient_batch(*ws, xs, labels, loss, short_grad);
        ADD_FAILURE() << "no error for a short gradient";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "VariationalClassifier::loss_and_gradient_batch: 4 features, 1 gradient slots and 0 "
                               "input-gradient slots for 2 samples; need 4, 14 and 0 or 4");
    }
}

/// The kernels' own sine and cosine against the library's, from tiny angles to ones past the
/// range the fast path takes.
TEST_P(BatchedOnEveryIsa, HalfAngleSinCosMatchesTheLibrary) {
    const qml_detail::BatchKernels& k = qml_detail::batch_kernels(GetParam());
    std::mt19937_64 rng(9);
    alignas(64) double a[kLanes], c[kLanes], s[kLanes];
    for (double scale : {1e-9, 1.0, 3.2, 10.0, 1e3, 1e5, 1.64e6, 1e9}) {
        std::uniform_real_distribution<double> u(-scale, scale);
        for (int rep = 0; rep < 50; ++rep) {
            for (double& v : a) v = u(rng);
            a[0] = scale * std::numbers::pi / 2;  // a quadrant boundary of a / 2 ... and beyond
            k.half_angle_sincos(a, c, s);
            for (unsigned l = 0; l < kLanes; ++l) {
                const double tol = 4e-16 * std::max(1.0, std::abs(a[l]) * 1e-2);
                EXPECT_NEAR(c[l], std::cos(a[l] / 2), tol) << "angle " << a[l];
                EXPECT_NEAR(s[l], std::sin(a[l] / 2), tol) << "angle " << a[l];
            }
        }
    }
}

std::string isa_label(const ::testing::TestParamInfo<Isa>& info) { return std::string(isa_name(info.param)); }

INSTANTIATE_TEST_SUITE_P(Batched, BatchedOnEveryIsa, ::testing::ValuesIn(supported_isas()), isa_label);

}  // namespace
}  // namespace kettle
