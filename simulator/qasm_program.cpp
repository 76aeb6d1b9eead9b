#include "qasm_program.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <numbers>

#include "kettle/error.hpp"
#include "kettle/resources.hpp"

namespace kettle::qasm {
namespace {

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > (max_operations + 1) / a) return max_operations + 1;
    return std::min<std::uint64_t>(a * b, max_operations + 1);
}

}  // namespace

Program::Program(std::string_view filename) : filename_(filename), circuit_(0, 0) {
    for (const BuiltinGate& b : builtin_gates())
        if (b.primitive) define_gate({std::string(b.name), b.num_params, b.num_qubits, &b, {}, 1, 0, "", {}});
}

const GateDef* Program::find_gate(std::string_view name) const {
    auto it = gate_names_.find(std::string(name));
    return it == gate_names_.end() ? nullptr : &gates_[it->second];
}

void Program::define_gate(GateDef def) {
    // Replacing keeps the old entry: bodies defined earlier refer to it by index.
    gate_names_[def.name] = gates_.size();
    gates_.push_back(std::move(def));
}

bool Program::include_qelib1() {
    if (included_qelib1_) return false;
    included_qelib1_ = true;
    for (const BuiltinGate& b : builtin_gates())
        if (!b.primitive)
            define_gate({std::string(b.name), b.num_params, b.num_qubits, &b, {}, 1, 0, "qelib1.inc", {}});
    return true;
}

const DeclaredRegister* Program::find_register(std::string_view name) const {
    auto it = register_names_.find(std::string(name));
    return it == register_names_.end() ? nullptr : &registers_[it->second];
}

void Program::declare_register(bool quantum, std::string_view name, std::uint64_t size, Location where) {
    if (quantum && size > Circuit::max_qubits - circuit_.num_qubits())
        fail(filename_, where,
             size > Circuit::max_qubits
                 ? fmt::format("register {}[{}] is larger than the limit of {} qubits", name, size, Circuit::max_qubits)
                 : fmt::format("register {}[{}] would bring the program to {} qubits, more than the limit of {}",
                               name, size, circuit_.num_qubits() + size, Circuit::max_qubits),
             ErrorCode::resource_limit);
    DeclaredRegister r{std::string(name), quantum, 0, 0, static_cast<std::size_t>(size), where};
    try {
        r.index = quantum ? circuit_.qregs().size() : circuit_.cregs().size();
        r.offset = quantum ? circuit_.add_qreg(r.name, r.size) : circuit_.add_creg(r.name, r.size);
    } catch (const Error& e) {
        fail(filename_, where, e.what(), e.code());
    }
    register_names_.emplace(r.name, registers_.size());
    registers_.push_back(std::move(r));
}

std::size_t Program::broadcast_count(std::span<const Operand> operands, std::string_view what) const {
    const Operand* first = nullptr;
    for (const Operand& o : operands) {
        if (o.index) continue;
        if (!first) {
            first = &o;
        } else if (registers_[o.reg].size != registers_[first->reg].size) {
            const DeclaredRegister& a = registers_[first->reg];
            const DeclaredRegister& b = registers_[o.reg];
            fail(filename_, o.where,
                 fmt::format("registers {}[{}] and {}[{}] of '{}' have different sizes; broadcasting needs "
                             "equal sizes", a.name, a.size, b.name, b.size, what));
        }
    }
    return first ? registers_[first->reg].size : 1;
}

unsigned Program::element(const Operand& operand, std::size_t instance) const {
    return static_cast<unsigned>(registers_[operand.reg].offset + operand.index.value_or(instance));
}

std::string Program::element_name(const Operand& operand, std::size_t instance) const {
    return fmt::format("{}[{}]", registers_[operand.reg].name, operand.index.value_or(instance));
}

void Program::reserve(std::uint64_t ops, Location where) {
    if (ops > max_operations - std::min<std::uint64_t>(max_operations, circuit_.operations().size()))
        fail(filename_, where,
             fmt::format("this statement takes the program past the limit of {} operations (after expanding "
                         "gate definitions)", max_operations),
             ErrorCode::resource_limit);
    // The expanded operations must fit in memory too. Reading the memory figures costs more than
    // a statement, so the check looks ahead: it asks for twice the operations reached, at most
    // once per doubling.
    const std::uint64_t total = circuit_.operations().size() + ops;
    if (total > memory_checked_ops_) {
        memory_checked_ops_ = 2 * total;
        try {
            check_memory(memory_checked_ops_ * bytes_per_operation,
                         fmt::format("expanding the program to {} operations", memory_checked_ops_));
        } catch (const Error& e) {
            fail(filename_, where, e.what(), e.code());
        }
    }
}

void Program::append(Operation op, Location where) {
    try {
        circuit_.append(std::move(op));
    } catch (const Error& e) {
        fail(filename_, where, e.what(), e.code());
    }
}

