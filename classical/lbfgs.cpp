#include "lbfgs.hpp"

#include <cmath>
#include <deque>
#include <vector>

namespace kettle::detail {

LbfgsResult minimize_lbfgs(const Objective& f, Eigen::VectorXd x0, const LbfgsOptions& options) {
    LbfgsResult result;
    result.x = std::move(x0);
    Eigen::VectorXd g(result.x.size());
    result.value = f(result.x, g);
    result.gradient_norm = g.size() == 0 ? 0.0 : g.cwiseAbs().maxCoeff();

    std::deque<Eigen::VectorXd> s_hist, y_hist;
    std::deque<double> rho_hist;
    Eigen::VectorXd x_new(result.x.size()), g_new(result.x.size());
    constexpr double armijo = 1e-4;

    while (result.gradient_norm > options.gradient_tolerance && result.iterations < options.max_iterations) {
        // Two-loop recursion: d = -H g with H the inverse-Hessian approximation.
        Eigen::VectorXd q = g;
        std::vector<double> alpha(s_hist.size());
        for (std::size_t i = s_hist.size(); i-- > 0;) {
            alpha[i] = rho_hist[i] * s_hist[i].dot(q);
            q -= alpha[i] * y_hist[i];
        }
        if (!s_hist.empty()) q *= s_hist.back().dot(y_hist.back()) / y_hist.back().squaredNorm();
        else q /= std::max(1.0, g.norm());  // first step: at most unit length
        for (std::size_t i = 0; i < s_hist.size(); ++i) {
            const double beta = rho_hist[i] * y_hist[i].dot(q);
            q += s_hist[i] * (alpha[i] - beta);
        }
        Eigen::VectorXd direction = -q;
        double slope = g.dot(direction);
        if (!(slope < 0.0)) {  // not a descent direction (lost curvature): restart from steepest descent
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            direction = -g / std::max(1.0, g.norm());
            slope = g.dot(direction);
        }

        // Backtracking until the Armijo condition holds.
        double step = 1.0, value_new = 0.0;
        bool accepted = false;
        for (int tries = 0; tries < 60; ++tries, step *= 0.5) {
            x_new = result.x + step * direction;
            value_new = f(x_new, g_new);
            if (std::isfinite(value_new) && value_new <= result.value + armijo * step * slope) {
                accepted = true;
                break;
            }
        }
        if (!accepted) break;

        Eigen::VectorXd s = x_new - result.x, y = g_new - g;
        const double sy = s.dot(y);
        // Keep the pair only with positive curvature, so H stays positive definite.
        if (sy > 1e-12 * s.squaredNorm()) {
            if (static_cast<int>(s_hist.size()) == options.memory) {
                s_hist.pop_front();
                y_hist.pop_front();
                rho_hist.pop_front();
            }
            s_hist.push_back(std::move(s));
            y_hist.push_back(std::move(y));
            rho_hist.push_back(1.0 / sy);
        }
        result.x.swap(x_new);
        g.swap(g_new);
        result.value = value_new;
        result.gradient_norm = g.cwiseAbs().maxCoeff();
        ++result.iterations;
    }
    result.converged = result.gradient_norm <= options.gradient_tolerance;
    return result;
}

}  // namespace kettle::detail
