// The energy of a transverse-field Ising chain, H = -J sum Z_i Z_{i+1} - h sum X_i, in a
// product state RY(theta)|0> on every qubit, compared with its closed form.
//
// For that state <Z_i> = cos(theta), <X_i> = sin(theta), and distinct qubits are uncorrelated,
// so on an open chain of n qubits  E(theta) = -J (n-1) cos^2(theta) - h n sin(theta).
//
//     ./build/examples/example_hamiltonian_expectation

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "kettle/kettle.hpp"

namespace {

// The Hamiltonian as text, e.g. "-1*Z0 Z1 - 1*Z1 Z2 - 0.5*X0 - 0.5*X1 - 0.5*X2".
std::string ising_text(unsigned n, double j, double h) {
    std::string text;
    auto add = [&](double coeff, const std::string& factors) {
        text += text.empty() ? fmt::format("{}*{}", coeff, factors) : fmt::format(" - {}*{}", -coeff, factors);
    };
    for (unsigned q = 0; q + 1 < n; ++q) add(-j, fmt::format("Z{} Z{}", q, q + 1));
    for (unsigned q = 0; q < n; ++q) add(-h, fmt::format("X{}", q));
    return text;
}

}  // namespace

int main() {
    constexpr unsigned n = 6;
    constexpr double j = 1.0, h = 0.5;

    const kettle::PauliSum hamiltonian = kettle::PauliSum::parse(ising_text(n, j, h));
    fmt::print("H = {}\n", hamiltonian.to_string());

    // One circuit, one symbolic angle shared by every qubit; each run binds a new value.
    kettle::Circuit c(n);
    const kettle::Parameter theta = c.parameter("theta");
    for (unsigned q = 0; q < n; ++q) c.ry(q, theta);

    bool ok = true;
    fmt::print("{:>8}  {:>12}  {:>12}\n", "theta", "simulated", "exact");
    for (int k = 0; k <= 8; ++k) {
        const double angle = k * std::numbers::pi / 8;
        const std::vector<double> values{angle};
        const auto state = kettle::simulate<double>(c, values);
        const double energy = kettle::expectation(state, hamiltonian);
        const double exact = -j * (n - 1) * std::pow(std::cos(angle), 2) - h * n * std::sin(angle);
        fmt::print("{:8.4f}  {:12.8f}  {:12.8f}\n", angle, energy, exact);
        ok = ok && std::abs(energy - exact) < 1e-10;
    }
    if (!ok) fmt::print("simulated and exact energies differ by more than 1e-10\n");
    return ok ? 0 : 1;
}
