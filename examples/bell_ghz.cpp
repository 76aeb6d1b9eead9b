// Bell and GHZ states: build them, sample measurement counts, and check that only the
// all-zeros and all-ones outcomes appear, about equally often.
//
//     ./build/examples/example_bell_ghz

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "kettle/kettle.hpp"

namespace {

// An n-qubit GHZ state (n = 2 is a Bell pair), every qubit measured into its own bit.
kettle::Circuit ghz(unsigned n) {
    kettle::Circuit c(n, n);
    c.h(0);
    for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
    for (unsigned q = 0; q < n; ++q) c.measure(q, q);
    return c;
}

// Prints the counts and returns whether they look like a GHZ state's: only 0...0 and 1...1,
// each between 45% and 55% of the shots (a fixed seed makes this deterministic).
bool report(const std::string& name, unsigned n, const std::map<std::string, std::size_t>& counts,
            std::size_t shots) {
    fmt::print("{} ({} qubits, {} shots):\n", name, n, shots);
    for (const auto& [bits, count] : counts) fmt::print("  {}  {:5}\n", bits, count);

    const std::string zeros(n, '0'), ones(n, '1');
    bool ok = counts.size() == 2 && counts.contains(zeros) && counts.contains(ones);
    for (const auto& [bits, count] : counts) {
        const double fraction = double(count) / double(shots);
        ok = ok && fraction > 0.45 && fraction < 0.55;
    }
    if (!ok) fmt::print("  unexpected: a GHZ state gives only {} and {}, about half each\n", zeros, ones);
    return ok;
}

}  // namespace

int main() {
    constexpr std::size_t shots = 4000;
    constexpr std::uint64_t seed = 2024;

    // Every measurement is terminal (nothing acts on its qubit afterwards), so sample_counts
    // simulates once and draws every shot from the final state.
    const kettle::Circuit bell = ghz(2);
    const bool bell_ok = report("Bell", 2, kettle::sample_counts<double>(bell, shots, seed), shots);

    const kettle::Circuit ghz5 = ghz(5);
    const bool ghz_ok = report("GHZ", 5, kettle::sample_counts<double>(ghz5, shots, seed), shots);

    return bell_ok && ghz_ok ? 0 : 1;
}
