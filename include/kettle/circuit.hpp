#pragma once
// A quantum circuit: a builder that reads like the math, with symbolic parameters.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "kettle/gate.hpp"
#include "kettle/parameter.hpp"

namespace kettle {

/// A named register: `size` consecutive qubits (or bits) starting at `offset`.
struct Register {
    std::string name;
    std::size_t offset;
    std::size_t size;
    bool operator==(const Register&) const = default;
};

/// An ordered list of operations on `num_qubits()` qubits and `num_clbits()` classical bits.
///
///     Circuit c(3);
///     Parameter theta = c.parameter("theta");
///     c.h(0).cx(0, 1).ry(2, theta).measure(0, 0);
///
/// Every builder call validates its arguments (qubits in range and distinct, finite constant
/// angles, unitary matrices) and throws Error(invalid_input) naming the call and the bad value;
/// an invalid circuit cannot be built. Thread safety: a const Circuit may be shared by threads.
class Circuit {
public:
    /// The most qubits a circuit may name; simulation is further limited by memory.
    static constexpr unsigned max_qubits = 1024;

    /// A circuit on qubits 0..num_qubits-1 (one register `q`) and bits 0..num_clbits-1 (one
    /// register `c`, if num_clbits > 0).
    explicit Circuit(unsigned num_qubits = 0, unsigned num_clbits = 0);

    /// Adds a quantum / classical register at the end and returns its offset.
    std::size_t add_qreg(std::string name, std::size_t size);
    std::size_t add_creg(std::string name, std::size_t size);

    /// Declares a new named parameter (names must be unique) and returns its handle.
    Parameter parameter(std::string name);

    // Fixed 1-qubit gates.
    Circuit& id(unsigned q) { return add(GateKind::i, {q}); }
    Circuit& x(unsigned q) { return add(GateKind::x, {q}); }
    Circuit& y(unsigned q) { return add(GateKind::y, {q}); }
    Circuit& z(unsigned q) { return add(GateKind::z, {q}); }
    Circuit& h(unsigned q) { return add(GateKind::h, {q}); }
    Circuit& s(unsigned q) { return add(GateKind::s, {q}); }
    Circuit& sdg(unsigned q) { return add(GateKind::sdg, {q}); }
    Circuit& t(unsigned q) { return add(GateKind::t, {q}); }
    Circuit& tdg(unsigned q) { return add(GateKind::tdg, {q}); }
    Circuit& sx(unsigned q) { return add(GateKind::sx, {q}); }
    Circuit& sxdg(unsigned q) { return add(GateKind::sxdg, {q}); }
    // Parameterised 1-qubit gates (angles in radians).
    Circuit& rx(unsigned q, ParamExpr theta) { return add(GateKind::rx, {q}, {theta}); }
    Circuit& ry(unsigned q, ParamExpr theta) { return add(GateKind::ry, {q}, {theta}); }
    Circuit& rz(unsigned q, ParamExpr theta) { return add(GateKind::rz, {q}, {theta}); }
    Circuit& p(unsigned q, ParamExpr lambda) { return add(GateKind::p, {q}, {lambda}); }
    Circuit& u1(unsigned q, ParamExpr lambda) { return p(q, lambda); }
    Circuit& u2(unsigned q, ParamExpr phi, ParamExpr lambda);
    Circuit& u3(unsigned q, ParamExpr theta, ParamExpr phi, ParamExpr lambda) {
        return add(GateKind::u, {q}, {theta, phi, lambda});
    }
    Circuit& u(unsigned q, ParamExpr theta, ParamExpr phi, ParamExpr lambda) { return u3(q, theta, phi, lambda); }
    // Controlled gates: control first, then target.
    Circuit& cx(unsigned c, unsigned t) { return add(GateKind::x, {t}, {}, {c}); }
    Circuit& cy(unsigned c, unsigned t) { return add(GateKind::y, {t}, {}, {c}); }
    Circuit& cz(unsigned c, unsigned t) { return add(GateKind::z, {t}, {}, {c}); }
    Circuit& ch(unsigned c, unsigned t) { return add(GateKind::h, {t}, {}, {c}); }
    Circuit& csx(unsigned c, unsigned t) { return add(GateKind::sx, {t}, {}, {c}); }
    Circuit& crx(unsigned c, unsigned t, ParamExpr theta) { return add(GateKind::rx, {t}, {theta}, {c}); }
    Circuit& cry(unsigned c, unsigned t, ParamExpr theta) { return add(GateKind::ry, {t}, {theta}, {c}); }
    Circuit& crz(unsigned c, unsigned t, ParamExpr theta) { return add(GateKind::rz, {t}, {theta}, {c}); }
    Circuit& cp(unsigned c, unsigned t, ParamExpr lambda) { return add(GateKind::p, {t}, {lambda}, {c}); }
    Circuit& cu1(unsigned c, unsigned t, ParamExpr lambda) { return cp(c, t, lambda); }
    Circuit& cu3(unsigned c, unsigned t, ParamExpr theta, ParamExpr phi, ParamExpr lambda) {
        return add(GateKind::u, {t}, {theta, phi, lambda}, {c});
    }
    /// Controlled e^{iγ} u(θ, φ, λ): the global phase γ matters under control.
    Circuit& cu(unsigned c, unsigned t, ParamExpr theta, ParamExpr phi, ParamExpr lambda, ParamExpr gamma) {
        return add(GateKind::ug, {t}, {theta, phi, lambda, gamma}, {c});
    }
    // 2- and 3-qubit gates.
    Circuit& swap(unsigned a, unsigned b) { return add(GateKind::swap, {a, b}); }
    Circuit& rxx(unsigned a, unsigned b, ParamExpr theta) { return add(GateKind::rxx, {a, b}, {theta}); }
    Circuit& ryy(unsigned a, unsigned b, ParamExpr theta) { return add(GateKind::ryy, {a, b}, {theta}); }
    Circuit& rzz(unsigned a, unsigned b, ParamExpr theta) { return add(GateKind::rzz, {a, b}, {theta}); }
    Circuit& ccx(unsigned c0, unsigned c1, unsigned t) { return add(GateKind::x, {t}, {}, {c0, c1}); }
    Circuit& cswap(unsigned c, unsigned a, unsigned b) { return add(GateKind::swap, {a, b}, {}, {c}); }
    /// Multi-controlled X, every control on |1>.
    Circuit& mcx(std::vector<unsigned> controls, unsigned t) { return add(GateKind::x, {t}, {}, std::move(controls)); }

