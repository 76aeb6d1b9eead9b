#include "qasm_parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kettle::qasm {
namespace {

constexpr std::array<std::string_view, 17> kKeywords{
    "OPENQASM", "include", "qreg", "creg", "gate", "opaque", "barrier", "measure", "reset",
    "if",       "pi",      "sin",  "cos",  "tan",  "exp",    "ln",      "sqrt",
};

std::string count_of(std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

bool in_qelib1(std::string_view name) {
    if (name == "rccx" || name == "rc3x") return true;
    const auto gates = builtin_gates();
    return std::any_of(gates.begin(), gates.end(), [&](const BuiltinGate& g) { return g.name == name; });
}

}  // namespace

bool is_keyword(std::string_view word) noexcept {
    return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

Parser::Parser(Program& program, std::string_view source, std::string_view filename)
    : program_(program), lexer_(source, filename), source_(source), filename_(filename) {
    advance();
}

void Parser::error(Location where, std::string_view message) const { fail(filename_, where, message); }

Token Parser::expect(TokenKind kind, std::string_view spelling, std::string_view context) {
    if (!at(kind))
        error(current_.where, fmt::format("expected '{}' {}, found {}", spelling, context, describe(current_)));
    const Token token = current_;
    advance();
    return token;
}

Token Parser::expect_name(std::string_view what) {
    if (!at(TokenKind::identifier))
        error(current_.where, fmt::format("expected {}, found {}", what, describe(current_)));
    if (is_keyword(current_.text))
        error(current_.where, fmt::format("expected {}, found the keyword '{}'", what, current_.text));
    const Token token = current_;
    advance();
    return token;
}

std::uint64_t Parser::expect_integer(std::string_view what) {
    if (!at(TokenKind::integer))
        error(current_.where, fmt::format("expected {} (a non-negative integer), found {}", what, describe(current_)));
    std::uint64_t value = 0;
    const std::string_view text = current_.text;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        error(current_.where, fmt::format("integer {} is too large", text));
    advance();
    return value;
}

void Parser::parse_program() {
    parse_header();
    while (!at(TokenKind::end)) parse_statement();
}

void Parser::parse_library() {
    while (!at(TokenKind::end)) {
        if (!at_word("gate"))
            error(current_.where, fmt::format("expected a gate definition, found {}", describe(current_)));
        parse_gate_definition();
    }
}

void Parser::parse_header() {
    if (!at_word("OPENQASM"))
        error(current_.where,
              fmt::format("expected 'OPENQASM 2.0;' at the start of the program, found {}", describe(current_)));
    advance();
    const Token version = current_;
    if (!at(TokenKind::integer) && !at(TokenKind::real))
        error(version.where, fmt::format("expected a version number after 'OPENQASM', found {}", describe(version)));
    double value = 0.0;
    std::from_chars(version.text.data(), version.text.data() + version.text.size(), value);
    if (value != 2.0)
        error(version.where, fmt::format("unsupported OpenQASM version {}; kettle reads OpenQASM 2.0", version.text));
    advance();
    expect(TokenKind::semicolon, ";", "after 'OPENQASM 2.0'");
}

void Parser::parse_statement() {
    if (!at(TokenKind::identifier))
        error(current_.where, fmt::format("expected a statement, found {}", describe(current_)));
    if (at_word("include")) return parse_include();
    if (at_word("qreg")) return parse_register(true);
    if (at_word("creg")) return parse_register(false);
    if (at_word("gate")) return parse_gate_definition();
    if (at_word("opaque")) parse_opaque();
    if (at_word("barrier")) return parse_barrier();
    if (at_word("if")) return parse_if();
    if (at_word("OPENQASM")) error(current_.where, "'OPENQASM' may appear only once, at the start of the program");
    parse_quantum_operation(std::nullopt, {});
}

void Parser::parse_include() {
    advance();
    if (!at(TokenKind::string))
        error(current_.where, fmt::format("expected a file name in quotes after 'include', found {}", describe(current_)));
    const Token file = current_;
    if (file.text != "qelib1.inc")
        error(file.where, fmt::format("cannot include \"{}\": only \"qelib1.inc\" is built in, and kettle reads "
                                      "no other files", file.text));
    advance();
    expect(TokenKind::semicolon, ";", "after the include");
    if (program_.include_qelib1()) {
        Parser library(program_, qelib1_definitions, "qelib1.inc");
        library.parse_library();
    }
}

void Parser::parse_register(bool quantum) {
    const Token keyword = current_;
    advance();
    const Token name = expect_name(fmt::format("a register name after '{}'", keyword.text));
    if (const DeclaredRegister* old = program_.find_register(name.text))
        error(name.where, fmt::format("register '{}' is already declared at {}:{}", name.text, old->where.line,
                                      old->where.column));
    expect(TokenKind::lbracket, "[", fmt::format("after the register name '{}'", name.text));
    const std::uint64_t size = expect_integer("the register size");
    expect(TokenKind::rbracket, "]", "after the register size");
    expect(TokenKind::semicolon, ";", "after the register declaration");
    program_.declare_register(quantum, name.text, size, keyword.where);
}

void Parser::parse_gate_definition() {
    advance();
    const Token name = expect_name("a gate name after 'gate'");
    if (const GateDef* old = program_.find_gate(name.text); old && !(old->builtin && old->builtin->overridable)) {
        if (old->builtin)
            error(name.where, fmt::format("gate '{}' is already defined ({})", name.text,
                                          old->builtin->primitive ? "it is built in" : "in qelib1.inc"));
        error(name.where, fmt::format("gate '{}' is already defined at {}:{}{}", name.text, old->where.line,
                                      old->where.column, old->file == filename_ ? "" : fmt::format(" of {}", old->file)));
    }
    std::vector<std::string_view> params;
    std::vector<std::string_view> qubits;
    if (at(TokenKind::lparen)) {
        advance();
        while (!at(TokenKind::rparen)) {
            const Token p = expect_name("a parameter name");
            if (std::find(params.begin(), params.end(), p.text) != params.end())
                error(p.where, fmt::format("parameter '{}' of gate '{}' is declared twice", p.text, name.text));
            params.push_back(p.text);
            if (!at(TokenKind::comma)) break;
            advance();
        }
        expect(TokenKind::rparen, ")", fmt::format("after the parameter names of gate '{}'", name.text));
    }
    while (true) {
        const Token q = expect_name(fmt::format("a qubit argument name of gate '{}'", name.text));
        if (std::find(qubits.begin(), qubits.end(), q.text) != qubits.end())
            error(q.where, fmt::format("qubit argument '{}' of gate '{}' is declared twice", q.text, name.text));
        if (std::find(params.begin(), params.end(), q.text) != params.end())
            error(q.where, fmt::format("'{}' names both a parameter and a qubit argument of gate '{}'", q.text, name.text));
        qubits.push_back(q.text);
        if (!at(TokenKind::comma)) break;
        advance();
    }
    expect(TokenKind::lbrace, "{", fmt::format("to open the body of gate '{}'", name.text));
    GateDef def{std::string(name.text), params.size(), qubits.size(), nullptr, {}, 0, 1, filename_, name.where};
    parse_gate_body(def, params, qubits);
    if (def.depth > max_gate_depth)
        error(name.where, fmt::format("gate '{}' nests gate definitions {} levels deep; the limit is {}", name.text,
                                      def.depth, max_gate_depth));
    program_.define_gate(std::move(def));
}

void Parser::parse_gate_body(GateDef& def, const std::vector<std::string_view>& params,
                             const std::vector<std::string_view>& qubits) {
    const Scope scope{def.name, &params};
    while (!at(TokenKind::rbrace)) {
        if (at(TokenKind::end))
            error(current_.where, fmt::format("expected '}}' to close the body of gate '{}', found end of file", def.name));
        const Token name = current_;
        if (!at(TokenKind::identifier))
            error(name.where, fmt::format("expected a gate, 'barrier' or '}}' in the body of gate '{}', found {}",
                                          def.name, describe(name)));
        GateCall call;
        const GateDef* callee = nullptr;
        if (name.text == "barrier") {
            advance();
        } else if (is_keyword(name.text)) {
            error(name.where, fmt::format("'{}' is not allowed inside a gate definition", name.text));
        } else {
            callee = &lookup_gate(name);
            call.gate = program_.gate_index(name.text);
            advance();
            call.params = parse_parameter_list(scope, name.text);
        }
        while (true) {
            const Token arg = current_;
            if (!at(TokenKind::identifier))
                error(arg.where, fmt::format("expected a qubit argument of '{}', found {}", name.text, describe(arg)));
            const auto it = std::find(qubits.begin(), qubits.end(), arg.text);
            if (it == qubits.end())
                error(arg.where, fmt::format("unknown qubit '{}' in gate '{}' (its qubit arguments are: {})", arg.text,
                                             def.name, fmt::join(qubits, ", ")));
            advance();
            if (at(TokenKind::lbracket))
                error(current_.where, fmt::format("qubit arguments inside a gate definition cannot be indexed: "
                                                  "'{}' is a single qubit", arg.text));
            const auto index = static_cast<unsigned>(it - qubits.begin());
            const bool repeated = std::find(call.qubits.begin(), call.qubits.end(), index) != call.qubits.end();
            if (repeated && callee) error(arg.where, fmt::format("qubit '{}' is used twice in one gate", arg.text));
            if (!repeated) call.qubits.push_back(index);
            if (!at(TokenKind::comma)) break;
            advance();
        }
        expect(TokenKind::semicolon, ";",
               callee ? "after the gate's arguments" : "after the barrier's arguments");
        if (callee) {
            check_arity(*callee, name, call.params.size(), call.qubits.size());
            def.expanded_ops = saturating_add(def.expanded_ops, callee->expanded_ops);
            def.depth = std::max(def.depth, callee->depth + 1);
        } else {
            def.expanded_ops = saturating_add(def.expanded_ops, 1);
        }
        def.body.push_back(std::move(call));
    }
    advance();
}

void Parser::parse_opaque() {
    const Token keyword = current_;
    advance();
    while (!at(TokenKind::semicolon)) {
        if (at(TokenKind::end))
            error(current_.where, "expected ';' to end the 'opaque' declaration, found end of file");
        advance();
    }
    // Quote the declaration as written, with runs of white space shown as one space.
    const std::string_view raw(keyword.text.data(), std::size_t(current_.text.data() + 1 - keyword.text.data()));
    std::string text;
    for (char c : raw) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!space) text += c;
        else if (!text.empty() && text.back() != ' ') text += ' ';
    }
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    error(keyword.where, fmt::format("'opaque' gates cannot be simulated: '{}'", text));
}

