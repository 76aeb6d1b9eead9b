#include "swap_relabelling.hpp"

#include <numeric>

#include "kettle/simulator.hpp"

namespace kettle::detail {
namespace {

/// The swaps, on places, that move each qubit from its place `place[q]` back to place q.
std::vector<std::pair<unsigned, unsigned>> restoring_swaps(std::vector<unsigned> place) {
    std::vector<unsigned> at(place.size());
    for (unsigned q = 0; q < place.size(); ++q) at[place[q]] = q;
    std::vector<std::pair<unsigned, unsigned>> swaps;
    for (unsigned q = 0; q < place.size(); ++q) {
        if (place[q] == q) continue;
        // Qubit q comes home; the one living there moves to q's old place.
        const unsigned from = place[q], resident = at[q];
        swaps.emplace_back(q, from);
        place[resident] = from, at[from] = resident;
        place[q] = q, at[q] = q;
    }
    return swaps;
}

}  // namespace

bool relabels(const Operation& op) {
    return op.kind == OpKind::gate && op.gate == GateKind::swap && op.controls.empty() && !op.condition;
}

std::optional<SwapRelabelling> relabel_swaps(const Circuit& c) {
    std::vector<unsigned> place(c.num_qubits());
    std::iota(place.begin(), place.end(), 0u);
    std::size_t taken = 0;
    for (const Operation& op : c.operations())
        if (relabels(op)) {
            std::swap(place[op.targets[0]], place[op.targets[1]]);
            ++taken;
        }
    if (taken == 0 || restoring_swaps(place).size() >= taken) return std::nullopt;

    SwapRelabelling out{Circuit(), terminal_measurements(c)};
    Circuit& r = out.circuit;
    for (const Register& reg : c.qregs()) r.add_qreg(reg.name, reg.size);
    for (const Register& reg : c.cregs()) r.add_creg(reg.name, reg.size);
    for (const std::string& name : c.parameter_names()) r.parameter(name);
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
    for (const auto& [a, b] : restoring_swaps(place)) {
        r.swap(a, b);
        out.terminal.push_back(false);
    }
    return out;
}

}  // namespace kettle::detail
