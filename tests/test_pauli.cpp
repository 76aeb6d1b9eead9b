// Pauli sums: parsing (valid forms and error messages), canonical text, and expectation values
// against dense Pauli matrices.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "kettle/kettle.hpp"
#include "support/expect_error.hpp"
#include "support/precision.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"

namespace kettle {
namespace {

using Factors = std::vector<std::pair<unsigned, char>>;
using test::expect_invalid;

void expect_terms(const PauliSum& sum, const std::vector<PauliTerm>& expected) {
    ASSERT_EQ(sum.terms().size(), expected.size()) << sum.to_string();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_DOUBLE_EQ(sum.terms()[i].coeff, expected[i].coeff) << "term " << i;
        EXPECT_EQ(sum.terms()[i].factors, expected[i].factors) << "term " << i;
    }
}

TEST(PauliParse, ValidForms) {
    expect_terms(PauliSum::parse("Z0 Z1"), {{1.0, Factors{{0, 'Z'}, {1, 'Z'}}}});
    expect_terms(PauliSum::parse("0.5*Z0 Z1 - 1.2*X2"), {{0.5, Factors{{0, 'Z'}, {1, 'Z'}}}, {-1.2, Factors{{2, 'X'}}}});
    expect_terms(PauliSum::parse("X0*Y1 + 3"), {{1.0, Factors{{0, 'X'}, {1, 'Y'}}}, {3.0, Factors{}}});
    expect_terms(PauliSum::parse("-Z3"), {{-1.0, Factors{{3, 'Z'}}}});
    expect_terms(PauliSum::parse("Z0@Z1"), {{1.0, Factors{{0, 'Z'}, {1, 'Z'}}}});
    expect_terms(PauliSum::parse("I0 Z1"), {{1.0, Factors{{1, 'Z'}}}});
    expect_terms(PauliSum::parse("I7"), {{1.0, Factors{}}});
    expect_terms(PauliSum::parse("  +2.5e-1 * Y12 X3\t- .5"), {{0.25, Factors{{3, 'X'}, {12, 'Y'}}}, {-0.5, Factors{}}});
    expect_terms(PauliSum::parse("Z1 X0 - 2*Y63"), {{1.0, Factors{{0, 'X'}, {1, 'Z'}}}, {-2.0, Factors{{63, 'Y'}}}});
    EXPECT_EQ(PauliSum::parse("Z0 X5").min_qubits(), 6u);
    EXPECT_EQ(PauliSum::parse("3").min_qubits(), 0u);
}

TEST(PauliParse, ErrorsNameTheColumnAndWhatWasExpected) {
    expect_invalid([] { (void)PauliSum::parse(""); },
                   "Pauli sum \"\": column 1: expected an observable such as 'Z0 Z1', found the end");
    expect_invalid([] { (void)PauliSum::parse("   "); },
                   "Pauli sum \"   \": column 4: expected an observable such as 'Z0 Z1', found the end");
    expect_invalid([] { (void)PauliSum::parse("Z"); },
                   "Pauli sum \"Z\": column 2: expected a qubit index after 'Z', found the end");
    expect_invalid([] { (void)PauliSum::parse("Z-1"); },
                   "Pauli sum \"Z-1\": column 2: expected a qubit index after 'Z', found '-'");
    expect_invalid([] { (void)PauliSum::parse("Z0 Z0"); },
                   "Pauli sum \"Z0 Z0\": column 5: expected a qubit other than 0, which this term already names, found '0'");
    expect_invalid([] { (void)PauliSum::parse("X64"); },
                   "Pauli sum \"X64\": column 2: expected a qubit index below 64, found '6'");
    expect_invalid([] { (void)PauliSum::parse("Z0 +"); },
                   "Pauli sum \"Z0 +\": column 5: expected a coefficient or a Pauli factor such as 'Z0', found the end");
    expect_invalid([] { (void)PauliSum::parse("Z0 W1"); },
                   "Pauli sum \"Z0 W1\": column 4: expected '+', '-' or the end, found 'W'");
    expect_invalid([] { (void)PauliSum::parse("z0"); },
                   "Pauli sum \"z0\": column 1: expected a coefficient or a Pauli factor such as 'Z0', found 'z'");
    expect_invalid([] { (void)PauliSum::parse("1e999*Z0"); },
                   "Pauli sum \"1e999*Z0\": column 9: expected a finite coefficient, found the end");
    expect_invalid([] { (void)PauliSum::parse("0.5*"); },
                   "Pauli sum \"0.5*\": column 5: expected a Pauli factor such as 'Z0' after '*' or '@', found the end");
    expect_invalid([] { (void)PauliSum::parse("X0 @ + Z1"); },
                   "Pauli sum \"X0 @ + Z1\": column 6: expected a Pauli factor such as 'Z0' after '*' or '@', found '+'");
}

TEST(PauliSum, ConstructorChecksFactors) {
    expect_invalid([] { PauliSum({PauliTerm{1.0, {{0, 'W'}}}}); }, "PauliSum: factor 'W' is not X, Y or Z");
    expect_invalid([] { PauliSum({PauliTerm{1.0, {{64, 'X'}}}}); }, "PauliSum: qubit 64 is above the limit of 63");
    expect_invalid([] { PauliSum({PauliTerm{1.0, {{2, 'X'}, {0, 'Z'}, {2, 'Y'}}}}); },
                   "PauliSum: qubit 2 appears twice in one term");
    const PauliSum sorted({PauliTerm{2.0, {{5, 'X'}, {1, 'Z'}}}});
    EXPECT_EQ(sorted.terms()[0].factors, (Factors{{1, 'Z'}, {5, 'X'}}));
}

TEST(PauliSum, CanonicalText) {
    EXPECT_EQ(PauliSum::parse("0.5*Z0 Z1 - 1.2*X2").to_string(), "0.5*Z0 Z1 - 1.2*X2");
    EXPECT_EQ(PauliSum::parse("Z1@X0 + 3").to_string(), "1*X0 Z1 + 3");
    EXPECT_EQ(PauliSum::parse("-Z3 - 2*Y1 + 0.25").to_string(), "-1*Z3 - 2*Y1 + 0.25");
}

/// A random sum of `terms` Pauli strings on n qubits with random coefficients.
PauliSum random_sum(unsigned n, std::size_t terms, test::Random& random) {
    std::vector<PauliTerm> out;
    for (std::size_t t = 0; t < terms; ++t) {
        PauliTerm term;
        term.coeff = random.uniform(-3, 3);
        for (unsigned q = 0; q < n; ++q)
            if (const char p = "IXYZ"[random.below(4)]; p != 'I') term.factors.emplace_back(q, p);
        out.push_back(term);
    }
    return PauliSum(std::move(out));
}

TEST(PauliSum, TextRoundTrip) {
    test::Random random(41);
    for (int trial = 0; trial < 200; ++trial) {
        const PauliSum sum = random_sum(1 + random.below(10), 1 + random.below(5), random);
        const PauliSum back = PauliSum::parse(sum.to_string());
        ASSERT_EQ(back.terms().size(), sum.terms().size()) << sum.to_string();
        for (std::size_t i = 0; i < sum.terms().size(); ++i) {
            EXPECT_EQ(back.terms()[i].coeff, sum.terms()[i].coeff) << sum.to_string();  // exactly
            EXPECT_EQ(back.terms()[i].factors, sum.terms()[i].factors) << sum.to_string();
        }
    }
}

template <class T>
class PauliExpectation : public ::testing::Test {};
TYPED_TEST_SUITE(PauliExpectation, test::Precisions, test::PrecisionName);

TYPED_TEST(PauliExpectation, MatchesDensePauliMatrices) {
    test::Random random(42);
    for (unsigned n = 1; n <= 8; ++n)
        for (int trial = 0; trial < 6; ++trial) {
            const reference::CVector psi = test::random_state(n, random);
            const auto state = reference::make_state<TypeParam>(n, psi);
            const reference::CVector rounded = reference::to_eigen(state);
            const PauliSum sum = random_sum(n, 4, random);
            double scale = 0;
            for (const PauliTerm& t : sum.terms()) {
                scale += std::abs(t.coeff);
                EXPECT_NEAR(expectation(state, t), reference::expectation(rounded, n, PauliSum({t})),
                            std::abs(t.coeff) * test::kLooseTolerance<TypeParam>)
                    << PauliSum({t}).to_string();
            }
            EXPECT_NEAR(expectation(state, sum), reference::expectation(rounded, n, sum),
                        scale * test::kLooseTolerance<TypeParam>)
                << "n=" << n << " " << sum.to_string();
        }
}

TYPED_TEST(PauliExpectation, RejectsQubitsTheStateLacks) {
    const StateVector<TypeParam> state(3);
    expect_invalid([&] { (void)expectation(state, PauliSum::parse("Z0 X5")); },
                   "expectation: the observable names qubit 5, but the state has 3 qubits (valid 0..2)");
    EXPECT_EQ(expectation(state, PauliSum::parse("2.5")), 2.5);  // a multiple of the identity
}

}  // namespace
}  // namespace kettle