void Parser::parse_quantum_operation(const std::optional<Condition>& condition, Location if_where) {
    if (at_word("measure")) return parse_measure(condition);
    if (at_word("reset")) return parse_reset(condition);
    if (condition && !at(TokenKind::identifier))
        error(current_.where, fmt::format("expected a gate, 'measure' or 'reset' after the condition of 'if', found {}",
                                          describe(current_)));
    if (condition && is_keyword(current_.text))
        error(current_.where, fmt::format("'if' at {}:{} can only condition a gate, 'measure' or 'reset', not '{}'",
                                          if_where.line, if_where.column, current_.text));
    if (is_keyword(current_.text))
        error(current_.where, fmt::format("expected a statement, found the keyword '{}'", current_.text));
    parse_gate_call(condition);
}

const GateDef& Parser::lookup_gate(const Token& name) const {
    const GateDef* def = program_.find_gate(name.text);
    if (!def) {
        if (!program_.included_qelib1() && in_qelib1(name.text))
            error(name.where, fmt::format("unknown gate '{}' (is 'include \"qelib1.inc\";' missing?)", name.text));
        error(name.where, fmt::format("unknown gate '{}'", name.text));
    }
    return *def;
}

void Parser::check_arity(const GateDef& def, const Token& name, std::size_t params, std::size_t qubits) const {
    if (params != def.num_params)
        error(name.where, fmt::format("gate '{}' takes {}, got {}", def.name, count_of(def.num_params, "parameter"), params));
    if (qubits != def.num_qubits)
        error(name.where,
              fmt::format("gate '{}' takes {}, got {}", def.name, count_of(def.num_qubits, "qubit argument"), qubits));
}

