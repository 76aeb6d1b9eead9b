// Numerical health: the norm after 10^5 random gates, and NaN or infinite values rejected where
// they enter (circuit parameters, classifier features and weights, training data), with the
// index of the bad value.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "kettle/kettle.hpp"
#include "support/expect_error.hpp"
#include "support/random_circuit.hpp"

namespace kettle {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

/// |norm^2 - 1| after `gates` random gates of every kind (dense, diagonal, permutation, up to
/// three controls, random 1..4-qubit unitaries) on 10 qubits, run in one pass.
template <Precision T>
double norm_drift(std::size_t gates, std::uint64_t seed) {
    const test::RandomCircuit rc = test::random_circuit(10, gates, seed);
    StateVector<T> state(10);
    run(rc.circuit, state);
    return std::abs(state.norm_squared() - 1.0);
}

TEST(Numerics, NormDriftAfter100000RandomGates) {
    const double drift_double = norm_drift<double>(100'000, 2024);
    const double drift_float = norm_drift<float>(100'000, 2024);
    std::printf("norm drift after 1e5 random gates on 10 qubits: double %.3g, float %.3g\n", drift_double, drift_float);
    RecordProperty("norm_drift_double", std::to_string(drift_double));
    RecordProperty("norm_drift_float", std::to_string(drift_float));
    EXPECT_LT(drift_double, 1e-10);
    // Single precision rounds at 6e-8 per operation; over 1e5 gates that stays far below 1e-2.
    EXPECT_LT(drift_float, 1e-2);
}

TEST(Numerics, FusedRunsDriftNoMore) {
    const test::RandomCircuit rc = test::random_circuit(10, 20'000, 77);
    for (const unsigned fusion : {2u, 4u, 6u}) {
        RunOptions options;
        options.fusion = fusion;
        StateVector<double> state(10);
        run(rc.circuit, state, {}, options);
        EXPECT_LT(std::abs(state.norm_squared() - 1.0), 1e-10) << "fusion " << fusion;
    }
}

// ---------------------------------------------------------------------------------------------
// NaN and infinity at the boundary

TEST(Numerics, CircuitParametersNameTheBadIndex) {
    Circuit c(2);
    const Parameter a = c.parameter("a"), b = c.parameter("b");
    c.rx(0, a).ry(1, 2.0 * b);
    const std::vector<double> bad{0.5, nan};
    test::expect_invalid([&] { (void)simulate<double>(c, bad); }, "run: the value of parameter #1 (b) is nan");
    const std::vector<double> infinite{inf, 0.5};
    test::expect_invalid([&] { (void)sample_counts<double>(c, 10, 1, infinite); },
                         "sample_counts: the value of parameter #0 (a) is inf");
    EXPECT_THROW(c.rz(0, ParamExpr(nan)), Error);
}

TEST(Numerics, ClassifierFeaturesAndWeightsNameTheBadIndex) {
    ClassifierOptions o;
    o.num_qubits = 2;
    o.layers = 1;
    VariationalClassifier model = make_classifier(2, o);
    const std::vector<double> x{0.25, nan};
    test::expect_invalid([&] { (void)model.scores(x); },
                         "VariationalClassifier::scores: feature 1 is nan (features must be finite numbers)");
    VariationalClassifier::Workspace ws(model);
    std::vector<double> grad(model.num_trainable());
    const std::vector<double> x_inf{-inf, 0.0};
    test::expect_invalid([&] { (void)model.loss_and_gradient(ws, x_inf, 0, BinaryCrossEntropy(), grad); },
                         "VariationalClassifier::scores: feature 0 is -inf (features must be finite numbers)");

    std::vector<double> weights(model.trainable().begin(), model.trainable().end());
    weights[2] = nan;
    test::expect_invalid([&] { model.set_trainable(weights); },
                         "VariationalClassifier::set_trainable: value 2 is nan (values must be finite numbers)");

    o.encoding = EncodingKind::amplitude;
    const VariationalClassifier amplitude = make_classifier(3, o);
    const std::vector<double> x3{1.0, inf, 0.0};
    test::expect_invalid([&] { (void)amplitude.scores(x3); },
                         "VariationalClassifier::scores: feature 1 is inf (features must be finite numbers)");
}

TEST(Numerics, TrainingDataNamesTheBadRowAndColumn) {
    ClassifierOptions o;
    o.num_qubits = 2;
    o.layers = 1;
    VariationalClassifier model = make_classifier(2, o);
    FeatureMatrix x(4, 2);
    x << 0.1, 0.2, 0.3, 0.4, 0.5, nan, 0.7, 0.8;
    const std::vector<std::size_t> y{0, 1, 0, 1};
    BinaryCrossEntropy loss;
    Adam adam(0.1);
    TrainerOptions t;
    t.epochs = 1;
    test::expect_invalid([&] { (void)Trainer(loss, adam, t).fit(model, x, y); },
                         "Trainer::fit: the feature at row 2, column 1 is nan (features must be finite numbers)");
    x(2, 1) = 0.6;
    x(0, 0) = inf;
    test::expect_invalid([&] { (void)evaluate(model, x, y, loss); },
                         "evaluate: the feature at row 0, column 0 is inf (features must be finite numbers)");
}

TEST(Numerics, ObservableCoefficientsAndStatesMustBeFinite) {
    test::expect_invalid([] { (void)PauliSum::parse("1e999*Z0"); },
                         "Pauli sum \"1e999*Z0\": column 9: expected a finite coefficient, found the end");
    StateVector<double> state(1);
    const std::vector<std::complex<double>> amplitudes{{1, 0}, {nan, 0}};
    test::expect_invalid([&] { state.set_amplitudes(amplitudes); },
                         "StateVector::set_amplitudes: amplitude 1 is NaN or infinite");
}

}  // namespace
}  // namespace kettle
