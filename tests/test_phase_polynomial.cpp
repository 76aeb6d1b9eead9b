// Phase-polynomial diagonals (simulator/phase_polynomial.hpp) on every instruction set against
// e^{i phi(i)} evaluated amplitude by amplitude: general phases (complex row kernel) and layers
// whose every factor is +1 or -1 (CZ, Z: the real row kernel), with rows shorter and longer
// than a register, with the chunks' changed linear terms, and in double and single precision.

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kettle/isa.hpp"
#include "kettle/state_vector.hpp"
#include "phase_polynomial.hpp"
#include "support/random_circuit.hpp"

namespace kettle::detail {
namespace {

constexpr double kPi = std::numbers::pi;

/// A polynomial on n qubits: with `signs`, every term a multiple of pi (odd or even at random,
/// some far from 0, as sums of many gates make them); else arbitrary angles.
PhasePolynomial random_polynomial(unsigned n, bool signs, std::mt19937_64& rng) {
    std::uniform_int_distribution<int> k(-3, 3);
    std::uniform_real_distribution<double> angle(-kPi, kPi);
    auto term = [&] { return signs ? kPi * k(rng) : angle(rng); };
    PhasePolynomial p(n);
    p.constant = term();
    for (double& a : p.linear) a = term();
    for (auto& row : p.quadratic)
        for (double& b : row) b = term();
    return p;
}

/// phi(i) for the polynomial with the quadratic terms of p, linear terms `linear`.
double phase_at(const PhasePolynomial& p, const std::vector<double>& linear, double constant, std::uint64_t i) {
    double phi = constant;
    for (unsigned r = 0; r < linear.size(); ++r) {
        if (!(i >> r & 1)) continue;
        phi += linear[r];
        for (unsigned q = 0; q < r; ++q)
            if (i >> q & 1) phi += p.quadratic[r][q];
    }
    return phi;
}

/// apply_phase_rows on every instruction set, with the quadratic terms and low table of p and
/// linear terms `linear`, equals e^{i phi(i)} times `initial`, amplitude by amplitude.
template <class T>
void expect_rows_match_phases(const PhasePolynomial& p, const std::vector<double>& linear, double constant,
                              const std::vector<std::complex<T>>& initial, double tolerance, const std::string& context) {
    const auto table = phase_low_table<T>(p);
    for (Isa isa : supported_isas()) {
        set_isa(isa);
        std::vector<std::complex<T>> psi = initial;
        apply_phase_rows(psi.data(), p, table, linear, constant, false);
        for (std::uint64_t i = 0; i < psi.size(); ++i) {
            const std::complex<double> want =
                std::complex<double>(initial[i]) * std::polar(1.0, phase_at(p, linear, constant, i));
            ASSERT_NEAR(std::abs(std::complex<double>(psi[i]) - want), 0.0, tolerance)
                << isa_name(isa) << " " << context << " index " << i;
        }
    }
    set_isa(supported_isas().back());
}

template <class T>
std::vector<std::complex<T>> random_amplitudes(unsigned n, std::uint64_t seed) {
    test::Random random(seed);
    return reference::to_amplitudes<T>(test::random_state(n, random));
}

template <class T>
void expect_rows_match(unsigned n, bool signs, std::uint64_t seed, double tolerance) {
    std::mt19937_64 rng(seed);
    const PhasePolynomial p = random_polynomial(n, signs, rng);
    // The linear terms and constant as a cache-blocked chunk changes them (still multiples of
    // pi where the polynomial's are).
    const PhasePolynomial shifted = random_polynomial(n, signs, rng);
    const std::vector<std::complex<T>> initial = random_amplitudes<T>(n, seed);
    const std::string context = "n=" + std::to_string(n) + " signs=" + std::to_string(signs);
    expect_rows_match_phases(p, p.linear, p.constant, initial, tolerance, context);
    expect_rows_match_phases(p, shifted.linear, shifted.constant, initial, tolerance, context + " (changed linear terms)");
}

TEST(PhasePolynomial, SignLayersMatchTheirPhasesOnEveryIsa) {
    for (unsigned n : {1u, 2u, 3u, 5u, 10u, 12u}) {
        expect_rows_match<double>(n, true, 100 + n, 1e-12);
        expect_rows_match<float>(n, true, 200 + n, 1e-5);
    }
}

TEST(PhasePolynomial, GeneralPhasesMatchOnEveryIsa) {
    for (unsigned n : {1u, 3u, 10u, 12u}) {
        expect_rows_match<double>(n, false, 300 + n, 1e-12);
        expect_rows_match<float>(n, false, 400 + n, 1e-4);
    }
}

TEST(PhasePolynomial, ChunkSignsOverQuarterTurnsOnEveryIsa) {
    // A chunk of a cache-blocked pass can see linear terms that are multiples of pi while the
    // polynomial's own (those of its low table) are not: S on qubit 0 and a controlled-S from
    // a qubit outside the chunk make pi/2 + pi/2. The table must not be read as signs.
    for (unsigned n : {3u, 11u}) {
        PhasePolynomial p(n);
        p.linear[0] = kPi / 2;
        p.quadratic[1][0] = kPi;
        std::vector<double> linear(n, 0.0);
        linear[0] = kPi;
        expect_rows_match_phases(p, linear, 0.0, random_amplitudes<double>(n, n), 1e-12, "n=" + std::to_string(n));
    }
}

TEST(PhasePolynomial, WholeStateThroughThePool) {
    // apply_phase_polynomial on a state large enough to run in parallel, a CZ-like layer.
    std::mt19937_64 rng(7);
    const unsigned n = 18;
    const PhasePolynomial p = random_polynomial(n, true, rng);
    const std::vector<std::complex<double>> a = random_amplitudes<double>(n, 7);
    StateVector<double> s(n);
    s.set_amplitudes(a);
    apply_phase_polynomial(s, p);
    for (std::uint64_t i = 0; i < s.size(); i += 97) {
        const double sign = std::cos(phase_at(p, p.linear, p.constant, i));
        EXPECT_NEAR(std::abs(s.data()[i] - a[i] * sign), 0.0, 1e-12) << i;
    }
}

}  // namespace
}  // namespace kettle::detail