void Parser::parse_gate_call(const std::optional<Condition>& condition) {
    const Token name = current_;
    const GateDef& def = lookup_gate(name);
    const std::size_t index = program_.gate_index(name.text);
    advance();
    std::vector<double> params;
    for (const Expr& e : parse_parameter_list(Scope{}, name.text)) {
        const Evaluation r = evaluate(e, {});
        if (r.failed) error(r.failed->where, non_finite_message(*r.failed, r.value));
        params.push_back(r.value);
    }
    std::vector<Operand> operands;
    while (true) {
        operands.push_back(parse_operand(true, name.text));
        if (!at(TokenKind::comma)) break;
        advance();
    }
    expect(TokenKind::semicolon, ";", "after the gate's arguments");
    check_arity(def, name, params.size(), operands.size());
    program_.apply_gate(index, params, operands, condition, name.where);
}

Operand Parser::parse_operand(bool quantum, std::string_view what) {
    const Token name = current_;
    if (!at(TokenKind::identifier))
        error(name.where, fmt::format("expected a {} argument of '{}', found {}", quantum ? "qubit" : "bit", what,
                                      describe(name)));
    const DeclaredRegister* r = program_.find_register(name.text);
    if (!r) error(name.where, fmt::format("undeclared register '{}'", name.text));
    if (r->quantum != quantum)
        error(name.where, quantum ? fmt::format("'{}' is a classical register, but '{}' needs qubits", name.text, what)
                                  : fmt::format("'{}' is a quantum register, but '{}' needs classical bits here",
                                                name.text, what));
    advance();
    Operand operand{program_.register_index(*r), std::nullopt, name.where};
    if (at(TokenKind::lbracket)) {
        advance();
        const Location where = current_.where;
        const std::uint64_t index = expect_integer("an index");
        const std::string_view kind = quantum ? "qubit" : "bit";
        if (index >= r->size)
            error(where, r->size == 0 ? fmt::format("{} index {} is out of range: register {}[0] is empty", kind, index, r->name)
                                      : fmt::format("{} index {} is out of range for register {}[{}] (valid 0..{})", kind,
                                                    index, r->name, r->size, r->size - 1));
        operand.index = static_cast<std::size_t>(index);
        expect(TokenKind::rbracket, "]", "after the index");
    }
    return operand;
}

