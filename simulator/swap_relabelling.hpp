#pragma once
// SWAPs as a relabelling of the qubits instead of passes over the state. After swap(a, b) the
// data of logical qubit a lies where b's did: rather than move it, every later operation is
// renamed to the qubits' current places, and at the end the fewest swaps that put each qubit
// back in place (n minus the number of cycles of the final placement) restore the order. A
// circuit of s swaps whose placement restores in fewer than s swaps (a swap network, swaps
// that cancel, routing swaps) then makes fewer passes; it changes nothing else.

#include <optional>
#include <vector>

#include "kettle/circuit.hpp"

namespace kettle::detail {

/// A circuit with its swaps taken into a relabelling: operation i is operation i of the
/// original, renamed to the qubits' places at that point unless it is a terminal measurement (a
/// swap taken into the relabelling is a barrier on its two qubits, so that indices stay
/// aligned), followed by the restoring swaps. Terminal measurements keep their logical qubit:
/// they only name the bit a sample of the final state reads, and the restoring swaps put that
/// state back in logical order.
struct SwapRelabelling {
    Circuit circuit;
    /// terminal_measurements() of the original, then false for each restoring swap. The renamed
    /// circuit's own differ: a kept logical qubit may be another qubit's place that later gates
    /// and the restoring swaps act on.
    std::vector<bool> terminal;
};

/// Whether an operation is a swap the relabelling takes: an unconditioned, uncontrolled SWAP.
[[nodiscard]] bool relabels(const Operation& op);

/// `c` with its swaps taken into a relabelling, or nullopt where that saves no pass: the
/// restoring swaps would be as many as the swaps taken. Cost: O(operations + n), plus a copy of
/// the circuit when it relabels.
[[nodiscard]] std::optional<SwapRelabelling> relabel_swaps(const Circuit& c);

}  // namespace kettle::detail
