// Sampling: goodness of fit against exact probabilities, determinism across thread counts,
// and circuits whose measurements collapse the state (one simulation per shot).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

#include "kettle/kettle.hpp"
#include "support/precision.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"
#include "support/statistics.hpp"

namespace kettle {
namespace {

using test::chi_square;

/// Exact probabilities of the reference state.
std::vector<double> exact_probabilities(const reference::CVector& psi) {
    std::vector<double> p(std::size_t(psi.size()));
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = std::norm(psi(Eigen::Index(i)));
    return p;
}

/// Expects `count` successes of probability p in n trials to lie within 5 standard deviations.
void expect_binomial(std::size_t count, std::size_t n, double p, const std::string& what) {
    const double mean = double(n) * p, sd = std::sqrt(double(n) * p * (1 - p));
    EXPECT_LE(std::abs(double(count) - mean), 5 * sd + 1e-9) << what << ": " << count << " of " << n << ", expected p=" << p;
}

// The goodness-of-fit check has power: 100k draws of a state tell it from a nearby one.
TEST(ChiSquare, RejectsANearbyDistribution) {
    test::Random random(21);
    const reference::CVector psi = test::random_state(6, random);
    const auto state = reference::make_state<double>(6, psi);
    std::vector<std::size_t> observed(64, 0);
    for (std::uint64_t i : sample(state, 100000, 1234)) ++observed[i];
    std::vector<double> p = exact_probabilities(psi);
    EXPECT_TRUE(chi_square(observed, p).passes());
    // Scale the first half of the probabilities by 0.95 and the second by 1.05, then normalise.
    for (std::size_t i = 0; i < 64; ++i) p[i] *= i < 32 ? 0.95 : 1.05;
    double total = 0;
    for (double x : p) total += x;
    for (double& x : p) x /= total;
    EXPECT_FALSE(chi_square(observed, p).passes());
    EXPECT_NEAR(test::chi_square_critical_999(63), 103.44, 0.1);
    EXPECT_NEAR(test::chi_square_critical_999(30), 59.70, 0.3);
}

template <class T>
class Sampling : public ::testing::Test {};
TYPED_TEST_SUITE(Sampling, test::Precisions, test::PrecisionName);

TYPED_TEST(Sampling, SampleFitsExactProbabilities) {
    test::Random random(21);
    const unsigned n = 6;
    const reference::CVector psi = test::random_state(n, random);
    const auto state = reference::make_state<TypeParam>(n, psi);
    const std::size_t shots = 100000;
    const std::vector<std::uint64_t> draws = sample(state, shots, 1234);
    ASSERT_EQ(draws.size(), shots);
    EXPECT_TRUE(std::is_sorted(draws.begin(), draws.end()));
    std::vector<std::size_t> observed(std::size_t{1} << n, 0);
    for (std::uint64_t i : draws) ++observed.at(i);
    const test::ChiSquare fit = chi_square(observed, exact_probabilities(psi));
    EXPECT_EQ(fit.df, 63u);  // no bin of this state is expected fewer than 5 times
    EXPECT_TRUE(fit.passes()) << "chi-square " << fit.statistic << " with " << fit.df << " degrees of freedom";
    // The same seed gives the same draws; another seed gives others.
    EXPECT_EQ(sample(state, shots, 1234), draws);
    EXPECT_NE(sample(state, shots, 1235), draws);
}

TYPED_TEST(Sampling, SampleNeverDrawsImpossibleOutcomes) {
    // Probability only on a few scattered basis states, including the first and the last.
    const unsigned n = 15;
    reference::CVector psi = reference::CVector::Zero(Eigen::Index{1} << n);
    const std::vector<std::uint64_t> support = {0, 4097, 4098, 30000, (1u << n) - 1};
    for (std::size_t j = 0; j < support.size(); ++j) psi(Eigen::Index(support[j])) = std::sqrt(double(j + 1) / 15.0);
    const auto state = reference::make_state<TypeParam>(n, psi);
    const std::vector<std::uint64_t> draws = sample(state, 20000, 5);
    std::vector<std::size_t> observed(psi.size(), 0);
    for (std::uint64_t i : draws) ++observed.at(i);
    const test::ChiSquare fit = chi_square(observed, exact_probabilities(psi));
    EXPECT_TRUE(std::isfinite(fit.statistic)) << "an outcome of probability 0 was drawn";
    EXPECT_EQ(fit.df, 4u);
    EXPECT_TRUE(fit.passes()) << fit.statistic;
}

TYPED_TEST(Sampling, SampleCountsOfAllQubitsFitsTheCircuitsState) {
    const unsigned n = 6;
    const auto [c, values] = test::random_circuit(n, 30, 77);
    const reference::CVector psi = reference::run(c, reference::basis_state(n, 0));
    const auto counts = sample_counts<TypeParam>(c, 100000, 99);
    for (const auto& [bits, k] : counts) EXPECT_EQ(bits.size(), n);
    const test::ChiSquare fit = chi_square(test::counts_by_index(counts, n), exact_probabilities(psi));
    EXPECT_TRUE(fit.passes()) << "chi-square " << fit.statistic << " with " << fit.df << " degrees of freedom";
    EXPECT_EQ(sample_counts<TypeParam>(c, 100000, 99), counts);
}

TYPED_TEST(Sampling, SampleCountsOfTerminalMeasurementsFitsTheMarginal) {
    const unsigned n = 6;
    const test::RandomCircuit gates = test::random_circuit(n, 30, 78);
    const reference::CVector psi = reference::run(gates.circuit, reference::basis_state(n, 0));
    Circuit c = gates.circuit;
    c.add_creg("c", 3);
    c.measure(3, 0).measure(4, 1).measure(1, 2);  // bit b of the outcome is clbit b
    ASSERT_FALSE(needs_per_shot_simulation(c));
    std::vector<double> marginal(8, 0.0);
    const std::vector<double> p = exact_probabilities(psi);
    for (std::size_t i = 0; i < p.size(); ++i) marginal[(i >> 3 & 1) | (i >> 4 & 1) << 1 | (i >> 1 & 1) << 2] += p[i];
    const auto counts = sample_counts<TypeParam>(c, 50000, 3);
    for (const auto& [bits, k] : counts) EXPECT_EQ(bits.size(), 3u);
    const test::ChiSquare fit = chi_square(test::counts_by_index(counts, 3), marginal);
    EXPECT_TRUE(fit.passes()) << "chi-square " << fit.statistic << " with " << fit.df << " degrees of freedom";
}

// 16 qubits: 2^16 amplitudes, above the 2^14 where loops and reductions go parallel.
TYPED_TEST(Sampling, SameSeedSameResultsForOneAndTwoThreads) {
    const unsigned n = 16;
    Circuit c(n);
    for (unsigned q = 0; q < n; ++q) c.ry(q, 0.3 + 0.1 * q);
    for (unsigned q = 1; q < n; ++q) c.cx(q - 1, q);
    for (unsigned q = 0; q < n; q += 3) c.rz(q, 0.7).h(q);
    Circuit collapsing(n, 2);
    collapsing.compose(c).measure(0, 0).h(0).measure(0, 1);
    ASSERT_TRUE(needs_per_shot_simulation(collapsing));

    struct Results {
        std::vector<std::uint64_t> draws;
        std::map<std::string, std::size_t> counts, per_shot_counts;
        std::vector<double> probabilities;
        double expectation_value, norm;
    };
    auto compute = [&] {
        const auto state = simulate<TypeParam>(c);
        return Results{sample(state, 5000, 11), sample_counts<TypeParam>(c, 5000, 12),
                       sample_counts<TypeParam>(collapsing, 20, 13), probabilities(state),
                       expectation(state, PauliSum::parse("0.5*Z0 Z7 - X3 Y15 + X2")), state.norm_squared()};
    };
    set_num_threads(1);
    const Results one = compute();
    set_num_threads(2);
    const Results two = compute();
    set_num_threads(0);
    EXPECT_EQ(one.draws, two.draws);
    EXPECT_EQ(one.counts, two.counts);
    EXPECT_EQ(one.per_shot_counts, two.per_shot_counts);
    EXPECT_EQ(one.probabilities, two.probabilities);
    EXPECT_EQ(one.expectation_value, two.expectation_value);  // bitwise: fixed reduction order
    EXPECT_EQ(one.norm, two.norm);
}

TYPED_TEST(Sampling, MeasureThenConditionedXCopiesTheOutcome) {
    // c1 is set from q1, which is flipped exactly when c0 read 1: only 00 and 11 occur.
    Circuit c(2, 2);
    c.h(0).measure(0, 0).x(1).c_if(0, 1).measure(1, 1);
    ASSERT_TRUE(needs_per_shot_simulation(c));
    const std::size_t shots = 4000;
    const auto counts = sample_counts<TypeParam>(c, shots, 8);
    EXPECT_EQ(counts.count("01"), 0u);
    EXPECT_EQ(counts.count("10"), 0u);
    EXPECT_EQ(counts.at("00") + counts.at("11"), shots);
    expect_binomial(counts.at("11"), shots, 0.5, "c0 = 1");
}

TYPED_TEST(Sampling, MeasureResetMeasureIsDeterministic) {
    Circuit c(1, 2);
    c.x(0).measure(0, 0).reset(0).measure(0, 1);
    const auto counts = sample_counts<TypeParam>(c, 100, 1);
    const std::map<std::string, std::size_t> expected{{"01", 100}};
    EXPECT_EQ(counts, expected);
}

/// Teleports RZ(φ) RY(θ)|0> from qubit 0 to qubit 2 with corrections conditioned on the
/// registers m0 (qubit 0's outcome) and m1 (qubit 1's).
Circuit teleportation(double theta, double phi, bool measure_output) {
    Circuit c(3);
    const std::size_t m0 = c.cregs().size();
    c.add_creg("m0", 1);
    c.add_creg("m1", 1);
    c.add_creg("out", 1);
    c.ry(0, theta).rz(0, phi);
    c.h(1).cx(1, 2);
    c.cx(0, 1).h(0).measure(0, 0).measure(1, 1);
    c.x(2).c_if(m0 + 1, 1).z(2).c_if(m0, 1);
    if (measure_output) c.measure(2, 2);
    return c;
}

TYPED_TEST(Sampling, TeleportationDistribution) {
    const double theta = 1.1, phi = 0.4;
    const std::size_t shots = 20000;
    const auto counts = sample_counts<TypeParam>(teleportation(theta, phi, true), shots, 17);
    // Key "out m1 m0": the Bell outcomes are uniform and the output is 1 with sin^2(θ/2).
    const double p1 = std::pow(std::sin(theta / 2), 2);
    std::vector<double> expected(8);
    for (std::size_t i = 0; i < 8; ++i) expected[i] = 0.25 * (i >> 2 ? p1 : 1 - p1);
    const test::ChiSquare fit = chi_square(test::counts_by_index(counts, 3), expected);
    EXPECT_EQ(fit.df, 7u);
    EXPECT_TRUE(fit.passes()) << "chi-square " << fit.statistic;
}

TYPED_TEST(Sampling, TeleportationDeliversTheStateOnEveryBranch) {
    const double theta = 1.1, phi = 0.4;
    const Circuit c = teleportation(theta, phi, false);
    std::set<std::pair<int, int>> branches;
    for (std::uint64_t seed = 0; seed < 32; ++seed) {
        StateVector<TypeParam> state(3);
        const RunResult r = run(c, state, {}, RunOptions{seed});
        ASSERT_EQ(r.clbits.size(), 3u);
        branches.emplace(r.clbits[0], r.clbits[1]);
        // Qubits 0 and 1 hold the measured bits; qubit 2 has the Bloch vector of the input.
        const std::vector<unsigned> q01 = {0, 1};
        EXPECT_NEAR(marginal_probabilities(state, q01)[r.clbits[0] | r.clbits[1] << 1], 1.0, test::kTolerance<TypeParam>);
        const double tol = 10 * test::kTolerance<TypeParam>;
        EXPECT_NEAR(expectation(state, PauliSum::parse("X2")), std::sin(theta) * std::cos(phi), tol);
        EXPECT_NEAR(expectation(state, PauliSum::parse("Y2")), std::sin(theta) * std::sin(phi), tol);
        EXPECT_NEAR(expectation(state, PauliSum::parse("Z2")), std::cos(theta), tol);
    }
    EXPECT_EQ(branches.size(), 4u);
}

}  // namespace
}  // namespace kettle

namespace kettle {
namespace {

TEST(SamplingFromState, CountsFromStateEqualSampleCounts) {
    Circuit c(6, 6);
    for (unsigned q = 0; q < 6; ++q) c.ry(q, 0.3 + 0.2 * q);
    c.cx(0, 3).cz(2, 5).h(4);
    for (unsigned q = 0; q < 6; q += 2) c.measure(q, q / 2);
    for (std::uint64_t seed : {1u, 9u, 123u}) {
        StateVector<double> state(6);
        const RunResult r = run(c, state, {}, RunOptions{seed});
        EXPECT_EQ(counts_from_state(c, state, r, 5000, seed), sample_counts<double>(c, 5000, seed)) << seed;
        // Fusion changes only rounding, and the counts of this circuit not at all.
        EXPECT_EQ(sample_counts<double>(c, 5000, seed, {}, 3), sample_counts<double>(c, 5000, seed)) << seed;
    }
}

}  // namespace
}  // namespace kettle
