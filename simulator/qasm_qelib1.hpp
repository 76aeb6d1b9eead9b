#pragma once
// The built-in `qelib1.inc` (Qiskit's version, plus `ryy`): which Circuit operation each gate
// name is, and the QASM text of the two gates that are defined by their decompositions.

#include <cstdint>
#include <span>
#include <string_view>

#include "kettle/gate.hpp"

namespace kettle::qasm {

/// How a built-in gate's parameters map onto the Circuit operation's.
enum class ParamMap : std::uint8_t {
    direct,  ///< the same parameters in the same order
    u2,      ///< u2(φ, λ) is u(π/2, φ, λ)
    drop,    ///< u0(γ) is the identity; γ (a duration in old IBM backends) is ignored
};

/// A gate name that maps directly onto one Circuit operation: `kind` with the first `controls`
/// qubit arguments as controls (all active on |1>) and the rest as targets.
struct BuiltinGate {
    std::string_view name;
    GateKind kind;
    unsigned num_params;
    unsigned num_qubits;
    unsigned controls = 0;
    ParamMap map = ParamMap::direct;
    bool primitive = false;    ///< `U` and `CX`: defined without any include
    bool overridable = false;  ///< not in Qiskit's qelib1.inc, so files may define it themselves
};

/// Every built-in gate. Where several names give the same operation (`p`/`u1`, `u`/`u3`,
/// `cp`/`cu1`), the one the writer uses comes first.
[[nodiscard]] std::span<const BuiltinGate> builtin_gates() noexcept;

/// The name the writer uses for `kind` with `controls` controls, or nullptr if qelib1.inc has
/// none (e.g. a controlled `t` or `x` with five controls).
[[nodiscard]] const BuiltinGate* qelib1_name(GateKind kind, std::size_t controls) noexcept;

/// The relative-phase Toffolis `rccx` and `rc3x`, as qelib1.inc defines them.
extern const std::string_view qelib1_definitions;

}  // namespace kettle::qasm
