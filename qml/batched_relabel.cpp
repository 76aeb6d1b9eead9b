// BatchedCircuit's frames: CNOTs taken into a linear relabelling of the state's index instead of
// being applied.
//
// The state holds psi(x) at index A x, for an invertible n x n matrix A over GF(2) (the frame;
// A = I at the start). A CNOT c -> t maps psi to psi'(x) = psi(C x) with C x = x ^ x_c e_t, so
// psi'(x) sits at A C x: the new frame is A C, whose column c is A e_c ^ A e_t (the others
// unchanged), and whose inverse C A^-1 has row t equal to row t ^ row c of A^-1. A one-target
// gate on qubit q mixes circuit indices x and x ^ e_q, that is state indices i and i ^ A e_q;
// circuit bit q of i is the parity of i over row q of A^-1, and so is a control's bit. Pauli
// strings transform alike: X and Y factors flip the columns of their qubits, Y and Z factors
// sign by the rows.

#include <bit>
#include <utility>

#include "batched_circuit.hpp"

namespace kettle::qml_detail {

bool BatchedCircuit::relabels(const BatchStep& s) {
    return s.step.kind == StepKind::flip1 && std::popcount(s.step.ctrl_mask) == 1 && s.step.ctrl_value == s.step.ctrl_mask;
}

void BatchedCircuit::relabel(std::vector<std::vector<std::complex<double>>>& constants) {
    const unsigned n = num_qubits_;
    Frame col{}, row{};
    auto reset = [&] {
        for (unsigned q = 0; q < n; ++q) col[q] = row[q] = std::uint64_t{1} << q;
    };
    reset();
    auto identity = [&] {
        for (unsigned q = 0; q < n; ++q)
            if (col[q] != std::uint64_t{1} << q) return false;
        return true;
    };
    const auto& ops = circuit_->operations();
    std::vector<BatchStep> out;
    std::vector<std::vector<std::complex<double>>> out_constants;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        BatchStep s = steps_[i];
        const Operation& op = ops[s.step.op_index];
        if (!s.prefix && relabels(s)) {
            const unsigned c = op.controls[0], t = op.targets[0];
            col[c] ^= col[t];
            row[t] ^= row[c];
            s.action = BatchStep::Action::relabel;
        } else if (!identity()) {
            bool plain = s.step.k == 1;
            for (unsigned q : op.targets) plain = plain && col[q] == (std::uint64_t{1} << q) && row[q] == col[q];
            for (unsigned c : op.controls) plain = plain && row[c] == (std::uint64_t{1} << c);
            if (plain) {
                // This gate's qubits are where the circuit has them: the usual pair loop.
            } else if (s.step.k == 1 && op.controls.size() <= 8) {
                const unsigned q = op.targets[0];
                s.op.relabelled = true;
                s.op.partner = col[q];
                s.op.zero_row = row[q];
                s.op.pivot = unsigned(std::countr_zero(col[q]));
                s.op.num_ctrl_rows = unsigned(op.controls.size());
                for (std::size_t k = 0; k < op.controls.size(); ++k) {
                    s.op.ctrl_rows[k] = row[op.controls[k]];
                    s.op.ctrl_values[k] = op.control_values.empty() || op.control_values[k] ? 1u : 0u;
                }
            } else {
                BatchStep m;
                m.action = BatchStep::Action::materialize;
                m.step.dim = 0;
                m.step.parametric = false;
                m.frame = frames_.size();
                frames_.push_back(col);
                out.push_back(m);
                out_constants.emplace_back();
                reset();
            }
        }
        out.push_back(s);
        out_constants.push_back(std::move(constants[i]));
    }
    // A step fused with its successor needs the successor right behind it, in the same frame:
    // both have the same qubits, so neither relabels nor materializes between them.
    steps_ = std::move(out);
    constants = std::move(out_constants);
    for (std::vector<PauliMask>& terms : observables_)
        for (PauliMask& t : terms) {
            std::uint64_t flip = 0, sign = 0;
            for (unsigned q = 0; q < n; ++q) {
                if (t.flip >> q & 1) flip ^= col[q];
                if (t.sign >> q & 1) sign ^= row[q];
            }
            t.flip = flip, t.sign = sign;
        }
}

void BatchedCircuit::permute(AlignedDoubles& state, const Frame& frame, bool inverse) {
    kernels_->permute(num_qubits_, frame.data(), state.data(), spare_.data(), inverse);
    std::swap(state, spare_);
}

}  // namespace kettle::qml_detail
