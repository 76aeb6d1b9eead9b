#pragma once
// One run of a circuit, operation by operation: the classical bits, the seeded generator of
// collapsing measurements, and which measurements are terminal. Shared by the plain run and
// the fused run so that both draw the same random numbers in the same order.

#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "kernels.hpp"
#include "kettle/circuit.hpp"
#include "kettle/measurement.hpp"
#include "kettle/simulator.hpp"

namespace kettle::detail {

/// The kernel class an operation's matrix has: from its kind, or for `unitary` from the matrix.
[[nodiscard]] MatrixShape operation_shape(const Operation& op);

/// Whether c measures anything.
[[nodiscard]] inline bool measures(const Circuit& c) {
    for (const Operation& op : c.operations())
        if (op.kind == OpKind::measure) return true;
    return false;
}

/// A gate's matrix, read in place: a Matrix, or a named gate's on the stack (gate_matrix.hpp).
using MatrixView = std::span<const std::complex<double>>;

/// Matrix m (2^k x 2^k, row-major, bit j = targets[j]) prepared for the kernel class of
/// `shape` on a state of n qubits, where the controls hold.
template <Precision T>
[[nodiscard]] PreparedGate<T> prepare_shaped(MatrixView m, MatrixShape shape, unsigned n,
                                             std::span<const unsigned> targets, std::span<const unsigned> controls,
                                             std::span<const std::uint8_t> control_values);

/// Applies matrix m (2^k x 2^k, row-major, bit j = targets[j]) with the kernel class of
/// `shape` where the controls hold: the one place gates meet kernels.
template <Precision T>
void apply_shaped(StateVector<T>& state, MatrixView m, MatrixShape shape, std::span<const unsigned> targets,
                  std::span<const unsigned> controls, std::span<const std::uint8_t> control_values);

template <Precision T>
struct Execution {
    const Circuit& circuit;
    StateVector<T>& state;
    std::span<const double> params;
    std::vector<bool> terminal_of_circuit;  // computed here unless the caller kept it
    const std::vector<bool>& terminal;      // which operations are terminal measurements (kept or computed)
    Rng rng;
    RunResult result;

    /// `kept`: which of c's operations are terminal measurements, worked out once for many runs
    /// (terminal_measurements(c), or that of the circuit c was renamed from: swap_relabelling.hpp),
    /// or null to compute terminal_measurements(c) here.
    Execution(const Circuit& c, StateVector<T>& s, std::span<const double> p, const RunOptions& options,
              const std::vector<bool>* kept = nullptr)
        : circuit(c), state(s), params(p),
          // Read only by step's measurements: for a circuit of gates alone working it out cost
          // 1% of a 10-qubit run.
          terminal_of_circuit(kept != nullptr || !measures(c) ? std::vector<bool>{} : terminal_measurements(c)),
          terminal(kept ? *kept : terminal_of_circuit), rng(options.seed) {
        result.clbits.assign(c.num_clbits(), 0);
    }
    Execution(const Execution&) = delete;  // `terminal` may refer to this object's own member
    Execution& operator=(const Execution&) = delete;

    [[nodiscard]] bool condition_holds(const Operation& op) const {
        if (!op.condition) return true;
        const Register& r = circuit.cregs()[op.condition->creg];
        std::uint64_t value = 0;
        for (std::size_t j = 0; j < r.size; ++j) value |= std::uint64_t{result.clbits[r.offset + j]} << j;
        return value == op.condition->value;
    }

    /// Runs operation i on its own.
    void step(std::size_t i) {
        const Operation& op = circuit.operations()[i];
        if (!condition_holds(op)) return;
        switch (op.kind) {
            case OpKind::gate: apply_gate(state, op, params); break;
            case OpKind::measure:
                if (terminal[i]) {
                    result.terminal_measurements.emplace_back(op.targets[0], op.clbit);
                    break;
                }
                // This later write replaces what an earlier terminal measurement put in the bit.
                std::erase_if(result.terminal_measurements, [&](const auto& m) { return m.second == op.clbit; });
                result.clbits[op.clbit] = static_cast<std::uint8_t>(measure(state, op.targets[0], rng));
                break;
            case OpKind::reset: reset(state, op.targets[0], rng); break;
            case OpKind::barrier: break;
        }
    }
};

}  // namespace kettle::detail
