#pragma once
// Running circuits on states.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/state_vector.hpp"

namespace kettle {

// Thread safety: run, simulate, apply_gate, apply_matrix and sample_counts keep no state of
// their own but, per calling thread, the storage they prepare gates in (up to 64 KiB). Several
// threads may call them at once on distinct states, sharing const Circuits; large states also
// spread each gate over oneTBB's workers (see set_num_threads).

struct RunOptions {
    /// Seed of the random draws of collapsing measurements and resets.
    std::uint64_t seed = 0;
    /// Gate fusion: 0 runs every gate on its own; k in 1..6 fuses neighbouring gates into blocks
    /// of up to k qubits (see FusionPlan, which also lets a plan be kept across runs).
    unsigned fusion = 0;
    /// Uncontrolled, unconditioned SWAPs taken into a relabelling of the qubits: rather than
    /// moving amplitudes, later operations are renamed to the qubits' new places, and at the end
    /// one permutation of the qubits puts every one back (one pass; in 2^16- or 2^17-amplitude
    /// chunks on large states, chunk by chunk to its image; a fused run plans the swaps that
    /// restore them with its other gates instead where that makes fewer passes, see
    /// FusionOptions::relabel_swaps). Results are the same up to rounding
    /// (a renamed gate may run on another kernel). Taken where a circuit has two such SWAPs or
    /// more; off, each SWAP is a gate.
    bool relabel_swaps = true;
};

/// What a run leaves besides the state.
struct RunResult {
    /// Classical bits after the run (bit b at index b); terminal measurements are not applied.
    std::vector<std::uint8_t> clbits;
    /// (qubit, clbit) of each terminal measurement, in circuit order: the bits a sample of the
    /// final state fills in.
    std::vector<std::pair<unsigned, std::size_t>> terminal_measurements;
};

/// For each operation of `c`, whether it is a terminal measurement: no later operation acts on
/// its qubit (barriers aside) and no later condition reads its bit. Terminal measurements do not
/// collapse the state. Cost: O(operations).
[[nodiscard]] std::vector<bool> terminal_measurements(const Circuit& c);

/// Whether sampling `c` needs a simulation per shot: it has a collapsing (non-terminal)
/// measurement or a reset. Otherwise one simulation and one sampling pass serve every shot.
[[nodiscard]] bool needs_per_shot_simulation(const Circuit& c);

/// Applies one gate operation (no measure/reset/condition) with `params` bound.
/// Precondition: op was validated by a Circuit of state.num_qubits() qubits or fewer.
template <Precision T>
void apply_gate(StateVector<T>& state, const Operation& op, std::span<const double> params = {});

/// Applies any 2^k x 2^k matrix (1 <= k <= 6, not necessarily unitary: derivatives of gates,
/// projectors) to `targets` (matrix bit j = targets[j]) where `controls` hold `control_values`
/// (default all 1); amplitudes where the controls do not hold are left unchanged. Throws
/// Error(invalid_input) for bad qubits or sizes. Cost: one pass over the state.
template <Precision T>
void apply_matrix(StateVector<T>& state, const Matrix& matrix, std::span<const unsigned> targets,
                  std::span<const unsigned> controls = {}, std::span<const std::uint8_t> control_values = {});

/// Runs `c` on `state` (which must have c.num_qubits() qubits; it is not reset first) with
/// `params` bound to the circuit's parameters in order. Throws Error(invalid_input) for a
/// qubit-count mismatch or bad bindings. Cost: one pass over the state per gate (SWAPs fewer,
/// see RunOptions::relabel_swaps).
template <Precision T>
RunResult run(const Circuit& c, StateVector<T>& state, std::span<const double> params = {},
              const RunOptions& options = {});

/// How many gate passes over the state run(c, ...) makes unfused: one per gate, but where SWAPs
/// are relabelled (RunOptions::relabel_swaps, on when `relabel_swaps`) one per other gate and
/// those of the permutation that puts the qubits back (one; one per swap that restores them on
/// a state of 18 qubits or more whose cycles through qubits 0..2 span over 16 qubits).
/// Measurements, resets and barriers are not counted.
/// Cost: O(operations + n).
[[nodiscard]] std::size_t gate_passes(const Circuit& c, bool relabel_swaps = true);

/// Runs `c` from |0...0> and returns the final state.
template <Precision T = double>
[[nodiscard]] StateVector<T> simulate(const Circuit& c, std::span<const double> params = {},
                                      const RunOptions& options = {}) {
    StateVector<T> state(c.num_qubits());
    run(c, state, params, options);
    return state;
}

/// Measurement counts of `shots` runs of `c` from |0...0>, keyed by bitstring with bit 0
/// rightmost: the classical bits if the circuit measures anything, otherwise all qubits. When
/// the circuit needs no per-shot simulation this is one run and one sampling pass; otherwise
/// one run per shot. The same seed gives the same counts for any thread count; `fusion` is
/// RunOptions::fusion (fusion changes only rounding, and so almost never a count).
template <Precision T>
[[nodiscard]] std::map<std::string, std::size_t> sample_counts(const Circuit& c, std::size_t shots,
                                                               std::uint64_t seed,
                                                               std::span<const double> params = {},
                                                               unsigned fusion = 0);

/// The counts sample_counts gives, from a state that `run(c, state, params, {seed, ...})` left
/// and its result, without simulating again. Precondition: !needs_per_shot_simulation(c).
/// Cost: one sampling pass plus O(shots log shots).
template <Precision T>
[[nodiscard]] std::map<std::string, std::size_t> counts_from_state(const Circuit& c, const StateVector<T>& state,
                                                                   const RunResult& result, std::size_t shots,
                                                                   std::uint64_t seed);

}  // namespace kettle
