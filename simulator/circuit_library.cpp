#include "kettle/circuit_library.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace kettle {

Circuit qft(unsigned n, bool with_swaps) {
    Circuit c(n);
    for (unsigned j = n; j-- > 0;) {
        c.h(j);
        for (unsigned k = j; k-- > 0;) c.cp(k, j, std::numbers::pi / double(std::uint64_t{1} << (j - k)));
    }
    if (with_swaps)
        for (unsigned q = 0; q < n / 2; ++q) c.swap(q, n - 1 - q);
    return c;
}

Circuit random_supremacy_circuit(unsigned n, unsigned cycles, std::uint64_t seed) {
    Circuit c(n);
    const unsigned rows = std::max(1u, unsigned(std::sqrt(double(n)))), cols = (n + rows - 1) / rows;
    // sqrt(W), W = (X + Y) / sqrt(2): cos(pi/4) I - i sin(pi/4) W.
    const double h = std::numbers::sqrt2 / 2;
    const std::complex<double> mi(0, -h);
    const Matrix sqrt_w = {h, mi * std::complex<double>(h, -h), mi * std::complex<double>(h, h), h};
    std::mt19937_64 rng(seed);
    std::vector<int> last(n, -1);
    // Couplers: pattern 0/1 horizontal (even/odd columns), 2/3 vertical (even/odd rows).
    auto couplers = [&](unsigned pattern) {
        std::vector<std::pair<unsigned, unsigned>> pairs;
        for (unsigned r = 0; r < rows; ++r)
            for (unsigned col = 0; col < cols; ++col) {
                const unsigned q = r * cols + col;
                if (q >= n) continue;
                if (pattern < 2 && col % 2 == pattern && col + 1 < cols && q + 1 < n) pairs.emplace_back(q, q + 1);
                if (pattern >= 2 && r % 2 == pattern - 2 && q + cols < n) pairs.emplace_back(q, q + cols);
            }
        return pairs;
    };
    constexpr unsigned order[8] = {0, 1, 2, 3, 2, 3, 0, 1};
    for (unsigned cycle = 0; cycle < cycles; ++cycle) {
        for (unsigned q = 0; q < n; ++q) {
            int g;
            do g = int(rng() % 3);
            while (g == last[q]);
            last[q] = g;
            if (g == 0) c.rx(q, std::numbers::pi / 2);
            else if (g == 1) c.ry(q, std::numbers::pi / 2);
            else c.unitary(sqrt_w, {q});
        }
        for (const auto& [a, b] : couplers(order[cycle % 8])) c.cz(a, b);
    }
    return c;
}

Circuit qaoa_swap_network(unsigned n, unsigned layers, std::uint64_t seed) {
    Circuit c(n);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> weight(-1.0, 1.0);
    // weights[a][b], a < b: the edge between vertices a and b, wherever they sit.
    std::vector<std::vector<double>> weights(n, std::vector<double>(n, 0.0));
    for (unsigned a = 0; a < n; ++a)
        for (unsigned b = a + 1; b < n; ++b) weights[a][b] = weight(rng);
    std::vector<unsigned> vertex(n);  // the vertex on each qubit
    for (unsigned q = 0; q < n; ++q) vertex[q] = q;
    for (unsigned q = 0; q < n; ++q) c.h(q);
    for (unsigned layer = 1; layer <= layers; ++layer) {
        const double gamma = 0.8 / layer, beta = 0.35 / layer;
        for (unsigned round = 0; round < n; ++round)
            for (unsigned q = round % 2; q + 1 < n; q += 2) {
                const unsigned a = std::min(vertex[q], vertex[q + 1]), b = std::max(vertex[q], vertex[q + 1]);
                c.rzz(q, q + 1, gamma * weights[a][b]).swap(q, q + 1);
                std::swap(vertex[q], vertex[q + 1]);
            }
        for (unsigned q = 0; q < n; ++q) c.rx(q, 2 * beta);
    }
    return c;
}

}  // namespace kettle
