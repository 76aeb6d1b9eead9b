// OpenQASM 2.0 reading: the operations each construct becomes, analytic outcomes of the corpus
// programs, and the exact message and code of every error in tests/corpus/qasm/invalid.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <random>
#include <string>

#include "kettle/kettle.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;
using std::numbers::pi;

const fs::path kCorpus = fs::path(KETTLE_SOURCE_DIR) / "tests" / "corpus" / "qasm";

Circuit parse(const std::string& body) {
    return read_qasm("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + body, "t.qasm");
}

Circuit valid(const std::string& name) { return read_qasm_file(kCorpus / "valid" / name); }

/// The message and code of the Error that parsing `source` throws.
std::pair<ErrorCode, std::string> error_of(const std::string& source) {
    try {
        (void)read_qasm(source, "t.qasm");
    } catch (const Error& e) {
        return {e.code(), e.what()};
    }
    ADD_FAILURE() << "no error for:\n" << source;
    return {};
}

Circuit registers(std::size_t qubits, std::size_t bits = 0) {
    Circuit c(0, 0);
    c.add_qreg("q", qubits);
    if (bits) c.add_creg("c", bits);
    return c;
}

TEST(QasmReader, BellIsTheBuilderCircuit) {
    Circuit expected = registers(2, 2);
    expected.h(0).cx(0, 1).measure(0, 0).measure(1, 1);
    EXPECT_EQ(valid("bell.qasm"), expected);
}

TEST(QasmReader, EveryQelib1NameMapsToItsOperation) {
    Circuit e = registers(5);
    e.u(0, 0.1, 0.2, 0.3).cx(0, 1).u3(1, 0.4, 0.5, 0.6).u2(2, 0.7, 0.8).u1(3, 0.9).cx(3, 4).id(0).id(1);
    e.u(2, 1.1, 1.2, 1.3).p(3, 1.4).x(4).y(0).z(1).h(2).s(3).sdg(4).t(0).tdg(1).rx(2, 1.5).ry(3, 1.6);
    e.rz(4, 1.7).sx(0).sxdg(1).cz(2, 3).cy(3, 4).swap(4, 0).ch(0, 1).ccx(1, 2, 3).cswap(2, 3, 4);
    e.crx(3, 4, 1.8).cry(4, 0, 1.9).crz(0, 1, 2.0).cu1(1, 2, 2.1).cp(2, 3, 2.2).cu3(3, 4, 2.3, 2.4, 2.5);
    e.csx(4, 0).cu(0, 1, 2.6, 2.7, 2.8, 2.9).rxx(1, 2, 3.0).rzz(2, 3, 3.1).ryy(0, 4, 0.35);
    Circuit tail = registers(5);
    tail.mcx({1, 2, 3}, 4).add(GateKind::sx, {1}, {}, {4, 3, 2}).mcx({0, 1, 2, 3}, 4);

    const Circuit c = valid("qelib1_all.qasm");
    const auto& ops = c.operations();
    ASSERT_EQ(ops.size(), e.operations().size() + 9 + 18 + 3);  // rccx and rc3x expand to 9 and 18
    for (std::size_t i = 0; i < e.operations().size(); ++i) EXPECT_EQ(ops[i], e.operations()[i]) << "operation " << i;
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(ops[ops.size() - 3 + i], tail.operations()[i]) << "tail " << i;
    EXPECT_EQ(ops[3].params[0], ParamExpr(pi / 2));  // u2 is u(π/2, φ, λ)
}

/// Whether `gate` (a Toffoli-like gate on `n` qubits, target last) maps every basis state to the
/// basis state a Toffoli gives, up to a phase.
void expect_toffoli_up_to_phase(const std::string& gate, unsigned n) {
    for (unsigned input = 0; input < (1u << n); ++input) {
        std::string body = fmt::format("qreg q[{}];\n", n);
        for (unsigned b = 0; b < n; ++b)
            if (input >> b & 1) body += fmt::format("x q[{}];\n", b);
        body += gate + " q[0]";
        for (unsigned b = 1; b < n; ++b) body += fmt::format(",q[{}]", b);
        body += ";\n";
        const auto state = simulate<double>(parse(body));
        const unsigned controls = (1u << (n - 1)) - 1;
        const unsigned expected = (input & controls) == controls ? input ^ (1u << (n - 1)) : input;
        EXPECT_NEAR(std::abs(state[expected]), 1.0, 1e-12) << gate << " on input " << input;
    }
}

TEST(QasmReader, RelativePhaseToffolisAreToffolisUpToPhases) {
    expect_toffoli_up_to_phase("rccx", 3);
    expect_toffoli_up_to_phase("rc3x", 4);
    expect_toffoli_up_to_phase("ccx", 3);
    expect_toffoli_up_to_phase("c3x", 4);
    expect_toffoli_up_to_phase("c4x", 5);
}

TEST(QasmReader, ExpressionsFollowPrecedenceAndFunctions) {
    const Circuit c = valid("expressions.qasm");
    auto param = [&](std::size_t op, std::size_t k = 0) { return c.operations().at(op).params.at(k).constant(); };
    EXPECT_DOUBLE_EQ(param(0), pi / 2);
    EXPECT_DOUBLE_EQ(param(1), -pi / 4 + 0.1);
    EXPECT_DOUBLE_EQ(param(2), 2 * pi - 1e-3);
    EXPECT_DOUBLE_EQ(param(3), 3.5e-2);
    EXPECT_DOUBLE_EQ(param(4), 0.5);
    EXPECT_DOUBLE_EQ(param(5), 1.0);
    EXPECT_DOUBLE_EQ(param(6), -4.0);  // -2^2: '^' binds tighter than unary minus
    EXPECT_DOUBLE_EQ(param(7), 0.5);   // 2^-1
    EXPECT_DOUBLE_EQ(param(8), std::pow(2.0, std::pow(3.0, 0.5)));  // right-associative
    EXPECT_DOUBLE_EQ(param(9, 0), std::sin(0.3));
    EXPECT_DOUBLE_EQ(param(9, 1), std::cos(0.3) * std::tan(0.2));
    EXPECT_DOUBLE_EQ(param(9, 2), std::exp(-1.0));
    EXPECT_DOUBLE_EQ(param(10, 0), std::log(2.0));
    EXPECT_DOUBLE_EQ(param(10, 1), std::sqrt(2.0) / 2);
    EXPECT_DOUBLE_EQ(param(10, 2), 2.6);
    EXPECT_DOUBLE_EQ(param(11), pi / 4);
    EXPECT_DOUBLE_EQ(param(12), 0.5);
    EXPECT_DOUBLE_EQ(param(13), pi / 3);
}

TEST(QasmReader, BroadcastsOverRegisters) {
    Circuit e(0, 0);
    e.add_qreg("a", 3);
    e.add_qreg("b", 3);
    e.add_qreg("flag", 1);
    e.add_creg("ca", 3);
    e.add_creg("cb", 3);
    e.add_creg("cf", 1);
    e.h(0).h(1).h(2).ry(3, 0.25).ry(4, 0.25).ry(5, 0.25).cx(0, 3).cx(1, 4).cx(2, 5);
    e.cx(6, 0).cx(6, 1).cx(6, 2).x(6).cz(2, 3).cz(2, 4).cz(2, 5).crx(3, 0, 0.5).crx(4, 1, 0.5).crx(5, 2, 0.5);
    e.swap(0, 4).barrier({0, 1, 2, 6, 5});
    for (unsigned q = 0; q < 7; ++q) e.measure(q, q);
    EXPECT_EQ(valid("multi_register.qasm"), e);
}

TEST(QasmReader, ExpandsUserGatesWithTheirParameters) {
    const Circuit c = parse(R"(
gate rot(theta, phi) a { rz(phi) a; ry(theta) a; rz(-phi) a; }
gate two(alpha) a, b { rot(alpha, alpha/2) b; barrier a, b; cx a, b; }
qreg q[2];
two(0.5) q[1], q[0];
)");
    Circuit e = registers(2);
    e.rz(0, 0.25).ry(0, 0.5).rz(0, -0.25).barrier({1, 0}).cx(1, 0);
    EXPECT_EQ(c, e);
}

TEST(QasmReader, ConditionsMeasurementsAndResets) {
    Circuit e(0, 0);
    e.add_qreg("q", 4);
    e.add_creg("m", 2);
    e.add_creg("out", 4);
    e.h(0).h(1).measure(0, 0).measure(1, 1).x(2).c_if(0, 3);
    e.x(2).c_if(0, 0).x(3).c_if(0, 0);  // the conditioned gate's barrier is dropped
    e.measure(2, 4).c_if(0, 1).reset(0).reset(0).reset(1).reset(2).reset(3).reset(1).c_if(0, 2);
    e.u(3, 0.5, 0.25, 0.125).c_if(0, 1).x(3);
    for (unsigned q = 0; q < 4; ++q) e.measure(q, 2 + q);
    EXPECT_EQ(valid("conditions_reset.qasm"), e);
}

TEST(QasmReader, UserDefinitionOfRyyReplacesTheBuiltIn) {
    const Circuit c = parse("gate ryy(t) a, b { rzz(t) a, b; }\nqreg q[2];\nryy(0.5) q[0], q[1];\n");
    Circuit e = registers(2);
    e.rzz(0, 1, 0.5);
    EXPECT_EQ(c, e);
}

void expect_probabilities(const std::string& file, const std::vector<std::pair<std::size_t, double>>& nonzero) {
    const auto probs = probabilities(simulate<double>(valid(file)));
    double listed = 0;
    for (const auto& [index, p] : nonzero) {
        EXPECT_NEAR(probs.at(index), p, 1e-12) << file << " index " << index;
        listed += p;
    }
    EXPECT_NEAR(listed, 1.0, 1e-12) << file << ": the listed outcomes should carry all probability";
}

TEST(QasmReader, CorpusProgramsGiveTheirKnownProbabilities) {
    expect_probabilities("bell.qasm", {{0, 0.5}, {3, 0.5}});
    expect_probabilities("ghz5.qasm", {{0, 0.5}, {31, 0.5}});
    expect_probabilities("grover2.qasm", {{3, 1.0}});
    expect_probabilities("bernstein_vazirani.qasm", {{0b11011, 1.0}});  // secret 1011, ancilla |1>
    expect_probabilities("deutsch.qasm", {{1, 0.5}, {3, 0.5}});         // balanced: q[0] reads 1
    expect_probabilities("adder.qasm", {{0b0100000110, 1.0}});          // a = 3 kept, b = 3 + 5 = 8
    expect_probabilities("w_state.qasm", {{1, 1.0 / 3}, {2, 1.0 / 3}, {4, 1.0 / 3}});
    std::vector<std::pair<std::size_t, double>> uniform;
    for (std::size_t i = 0; i < 16; ++i) uniform.emplace_back(i, 1.0 / 16);
    expect_probabilities("qft4.qasm", uniform);  // the QFT of a basis state is flat
}

TEST(QasmReader, TeleportationMovesTheStateWhateverTheMeasurementsGive) {
    const Circuit c = valid("teleport.qasm");
    const unsigned q2 = 2;
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        RunOptions options;
        options.seed = seed;
        const auto p = marginal_probabilities(simulate<double>(c, {}, options), std::span(&q2, 1));
        EXPECT_NEAR(p[1], std::pow(std::sin(0.6), 2), 1e-12) << "seed " << seed;
    }
}

