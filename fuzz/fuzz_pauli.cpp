// Fuzz harness: PauliSum::parse on arbitrary text, the round trip through to_string, and the
// expectation value of what parses.

#include <algorithm>
#include <cmath>

#include "fuzz_support.hpp"
#include "kettle/pauli.hpp"
#include "kettle/simulator.hpp"

namespace kettle::fuzz {

void pauli_input(std::span<const std::uint8_t> data) {
    PauliSum sum;
    if (!succeeds([&] { sum = PauliSum::parse(as_text(data)); })) return;

    // to_string promises text that parses back to the same sum.
    const std::string again = sum.to_string();
    PauliSum back;
    check(succeeds([&] { back = PauliSum::parse(again); }), "parse(to_string()) throws");
    check(back.terms().size() == sum.terms().size(), "parse(to_string()) changes the number of terms");
    for (std::size_t i = 0; i < sum.terms().size(); ++i) {
        check(back.terms()[i].coeff == sum.terms()[i].coeff, "parse(to_string()) changes a coefficient");
        check(back.terms()[i].factors == sum.terms()[i].factors, "parse(to_string()) changes a factor");
    }

    // On a small state |<H>| is bounded by the sum of |coefficients|.
    if (sum.min_qubits() > 6) return;
    Circuit c(std::max(1u, sum.min_qubits()));
    for (unsigned q = 0; q < c.num_qubits(); ++q) c.h(q).t(q).ry(q, 0.3 * (q + 1));
    const StateVector<double> state = simulate<double>(c);
    double bound = 0;
    for (const PauliTerm& t : sum.terms()) bound += std::abs(t.coeff);
    const double e = expectation(state, sum);
    check(!std::isfinite(bound) || std::abs(e) <= bound * (1 + 1e-9) + 1e-300, "|<H>| exceeds the sum of |c_i|");
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(pauli_input)
