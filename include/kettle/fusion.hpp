#pragma once
// Gate fusion: neighbouring gates merged into one pass over the state. The plan (which gates
// form which block) depends only on the circuit's structure; the matrices of blocks with
// symbolic parameters are recomputed from the parameter values on each run, so re-binding
// parameters never re-plans; those of the other blocks, and the cache-blocked passes, are
// formed once, with the plan.

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/simulator.hpp"
#include "kettle/state_vector.hpp"

namespace kettle {

namespace detail {
struct BlockedStep;
struct FusionPasses;
struct FusionPlanInternals;
struct SwapRelabelling;
}

struct FusionOptions {
    /// Largest number of qubits a dense block may span (1..6). Diagonal and permutation blocks
    /// (cheaper per amplitude) may span up to 6 regardless.
    unsigned max_qubits = 4;
    /// Run the blocks in cache-blocked passes: on states above about 1 MiB, every run of blocks
    /// whose qubits fit a 1 MiB chunk is applied chunk by chunk while the chunk stays in cache,
    /// so that a pass over memory serves many blocks. Off: one pass per block.
    bool cache_blocking = true;
    /// Take uncontrolled, unconditioned SWAPs into a relabelling of the qubits: later gates are
    /// renamed to the qubits' new places, and at the end either one permutation pass puts them
    /// back or the fewest swaps that do, planned with the other gates, whichever makes fewer
    /// passes (see RunOptions::relabel_swaps, which says when it is taken). Off: every SWAP is
    /// a gate.
    bool relabel_swaps = true;
};

/// The dense block limit that suits this machine: the largest k in 1..5 whose k-qubit dense
/// pass over a 2^22-amplitude state costs at most 1.3 times a 1-qubit pass, with the current
/// instruction set and thread count (beyond that, a block's arithmetic outweighs the passes it
/// saves). Measured once per precision, instruction set and thread count (about 0.1-0.3 s),
/// then cached. Thread-safe.
template <Precision T>
[[nodiscard]] unsigned measured_fusion_limit();

/// The fusion of one circuit: an ordered list of blocks, each one pass over the state.
/// Thread safety: a const plan may be run by many threads on distinct states.
class FusionPlan {
public:
    enum class Kind {
        single,  ///< one operation run as it is (measure, reset, conditioned gate, lone gate)
        matrix,  ///< the product of its gates as one 2^k x 2^k matrix, k <= 6
        phase,   ///< diagonal gates with quadratic phases (cz, cp, rz, rzz, ...) over any number
                 ///< of qubits: one pass however wide (a QFT stage, an RZZ layer)
    };
    struct Block {
        std::vector<std::size_t> ops;   ///< indices into circuit()'s operations, ascending
        std::vector<unsigned> qubits;   ///< the qubits the block spans, ascending (matrix bit j)
        MatrixShape shape;              ///< diagonal if every gate is; permutation if every gate is monomial
        Kind kind;
        bool quadratic_phase;           ///< every gate is diagonal with a quadratic phase
    };

    /// Plans greedily in circuit order: a gate joins a block that comes after every block on
    /// its qubits (later blocks act on other qubits, so they commute with it) and whose union
    /// with it stays within the limits (no limit when the block and the gate are all quadratic
    /// phases), preferring one that already spans the gate's qubits, else the newest; else it
    /// opens a new block. A dense 1-qubit gate that its qubit's latest block cannot take for
    /// free (there is none, or it is a measurement or a phase layer wider than the dense limit)
    /// waits for the next gate on its qubit and joins that gate's block, so that unrelated
    /// 1-qubit gates are not paired into blocks of their own. Measurements, resets and
    /// conditioned gates are blocks of their own; barriers are dropped. A block's gates are in
    /// an order that keeps each qubit's order. It then forms the matrices of the blocks without
    /// symbolic parameters (kept, a 2^k x 2^k matrix each: 64 KiB for a 6-qubit block) and,
    /// on 18 qubits or more with cache blocking, plans the passes for both precisions.
    /// Cost: O(gates * (n + 8 * 2^6) + gates * 8^k) plus the planning (cache_blocking.hpp).
    FusionPlan(const Circuit& c, FusionOptions options = {});

    [[nodiscard]] const std::vector<Block>& blocks() const noexcept { return blocks_; }
    /// The circuit whose operations the blocks index: the one given, or where its SWAPs were
    /// relabelled (relabelled()), a copy owned by the plan with its operations renamed to the
    /// qubits' places (a relabelled SWAP left as a barrier); a run ends by putting them back.
    /// That copy is for reading the blocks, not for running alone: its terminal measurements
    /// keep their logical qubits, which only the plan's own run accounts for.
    [[nodiscard]] const Circuit& circuit() const noexcept;
    /// Whether the plan took the circuit's SWAPs into a relabelling (FusionOptions::relabel_swaps).
    [[nodiscard]] bool relabelled() const noexcept { return relabelling_ != nullptr; }

    /// Runs the plan on `state` as kettle::run runs the circuit (same results up to rounding,
    /// same seeded measurement draws). The circuit given to the constructor must outlive the plan.
    /// Cost: per block with symbolic parameters O(gates * 8^k) to form its matrix, per other
    /// block a copy of its matrix; then, with cache blocking, one pass over the state per group
    /// of blocks that fits a chunk, else one per block.
    template <Precision T>
    RunResult run(StateVector<T>& state, std::span<const double> params = {}, const RunOptions& options = {}) const;

private:
    friend struct detail::FusionPlanInternals;  // PreparedCircuit reuses what the plan formed

    /// Forms the blocks of circuit(), their fixed matrices and the cache-blocked passes.
    void form(FusionOptions options);
    /// The passes over memory a run makes: cache-blocked passes (double's, where the state is
    /// large enough), else blocks.
    [[nodiscard]] std::size_t passes() const;

    const Circuit* given_;
    /// The renamed circuit the plan runs instead of the given one, or null (FusionOptions::relabel_swaps).
    std::shared_ptr<const detail::SwapRelabelling> relabelling_;
    std::vector<Block> blocks_;
    /// Per block: its lowered form if none of its gates has a parameter (formed by the
    /// constructor, shared by copies of the plan), else null.
    std::vector<std::shared_ptr<const detail::BlockedStep>> fixed_;
    /// The cache-blocked passes of each run of blocks (they depend only on the blocks' qubits),
    /// null when the circuit is too small to block.
    std::shared_ptr<const detail::FusionPasses> passes_;
    bool cache_blocking_;
};

}  // namespace kettle
