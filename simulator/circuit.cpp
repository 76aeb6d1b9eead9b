#include "kettle/circuit.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <numbers>

#include "kettle/error.hpp"

namespace kettle {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid_input, message); }

std::string describe(const Operation& op, std::size_t index) {
    return fmt::format("Circuit: operation #{} ({})", index, op.name());
}

/// Replaces a gate by its inverse, in place.
void invert_gate(Operation& op) {
    auto negate = [&](std::initializer_list<std::size_t> which) {
        for (std::size_t i : which) op.params[i] = -op.params[i];
    };
    switch (op.gate) {
        case GateKind::s: op.gate = GateKind::sdg; break;
        case GateKind::sdg: op.gate = GateKind::s; break;
        case GateKind::t: op.gate = GateKind::tdg; break;
        case GateKind::tdg: op.gate = GateKind::t; break;
        case GateKind::sx: op.gate = GateKind::sxdg; break;
        case GateKind::sxdg: op.gate = GateKind::sx; break;
        case GateKind::rx: case GateKind::ry: case GateKind::rz: case GateKind::p:
        case GateKind::rxx: case GateKind::ryy: case GateKind::rzz: negate({0}); break;
        case GateKind::u: case GateKind::ug: {
            // u(θ, φ, λ)^dagger = u(-θ, -λ, -φ); the global phase γ negates too.
            std::swap(op.params[1], op.params[2]);
            negate({0, 1, 2});
            if (op.gate == GateKind::ug) negate({3});
            break;
        }
        case GateKind::unitary: {
            const Matrix& m = *op.matrix;
            const std::size_t d = static_cast<std::size_t>(std::llround(std::sqrt(double(m.size()))));
            Matrix adj(m.size());
            for (std::size_t r = 0; r < d; ++r)
                for (std::size_t c = 0; c < d; ++c) adj[c * d + r] = std::conj(m[r * d + c]);
            op.matrix = std::make_shared<const Matrix>(std::move(adj));
            break;
        }
        case GateKind::i: case GateKind::x: case GateKind::y: case GateKind::z:
        case GateKind::h: case GateKind::swap: break;  // self-inverse
    }
}

}  // namespace

Circuit::Circuit(unsigned num_qubits, unsigned num_clbits) {
    if (num_qubits > 0) add_qreg("q", num_qubits);
    if (num_clbits > 0) add_creg("c", num_clbits);
}

std::size_t Circuit::add_qreg(std::string name, std::size_t size) {
    if (size > max_qubits - num_qubits_)
        throw Error(ErrorCode::resource_limit,
                    fmt::format("Circuit: register {} of {} qubits would give {} qubits, more than the "
                                "limit of {}", name, size, num_qubits_ + size, max_qubits));
    qregs_.push_back({std::move(name), num_qubits_, size});
    num_qubits_ += static_cast<unsigned>(size);
    return qregs_.back().offset;
}

std::size_t Circuit::add_creg(std::string name, std::size_t size) {
    if (size > 64 * max_qubits)
        throw Error(ErrorCode::resource_limit,
                    fmt::format("Circuit: classical register {} of {} bits is larger than the limit of {}",
                                name, size, 64 * max_qubits));
    cregs_.push_back({std::move(name), num_clbits_, size});
    num_clbits_ += size;
    return cregs_.back().offset;
}

Parameter Circuit::parameter(std::string name) {
    if (std::find(parameter_names_.begin(), parameter_names_.end(), name) != parameter_names_.end())
        invalid(fmt::format("Circuit::parameter: a parameter named '{}' already exists", name));
    parameter_names_.push_back(std::move(name));
    return Parameter(parameter_names_.size() - 1);
}

void Circuit::check_qubit(unsigned q, std::string_view where) const {
    if (q >= num_qubits_)
        invalid(num_qubits_ == 0
                    ? fmt::format("{}: qubit {} is out of range: the circuit has no qubits", where, q)
                    : fmt::format("{}: qubit {} is out of range for a {}-qubit circuit (valid 0..{})",
                                  where, q, num_qubits_, num_qubits_ - 1));
}

Circuit& Circuit::u2(unsigned q, ParamExpr phi, ParamExpr lambda) {
    return add(GateKind::u, {q}, {ParamExpr(std::numbers::pi / 2), phi, lambda});
}

Circuit& Circuit::unitary(Matrix matrix, std::vector<unsigned> targets) {
    Operation op;
    op.gate = GateKind::unitary;
    op.targets = std::move(targets);
    op.matrix = std::make_shared<const Matrix>(std::move(matrix));
    return append(std::move(op));
}