TEST(QasmReader, EveryValidCorpusProgramParses) {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(kCorpus / "valid")) {
        if (entry.path().extension() != ".qasm") continue;
        EXPECT_NO_THROW((void)read_qasm_file(entry.path())) << entry.path();
        ++count;
    }
    EXPECT_GE(count, 15u);
}

/// Each invalid/NAME.qasm has NAME.err: the ErrorCode's name, then the whole message. The
/// files are read by relative name from their folder, as `kettle run NAME.qasm` would.
TEST(QasmReader, EveryInvalidCorpusProgramGivesItsExactError) {
    const fs::path before = fs::current_path();
    fs::current_path(kCorpus / "invalid");
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(".")) {
        if (entry.path().extension() != ".qasm") continue;
        std::ifstream err(fs::path(entry.path()).replace_extension(".err"));
        std::string code_name, message;
        ASSERT_TRUE(std::getline(err, code_name) && std::getline(err, message)) << entry.path() << " has no .err";
        const ErrorCode code = code_name == "resource_limit" ? ErrorCode::resource_limit : ErrorCode::invalid_input;
        ASSERT_TRUE(code_name == "resource_limit" || code_name == "invalid_input") << code_name;
        try {
            (void)read_qasm_file(entry.path().filename());
            ADD_FAILURE() << entry.path() << " parsed without an error";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), code) << entry.path();
            EXPECT_EQ(std::string(e.what()), message) << entry.path();
        }
        ++count;
    }
    fs::current_path(before);
    EXPECT_GE(count, 20u);
}

