#pragma once
// SWAPs as a relabelling of the qubits instead of passes over the state. After swap(a, b) the
// data of logical qubit a lies where b's did: rather than move it, every later operation is
// renamed to the qubits' current places, and at the end one permutation of the qubits
// (qubit_permutation.hpp) puts each back in place: a single pass where the circuit's swaps
// would each be one (or, fused and cache-blocked, share passes and still be applied in cache).

#include <optional>
#include <vector>

#include "qubit_permutation.hpp"
#include "kettle/circuit.hpp"

namespace kettle::detail {

/// A circuit with its swaps taken into a relabelling: operation i is operation i of the
/// original, renamed to the qubits' places at that point unless it is a terminal measurement (a
/// swap taken into the relabelling is a barrier on its two qubits, so that indices stay
/// aligned); after it, `restore` moves every qubit back. Terminal measurements keep their
/// logical qubit: they only name the bit a sample of the final state reads, and `restore` puts
/// that state back in logical order.
struct SwapRelabelling {
    Circuit circuit;
    /// terminal_measurements() of the original. The renamed circuit's own differ: a kept logical
    /// qubit may be another qubit's place that later gates act on.
    std::vector<bool> terminal;
    /// The permutation that ends the run: the content of place p goes to place restore[p]
    /// (permute_qubits).
    std::vector<unsigned> restore;

    /// Whether `restore` moves any qubit (not where the swaps cancelled): a pass at the end.
    [[nodiscard]] bool restores() const { return !is_identity(restore); }
};

/// Whether an operation is a swap the relabelling takes: an unconditioned, uncontrolled SWAP.
[[nodiscard]] bool relabels(const Operation& op);

/// `r` with the fewest swaps that carry out its `restore` (permutation_swaps) appended to its
/// circuit as gates, and `restore` left the identity: for an executor that plans them with the
/// other gates. Cost: a copy of the circuit.
[[nodiscard]] SwapRelabelling with_restoring_swaps(const SwapRelabelling& r);

/// `c` with its swaps taken into a relabelling, or nullopt where it has fewer than two such
/// swaps (one would cost the permutation pass it saves). Cost: O(operations + n), plus a copy
/// of the circuit when it relabels.
[[nodiscard]] std::optional<SwapRelabelling> relabel_swaps(const Circuit& c);

}  // namespace kettle::detail
