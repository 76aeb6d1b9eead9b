#pragma once
// Data encodings and ansätze: circuits whose angles are bound to features and weights.

#include <cstddef>
#include <vector>

#include "kettle/circuit.hpp"

namespace kettle {

/// The rotation an angle encoding uses.
enum class RotationAxis { x, y, z };

/// Appends one rotation per qubit, angle = scale * x_q, with x_q a new parameter named `x<q>`.
/// Returns the parameters in qubit order. For RZ a Hadamard precedes each rotation so that the
/// encoding changes the state. Cost: O(num_qubits) operations.
std::vector<Parameter> angle_encoding(Circuit& c, RotationAxis axis, double scale = 1.0);

/// How the layers of a hardware-efficient ansatz entangle.
enum class Entangler { linear, ring, full };

/// Appends `layers` layers, each RY then RZ on every qubit (new parameters `w<i>`) followed by
/// CNOTs: linear (q, q+1), ring (also n-1 -> 0 when n > 2), or full (every pair q < r).
/// Returns the 2 * n * layers weight parameters in order.
std::vector<Parameter> hardware_efficient_ansatz(Circuit& c, std::size_t layers, Entangler entangler);

}  // namespace kettle
