#pragma once
// From a fusion block to what the executors run: its matrix (or phase polynomial) with the
// parameters bound.

#include <optional>
#include <span>
#include <vector>

#include "cache_blocking.hpp"
#include "swap_relabelling.hpp"
#include "kettle/fusion.hpp"

namespace kettle::detail {

/// The step that applies `block` with `params` bound, or nullopt for a block that is not a
/// unitary (a measurement, a reset or a conditioned gate: the executor runs it as an operation).
/// Cost: O(gates * 8^k) for a k-qubit matrix block.
[[nodiscard]] std::optional<BlockedStep> lower_block(const Circuit& c, const FusionPlan::Block& block,
                                                     std::span<const double> params);

/// A fusion plan's cache-blocked passes, planned once: per precision (0 double, 1 single), the
/// plan of each run of steps between two operations that are not unitaries, in order (empty
/// where the state is too small to block in that precision).
struct FusionPasses {
    std::vector<std::vector<BlockedPass>> runs[2];
};

/// What a FusionPlan formed at construction, for executors that run its blocks themselves.
struct FusionPlanInternals {
    /// Block b's lowered form if it has no symbolic parameter, else null.
    static const BlockedStep* fixed_step(const FusionPlan& plan, std::size_t b) { return plan.fixed_[b].get(); }
    /// The plan's cache-blocked passes; null below 18 qubits or without cache blocking.
    static const FusionPasses* passes(const FusionPlan& plan) { return plan.passes_.get(); }
    /// The renamed circuit the plan runs, and its terminal measurements, where it relabelled
    /// the SWAPs; else null.
    static std::shared_ptr<const SwapRelabelling> relabelling(const FusionPlan& plan) { return plan.relabelling_; }
};

}  // namespace kettle::detail