    /// Any k-qubit unitary (1 <= k <= 6), row/column bit j referring to targets[j]. The matrix
    /// is checked for unitarity to 1e-9. Cost of the check: O(8^k).
    Circuit& unitary(Matrix matrix, std::vector<unsigned> targets);

    /// The general form: base gate `kind` on `targets` with `params`, controlled by `controls`,
    /// each active on the state given in `control_values` (default: all 1).
    Circuit& add(GateKind kind, std::vector<unsigned> targets, std::vector<ParamExpr> params = {},
                 std::vector<unsigned> controls = {}, std::vector<std::uint8_t> control_values = {});

    /// Measures qubit q into classical bit b.
    Circuit& measure(unsigned q, std::size_t b);
    /// Resets qubit q to |0>.
    Circuit& reset(unsigned q);
    /// A barrier over the given qubits (all if empty); the simulator ignores it.
    Circuit& barrier(std::vector<unsigned> qubits = {});
    /// Makes the last operation run only when classical register `creg` holds `value`.
    Circuit& c_if(std::size_t creg, std::uint64_t value);

    /// Appends an operation after validating it as the builders do.
    Circuit& append(Operation op);
    /// Appends every operation of `other` (same number of qubits and bits or fewer); `other`'s
    /// parameters are matched to this circuit's by name, declared here when missing.
    Circuit& compose(const Circuit& other);

    /// The inverse circuit (reversed, every gate inverted). Throws Error(invalid_input) if the
    /// circuit measures, resets or conditions.
    [[nodiscard]] Circuit inverse() const;

    /// Circuit depth as Qiskit counts it: the longest path through qubits and classical bits;
    /// a barrier adds no layer but lines up the qubits it spans.
    [[nodiscard]] std::size_t depth() const;
    /// How many operations of each name (`cx`, `h`, `measure`, ...); barriers included.
    [[nodiscard]] std::map<std::string, std::size_t> count_ops() const;

    [[nodiscard]] unsigned num_qubits() const noexcept { return num_qubits_; }
    [[nodiscard]] std::size_t num_clbits() const noexcept { return num_clbits_; }
    [[nodiscard]] std::size_t num_parameters() const noexcept { return parameter_names_.size(); }
    [[nodiscard]] const std::vector<std::string>& parameter_names() const noexcept { return parameter_names_; }
    [[nodiscard]] const std::vector<Operation>& operations() const noexcept { return ops_; }
    [[nodiscard]] const std::vector<Register>& qregs() const noexcept { return qregs_; }
    [[nodiscard]] const std::vector<Register>& cregs() const noexcept { return cregs_; }

    /// Throws Error(invalid_input) unless `values` has one finite value per parameter.
    void check_bindings(std::span<const double> values, std::string_view where) const;

    bool operator==(const Circuit&) const = default;

private:
    void check_qubit(unsigned q, std::string_view where) const;

    unsigned num_qubits_ = 0;
    std::size_t num_clbits_ = 0;
    std::vector<Register> qregs_;
    std::vector<Register> cregs_;
    std::vector<std::string> parameter_names_;
    std::vector<Operation> ops_;
};

}  // namespace kettle
