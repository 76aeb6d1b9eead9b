// The two execution paths of AdjointDifferentiator (compiled small states, simulator kernels
// above 16 qubits) and the gradient with respect to the initial state.

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "kettle/error.hpp"
#include "kettle/gradient.hpp"
#include "kettle/simulator.hpp"

namespace kettle {
namespace {

using Z = std::complex<double>;

double weighted(const StateVector<double>& s, const std::vector<PauliSum>& obs, const std::vector<double>& c) {
    double f = 0;
    for (std::size_t m = 0; m < obs.size(); ++m) f += c[m] * expectation(s, obs[m]);
    return f;
}

TEST(AdjointPaths, SeventeenQubitsRunOnTheSimulatorKernels) {
    Circuit c(17);
    const Parameter a = c.parameter("a"), b = c.parameter("b");
    c.h(0).ry(16, ParamExpr(a)).cx(16, 3).crx(0, 9, 0.5 * ParamExpr(b) + 0.1).u3(3, ParamExpr(b), ParamExpr(a), 0.2);
    c.rzz(3, 9, ParamExpr(a));
    const std::vector<PauliSum> obs{PauliSum::parse("Z16 X3"), PauliSum::parse("Y9 + Z0")};
    std::vector<double> params{0.7, -1.3};
    const Jacobian j = adjoint_jacobian(c, obs, params);
    const double h = 1e-5;
    for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t m = 0; m < obs.size(); ++m) {
            std::vector<double> up = params, down = params;
            up[k] += h;
            down[k] -= h;
            const double fd = (expectation(simulate<double>(c, up), obs[m]) -
                               expectation(simulate<double>(c, down), obs[m])) / (2 * h);
            EXPECT_NEAR(j(m, k), fd, 1e-7) << "observable " << m << " parameter " << k;
        }
}

TEST(AdjointPaths, InitialStateGradientMatchesFiniteDifferences) {
    for (unsigned n : {3u, 17u}) {  // both paths
        Circuit c(n);
        const Parameter a = c.parameter("a");
        c.ry(0, ParamExpr(a)).cx(0, 1).rx(2, 0.4).cz(1, 2).u3(1, 0.3, ParamExpr(a), -0.6);
        const std::vector<PauliSum> obs{PauliSum::parse("Z0 X1"), PauliSum::parse("Y2")};
        const std::vector<double> cot{0.8, -1.4}, params{0.9};
        std::mt19937_64 rng(5);
        std::normal_distribution<double> g;
        std::vector<Z> psi0(std::size_t{1} << n, 0.0);
        double norm = 0;
        for (std::size_t i = 0; i < 8; ++i) {  // support on the first 8 amplitudes keeps 17 qubits cheap
            psi0[i] = Z(g(rng), g(rng));
            norm += std::norm(psi0[i]);
        }
        for (Z& v : psi0) v /= std::sqrt(norm);
        AdjointDifferentiator<double> diff(c, obs);
        std::vector<double> values(2), grad(1);
        std::vector<Z> dpsi(psi0.size());
        diff.forward(params, values, psi0);
        diff.backward(cot, grad, dpsi);
        auto f = [&](const std::vector<Z>& init) {
            StateVector<double> s(n);
            std::copy(init.begin(), init.end(), s.data());
            run(c, s, params);
            return weighted(s, obs, cot);
        };
        const double h = 1e-6;
        for (std::size_t i = 0; i < 8; ++i)
            for (Z dir : {Z(1, 0), Z(0, 1)}) {
                std::vector<Z> up = psi0, down = psi0;
                up[i] += h * dir;
                down[i] -= h * dir;
                const double fd = (f(up) - f(down)) / (2 * h);
                const double got = dir.real() != 0 ? dpsi[i].real() : dpsi[i].imag();
                EXPECT_NEAR(got, fd, 1e-7) << "n " << n << " amplitude " << i;
            }
        EXPECT_THROW(diff.forward(params, values, std::vector<Z>(3)), Error);
    }
}

}  // namespace
}  // namespace kettle
