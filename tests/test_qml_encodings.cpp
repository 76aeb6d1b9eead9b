// ZZ and amplitude encodings, strongly entangling layers, RealAmplitudes, EfficientSU2 and
// parity readouts: their circuits against closed forms, and classifier gradients (weights and
// inputs) against central finite differences.

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kettle/ansatz.hpp"
#include "kettle/classifier.hpp"
#include "kettle/encoding.hpp"
#include "kettle/error.hpp"
#include "kettle/loss.hpp"
#include "kettle/simulator.hpp"

namespace kettle {
namespace {

using Z = std::complex<double>;

std::vector<double> random_values(std::size_t count, std::uint64_t seed, double range = 2.0) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-range, range);
    std::vector<double> v(count);
    for (double& x : v) x = u(rng);
    return v;
}

/// The (control, target) pairs of the circuit's cx gates, in order.
std::vector<std::pair<unsigned, unsigned>> cx_pairs(const Circuit& c) {
    std::vector<std::pair<unsigned, unsigned>> out;
    for (const Operation& op : c.operations())
        if (op.gate == GateKind::x && op.controls.size() == 1) out.emplace_back(op.controls[0], op.targets[0]);
    return out;
}

/// Loss gradient of `model` at (x, label) against central differences, weights and inputs.
void check_gradients(VariationalClassifier& model, const Loss& loss, std::vector<double> x, std::size_t label,
                     const std::string& what) {
    VariationalClassifier::Workspace ws(model);
    std::vector<double> gw(model.num_trainable()), gx(model.num_features()), unused(model.num_trainable());
    (void)model.loss_and_gradient(ws, x, label, loss, gw, gx);
    const double h = 1e-5;
    std::vector<double> w(model.trainable().begin(), model.trainable().end());
    for (std::size_t k = 0; k < w.size(); ++k) {
        const double v = w[k];
        w[k] = v + h;
        model.set_trainable(w);
        const double up = model.loss_and_gradient(ws, x, label, loss, unused);
        w[k] = v - h;
        model.set_trainable(w);
        const double down = model.loss_and_gradient(ws, x, label, loss, unused);
        w[k] = v;
        EXPECT_NEAR(gw[k], (up - down) / (2 * h), 1e-7) << what << " trainable " << k;
    }
    model.set_trainable(w);
    for (std::size_t f = 0; f < x.size(); ++f) {
        const double v = x[f];
        x[f] = v + h;
        const double up = model.loss_and_gradient(ws, x, label, loss, unused);
        x[f] = v - h;
        const double down = model.loss_and_gradient(ws, x, label, loss, unused);
        x[f] = v;
        EXPECT_NEAR(gx[f], (up - down) / (2 * h), 1e-7) << what << " input " << f;
    }
}

/// Walsh-Hadamard on every qubit of a dense state.
void hadamard_all(std::vector<Z>& s) {
    for (std::size_t bit = 1; bit < s.size(); bit <<= 1)
        for (std::size_t i = 0; i < s.size(); ++i)
            if (!(i & bit)) {
                const Z a = s[i], b = s[i | bit];
                s[i] = (a + b) / std::numbers::sqrt2;
                s[i | bit] = (a - b) / std::numbers::sqrt2;
            }
}

