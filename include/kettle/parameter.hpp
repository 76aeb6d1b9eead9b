#pragma once
// Symbolic gate parameters: a circuit is built once with named parameters and run many times
// with different values bound to them.

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace kettle {

class ParamExpr;

/// A handle to a named parameter of one Circuit (made by Circuit::parameter). Cheap to copy.
class Parameter {
public:
    explicit Parameter(std::size_t index) : index_(index) {}
    [[nodiscard]] std::size_t index() const noexcept { return index_; }

private:
    std::size_t index_;
};

/// A gate angle: an affine combination `constant + sum_k coeff_k * parameter_k`. Affine is
/// enough for inverses (negation), encodings with a scale, and shared angles, and it keeps
/// gradients exact and cheap: d(angle)/d(parameter_k) = coeff_k.
class ParamExpr {
public:
    struct Term {
        std::size_t parameter;
        double coeff;
        bool operator==(const Term&) const = default;
    };

    ParamExpr(double constant = 0.0) : constant_(constant) {}  // NOLINT: implicit by design
    ParamExpr(Parameter p) : terms_{{p.index(), 1.0}} {}       // NOLINT: implicit by design

    [[nodiscard]] double constant() const noexcept { return constant_; }
    [[nodiscard]] const std::vector<Term>& terms() const noexcept { return terms_; }
    [[nodiscard]] bool is_constant() const noexcept { return terms_.empty(); }

    /// The value with `values[k]` bound to parameter k. Precondition: every parameter index of
    /// this expression is < values.size() (Circuit checks this once per run).
    [[nodiscard]] double evaluate(std::span<const double> values) const noexcept {
        double v = constant_;
        for (const Term& t : terms_) v += t.coeff * values[t.parameter];
        return v;
    }

    ParamExpr& operator+=(const ParamExpr& o);
    ParamExpr& operator*=(double s);
    bool operator==(const ParamExpr&) const = default;

private:
    double constant_ = 0.0;
    std::vector<Term> terms_;
};

inline ParamExpr operator+(ParamExpr a, const ParamExpr& b) { return a += b; }
inline ParamExpr operator*(ParamExpr a, double s) { return a *= s; }
inline ParamExpr operator*(double s, ParamExpr a) { return a *= s; }
inline ParamExpr operator-(ParamExpr a) { return a *= -1.0; }
inline ParamExpr operator-(ParamExpr a, const ParamExpr& b) { return a += -b; }
inline ParamExpr operator/(ParamExpr a, double s) { return a *= 1.0 / s; }
inline ParamExpr operator+(Parameter a, const ParamExpr& b) { return ParamExpr(a) + b; }
inline ParamExpr operator-(Parameter a, const ParamExpr& b) { return ParamExpr(a) - b; }
inline ParamExpr operator*(double s, Parameter p) { return s * ParamExpr(p); }
inline ParamExpr operator*(Parameter p, double s) { return s * ParamExpr(p); }
inline ParamExpr operator-(Parameter p) { return -ParamExpr(p); }

}  // namespace kettle
