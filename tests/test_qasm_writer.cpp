// OpenQASM 2.0 writing: exact text, the round trip read_qasm(write_qasm(c)) == c over the corpus
// and over random circuits of every qelib1 gate, and what the writer refuses.

#include <gtest/gtest.h>

#include <complex>
#include <filesystem>
#include <limits>
#include <random>
#include <string>

#include "kettle/kettle.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;

std::string error_of(const Circuit& c) {
    try {
        (void)write_qasm(c);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        return e.what();
    }
    ADD_FAILURE() << "write_qasm did not throw";
    return {};
}

TEST(QasmWriter, WritesTheExpectedText) {
    Circuit c(2, 2);
    c.h(0).cx(0, 1).rz(1, -0.5).u2(0, 0.1, 0.25).barrier({0, 1}).measure(0, 0).measure(1, 1).x(0).c_if(0, 3).reset(1);
    EXPECT_EQ(write_qasm(c), R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
rz(-0.5) q[1];
u(1.5707963267948966,0.1,0.25) q[0];
barrier q[0],q[1];
measure q[0] -> c[0];
measure q[1] -> c[1];
if(c==3) x q[0];
reset q[1];
)");
}

TEST(QasmWriter, EveryValidCorpusProgramRoundTrips) {
    const fs::path dir = fs::path(KETTLE_SOURCE_DIR) / "tests" / "corpus" / "qasm" / "valid";
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".qasm") continue;
        const Circuit c = read_qasm_file(entry.path());
        const std::string text = write_qasm(c);
        const Circuit back = read_qasm(text, entry.path().filename().string());
        EXPECT_EQ(back, c) << entry.path() << "\n" << text;
        EXPECT_EQ(write_qasm(back), text) << entry.path();
        ++count;
    }
    EXPECT_GE(count, 15u);
}

/// A random circuit over every gate that qelib1.inc names, on several registers, with angles
/// chosen to stress number formatting.
Circuit random_circuit(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Circuit c(0, 0);
    c.add_qreg("q", 3);
    c.add_qreg("anc", 4);
    c.add_creg("c", 3);
    c.add_creg("flags", 2);
    const double awkward[] = {0.1, -0.0, 1e-300, 5e-324, 1e300, 1.0 / 3, -2.718281828459045, 123456789.125,
                              std::numeric_limits<double>::max(), std::numeric_limits<double>::min()};
    auto angle = [&]() -> ParamExpr {
        if (rng() % 3 == 0) return awkward[rng() % std::size(awkward)];
        return std::uniform_real_distribution<double>(-10, 10)(rng);
    };
    auto distinct = [&](std::size_t n) {
        std::vector<unsigned> all{0, 1, 2, 3, 4, 5, 6};
        std::shuffle(all.begin(), all.end(), rng);
        all.resize(n);
        return all;
    };
    struct Shape {
        GateKind kind;
        std::size_t controls;
    };
    std::vector<Shape> shapes;
    for (int k = 0; k < static_cast<int>(GateKind::unitary); ++k)
        if (static_cast<GateKind>(k) != GateKind::ug) shapes.push_back({static_cast<GateKind>(k), 0});
    for (GateKind k : {GateKind::x, GateKind::y, GateKind::z, GateKind::h, GateKind::sx, GateKind::rx, GateKind::ry,
                       GateKind::rz, GateKind::p, GateKind::u, GateKind::ug, GateKind::swap})
        shapes.push_back({k, 1});
    shapes.push_back({GateKind::x, 2});
    shapes.push_back({GateKind::x, 3});
    shapes.push_back({GateKind::sx, 3});
    shapes.push_back({GateKind::x, 4});
    for (int step = 0; step < 200; ++step) {
        const unsigned what = rng() % 10;
        if (what == 0) {
            c.measure(distinct(1)[0], rng() % 5);
        } else if (what == 1) {
            c.reset(distinct(1)[0]);
        } else if (what == 2) {
            c.barrier(distinct(1 + rng() % 7));
        } else {
            const Shape s = shapes[rng() % shapes.size()];
            const GateInfo& info = gate_info(s.kind);
            std::vector<unsigned> qubits = distinct(info.num_targets + s.controls);
            std::vector<unsigned> controls(qubits.begin(), qubits.begin() + s.controls);
            std::vector<unsigned> targets(qubits.begin() + s.controls, qubits.end());
            std::vector<ParamExpr> params;
            for (unsigned k = 0; k < info.num_params; ++k) params.push_back(angle());
            c.add(s.kind, targets, params, controls);
        }
        if (what != 2 && rng() % 4 == 0) {
            const std::size_t creg = rng() % 2;
            c.c_if(creg, rng() % (creg == 0 ? 8 : 4));
        }
    }
    return c;
}

