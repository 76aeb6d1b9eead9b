// Checks of the reference simulator itself: its two constructions of a gate's operator agree,
// and its textbook matrices satisfy identities that hold independently of any code.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "support/random_circuit.hpp"
#include "support/reference.hpp"

namespace kettle {
namespace {

using reference::CMatrix;
using reference::CVector;
using reference::Site;
using std::numbers::pi;

CMatrix textbook(GateKind kind, std::initializer_list<double> params = {}) {
    return reference::textbook_matrix(kind, std::vector<double>(params));
}

TEST(Reference, BasisMappingAgreesWithKroneckerProducts) {
    test::Random random(11);
    for (unsigned n = 1; n <= 5; ++n)
        for (unsigned k = 1; k <= std::min(n, 3u); ++k)
            for (unsigned c = 0; c + k <= n && c <= 2; ++c)
                for (int trial = 0; trial < 4; ++trial) {
                    const std::vector<unsigned> qubits = random.qubits(n, k + c);
                    Site site{{qubits.begin(), qubits.begin() + k}, {qubits.begin() + k, qubits.end()}, {}};
                    for (unsigned i = 0; i < c; ++i) site.control_values.push_back(std::uint8_t(random.below(2)));
                    const CMatrix u = reference::to_eigen(test::random_unitary(k, test::UnitaryShape::dense, random));
                    const CMatrix full = reference::full_operator(n, u, site);
                    EXPECT_LT((full - reference::kron_operator(n, u, site)).cwiseAbs().maxCoeff(), 1e-14)
                        << "n=" << n << " k=" << k << " controls=" << c;
                    EXPECT_TRUE((full * full.adjoint()).isIdentity(1e-12));
                    const CVector psi = test::random_state(n, random);
                    EXPECT_LT(reference::max_abs_diff(reference::apply(psi, n, u, site), full * psi), 1e-14);
                }
}

TEST(Reference, OneQubitOperatorIsIdentityKronUKronIdentity) {
    const CMatrix h = textbook(GateKind::h);
    for (unsigned n = 1; n <= 4; ++n)
        for (unsigned q = 0; q < n; ++q) {
            const CMatrix expected = reference::kron(
                reference::kron(CMatrix::Identity(1 << (n - q - 1), 1 << (n - q - 1)), h), CMatrix::Identity(1 << q, 1 << q));
            EXPECT_LT((reference::full_operator(n, h, Site{{q}, {}, {}}) - expected).cwiseAbs().maxCoeff(), 1e-15);
        }
}

TEST(Reference, LittleEndianControlledX) {
    // cx(control 0, target 1) maps |q1 q0> = |01> (index 1) to |11> (index 3) and fixes |10>.
    const CMatrix x = textbook(GateKind::x);
    const Site cx01{{1}, {0}, {1}};
    EXPECT_LT(reference::max_abs_diff(reference::apply(reference::basis_state(2, 1), 2, x, cx01),
                                      reference::basis_state(2, 3)), 1e-15);
    EXPECT_LT(reference::max_abs_diff(reference::apply(reference::basis_state(2, 2), 2, x, cx01),
                                      reference::basis_state(2, 2)), 1e-15);
    // A control on |0> acts when the control qubit is 0.
    const Site anti{{1}, {0}, {0}};
    EXPECT_LT(reference::max_abs_diff(reference::apply(reference::basis_state(2, 0), 2, x, anti),
                                      reference::basis_state(2, 2)), 1e-15);
    // Matrix bit j is target j: a two-qubit matrix mapping |b1 b0> = |01> to |10> moves qubit
    // targets[0]'s excitation to targets[1].
    CMatrix move = CMatrix::Zero(4, 4);
    move(2, 1) = move(1, 2) = move(0, 0) = move(3, 3) = 1;
    EXPECT_LT(reference::max_abs_diff(reference::apply(reference::basis_state(3, 0b100), 3, move, Site{{2, 0}, {}, {}}),
                                      reference::basis_state(3, 0b001)), 1e-15);
}

TEST(Reference, TextbookIdentities) {
    auto near = [](const CMatrix& a, const CMatrix& b) { return (a - b).cwiseAbs().maxCoeff() < 1e-14; };
    const CMatrix id = CMatrix::Identity(2, 2);
    const double theta = 0.731, phi = -1.3, lambda = 2.2;
    EXPECT_TRUE(near(textbook(GateKind::h) * textbook(GateKind::h), id));
    EXPECT_TRUE(near(textbook(GateKind::sx) * textbook(GateKind::sx), textbook(GateKind::x)));
    EXPECT_TRUE(near(textbook(GateKind::sx) * textbook(GateKind::sxdg), id));
    EXPECT_TRUE(near(textbook(GateKind::t) * textbook(GateKind::t), textbook(GateKind::s)));
    EXPECT_TRUE(near(textbook(GateKind::s) * textbook(GateKind::s), textbook(GateKind::z)));
    EXPECT_TRUE(near(textbook(GateKind::s) * textbook(GateKind::sdg), id));
    EXPECT_TRUE(near(textbook(GateKind::t) * textbook(GateKind::tdg), id));
    EXPECT_TRUE(near(textbook(GateKind::x) * textbook(GateKind::y), std::complex<double>(0, 1) * textbook(GateKind::z)));
    // u3 specialisations, as qelib1.inc defines them.
    EXPECT_TRUE(near(textbook(GateKind::u, {theta, -pi / 2, pi / 2}), textbook(GateKind::rx, {theta})));
    EXPECT_TRUE(near(textbook(GateKind::u, {theta, 0, 0}), textbook(GateKind::ry, {theta})));
    EXPECT_TRUE(near(textbook(GateKind::u, {0, 0, lambda}), textbook(GateKind::p, {lambda})));
    EXPECT_TRUE(near(textbook(GateKind::p, {lambda}), std::exp(std::complex<double>(0, lambda / 2)) *
                                                           textbook(GateKind::rz, {lambda})));
    EXPECT_TRUE(near(textbook(GateKind::u, {pi / 2, 0, pi}), textbook(GateKind::h)));
    EXPECT_TRUE(near(textbook(GateKind::ug, {theta, phi, lambda, 0.4}),
                     std::exp(std::complex<double>(0, 0.4)) * textbook(GateKind::u, {theta, phi, lambda})));
    // Two-qubit gates.
    const CMatrix swap = textbook(GateKind::swap);
    EXPECT_EQ(swap(2, 1), 1.0);
    EXPECT_EQ(swap(1, 2), 1.0);
    const CMatrix rzz = textbook(GateKind::rzz, {theta});
    EXPECT_TRUE(rzz.isDiagonal(1e-15));
    EXPECT_NEAR(std::arg(rzz(1, 1) / rzz(0, 0)), theta, 1e-14);
    EXPECT_TRUE(near(swap * textbook(GateKind::rxx, {theta}) * swap, textbook(GateKind::rxx, {theta})));
    EXPECT_TRUE(near(textbook(GateKind::ryy, {pi}), std::complex<double>(0, -1) *
                                                        reference::kron(reference::pauli('Y'), reference::pauli('Y'))));
    for (unsigned k = 0; k < unsigned(GateKind::unitary); ++k) {
        const GateInfo& info = gate_info(GateKind(k));
        const CMatrix m = reference::textbook_matrix(GateKind(k), std::vector<double>(info.num_params, 0.37));
        EXPECT_TRUE((m * m.adjoint()).isIdentity(1e-14)) << info.name;
        EXPECT_EQ(m.rows(), 1 << info.num_targets) << info.name;
    }
}

TEST(Reference, PauliOperatorIsLittleEndian) {
    // Z1 on |q1 q0> = |10> (index 2) gives -1, on |01> gives +1.
    PauliTerm z1{1.0, {{1, 'Z'}}};
    const CMatrix op = reference::pauli_operator(2, z1);
    EXPECT_EQ(op(2, 2), -1.0);
    EXPECT_EQ(op(1, 1), 1.0);
    PauliTerm x0{1.0, {{0, 'X'}}};
    EXPECT_EQ(reference::pauli_operator(2, x0)(1, 0), 1.0);
}

}  // namespace
}  // namespace kettle