/// Randomly damaged corpus programs must end in a kettle::Error or in a circuit that writes and
/// reads back equal: never a crash or another exception (run under sanitizers too).
TEST(QasmReader, DamagedProgramsFailCleanly) {
    std::vector<std::string> sources;
    for (const auto& entry : fs::directory_iterator(kCorpus / "valid")) {
        std::ifstream in(entry.path());
        sources.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::sort(sources.begin(), sources.end());  // directory order is not fixed
    const std::string alphabet = "qc[]();,{}->=+-*/^ \n\"0123456789.eEpihxgatecrsuU_";
    std::mt19937_64 rng(7);
    std::size_t parsed = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string s = sources[rng() % sources.size()];
        for (int edit = 0, edits = 1 + int(rng() % 3); edit < edits && !s.empty(); ++edit) {
            const std::size_t pos = rng() % s.size();
            switch (rng() % 3) {
                case 0: s.erase(pos, 1 + rng() % 4); break;
                case 1: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
                default: s[pos] = alphabet[rng() % alphabet.size()]; break;
            }
        }
        try {
            const Circuit c = read_qasm(s, "damaged.qasm");
            EXPECT_EQ(read_qasm(write_qasm(c)), c) << s;
            ++parsed;
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()).rfind("damaged.qasm:", 0), 0u) << e.what();
        }
    }
    EXPECT_GT(parsed, 0u);
}

