#pragma once
// From a fusion block to what the executors run: its matrix (or phase polynomial) with the
// parameters bound.

#include <optional>
#include <span>

#include "cache_blocking.hpp"
#include "kettle/fusion.hpp"

namespace kettle::detail {

/// The step that applies `block` with `params` bound, or nullopt for a block that is not a
/// unitary (a measurement, a reset or a conditioned gate: the executor runs it as an operation).
/// Cost: O(gates * 8^k) for a k-qubit matrix block.
[[nodiscard]] std::optional<BlockedStep> lower_block(const Circuit& c, const FusionPlan::Block& block,
                                                     std::span<const double> params);

}  // namespace kettle::detail
