// Fuzz harness: read_qasm on arbitrary text; for circuits it accepts, the round trip through
// write_qasm, and runs (plain and fused) when the circuit is small.

#include <cmath>
#include <string>

#include "fuzz_support.hpp"
#include "kettle/qasm.hpp"
#include "kettle/simulator.hpp"

namespace kettle::fuzz {
namespace {

// Simulating is the slow part; these keep one input well under a millisecond.
constexpr unsigned max_simulated_qubits = 10;
constexpr std::size_t max_simulated_operations = 2000;

/// write_qasm documents one case that reads back equivalent, not equal: an uncontrolled `ug`.
bool equal_or_documented(const Operation& a, const Operation& b) {
    return a == b || (a.gate == GateKind::ug && a.controls.empty() && b.targets == a.targets);
}

}  // namespace

void qasm_input(std::span<const std::uint8_t> data) {
    Circuit c;
    if (!succeeds([&] { c = read_qasm(as_text(data), "fuzz.qasm"); })) return;

    std::string written;
    if (succeeds([&] { written = write_qasm(c); })) {
        Circuit back;
        check(succeeds([&] { back = read_qasm(written, "written.qasm"); }), "read_qasm rejects what write_qasm wrote");
        check(back.num_qubits() == c.num_qubits() && back.num_clbits() == c.num_clbits(),
              "the round trip changes the qubit or bit count");
        check(back.operations().size() == c.operations().size(), "the round trip changes the operation count");
        for (std::size_t i = 0; i < c.operations().size(); ++i)
            check(equal_or_documented(c.operations()[i], back.operations()[i]), "the round trip changes an operation");
    }

    if (c.num_qubits() == 0 || c.num_qubits() > max_simulated_qubits ||
        c.operations().size() > max_simulated_operations)
        return;
    for (const unsigned fusion : {0u, 4u}) {
        RunOptions options;
        options.seed = 7;
        options.fusion = fusion;
        StateVector<double> state(c.num_qubits());
        if (succeeds([&] { run(c, state, {}, options); }))
            check(std::abs(state.norm_squared() - 1.0) < 1e-9, "a run leaves a state of norm != 1");
    }
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(qasm_input)
