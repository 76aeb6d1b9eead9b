#pragma once
// Parameter expressions of OpenQASM 2.0 (`pi/2`, `-theta*2`, `sqrt(2)^-1`, `ln(x)`), stored in
// postfix order so that evaluating or destroying a long chain like `1+1+...+1` needs no
// recursion.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qasm_lexer.hpp"

namespace kettle::qasm {

enum class ExprOp : std::uint8_t { number, param, neg, add, sub, mul, div, pow, sin, cos, tan, exp, ln, sqrt };

struct ExprStep {
    ExprOp op = ExprOp::number;
    double value = 0.0;      ///< for ExprOp::number
    std::size_t param = 0;   ///< for ExprOp::param: index of a formal parameter of a gate
    Location where;          ///< the token that produced this step, for error messages
};

struct Expr {
    std::vector<ExprStep> steps;  ///< postfix: operands before their operator
    Location where;               ///< where the whole expression starts
};

/// The value of `expr`, or the first step whose result is NaN or infinite.
struct Evaluation {
    double value = 0.0;
    const ExprStep* failed = nullptr;
};

/// Evaluates `expr` with `params[k]` bound to formal parameter k. Cost: O(steps).
[[nodiscard]] Evaluation evaluate(const Expr& expr, std::span<const double> params);

/// The message for a failed evaluation: "'/' gives inf; gate parameters must be finite".
[[nodiscard]] std::string non_finite_message(const ExprStep& step, double value);

}  // namespace kettle::qasm