TEST(QasmWriter, RandomCircuitsOfEveryQelib1GateRoundTripExactly) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Circuit c = random_circuit(seed);
        const std::string text = write_qasm(c);
        EXPECT_EQ(read_qasm(text, "random.qasm"), c) << "seed " << seed << "\n" << text;
    }
}

/// <a|b> of the final states of two circuits run from |+...+> with a fixed generic rotation.
std::complex<double> overlap(const Circuit& a, const Circuit& b) {
    auto prepared = [](const Circuit& c) {
        Circuit p(c.num_qubits());
        for (unsigned q = 0; q < c.num_qubits(); ++q) p.h(q).ry(q, 0.3 + 0.2 * q).rz(q, 0.1 * q);
        p.compose(c);
        return simulate<double>(p);
    };
    const auto sa = prepared(a);
    const auto sb = prepared(b);
    std::complex<double> sum = 0;
    for (std::size_t i = 0; i < sa.size(); ++i) sum += std::conj(sa[i]) * sb[i];
    return sum;
}

TEST(QasmWriter, OpenControlsBecomeXGatesAroundTheGate) {
    Circuit c(3);
    c.add(GateKind::x, {2}, {}, {0, 1}, {0, 1}).add(GateKind::rz, {0}, {0.7}, {2}, {0});
    const std::string text = write_qasm(c);
    EXPECT_NE(text.find("x q[0];\nccx q[0],q[1],q[2];\nx q[0];\nx q[2];\ncrz(0.7) q[2],q[0];\nx q[2];\n"),
              std::string::npos) << text;
    const Circuit back = read_qasm(text);
    EXPECT_NE(back, c);  // equivalent, not identical
    EXPECT_NEAR(std::abs(overlap(c, back) - 1.0), 0.0, 1e-12);
}

TEST(QasmWriter, UncontrolledGlobalPhaseGateIsWrittenAsU) {
    Circuit c(1);
    c.add(GateKind::ug, {0}, {0.3, 0.2, 0.1, 0.9});
    EXPECT_NE(write_qasm(c).find("u(0.3,0.2,0.1) q[0];"), std::string::npos);
    EXPECT_NEAR(std::abs(overlap(c, read_qasm(write_qasm(c)))), 1.0, 1e-12);  // equal up to e^{0.9i}
}

TEST(QasmWriter, RefusesWhatOpenQasm2CannotExpress) {
    Circuit symbolic(2);
    const Parameter theta = symbolic.parameter("theta");
    symbolic.h(0).rx(1, 2.0 * theta);
    EXPECT_EQ(error_of(symbolic), "write_qasm: operation #1 (rx) has parameter #0 depending on the symbolic "
                                  "parameter 'theta'; OpenQASM 2.0 cannot express unbound parameters (bind them first)");
    Circuit matrix(1);
    matrix.unitary({0, 1, 1, 0}, {0});
    EXPECT_EQ(error_of(matrix), "write_qasm: operation #0 (unitary) is a unitary matrix, which OpenQASM 2.0 cannot express");
    Circuit controlled_t(2);
    controlled_t.add(GateKind::t, {1}, {}, {0});
    EXPECT_EQ(error_of(controlled_t), "write_qasm: operation #0 (ct) has no name in qelib1.inc");
    Circuit five(6);
    five.x(0).mcx({0, 1, 2, 3, 4}, 5);
    EXPECT_EQ(error_of(five), "write_qasm: operation #1 (c5x) has no name in qelib1.inc");
    Circuit cccz(4);
    cccz.add(GateKind::z, {3}, {}, {0, 1, 2});
    EXPECT_EQ(error_of(cccz), "write_qasm: operation #0 (c3z) has no name in qelib1.inc");
}

TEST(QasmWriter, RefusesRegisterNamesOpenQasmCannotRead) {
    Circuit spaced(0, 0);
    spaced.add_qreg("my reg", 1);
    EXPECT_EQ(error_of(spaced), "write_qasm: register name 'my reg' is not an OpenQASM identifier (a letter or '_', "
                                "then letters, digits or '_', and no keyword)");
    Circuit keyword(0, 0);
    keyword.add_qreg("measure", 1);
    EXPECT_NE(error_of(keyword).find("'measure' is not an OpenQASM identifier"), std::string::npos);
    Circuit twice(0, 0);
    twice.add_qreg("r", 1);
    twice.add_creg("r", 1);
    EXPECT_EQ(error_of(twice), "write_qasm: two registers are named 'r'; OpenQASM needs distinct names");
}

}  // namespace
}  // namespace kettle