void Parser::parse_measure(const std::optional<Condition>& condition) {
    const Token keyword = current_;
    advance();
    const Operand qubit = parse_operand(true, "measure");
    expect(TokenKind::arrow, "->", "after the measured qubit");
    const Operand bit = parse_operand(false, "measure");
    expect(TokenKind::semicolon, ";", "after the measurement");
    program_.measure(qubit, bit, condition, keyword.where);
}

void Parser::parse_reset(const std::optional<Condition>& condition) {
    const Token keyword = current_;
    advance();
    const Operand qubit = parse_operand(true, "reset");
    expect(TokenKind::semicolon, ";", "after the reset qubit");
    program_.reset(qubit, condition, keyword.where);
}

void Parser::parse_barrier() {
    const Token keyword = current_;
    advance();
    std::vector<Operand> operands;
    while (true) {
        operands.push_back(parse_operand(true, "barrier"));
        if (!at(TokenKind::comma)) break;
        advance();
    }
    expect(TokenKind::semicolon, ";", "after the barrier's arguments");
    program_.barrier(operands, keyword.where);
}

void Parser::parse_if() {
    const Token keyword = current_;
    advance();
    expect(TokenKind::lparen, "(", "after 'if'");
    const Token name = current_;
    if (!at(TokenKind::identifier))
        error(name.where, fmt::format("expected a classical register after 'if (', found {}", describe(name)));
    const DeclaredRegister* r = program_.find_register(name.text);
    if (!r) error(name.where, fmt::format("undeclared register '{}'", name.text));
    if (r->quantum)
        error(name.where, fmt::format("'{}' is a quantum register; 'if' compares a classical register", name.text));
    advance();
    expect(TokenKind::equals, "==", fmt::format("after 'if ({}'", name.text));
    const Location value_where = current_.where;
    const std::uint64_t value = expect_integer("the value to compare with");
    expect(TokenKind::rparen, ")", "after the condition of 'if'");
    if (r->size > 64)
        error(name.where, fmt::format("register {}[{}] has more than 64 bits; 'if' compares at most 64", r->name, r->size));
    if (r->size < 64 && (value >> r->size) != 0)
        error(value_where, fmt::format("value {} does not fit register {}[{}] (valid 0..{})", value, r->name, r->size,
                                       (std::uint64_t{1} << r->size) - 1));
    if (at_word("if")) error(current_.where, "'if' cannot be nested");
    parse_quantum_operation(Condition{r->index, value}, keyword.where);
}

}  // namespace kettle::qasm