TEST(QasmReader, FileErrors) {
    try {
        (void)read_qasm_file("no/such/file.qasm");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_STREQ(e.what(), "cannot open 'no/such/file.qasm': No such file or directory");
    }
    const fs::path dir = fs::path(KETTLE_BINARY_DIR) / "test_qasm_reader_files";
    fs::create_directories(dir);
    try {
        (void)read_qasm_file(dir);
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), fmt::format("cannot read '{}': it is a directory", dir.string()));
    }
    // A file past the size limit is refused before reading (sparse, so it takes no disk).
    const fs::path huge = dir / "huge.qasm";
    { std::ofstream(huge) << "OPENQASM 2.0;\n"; }
    fs::resize_file(huge, (std::uintmax_t{256} << 20) + 1);
    try {
        (void)read_qasm_file(huge);
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::resource_limit);
        EXPECT_NE(std::string(e.what()).find("more than the limit of 268435456"), std::string::npos) << e.what();
    }
    fs::remove(huge);
}

TEST(QasmReader, LimitsThatAreTooCostlyForCorpusFiles) {
    // 256 levels of nesting are fine; the corpus has 257.
    const std::string deep = std::string(256, '(') + "0.5" + std::string(256, ')');
    EXPECT_EQ(parse("qreg q[1];\nrx(" + deep + ") q[0];\n").operations()[0].params[0], ParamExpr(0.5));
    // Long flat expressions need no recursion: 100000 terms.
    std::string sum = "0";
    for (int i = 0; i < 100000; ++i) sum += "+1";
    EXPECT_EQ(parse("qreg q[1];\nrx(" + sum + ") q[0];\n").operations()[0].params[0], ParamExpr(100000.0));
    // A 40-qubit register parses; simulating it is another matter.
    EXPECT_EQ(parse("qreg q[40];\nh q;\n").num_qubits(), 40u);
    EXPECT_EQ(error_of("OPENQASM 2.0;\nqreg q[18446744073709551615];\n"),
              std::pair(ErrorCode::resource_limit,
                        std::string("t.qasm:2:1: register q[18446744073709551615] is larger than the limit of 1024 qubits")));
    // A long program parses in linear time.
    std::string many = "qreg q[2];\n";
    for (int i = 0; i < 100000; ++i) many += "cx q[0], q[1];\n";
    EXPECT_EQ(parse(many).operations().size(), 100000u);
    // The operation limit counts broadcasting too.
    std::string wide = "gate g a {";
    for (int i = 0; i < 10000; ++i) wide += " x a;";
    const auto [code, message] = error_of("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + wide + " }\nqreg q[1001];\ng q;\n");
    EXPECT_EQ(code, ErrorCode::resource_limit);
    EXPECT_EQ(message, "t.qasm:5:1: this statement takes the program past the limit of 10000000 operations (after "
                       "expanding gate definitions)");
}