TEST(ZZFeatureMap, PreparesTheHavlicekState) {
    // Each repetition is H on every qubit, then the phase exp(i alpha [sum_q x_q b_q +
    // sum_pairs (pi - x_i)(pi - x_j) (b_i xor b_j)]) on basis state b.
    for (Entangler e : {Entangler::full, Entangler::linear, Entangler::ring}) {
        const unsigned n = 3;
        Circuit c(n);
        const FeatureBinding b = zz_feature_map(c, 2, e);
        ASSERT_EQ(b.num_features, n);
        ASSERT_EQ(b.direct.size(), n);
        const std::size_t pairs = e == Entangler::linear ? 2 : 3;
        ASSERT_EQ(b.products.size(), pairs);
        EXPECT_EQ(c.count_ops().at("cx"), 2 * 2 * pairs);
        const std::vector<double> x{0.3, -1.1, 2.0};
        std::vector<double> params(c.num_parameters());
        for (unsigned q = 0; q < n; ++q) params[b.direct[q].index()] = x[q];
        for (const ProductInput& p : b.products)
            params[p.parameter.index()] = (std::numbers::pi - x[p.i]) * (std::numbers::pi - x[p.j]);
        const StateVector<double> got = simulate<double>(c, params);

        std::vector<Z> s(8, 0.0);
        s[0] = 1;
        for (int rep = 0; rep < 2; ++rep) {
            hadamard_all(s);
            for (std::size_t i = 0; i < s.size(); ++i) {
                double phase = 0;
                for (unsigned q = 0; q < n; ++q) phase += x[q] * double(i >> q & 1);
                for (const ProductInput& p : b.products)
                    phase += (std::numbers::pi - x[p.i]) * (std::numbers::pi - x[p.j]) *
                             double((i >> p.i & 1) ^ (i >> p.j & 1));
                s[i] *= std::polar(1.0, 2.0 * phase);
            }
        }
        for (std::size_t i = 0; i < s.size(); ++i) EXPECT_NEAR(std::abs(got[i] - s[i]), 0.0, 1e-12) << i;
    }
}

TEST(ZZFeatureMap, ClassifierInputGradientsMatchFiniteDifferences) {
    // The pair angles are products of features: the classifier chains d/dx through them.
    Circuit c(3);
    const FeatureBinding b = zz_feature_map(c, 2, Entangler::full);
    const std::vector<Parameter> w = hardware_efficient_ansatz(c, 2, Entangler::ring);
    VariationalClassifier model(std::move(c), b, w, parity_observables(3, 3));
    model.initialize(11, 1.5);
    CrossEntropy ce;
    for (std::size_t label = 0; label < 3; ++label) check_gradients(model, ce, {0.4, -0.9, 1.3}, label, "zz");
    // A repeated feature (i == j) is chained through both factors.
    Circuit d(2);
    const Parameter x0 = d.parameter("x0"), sq = d.parameter("sq"), w0 = d.parameter("w0");
    d.ry(0, x0).rz(0, 0.5 * ParamExpr(sq)).ry(1, ParamExpr(sq)).cx(0, 1).ry(0, w0);
    FeatureBinding fb;
    fb.num_features = 1;
    fb.direct = {x0};
    fb.products = {ProductInput{sq, 0, 0, 1.0}};
    VariationalClassifier square(std::move(d), fb, {w0}, {PauliSum::parse("Z0 + 0.5*X1")});
    square.initialize(3);
    BinaryCrossEntropy bce;
    check_gradients(square, bce, {0.7}, 1, "square");
}

TEST(AmplitudeEncoding, StartsFromTheNormalisedPaddedFeatures) {
    Circuit c(3);
    const FeatureBinding b = amplitude_encoding(c, 5);
    EXPECT_TRUE(b.amplitude);
    // No gates: <Z0> = sum_i a_i^2 (-1)^{i_0} and <Z1 Z2> likewise for bits 1 and 2.
    VariationalClassifier model(std::move(c), b, {}, {PauliSum::parse("Z0"), PauliSum::parse("Z1 Z2")});
    const std::vector<double> x{1.0, -2.0, 0.5, 3.0, -1.0};
    double norm2 = 0, z0 = 0, z12 = 0;
    for (double v : x) norm2 += v * v;
    for (std::size_t i = 0; i < x.size(); ++i) {
        z0 += x[i] * x[i] / norm2 * ((i & 1) ? -1 : 1);
        z12 += x[i] * x[i] / norm2 * (((i >> 1 & 1) ^ (i >> 2 & 1)) ? -1 : 1);
    }
    const std::vector<double> s = model.scores(x);
    EXPECT_NEAR(s[0], z0, 1e-14);
    EXPECT_NEAR(s[1], z12, 1e-14);
}