void Program::apply_gate(std::size_t gate, std::span<const double> params, std::span<const Operand> operands,
                         const std::optional<Condition>& condition, Location where) {
    const GateDef& def = gates_[gate];
    const std::size_t count = broadcast_count(operands, def.name);
    reserve(saturating_mul(count, def.expanded_ops), where);
    std::vector<unsigned> qubits(operands.size());
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t k = 0; k < operands.size(); ++k) {
            qubits[k] = element(operands[k], i);
            for (std::size_t j = 0; j < k; ++j)
                if (qubits[j] == qubits[k])
                    fail(filename_, operands[k].where,
                         fmt::format("qubit {} is used twice in one gate", element_name(operands[k], i)));
        }
        emit(def, params, qubits, condition, {def.name, where});
    }
}

void Program::emit(const GateDef& def, std::span<const double> params, std::span<const unsigned> qubits,
                   const std::optional<Condition>& condition, const CallSite& site) {
    if (def.builtin) {
        const BuiltinGate& b = *def.builtin;
        Operation op;
        op.gate = b.kind;
        op.condition = condition;
        switch (b.map) {
            case ParamMap::direct: op.params.assign(params.begin(), params.end()); break;
            case ParamMap::u2: op.params = {std::numbers::pi / 2, params[0], params[1]}; break;
            case ParamMap::drop: break;
        }
        op.controls.assign(qubits.begin(), qubits.begin() + b.controls);
        op.control_values.assign(b.controls, 1);
        op.targets.assign(qubits.begin() + b.controls, qubits.end());
        append(std::move(op), site.where);
        return;
    }
    std::vector<double> values;
    std::vector<unsigned> inner;
    for (const GateCall& call : def.body) {
        inner.clear();
        for (unsigned a : call.qubits) inner.push_back(qubits[a]);
        if (call.gate == GateCall::barrier) {
            // A conditioned gate's barriers are dropped: a barrier cannot be conditioned, and
            // it does nothing in a simulation.
            if (condition) continue;
            Operation op;
            op.kind = OpKind::barrier;
            op.targets = inner;
            append(std::move(op), site.where);
            continue;
        }
        values.clear();
        for (const Expr& e : call.params) {
            const Evaluation r = evaluate(e, params);
            if (r.failed)
                fail(def.file, r.failed->where,
                     fmt::format("{} (expanding '{}' applied at {}:{})", non_finite_message(*r.failed, r.value),
                                 site.gate, site.where.line, site.where.column));
            values.push_back(r.value);
        }
        emit(gates_[call.gate], values, inner, condition, site);
    }
}

void Program::measure(const Operand& qubit, const Operand& bit, const std::optional<Condition>& condition,
                      Location where) {
    const DeclaredRegister& q = registers_[qubit.reg];
    const DeclaredRegister& c = registers_[bit.reg];
    if (qubit.index && !bit.index)
        fail(filename_, bit.where,
             fmt::format("cannot measure the single qubit {}[{}] into the whole register {}[{}]", q.name,
                         *qubit.index, c.name, c.size));
    if (!qubit.index && bit.index)
        fail(filename_, bit.where,
             fmt::format("cannot measure the whole register {}[{}] into the single bit {}[{}]", q.name, q.size,
                         c.name, *bit.index));
    if (!qubit.index && q.size != c.size)
        fail(filename_, bit.where,
             fmt::format("cannot measure register {}[{}] into register {}[{}]: the sizes differ", q.name, q.size,
                         c.name, c.size));
    const std::size_t count = qubit.index ? 1 : q.size;
    reserve(count, where);
    for (std::size_t i = 0; i < count; ++i) {
        Operation op;
        op.kind = OpKind::measure;
        op.targets = {element(qubit, i)};
        op.clbit = c.offset + bit.index.value_or(i);
        op.condition = condition;
        append(std::move(op), where);
    }
}

void Program::reset(const Operand& qubit, const std::optional<Condition>& condition, Location where) {
    const std::size_t count = broadcast_count({&qubit, 1}, "reset");
    reserve(count, where);
    for (std::size_t i = 0; i < count; ++i) {
        Operation op;
        op.kind = OpKind::reset;
        op.targets = {element(qubit, i)};
        op.condition = condition;
        append(std::move(op), where);
    }
}

void Program::barrier(std::span<const Operand> operands, Location where) {
    Operation op;
    op.kind = OpKind::barrier;
    for (const Operand& o : operands) {
        const std::size_t count = o.index ? 1 : registers_[o.reg].size;
        for (std::size_t i = 0; i < count; ++i) {
            const unsigned q = element(o, i);
            // Naming a qubit twice in a barrier is harmless; keep the first mention.
            if (std::find(op.targets.begin(), op.targets.end(), q) == op.targets.end()) op.targets.push_back(q);
        }
    }
    if (op.targets.empty()) return;  // only empty registers: nothing to separate
    reserve(1, where);
    append(std::move(op), where);
}

}  // namespace kettle::qasm
