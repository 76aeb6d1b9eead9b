// Writing a Circuit as OpenQASM 2.0. Every operation becomes one line (open controls add an `x`
// before and after), with numbers in their shortest round-trip form, so that read_qasm gives
// back an equal Circuit for circuits of qelib1.inc gates.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <set>

#include "kettle/error.hpp"
#include "kettle/qasm.hpp"
#include "qasm_parser.hpp"
#include "qasm_qelib1.hpp"

namespace kettle {
namespace {

[[noreturn]] void cannot_write(std::size_t index, const Operation& op, std::string_view why) {
    throw Error(ErrorCode::invalid_input, fmt::format("write_qasm: operation #{} ({}) {}", index, op.name(), why));
}

bool is_identifier(std::string_view s) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (s.empty() || !letter(s[0])) return false;
    for (char c : s)
        if (!letter(c) && !digit(c)) return false;
    return true;
}

/// "name[i]" for every qubit (or bit) of the registers, which cover them all.
std::vector<std::string> element_names(const std::vector<Register>& registers, std::size_t count) {
    std::vector<std::string> names(count);
    for (const Register& r : registers)
        for (std::size_t i = 0; i < r.size; ++i) names[r.offset + i] = fmt::format("{}[{}]", r.name, i);
    return names;
}

void check_register_names(const Circuit& c) {
    std::set<std::string_view> seen;
    for (const auto* registers : {&c.qregs(), &c.cregs()})
        for (const Register& r : *registers) {
            if (!is_identifier(r.name) || qasm::is_keyword(r.name))
                throw Error(ErrorCode::invalid_input,
                            fmt::format("write_qasm: register name '{}' is not an OpenQASM identifier (a letter or "
                                        "'_', then letters, digits or '_', and no keyword)", r.name));
            if (!seen.insert(r.name).second)
                throw Error(ErrorCode::invalid_input,
                            fmt::format("write_qasm: two registers are named '{}'; OpenQASM needs distinct names", r.name));
        }
}

/// The parameters as "(a,b,c)", or "" for none. Constants only: OpenQASM 2.0 has no free symbols.
std::string format_params(const Circuit& c, std::size_t index, const Operation& op, std::size_t count) {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < count; ++i) {
        const ParamExpr& e = op.params[i];
        if (!e.is_constant())
            cannot_write(index, op,
                         fmt::format("has parameter #{} depending on the symbolic parameter '{}'; OpenQASM 2.0 "
                                     "cannot express unbound parameters (bind them first)",
                                     i, c.parameter_names()[e.terms().front().parameter]));
        // fmt's default for double is the shortest text that reads back to the same value.
        values.push_back(fmt::format("{}", e.constant()));
    }
    return values.empty() ? std::string() : fmt::format("({})", fmt::join(values, ","));
}

}  // namespace

std::string write_qasm(const Circuit& c) {
    check_register_names(c);
    const std::vector<std::string> qubits = element_names(c.qregs(), c.num_qubits());
    const std::vector<std::string> bits = element_names(c.cregs(), c.num_clbits());

    std::string out = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    for (const Register& r : c.qregs()) out += fmt::format("qreg {}[{}];\n", r.name, r.size);
    for (const Register& r : c.cregs()) out += fmt::format("creg {}[{}];\n", r.name, r.size);

    const auto& ops = c.operations();
    for (std::size_t index = 0; index < ops.size(); ++index) {
        const Operation& op = ops[index];
        const std::string prefix =
            op.condition ? fmt::format("if({}=={}) ", c.cregs()[op.condition->creg].name, op.condition->value) : "";
        switch (op.kind) {
            case OpKind::measure:
                out += fmt::format("{}measure {} -> {};\n", prefix, qubits[op.targets[0]], bits[op.clbit]);
                continue;
            case OpKind::reset:
                out += fmt::format("{}reset {};\n", prefix, qubits[op.targets[0]]);
                continue;
            case OpKind::barrier: {
                if (op.targets.empty()) cannot_write(index, op, "spans no qubits");
                std::vector<std::string_view> args;
                for (unsigned q : op.targets) args.push_back(qubits[q]);
                out += fmt::format("barrier {};\n", fmt::join(args, ","));
                continue;
            }
            case OpKind::gate: break;
        }
        if (op.gate == GateKind::unitary)
            cannot_write(index, op, "is a unitary matrix, which OpenQASM 2.0 cannot express");
        std::string_view name;
        std::size_t num_params = op.params.size();
        if (op.gate == GateKind::ug && op.controls.empty()) {
            // Uncontrolled, e^{iγ} u(θ, φ, λ) differs from u only by an unobservable global phase.
            name = "u";
            num_params = 3;
        } else if (const qasm::BuiltinGate* builtin = qasm::qelib1_name(op.gate, op.controls.size())) {
            name = builtin->name;
        } else {
            cannot_write(index, op, "has no name in qelib1.inc");
        }
        // An open control is a control on |1> between two X gates: equivalent, not identical.
        std::string flips;
        for (std::size_t k = 0; k < op.controls.size(); ++k)
            if (op.control_values[k] == 0) flips += fmt::format("x {};\n", qubits[op.controls[k]]);
        std::vector<std::string_view> args;
        for (unsigned q : op.controls) args.push_back(qubits[q]);
        for (unsigned q : op.targets) args.push_back(qubits[q]);
        out += fmt::format("{}{}{}{} {};\n{}", flips, prefix, name, format_params(c, index, op, num_params),
                           fmt::join(args, ","), flips);
    }
    return out;
}

}  // namespace kettle
