#pragma once
// Limited-memory BFGS for smooth unconstrained minimisation (Nocedal & Wright, algorithm 7.4
// with a backtracking Armijo line search). Serial and free of randomness, so a given objective
// and start give the same iterates on every run.

#include <functional>

#include <Eigen/Dense>

namespace kettle::detail {

/// Returns f(x) and writes its gradient into `gradient` (already sized like x).
using Objective = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;

struct LbfgsOptions {
    int max_iterations = 1000;
    double gradient_tolerance = 1e-6;  ///< stop when max |gradient entry| <= this
    int memory = 10;                   ///< correction pairs kept
};

struct LbfgsResult {
    Eigen::VectorXd x;
    double value = 0.0;
    double gradient_norm = 0.0;  ///< max |gradient entry| at x
    int iterations = 0;
    bool converged = false;      ///< the gradient tolerance was met
};

/// Minimises `f` from `x0`. Stops when the gradient tolerance is met, after max_iterations, or
/// when the line search can make no more progress (rounding near the minimum); `converged` says
/// whether the tolerance was met. Cost per iteration: one or a few evaluations of f plus
/// O(memory * size(x)).
[[nodiscard]] LbfgsResult minimize_lbfgs(const Objective& f, Eigen::VectorXd x0, const LbfgsOptions& options);

}  // namespace kettle::detail
