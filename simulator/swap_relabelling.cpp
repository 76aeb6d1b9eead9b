#include "swap_relabelling.hpp"

#include <algorithm>
#include <numeric>

#include "qubit_permutation.hpp"
#include "kettle/simulator.hpp"

namespace kettle::detail {

bool relabels(const Operation& op) {
    return op.kind == OpKind::gate && op.gate == GateKind::swap && op.controls.empty() && !op.condition;
}

std::optional<SwapRelabelling> relabel_swaps(const Circuit& c) {
    // One swap would cost the permutation pass it saves.
    if (std::count_if(c.operations().begin(), c.operations().end(), relabels) < 2) return std::nullopt;

    SwapRelabelling out{Circuit(), terminal_measurements(c), std::vector<unsigned>(c.num_qubits())};
    Circuit& r = out.circuit;
    for (const Register& reg : c.qregs()) r.add_qreg(reg.name, reg.size);
    for (const Register& reg : c.cregs()) r.add_creg(reg.name, reg.size);
    for (const std::string& name : c.parameter_names()) r.parameter(name);
    // place[q]: where logical qubit q's data lies.
    std::vector<unsigned> place(c.num_qubits());
    std::iota(place.begin(), place.end(), 0u);
    for (std::size_t i = 0; i < c.operations().size(); ++i) {
        Operation op = c.operations()[i];
        if (relabels(op)) {
            std::swap(place[op.targets[0]], place[op.targets[1]]);
            op.kind = OpKind::barrier;
            op.gate = GateKind::i;
        } else if (!out.terminal[i]) {
            for (unsigned& q : op.targets) q = place[q];
            for (unsigned& q : op.controls) q = place[q];
        }
        r.append(std::move(op));
    }
    for (unsigned q = 0; q < place.size(); ++q) out.restore[place[q]] = q;
    return out;
}

SwapRelabelling with_restoring_swaps(const SwapRelabelling& r) {
    SwapRelabelling out = r;
    for (const auto& [a, b] : permutation_swaps(r.restore)) {
        out.circuit.swap(a, b);
        out.terminal.push_back(false);
    }
    std::iota(out.restore.begin(), out.restore.end(), 0u);
    return out;
}

}  // namespace kettle::detail