TEST(AmplitudeEncoding, InputGradientsMatchFiniteDifferences) {
    Circuit c(3);
    const FeatureBinding b = amplitude_encoding(c, 6);
    const std::vector<Parameter> w = efficient_su2(c, 2, Entanglement::circular);
    VariationalClassifier model(std::move(c), b, w, {PauliSum::parse("Z0"), PauliSum::parse("X1 Y2"), PauliSum::parse("Z2")});
    model.initialize(4, 2.0);
    CrossEntropy ce;
    check_gradients(model, ce, {0.2, -0.7, 1.1, 0.05, -0.4, 0.9}, 2, "amplitude");
}

TEST(AmplitudeEncoding, Validation) {
    Circuit c(2);
    EXPECT_THROW((void)amplitude_encoding(c, 5), Error);
    EXPECT_THROW((void)amplitude_encoding(c, 0), Error);
    VariationalClassifier model(c, amplitude_encoding(c, 3), {}, {PauliSum::parse("Z0")});
    try {
        (void)model.scores(std::vector<double>{0.0, 0.0, 0.0});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("amplitude encoding needs a finite, non-zero feature vector"),
                  std::string::npos) << e.what();
    }
    FeatureBinding mixed = amplitude_encoding(c, 3);
    mixed.direct = {c.parameter("x0"), c.parameter("x1"), c.parameter("x2")};
    EXPECT_THROW(VariationalClassifier(c, mixed, {}, {PauliSum::parse("Z0")}), Error);
}

TEST(StronglyEntanglingLayers, RotIsRzRyRzAndRangesCycle) {
    Circuit one(1);
    const std::vector<Parameter> w1 = strongly_entangling_layers(one, 1);
    ASSERT_EQ(w1.size(), 3u);
    EXPECT_TRUE(cx_pairs(one).empty());
    const double phi = 0.4, theta = 1.3, omega = -0.8;
    const std::vector<double> p{phi, theta, omega};
    const StateVector<double> s = simulate<double>(one, p);
    // PennyLane's Rot(φ, θ, ω)|0> = (e^{-i(φ+ω)/2} cos(θ/2), e^{-i(φ-ω)/2} sin(θ/2)).
    EXPECT_NEAR(std::abs(s[0] - std::polar(std::cos(theta / 2), -(phi + omega) / 2)), 0.0, 1e-14);
    EXPECT_NEAR(std::abs(s[1] - std::polar(std::sin(theta / 2), -(phi - omega) / 2)), 0.0, 1e-14);

    Circuit c(4);
    EXPECT_EQ(strongly_entangling_layers(c, 4).size(), 48u);
    std::vector<std::pair<unsigned, unsigned>> expected;
    for (unsigned l = 0; l < 4; ++l)
        for (unsigned q = 0; q < 4; ++q) expected.emplace_back(q, (q + l % 3 + 1) % 4);
    EXPECT_EQ(cx_pairs(c), expected);
    Circuit custom(3);
    (void)strongly_entangling_layers(custom, 2, {2, 2});
    EXPECT_EQ(cx_pairs(custom)[0], std::make_pair(0u, 2u));
    EXPECT_THROW((void)strongly_entangling_layers(custom, 2, {3, 1}), Error);
    EXPECT_THROW((void)strongly_entangling_layers(custom, 2, {1}), Error);
}

