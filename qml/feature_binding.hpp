#pragma once
// The checks every model that binds features and weights to a circuit's parameters shares.

#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/encoding.hpp"

namespace kettle::detail {

/// Throws Error(invalid_input), prefixed with `where`, unless `f` and `weights` bind the
/// circuit's parameters consistently: one direct input per feature (or none), amplitude
/// encoding alone and within 2^n features, product inputs naming existing features, and every
/// circuit parameter named exactly once among direct inputs, product inputs and weights.
void check_feature_binding(const Circuit& circuit, const FeatureBinding& f, const std::vector<Parameter>& weights,
                           const char* where);

}  // namespace kettle::detail
