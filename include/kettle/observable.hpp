#pragma once
// Observables acting on states: H|psi> for a Pauli sum, the building block of adjoint gradients.

#include "kettle/pauli.hpp"
#include "kettle/state_vector.hpp"

namespace kettle {

/// out = H |in> for the Pauli sum H (not a projection: H need not be unitary). `out` is
/// overwritten and must have in's qubit count and be a different state. Throws
/// Error(invalid_input) if H names a qubit the state lacks or the sizes differ.
/// Cost: one pass over the state per term, no allocation.
template <Precision T>
void apply_observable(const StateVector<T>& in, const PauliSum& h, StateVector<T>& out);

/// out += weight * H |in>, with the same preconditions and cost as apply_observable.
template <Precision T>
void accumulate_observable(const StateVector<T>& in, const PauliSum& h, double weight, StateVector<T>& out);

}  // namespace kettle