Circuit& Circuit::add(GateKind kind, std::vector<unsigned> targets, std::vector<ParamExpr> params,
                      std::vector<unsigned> controls, std::vector<std::uint8_t> control_values) {
    Operation op;
    op.gate = kind;
    op.targets = std::move(targets);
    op.params = std::move(params);
    op.controls = std::move(controls);
    op.control_values = std::move(control_values);
    if (op.control_values.empty()) op.control_values.assign(op.controls.size(), 1);
    return append(std::move(op));
}

Circuit& Circuit::measure(unsigned q, std::size_t b) {
    Operation op;
    op.kind = OpKind::measure;
    op.targets = {q};
    op.clbit = b;
    return append(std::move(op));
}

Circuit& Circuit::reset(unsigned q) {
    Operation op;
    op.kind = OpKind::reset;
    op.targets = {q};
    return append(std::move(op));
}

Circuit& Circuit::barrier(std::vector<unsigned> qubits) {
    if (qubits.empty())
        for (unsigned q = 0; q < num_qubits_; ++q) qubits.push_back(q);
    Operation op;
    op.kind = OpKind::barrier;
    op.targets = std::move(qubits);
    return append(std::move(op));
}

Circuit& Circuit::c_if(std::size_t creg, std::uint64_t value) {
    if (ops_.empty()) invalid("Circuit::c_if: there is no operation to condition");
    if (creg >= cregs_.size())
        invalid(fmt::format("Circuit::c_if: classical register #{} does not exist (the circuit has {})",
                            creg, cregs_.size()));
    const Register& r = cregs_[creg];
    if (r.size < 64 && value >> r.size)
        invalid(fmt::format("Circuit::c_if: value {} does not fit the {}-bit register {}", value, r.size, r.name));
    if (r.size > 64)
        invalid(fmt::format("Circuit::c_if: register {} has {} bits; conditions support at most 64", r.name, r.size));
    if (ops_.back().kind == OpKind::barrier) invalid("Circuit::c_if: a barrier cannot be conditioned");
    ops_.back().condition = Condition{creg, value};
    return *this;
}

Circuit& Circuit::append(Operation op) {
    const std::string where = describe(op, ops_.size());
    for (unsigned q : op.targets) check_qubit(q, where);
    for (unsigned q : op.controls) check_qubit(q, where);
    if (op.condition) {
        if (op.condition->creg >= cregs_.size())
            invalid(fmt::format("{}: condition on classical register #{}, but the circuit has {}", where,
                                op.condition->creg, cregs_.size()));
    }
    switch (op.kind) {
        case OpKind::measure:
            if (op.targets.size() != 1) invalid(fmt::format("{}: measures exactly one qubit", where));
            if (op.clbit >= num_clbits_)
                invalid(num_clbits_ == 0
                            ? fmt::format("{}: classical bit {} is out of range: the circuit has no classical bits",
                                          where, op.clbit)
                            : fmt::format("{}: classical bit {} is out of range for {} bits (valid 0..{})", where,
                                          op.clbit, num_clbits_, num_clbits_ - 1));
            break;
        case OpKind::reset:
            if (op.targets.size() != 1) invalid(fmt::format("{}: resets exactly one qubit", where));
            break;
        case OpKind::barrier: break;
        case OpKind::gate: {
            const GateInfo& info = gate_info(op.gate);
            unsigned k = info.num_targets;
            if (op.gate == GateKind::unitary) {
                if (!op.matrix) invalid(fmt::format("{}: a unitary gate needs a matrix", where));
                k = check_unitary(*op.matrix, where);
            }
            if (op.targets.size() != k)
                invalid(fmt::format("{}: takes {} target qubit{}, got {}", where, k, k == 1 ? "" : "s",
                                    op.targets.size()));
            if (op.params.size() != info.num_params)
                invalid(fmt::format("{}: takes {} parameter{}, got {}", where, info.num_params,
                                    info.num_params == 1 ? "" : "s", op.params.size()));
            if (op.control_values.size() != op.controls.size())
                invalid(fmt::format("{}: {} controls but {} control values", where, op.controls.size(),
                                    op.control_values.size()));
            for (std::uint8_t v : op.control_values)
                if (v > 1) invalid(fmt::format("{}: a control value must be 0 or 1, got {}", where, int(v)));
            std::vector<unsigned> all = op.targets;
            all.insert(all.end(), op.controls.begin(), op.controls.end());
            std::sort(all.begin(), all.end());
            if (auto it = std::adjacent_find(all.begin(), all.end()); it != all.end())
                invalid(fmt::format("{}: qubit {} is used twice", where, *it));
            for (std::size_t i = 0; i < op.params.size(); ++i) {
                const ParamExpr& e = op.params[i];
                bool finite = std::isfinite(e.constant());
                for (const auto& t : e.terms()) {
                    finite = finite && std::isfinite(t.coeff);
                    if (t.parameter >= parameter_names_.size())
                        invalid(fmt::format("{}: parameter #{} of this gate refers to parameter {}, but the "
                                            "circuit declares {}", where, i, t.parameter, parameter_names_.size()));
                }
                if (!finite) invalid(fmt::format("{}: parameter #{} is NaN or infinite", where, i));
            }
            break;
        }
    }
    ops_.push_back(std::move(op));
    return *this;
}

