// How simulation time grows with the qubit count: the quantum Fourier transform of |0...0> on
// 8 to 18 qubits in double precision. Each added qubit doubles the state, and the QFT adds
// about n gates, so expect a little more than a doubling per qubit once the state outgrows
// the caches. Timings are printed, not checked: only the result is (the QFT of |0> is the
// uniform superposition, every amplitude 1 / sqrt(2^n)).
//
//     ./build/examples/example_simulator_scaling

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstddef>

#include "kettle/kettle.hpp"

int main() {
    constexpr double tolerance = 1e-10;
    bool ok = true;

    fmt::print("{:>6}  {:>6}  {:>10}  {:>12}\n", "qubits", "gates", "seconds", "max error");
    for (unsigned n = 8; n <= 18; n += 2) {
        const kettle::Circuit circuit = kettle::qft(n);

        const auto start = std::chrono::steady_clock::now();
        const auto state = kettle::simulate<double>(circuit);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        // Largest distance of any amplitude from the uniform value. It is real and positive:
        // on |0> every Hadamard sees a 0 and gives +1/sqrt(2), and the controlled phases
        // contribute e^{2 pi i j k / 2^n} with j = 0, that is 1.
        const std::complex<double> uniform(1.0 / std::sqrt(double(std::size_t{1} << n)), 0.0);
        double error = 0;
        for (const auto& a : state.amplitudes()) error = std::max(error, std::abs(a - uniform));

        fmt::print("{:>6}  {:>6}  {:>10.6f}  {:>12.3e}\n", n, circuit.operations().size(), seconds, error);
        if (!(error <= tolerance)) {
            fmt::print("unexpected: the QFT of |0> on {} qubits is not uniform to {}\n", n, tolerance);
            ok = false;
        }
    }
    return ok ? 0 : 1;
}