TEST(QasmReader, MoreErrorMessages) {
    const std::string h = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    EXPECT_EQ(error_of(h + "qreg q[2];\nh q[0];\nOPENQASM 2.0;\n").second,
              "t.qasm:5:1: 'OPENQASM' may appear only once, at the start of the program");
    EXPECT_EQ(error_of(h + "qreg q[2];\ncreg c[1];\nif (c == 1) if (c == 0) x q[0];\n").second,
              "t.qasm:5:13: 'if' cannot be nested");
    EXPECT_EQ(error_of(h + "qreg q[2];\ngate g a { measure a -> c[0]; }\n").second,
              "t.qasm:4:12: 'measure' is not allowed inside a gate definition");
    EXPECT_EQ(error_of(h + "qreg q[2];\nx q[99999999999999999999];\n").second,
              "t.qasm:4:5: integer 99999999999999999999 is too large");
    EXPECT_EQ(error_of(h + "qreg q[2];\nrx(theta) q[0];\n").second,
              "t.qasm:4:4: unknown identifier 'theta' in an expression (outside gate definitions only numbers, pi "
              "and sin, cos, tan, exp, ln, sqrt may be used)");
    EXPECT_EQ(error_of(h + "gate g(a) a { x a; }\n").second,
              "t.qasm:3:11: 'a' names both a parameter and a qubit argument of gate 'g'");
    EXPECT_EQ(error_of(h + "gate g a { }\ngate g b { }\n").second, "t.qasm:4:6: gate 'g' is already defined at 3:6");
    EXPECT_EQ(error_of(h + "qreg q[2];\ncreg c[2];\nmeasure q[0] -> c;\n").second,
              "t.qasm:5:17: cannot measure the single qubit q[0] into the whole register c[2]");
    EXPECT_EQ(error_of(h + "qreg q[1];\nrx(1 q[0];\n").second, "t.qasm:4:6: expected ')' after the parameters of 'rx', found 'q'");
    EXPECT_EQ(error_of(h + "qreg q[1];\n/* never closed\n").second,
              "t.qasm:4:1: unterminated comment: '/*' has no closing '*/'");
    EXPECT_EQ(error_of("OPENQASM 2.0;\nqreg q[1];\nU(0, 0, 0) q[0], q[0];\n").second,
              "t.qasm:3:1: gate 'U' takes 1 qubit argument, got 2");
}

TEST(QasmReader, AcceptsCommentsByteOrderMarkAndWindowsLineEnds) {
    const Circuit c = read_qasm("\xEF\xBB\xBF// héllo\r\nOPENQASM 2.0; /* block */\r\ninclude \"qelib1.inc\";\r\n"
                                "qreg q[1]; // trailing\r\nx q[0];\r\n");
    Circuit e = registers(1);
    e.x(0);
    EXPECT_EQ(c, e);
    // Columns count characters: the 'é' is one column.
    EXPECT_EQ(error_of("OPENQASM 2.0; qreg é;").second, "t.qasm:1:20: unexpected byte 0xc3 (OpenQASM is ASCII outside comments)");
}

}  // namespace
}  // namespace kettle