Circuit& Circuit::compose(const Circuit& other) {
    if (other.num_qubits_ > num_qubits_ || other.num_clbits_ > num_clbits_)
        invalid(fmt::format("Circuit::compose: the other circuit has {} qubits and {} bits, this one {} and {}",
                            other.num_qubits_, other.num_clbits_, num_qubits_, num_clbits_));
    std::vector<std::size_t> map(other.parameter_names_.size());
    for (std::size_t i = 0; i < map.size(); ++i) {
        auto it = std::find(parameter_names_.begin(), parameter_names_.end(), other.parameter_names_[i]);
        map[i] = it != parameter_names_.end() ? std::size_t(it - parameter_names_.begin())
                                              : parameter(other.parameter_names_[i]).index();
    }
    for (Operation op : other.ops_) {
        for (ParamExpr& e : op.params) {
            ParamExpr mapped(e.constant());
            for (const auto& t : e.terms()) mapped += t.coeff * ParamExpr(Parameter(map[t.parameter]));
            e = mapped;
        }
        if (op.condition) {
            // Conditions refer to registers by index; map to the register of the same name.
            const std::string& name = other.cregs_[op.condition->creg].name;
            auto it = std::find_if(cregs_.begin(), cregs_.end(), [&](const Register& r) { return r.name == name; });
            if (it == cregs_.end())
                invalid(fmt::format("Circuit::compose: condition on register {}, which this circuit lacks", name));
            op.condition->creg = std::size_t(it - cregs_.begin());
        }
        append(std::move(op));
    }
    return *this;
}

Circuit Circuit::inverse() const {
    Circuit inv = *this;
    inv.ops_.clear();
    for (auto it = ops_.rbegin(); it != ops_.rend(); ++it) {
        Operation op = *it;
        if (op.kind == OpKind::measure || op.kind == OpKind::reset || op.condition)
            invalid(fmt::format("Circuit::inverse: operation #{} ({}) is not unitary",
                                std::size_t(ops_.rend() - it - 1), op.name()));
        if (op.kind == OpKind::gate) invert_gate(op);
        inv.ops_.push_back(std::move(op));
    }
    return inv;
}

std::size_t Circuit::depth() const {
    std::vector<std::size_t> qlevel(num_qubits_, 0), clevel(num_clbits_, 0);
    std::size_t depth = 0;
    for (const Operation& op : ops_) {
        std::size_t level = 0;
        auto visit_q = [&](auto&& f) {
            for (unsigned q : op.targets) f(qlevel[q]);
            for (unsigned q : op.controls) f(qlevel[q]);
        };
        auto visit_c = [&](auto&& f) {
            if (op.kind == OpKind::measure) f(clevel[op.clbit]);
            if (op.condition) {
                const Register& r = cregs_[op.condition->creg];
                for (std::size_t b = r.offset; b < r.offset + r.size; ++b) f(clevel[b]);
            }
        };
        visit_q([&](std::size_t l) { level = std::max(level, l); });
        visit_c([&](std::size_t l) { level = std::max(level, l); });
        // As in Qiskit, a barrier adds no layer but lines up the qubits it spans.
        if (op.kind != OpKind::barrier) ++level;
        visit_q([&](std::size_t& l) { l = level; });
        visit_c([&](std::size_t& l) { l = level; });
        depth = std::max(depth, level);
    }
    return depth;
}

std::map<std::string, std::size_t> Circuit::count_ops() const {
    std::map<std::string, std::size_t> counts;
    for (const Operation& op : ops_) ++counts[op.name()];
    return counts;
}

void Circuit::check_bindings(std::span<const double> values, std::string_view where) const {
    if (values.size() != parameter_names_.size())
        invalid(fmt::format("{}: the circuit has {} parameter{}, but {} {} given", where,
                            parameter_names_.size(), parameter_names_.size() == 1 ? "" : "s", values.size(),
                            values.size() == 1 ? "value was" : "values were"));
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            invalid(fmt::format("{}: the value of parameter #{} ({}) is {}", where, i, parameter_names_[i],
                                values[i]));
}

}  // namespace kettle
