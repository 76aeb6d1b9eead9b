#pragma once
// A recursive-descent parser for OpenQASM 2.0 that executes each statement as it reads it,
// so that a Program holds the circuit built so far.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qasm_expr.hpp"
#include "qasm_lexer.hpp"
#include "qasm_program.hpp"

namespace kettle::qasm {

/// The deepest nesting of parentheses, unary signs and powers in one expression.
inline constexpr unsigned max_expression_depth = 256;

class Parser {
public:
    Parser(Program& program, std::string_view source, std::string_view filename);

    /// `OPENQASM 2.0;` then statements to the end.
    void parse_program();
    /// Gate definitions only: the text of a built-in include.
    void parse_library();

private:
    /// The formal parameters in scope while parsing an expression (none outside gates).
    struct Scope {
        std::string_view gate;
        const std::vector<std::string_view>* params = nullptr;
    };

    // Tokens.
    void advance() { current_ = lexer_.next(); }
    [[nodiscard]] bool at(TokenKind kind) const noexcept { return current_.kind == kind; }
    [[nodiscard]] bool at_word(std::string_view word) const noexcept {
        return current_.kind == TokenKind::identifier && current_.text == word;
    }
    [[noreturn]] void error(Location where, std::string_view message) const;
    /// Consumes a token of `kind` or fails with "expected 'spelling' context, found ...".
    Token expect(TokenKind kind, std::string_view spelling, std::string_view context);
    /// Consumes a name (an identifier that is not a keyword), or fails naming `what`.
    Token expect_name(std::string_view what);
    std::uint64_t expect_integer(std::string_view what);

    // Statements.
    void parse_header();
    void parse_statement();
    void parse_include();
    void parse_register(bool quantum);
    void parse_gate_definition();
    void parse_gate_body(GateDef& def, const std::vector<std::string_view>& params,
                         const std::vector<std::string_view>& qubits);
    [[noreturn]] void parse_opaque();
    void parse_quantum_operation(const std::optional<Condition>& condition, Location if_where);
    void parse_gate_call(const std::optional<Condition>& condition);
    void parse_measure(const std::optional<Condition>& condition);
    void parse_reset(const std::optional<Condition>& condition);
    void parse_barrier();
    void parse_if();
    Operand parse_operand(bool quantum, std::string_view what);
    const GateDef& lookup_gate(const Token& name) const;
    void check_arity(const GateDef& def, const Token& name, std::size_t params, std::size_t qubits) const;

    // Expressions (qasm_expr.cpp).
    Expr parse_expression(const Scope& scope);
    void parse_sum(Expr& e, const Scope& scope, unsigned depth);
    void parse_product(Expr& e, const Scope& scope, unsigned depth);
    void parse_unary(Expr& e, const Scope& scope, unsigned depth);
    void parse_primary(Expr& e, const Scope& scope, unsigned depth);
    void check_depth(unsigned depth) const;
    /// A comma-separated list of expressions in parentheses, if the current token is '('.
    std::vector<Expr> parse_parameter_list(const Scope& scope, std::string_view gate);

    Program& program_;
    Lexer lexer_;
    std::string_view source_;
    std::string_view filename_;
    Token current_;
};

/// Whether `word` is reserved by OpenQASM 2.0 and so cannot name a gate, register or parameter.
[[nodiscard]] bool is_keyword(std::string_view word) noexcept;

}  // namespace kettle::qasm
