// A gate given by its matrix: the Hadamard written out as a 2x2 unitary, applied with
// Circuit::unitary, must act exactly as the built-in `h` on any state.
//
//     ./build/examples/example_custom_gate

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kettle/kettle.hpp"

namespace {

using Complex = std::complex<double>;

// A random normalised state: amplitudes uniform in the unit square, then scaled.
kettle::StateVector<double> random_state(unsigned n, std::uint64_t seed) {
    kettle::Rng rng(seed);
    std::vector<Complex> amplitudes(std::size_t{1} << n);
    double norm = 0;
    for (Complex& a : amplitudes) {
        a = {2 * kettle::uniform01(rng) - 1, 2 * kettle::uniform01(rng) - 1};
        norm += std::norm(a);
    }
    for (Complex& a : amplitudes) a /= std::sqrt(norm);
    kettle::StateVector<double> state(n);
    state.set_amplitudes(amplitudes);
    return state;
}

}  // namespace

int main() {
    constexpr unsigned n = 4;
    const double r = 1 / std::sqrt(2.0);
    // Row-major: [[1, 1], [1, -1]] / sqrt(2). Circuit::unitary checks that it is unitary.
    const kettle::Matrix hadamard{r, r, r, -r};

    double worst = 0;
    for (unsigned target = 0; target < n; ++target) {
        kettle::Circuit mine(n), builtin(n);
        mine.unitary(hadamard, {target});
        builtin.h(target);

        kettle::StateVector<double> a = random_state(n, 7 + target);
        kettle::StateVector<double> b = a;
        kettle::run(mine, a);
        kettle::run(builtin, b);

        double diff = 0;
        for (std::size_t i = 0; i < a.size(); ++i) diff = std::max(diff, std::abs(a[i] - b[i]));
        fmt::print("hadamard by matrix on qubit {}: max |difference| from built-in h = {:.2e}\n", target, diff);
        worst = std::max(worst, diff);
    }
    if (worst > 1e-12) {
        fmt::print("the hand-written Hadamard differs from the built-in one\n");
        return 1;
    }
    return 0;
}
