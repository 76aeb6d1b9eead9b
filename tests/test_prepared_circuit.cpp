// A PreparedCircuit runs what kettle::run runs: random circuits over every gate kind with
// controls and symbolic parameters, small and cache-blocked sizes, both precisions, every
// fusion width, and circuits that measure, reset and condition on the same seeded draws.

#include <gtest/gtest.h>

#include "kettle/kettle.hpp"
#include "support/expect_error.hpp"
#include "support/random_circuit.hpp"

namespace kettle {
namespace {

template <class T>
double worst_difference(const StateVector<T>& x, const StateVector<T>& y) {
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        worst = std::max(worst, std::abs(std::complex<double>(x[i]) - std::complex<double>(y[i])));
    return worst;
}

template <class T>
void prepared_equals_run(double tol) {
    for (unsigned n : {1u, 3u, 6u, 10u}) {
        const test::RandomCircuit rc = test::random_circuit(n, 150, 40 + n, {.num_parameters = 2});
        for (unsigned k = 1; k <= 6; ++k) {
            const PreparedCircuit<T> prepared(rc.circuit, rc.values, FusionOptions{k, true});
            StateVector<T> plain(n), fast(n);
            run(rc.circuit, plain, rc.values);
            prepared.run(fast);
            EXPECT_LT(worst_difference(plain, fast), tol) << "n " << n << " k " << k;
            prepared.run(fast);  // runs again from where the state is
            run(rc.circuit, plain, rc.values);
            EXPECT_LT(worst_difference(plain, fast), 2 * tol) << "n " << n << " k " << k << " second run";
        }
    }
}

TEST(PreparedCircuit, EqualsRunDouble) { prepared_equals_run<double>(1e-12); }
TEST(PreparedCircuit, EqualsRunFloat) { prepared_equals_run<float>(2e-5); }

TEST(PreparedCircuit, CacheBlockedSizeEqualsRun) {
    // 19 qubits: above the blocking threshold for double (2^18 amplitudes).
    const Circuit c = random_supremacy_circuit(19, 8, 11);
    StateVector<double> plain(19), fast(19);
    run(c, plain);
    PreparedCircuit<double>(c).run(fast);
    EXPECT_LT(worst_difference(plain, fast), 1e-12);
}

TEST(PreparedCircuit, MeasurementResetAndConditionsKeepTheirDraws) {
    Circuit c(3, 3);
    c.h(0).h(1).cx(0, 2).measure(0, 0).ry(1, 0.7).reset(2).x(2).c_if(0, 1).h(2).cz(1, 2).measure(2, 2).rx(2, 0.3);
    const PreparedCircuit<double> prepared(c);
    for (std::uint64_t seed = 0; seed < 16; ++seed) {
        StateVector<double> plain(3), fast(3);
        const RunResult a = run(c, plain, {}, RunOptions{seed});
        const RunResult b = prepared.run(fast, RunOptions{seed});
        EXPECT_EQ(a.clbits, b.clbits) << "seed " << seed;
        EXPECT_EQ(a.terminal_measurements, b.terminal_measurements);
        EXPECT_LT(worst_difference(plain, fast), 1e-12);
    }
}

TEST(PreparedCircuit, RejectsAStateOfAnotherSize) {
    Circuit c(3);
    c.h(0);
    const PreparedCircuit<double> prepared(c);
    StateVector<double> s(4);
    test::expect_invalid([&] { (void)prepared.run(s); }, "PreparedCircuit::run: the circuit has 3 qubits but the state has 4");
}

}  // namespace
}  // namespace kettle