TEST(TwoLocal, RealAmplitudesAndEfficientSu2) {
    using P = std::pair<unsigned, unsigned>;
    const std::vector<std::pair<Entanglement, std::vector<P>>> patterns{
        {Entanglement::full, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}},
        {Entanglement::linear, {{0, 1}, {1, 2}, {2, 3}}},
        {Entanglement::reverse_linear, {{2, 3}, {1, 2}, {0, 1}}},
        {Entanglement::circular, {{3, 0}, {0, 1}, {1, 2}, {2, 3}}}};
    for (const auto& [e, pairs] : patterns) {
        Circuit ra(4);
        EXPECT_EQ(real_amplitudes(ra, 2, e).size(), 12u);
        std::vector<P> twice = pairs;
        twice.insert(twice.end(), pairs.begin(), pairs.end());
        EXPECT_EQ(cx_pairs(ra), twice);
        EXPECT_EQ(ra.count_ops().at("ry"), 12u);
        // Only RY and CX: every amplitude stays real.
        const StateVector<double> s = simulate<double>(ra, random_values(12, 5));
        for (std::size_t i = 0; i < s.size(); ++i) EXPECT_EQ(s[i].imag(), 0.0);
    }
    Circuit su2(3);
    const std::vector<Parameter> w = efficient_su2(su2, 3);
    EXPECT_EQ(w.size(), 24u);
    // Qiskit's order: the RY layer (w0..w2), then the RZ layer (w3..w5), then the entangler.
    const auto& ops = su2.operations();
    EXPECT_EQ(ops[0].gate, GateKind::ry);
    EXPECT_EQ(ops[3].gate, GateKind::rz);
    EXPECT_EQ(ops[3].params[0], ParamExpr(w[3]));
    Circuit skip(3);
    EXPECT_EQ(efficient_su2(skip, 3, Entanglement::linear, true).size(), 18u);
    EXPECT_EQ(skip.operations().back().gate, GateKind::x);
}

TEST(ParityReadout, GroupsAndExpectations) {
    const std::vector<PauliSum> obs = parity_observables(5, 3);
    ASSERT_EQ(obs.size(), 3u);
    EXPECT_EQ(obs[0].to_string(), "1*Z0 Z1");
    EXPECT_EQ(obs[1].to_string(), "1*Z2 Z3");
    EXPECT_EQ(obs[2].to_string(), "1*Z4");
    EXPECT_EQ(parity_observables(4, 2)[0].to_string(), "1*Z0 Z1 Z2 Z3");
    // On basis state 0b11110 the groups hold bits {0,1}, {1,1}, {1}: parities odd, even, odd.
    StateVector<double> s(5);
    s.set_basis_state(0b11110);
    EXPECT_EQ(expectation(s, obs[0]), -1.0);
    EXPECT_EQ(expectation(s, obs[1]), 1.0);
    EXPECT_EQ(expectation(s, obs[2]), -1.0);
    EXPECT_THROW((void)parity_observables(2, 3), Error);
    const std::vector<std::vector<unsigned>> bad{{0, 0}};
    EXPECT_THROW((void)parity_observables(bad), Error);
}

TEST(MakeClassifier, EveryEncodingAnsatzAndReadoutHasExactGradients) {
    CrossEntropy ce;
    BinaryCrossEntropy bce;
    for (EncodingKind enc : {EncodingKind::angle, EncodingKind::zz, EncodingKind::amplitude})
        for (AnsatzKind a : {AnsatzKind::hardware_efficient, AnsatzKind::strongly_entangling, AnsatzKind::real_amplitudes,
                             AnsatzKind::efficient_su2})
            for (ReadoutKind r : {ReadoutKind::z_per_class, ReadoutKind::parity}) {
                ClassifierOptions o;
                o.num_qubits = 3;
                o.num_classes = r == ReadoutKind::parity ? 2 : 3;
                o.layers = 2;
                o.encoding = enc;
                o.ansatz = a;
                o.readout = r;
                const std::size_t f = enc == EncodingKind::amplitude ? 5 : 3;
                VariationalClassifier m = make_classifier(f, o);
                m.initialize(7, 1.3);
                const std::vector<double> x = random_values(f, 9, 1.5);
                check_gradients(m, o.num_classes == 2 ? static_cast<const Loss&>(bce) : ce, x, 1,
                                "encoding " + std::to_string(int(enc)) + " ansatz " + std::to_string(int(a)) +
                                    " readout " + std::to_string(int(r)));
            }
    ClassifierOptions o;
    o.num_qubits = 3;
    o.encoding = EncodingKind::zz;
    EXPECT_THROW((void)make_classifier(2, o), Error);
}

}  // namespace
}  // namespace kettle
