#pragma once
// What an OpenQASM 2.0 program declares (registers, gates) and how its statements become
// Circuit operations: broadcasting over registers, inline expansion of user gates, limits.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kettle/circuit.hpp"
#include "qasm_expr.hpp"
#include "qasm_lexer.hpp"
#include "qasm_qelib1.hpp"

namespace kettle::qasm {

/// The most operations a program may expand to. Checked before expanding, from the size of
/// each gate's expansion, so that exponentially nested gates fail at once.
inline constexpr std::uint64_t max_operations = 10'000'000;
/// Memory one expanded operation takes, with its vectors' heap blocks (an estimate on the high
/// side for qelib1.inc gates), for the memory check before expanding.
inline constexpr std::uint64_t bytes_per_operation = sizeof(Operation) + 128;
/// Programs of up to this many operations (about 20 MB) expand without a memory check.
inline constexpr std::uint64_t unchecked_operations = std::uint64_t{1} << 16;
/// The deepest nesting of gate definitions (a gate whose body uses a gate whose body ...).
inline constexpr unsigned max_gate_depth = 256;

/// a + b, saturated just past max_operations.
[[nodiscard]] inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
    return a + b > max_operations ? max_operations + 1 : a + b;
}

/// One step of a user gate's body: a call of an earlier gate, or a barrier.
struct GateCall {
    static constexpr std::size_t barrier = std::numeric_limits<std::size_t>::max();
    std::size_t gate = barrier;    ///< index into Program's gates
    std::vector<Expr> params;      ///< in the enclosing gate's formal parameters
    std::vector<unsigned> qubits;  ///< indices of the enclosing gate's qubit arguments
};

struct GateDef {
    std::string name;
    std::size_t num_params = 0;
    std::size_t num_qubits = 0;
    const BuiltinGate* builtin = nullptr;  ///< set for built-in gates, which have no body
    std::vector<GateCall> body;
    std::uint64_t expanded_ops = 1;  ///< operations one application emits, saturated past the limit
    unsigned depth = 0;              ///< 0 for built-ins, 1 + the deepest callee otherwise
    std::string_view file;           ///< where it was defined
    Location where;
};

struct DeclaredRegister {
    std::string name;
    bool quantum = true;
    std::size_t index = 0;  ///< into Circuit::qregs() or Circuit::cregs()
    std::size_t offset = 0;
    std::size_t size = 0;
    Location where;
};

/// A statement's argument: a whole register or one element of it.
struct Operand {
    std::size_t reg = 0;  ///< into Program::registers()
    std::optional<std::size_t> index;
    Location where;
};

class Program {
public:
    explicit Program(std::string_view filename);

    [[nodiscard]] std::string_view filename() const noexcept { return filename_; }
    [[nodiscard]] Circuit take_circuit() { return std::move(circuit_); }

    // Gates.
    [[nodiscard]] const GateDef* find_gate(std::string_view name) const;
    [[nodiscard]] std::size_t gate_index(std::string_view name) const { return gate_names_.at(std::string(name)); }
    [[nodiscard]] const GateDef& gate(std::size_t index) const { return gates_[index]; }
    /// Adds (or, for an overridable built-in, replaces) a gate; the caller checked the name.
    void define_gate(GateDef def);
    /// Makes every qelib1.inc name that maps onto one operation known; returns false if that
    /// was done before.
    bool include_qelib1();
    [[nodiscard]] bool included_qelib1() const noexcept { return included_qelib1_; }

    // Registers.
    [[nodiscard]] const DeclaredRegister* find_register(std::string_view name) const;
    [[nodiscard]] const DeclaredRegister& reg(std::size_t index) const { return registers_[index]; }
    [[nodiscard]] std::size_t register_index(const DeclaredRegister& r) const {
        return static_cast<std::size_t>(&r - registers_.data());
    }
    void declare_register(bool quantum, std::string_view name, std::uint64_t size, Location where);

    // Statements; operands were checked to name registers of the right kind, in range.
    void apply_gate(std::size_t gate, std::span<const double> params, std::span<const Operand> operands,
                    const std::optional<Condition>& condition, Location where);
    void measure(const Operand& qubit, const Operand& bit, const std::optional<Condition>& condition,
                 Location where);
    void reset(const Operand& qubit, const std::optional<Condition>& condition, Location where);
    void barrier(std::span<const Operand> operands, Location where);

private:
    struct CallSite {
        std::string_view gate;
        Location where;
    };

    [[nodiscard]] std::size_t broadcast_count(std::span<const Operand> operands, std::string_view what) const;
    [[nodiscard]] unsigned element(const Operand& operand, std::size_t instance) const;
    [[nodiscard]] std::string element_name(const Operand& operand, std::size_t instance) const;
    void reserve(std::uint64_t ops, Location where);
    void append(Operation op, Location where);
    void emit(const GateDef& def, std::span<const double> params, std::span<const unsigned> qubits,
              const std::optional<Condition>& condition, const CallSite& site);

    std::string_view filename_;
    Circuit circuit_;
    std::vector<GateDef> gates_;
    std::unordered_map<std::string, std::size_t> gate_names_;
    std::vector<DeclaredRegister> registers_;
    std::unordered_map<std::string, std::size_t> register_names_;
    bool included_qelib1_ = false;
    /// Operations the memory has been checked for (see reserve).
    std::uint64_t memory_checked_ops_ = unchecked_operations;
};

}  // namespace kettle::qasm
