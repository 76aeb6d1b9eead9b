#include "qasm_expr.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <numbers>
#include <utility>

#include "qasm_parser.hpp"

namespace kettle::qasm {
namespace {

constexpr std::array<std::pair<std::string_view, ExprOp>, 6> kFunctions{{
    {"sin", ExprOp::sin}, {"cos", ExprOp::cos}, {"tan", ExprOp::tan},
    {"exp", ExprOp::exp}, {"ln", ExprOp::ln}, {"sqrt", ExprOp::sqrt},
}};

std::string_view spelling(ExprOp op) {
    switch (op) {
        case ExprOp::neg: case ExprOp::sub: return "'-'";
        case ExprOp::add: return "'+'";
        case ExprOp::mul: return "'*'";
        case ExprOp::div: return "'/'";
        case ExprOp::pow: return "'^'";
        case ExprOp::sin: return "sin";
        case ExprOp::cos: return "cos";
        case ExprOp::tan: return "tan";
        case ExprOp::exp: return "exp";
        case ExprOp::ln: return "ln";
        case ExprOp::sqrt: return "sqrt";
        case ExprOp::number: case ExprOp::param: break;
    }
    return "the value";
}

}  // namespace

Evaluation evaluate(const Expr& expr, std::span<const double> params) {
    std::vector<double> stack;
    stack.reserve(8);
    auto pop = [&] {
        const double v = stack.back();
        stack.pop_back();
        return v;
    };
    for (const ExprStep& s : expr.steps) {
        double v = 0.0;
        if (s.op >= ExprOp::add && s.op <= ExprOp::pow) {
            const double b = pop();
            const double a = pop();
            switch (s.op) {
                case ExprOp::add: v = a + b; break;
                case ExprOp::sub: v = a - b; break;
                case ExprOp::mul: v = a * b; break;
                case ExprOp::div: v = a / b; break;
                default: v = std::pow(a, b); break;
            }
        } else {
            switch (s.op) {
                case ExprOp::number: v = s.value; break;
                case ExprOp::param: v = params[s.param]; break;
                case ExprOp::neg: v = -pop(); break;
                case ExprOp::sin: v = std::sin(pop()); break;
                case ExprOp::cos: v = std::cos(pop()); break;
                case ExprOp::tan: v = std::tan(pop()); break;
                case ExprOp::exp: v = std::exp(pop()); break;
                case ExprOp::ln: v = std::log(pop()); break;
                case ExprOp::sqrt: v = std::sqrt(pop()); break;
                default: break;
            }
        }
        if (!std::isfinite(v)) return {v, &s};
        stack.push_back(v);
    }
    return {stack.back(), nullptr};
}

std::string non_finite_message(const ExprStep& step, double value) {
    const std::string shown = std::isnan(value) ? "NaN" : value > 0 ? "inf" : "-inf";
    return fmt::format("{} gives {}; gate parameters must be finite", spelling(step.op), shown);
}

void Parser::check_depth(unsigned depth) const {
    if (depth > max_expression_depth)
        error(current_.where,
              fmt::format("expression nested more than {} levels deep", max_expression_depth));
}

Expr Parser::parse_expression(const Scope& scope) {
    Expr e;
    e.where = current_.where;
    parse_sum(e, scope, 0);
    return e;
}

void Parser::parse_sum(Expr& e, const Scope& scope, unsigned depth) {
    parse_product(e, scope, depth);
    while (at(TokenKind::plus) || at(TokenKind::minus)) {
        const ExprStep step{at(TokenKind::plus) ? ExprOp::add : ExprOp::sub, 0.0, 0, current_.where};
        advance();
        parse_product(e, scope, depth);
        e.steps.push_back(step);
    }
}

void Parser::parse_product(Expr& e, const Scope& scope, unsigned depth) {
    parse_unary(e, scope, depth);
    while (at(TokenKind::star) || at(TokenKind::slash)) {
        const ExprStep step{at(TokenKind::star) ? ExprOp::mul : ExprOp::div, 0.0, 0, current_.where};
        advance();
        parse_unary(e, scope, depth);
        e.steps.push_back(step);
    }
}

// Unary signs bind looser than '^' (-2^2 is -4), and '^' is right-associative with a signed
// exponent allowed (2^-1).
void Parser::parse_unary(Expr& e, const Scope& scope, unsigned depth) {
    if (at(TokenKind::minus) || at(TokenKind::plus)) {
        const ExprStep step{ExprOp::neg, 0.0, 0, current_.where};
        const bool negate = at(TokenKind::minus);
        check_depth(depth + 1);
        advance();
        parse_unary(e, scope, depth + 1);
        if (negate) e.steps.push_back(step);
        return;
    }
    parse_primary(e, scope, depth);
    if (at(TokenKind::caret)) {
        const ExprStep step{ExprOp::pow, 0.0, 0, current_.where};
        check_depth(depth + 1);
        advance();
        parse_unary(e, scope, depth + 1);
        e.steps.push_back(step);
    }
}

void Parser::parse_primary(Expr& e, const Scope& scope, unsigned depth) {
    const Token token = current_;
    if (at(TokenKind::integer) || at(TokenKind::real)) {
        double value = 0.0;
        const auto [end, ec] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
        if (ec != std::errc() || end != token.text.data() + token.text.size() || !std::isfinite(value))
            error(token.where, fmt::format("number {} is out of the range of a double", token.text));
        advance();
        e.steps.push_back({ExprOp::number, value, 0, token.where});
        return;
    }
    if (at(TokenKind::lparen)) {
        check_depth(depth + 1);
        advance();
        parse_sum(e, scope, depth + 1);
        expect(TokenKind::rparen, ")", fmt::format("to close the '(' at {}:{}", token.where.line, token.where.column));
        return;
    }
    if (!at(TokenKind::identifier)) error(token.where, fmt::format("expected an expression, found {}", describe(token)));
    if (token.text == "pi") {
        advance();
        e.steps.push_back({ExprOp::number, std::numbers::pi, 0, token.where});
        return;
    }
    const auto fn = std::find_if(kFunctions.begin(), kFunctions.end(), [&](const auto& f) { return f.first == token.text; });
    if (fn != kFunctions.end()) {
        check_depth(depth + 1);
        advance();
        expect(TokenKind::lparen, "(", fmt::format("after '{}'", token.text));
        parse_sum(e, scope, depth + 1);
        expect(TokenKind::rparen, ")", fmt::format("to close '{}('", token.text));
        e.steps.push_back({fn->second, 0.0, 0, token.where});
        return;
    }
    if (scope.params) {
        const auto it = std::find(scope.params->begin(), scope.params->end(), token.text);
        if (it != scope.params->end()) {
            advance();
            e.steps.push_back({ExprOp::param, 0.0, std::size_t(it - scope.params->begin()), token.where});
            return;
        }
        error(token.where, fmt::format("unknown parameter '{}' in gate '{}' (its parameters are: {})", token.text,
                                       scope.gate, scope.params->empty() ? "none" : fmt::format("{}", fmt::join(*scope.params, ", "))));
    }
    error(token.where, fmt::format("unknown identifier '{}' in an expression (outside gate definitions only "
                                   "numbers, pi and sin, cos, tan, exp, ln, sqrt may be used)", token.text));
}

std::vector<Expr> Parser::parse_parameter_list(const Scope& scope, std::string_view gate) {
    std::vector<Expr> params;
    if (!at(TokenKind::lparen)) return params;
    advance();
    if (at(TokenKind::rparen)) {
        advance();
        return params;
    }
    while (true) {
        params.push_back(parse_expression(scope));
        if (at(TokenKind::comma)) {
            advance();
            continue;
        }
        expect(TokenKind::rparen, ")", fmt::format("after the parameters of '{}'", gate));
        return params;
    }
}

}  // namespace kettle::qasm
