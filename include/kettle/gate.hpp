#pragma once
// Gate kinds, their matrices, and the operations a Circuit is made of.

#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kettle/parameter.hpp"

namespace kettle {

/// The base (uncontrolled) gates. Controlled gates are a base gate plus controls: `cx` is `x`
/// with one control, `ccx` is `x` with two, `cu3` is `u` with one, and so on. Definitions are
/// those of Qiskit's qelib1.inc.
enum class GateKind : std::uint8_t {
    i, x, y, z, h, s, sdg, t, tdg, sx, sxdg,  // fixed 1-qubit gates
    rx, ry, rz, p,                            // 1-parameter rotations, p = u1
    u,                                        // u(θ, φ, λ) = u3
    ug,                                       // e^{iγ} u(θ, φ, λ); its controlled form is `cu`
    swap, rxx, ryy, rzz,                      // 2-qubit gates
    unitary,                                  // any k-qubit unitary matrix, k <= 6
};

/// How a gate's matrix is shaped, which decides the kernel class that applies it.
enum class MatrixShape : std::uint8_t { dense, diagonal, permutation };

/// Static facts about a base gate kind.
struct GateInfo {
    std::string_view name;   ///< the qelib1.inc name of the uncontrolled gate
    unsigned num_targets;    ///< 0 for `unitary` (it takes its width from its matrix)
    unsigned num_params;
    MatrixShape shape;       ///< for `unitary`, decided from the matrix itself
};

[[nodiscard]] const GateInfo& gate_info(GateKind kind) noexcept;

/// A dense row-major complex matrix of dimension 2^k. Row/column bit j refers to the gate's
/// j-th target (little-endian, as in Qiskit).
using Matrix = std::vector<std::complex<double>>;

/// The matrix of a base gate for the given parameter values (`params.size()` must equal
/// `gate_info(kind).num_params`; not for `unitary`). Cost: O(4^k).
[[nodiscard]] Matrix gate_matrix(GateKind kind, std::span<const double> params);

/// Throws Error(invalid_input) unless `m` is a 2^k x 2^k unitary with 1 <= k <= 6, to 1e-9
/// entrywise in U U^dagger = I. `where` names the caller in the message. Returns k.
unsigned check_unitary(const Matrix& m, std::string_view where);

/// What an operation does.
enum class OpKind : std::uint8_t { gate, measure, reset, barrier };

/// A classical condition `if (creg == value)`.
struct Condition {
    std::size_t creg;      ///< index into Circuit::cregs()
    std::uint64_t value;
    bool operator==(const Condition&) const = default;
};

/// One step of a circuit. For a gate: `targets` in the order of the base gate's definition,
/// `controls` with `control_values` (1: act when the control is |1>, 0: when it is |0>).
/// For measure: targets[0] is the qubit and `clbit` the classical bit. For reset: targets[0].
/// For barrier: the qubits it spans.
struct Operation {
    OpKind kind = OpKind::gate;
    GateKind gate = GateKind::i;
    std::vector<unsigned> targets;
    std::vector<unsigned> controls;
    std::vector<std::uint8_t> control_values;
    std::vector<ParamExpr> params;
    std::shared_ptr<const Matrix> matrix;  ///< only for GateKind::unitary
    std::size_t clbit = 0;
    std::optional<Condition> condition;

    /// The gate's name as OpenQASM and Qiskit spell it: `cx`, `ccx`, `c3x`, `crz`, `cu`, ...
    /// (`c<k><base>` beyond the names qelib1.inc has), `measure`, `reset`, `barrier`.
    [[nodiscard]] std::string name() const;
    bool operator==(const Operation& o) const;
};

}  // namespace kettle
