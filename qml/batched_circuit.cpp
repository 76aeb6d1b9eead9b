#include "batched_circuit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>

#include "gate_tools.hpp"
#include "kettle/error.hpp"
#include "kettle/isa.hpp"

namespace kettle::qml_detail {
namespace {

using Z = std::complex<double>;


BatchOp batch_op(const Step& s) {
    BatchOp op;
    switch (s.kind) {
        case StepKind::dense1: op.kind = BatchKind::dense1; break;
        case StepKind::real1: op.kind = BatchKind::real1; break;
        case StepKind::diagonal1: op.kind = BatchKind::diagonal1; break;
        case StepKind::flip1: op.kind = BatchKind::flip1; break;
        case StepKind::general: op.kind = BatchKind::general; break;
    }
    op.k = s.k;
    op.dim = s.dim;
    op.num_sites = s.num_sites;
    std::copy(s.sites.begin(), s.sites.begin() + s.num_sites, op.sites);
    for (unsigned j = 0; j < s.dim; ++j)
        for (unsigned b = 0; b < s.k; ++b)
            if (j >> b & 1) op.offsets[j] |= std::uint64_t{1} << s.targets[b];
    op.ctrl_mask = s.ctrl_mask;
    op.ctrl_value = s.ctrl_value;
    op.target = s.targets[0];
    op.by_generator = s.num_diff > 0 && s.generator.present;
    op.gen_flip = s.generator.flip;
    op.gen_sign = s.generator.sign;
    op.gen_num_y = s.generator.num_y;
    op.by_matrix = s.generator.present ? 0 : s.num_diff;
    // The pair kernels take a one-target generator from the kind (PairGenerator): X for
    // dense1 (rx), Y for real1 (ry), Z for diagonal1 (rz).
    if (op.by_generator && s.k == 1) {
        const bool x = op.kind == BatchKind::dense1 && op.gen_sign == 0 && op.gen_flip != 0;
        const bool y = op.kind == BatchKind::real1 && op.gen_sign != 0 && op.gen_flip != 0 && op.gen_num_y == 1;
        const bool z = op.kind == BatchKind::diagonal1 && op.gen_sign != 0 && op.gen_flip == 0;
        if (!(x || y || z))
            throw Error(ErrorCode::internal, "BatchedCircuit: a one-target rotation of an unexpected kernel kind");
    }
    return op;
}

std::uint64_t site_mask(const Step& s) {
    std::uint64_t m = 0;
    for (unsigned t = 0; t < s.num_sites; ++t) m |= std::uint64_t{1} << s.sites[t];
    return m;
}

}  // namespace

/// Two one-target steps on the same target and controls whose angles need no derivative
/// matrices: the pair kernels run them in one pass.
bool BatchedCircuit::fusable(const BatchStep& a, const BatchStep& b) {
    return a.step.k == 1 && b.step.k == 1 && a.op.target == b.op.target && a.op.ctrl_mask == b.op.ctrl_mask &&
           a.op.ctrl_value == b.op.ctrl_value && a.op.by_matrix == 0 && b.op.by_matrix == 0 && !relabels(a) &&
           !relabels(b);
}

AlignedDoubles::AlignedDoubles(std::size_t count) : size_(count) {
    if (count == 0) return;
    const std::size_t bytes = (count * sizeof(double) + 63) / 64 * 64;
    auto* p = static_cast<double*>(std::aligned_alloc(64, bytes));
    if (p == nullptr) throw std::bad_alloc();
    std::fill(p, p + bytes / sizeof(double), 0.0);
    data_.reset(p);
}

void AlignedDoubles::Free::operator()(double* p) const noexcept { std::free(p); }

BatchedCircuit::BatchedCircuit(const Circuit& circuit, std::vector<bool> per_lane, std::vector<PauliSum> observables,
                               bool from_zero)
    : circuit_(&circuit), num_qubits_(circuit.num_qubits()), per_lane_(std::move(per_lane)), from_zero_(from_zero),
      shared_(circuit.num_parameters(), 0.0) {
    for (const PauliSum& h : observables) {
        std::vector<PauliMask> terms;
        for (const PauliTerm& t : h.terms()) {
            PauliMask m{0, 0, 0, t.coeff};
            for (const auto& [q, p] : t.factors) {
                const std::uint64_t bit = std::uint64_t{1} << q;
                if (p != 'Z') m.flip |= bit;
                if (p != 'X') m.sign |= bit;
                if (p == 'Y') ++m.num_y;
            }
            terms.push_back(m);
        }
        observables_.push_back(std::move(terms));
    }
    const auto& ops = circuit.operations();
    std::vector<Z> constant(64 * 64);
    std::vector<BatchStep> prefix, rest;
    std::vector<std::vector<Z>> constants_prefix, constants_rest;
    std::vector<bool> entangled(num_qubits_, !from_zero);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.kind != OpKind::gate) continue;
        BatchStep s;
        s.step = make_step(op, i, constant.data());
        s.op = batch_op(s.step);
        for (const ParamExpr& e : op.params)
            for (const ParamExpr::Term& t : e.terms()) s.per_lane = s.per_lane || per_lane_[t.parameter];
        const std::size_t dd = std::size_t(s.step.dim) * s.step.dim;
        std::vector<Z> fixed(constant.begin(), constant.begin() + std::ptrdiff_t(s.step.parametric ? 0 : dd));
        // A one-qubit gate on a qubit nothing has entangled yet commutes with every earlier gate
        // on other qubits, so it can act on that qubit's factor of the product state.
        if (s.step.k == 1 && s.step.ctrl_mask == 0 && !entangled[s.op.target]) {
            s.prefix = true;
            prefix.push_back(s);
            constants_prefix.push_back(std::move(fixed));
            continue;
        }
        for (unsigned t = 0; t < s.step.num_sites; ++t) entangled[s.step.sites[t]] = true;
        // A one-target gate moves up behind the last gate that shares a qubit with it (it
        // commutes with everything in between): a gate on the same target and controls then
        // sits next to it, and the two can run as one pass.
        std::size_t at = rest.size();
        if (s.step.k == 1) {
            const std::uint64_t sites = site_mask(s.step);
            while (at > 0 && (site_mask(rest[at - 1].step) & sites) == 0) --at;
            if (at == 0 || !fusable(rest[at - 1], s)) at = rest.size();
        }
        rest.insert(rest.begin() + std::ptrdiff_t(at), s);
        constants_rest.insert(constants_rest.begin() + std::ptrdiff_t(at), std::move(fixed));
    }
    // Prefix gates on different qubits commute: grouped by qubit (in order within each), so
    // that a qubit's gates sit next to each other.
    std::vector<std::size_t> order(prefix.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return prefix[a].op.target < prefix[b].op.target; });
    num_prefix_ = prefix.size();
    std::vector<std::vector<Z>> constants;
    for (std::size_t i : order) {
        steps_.push_back(prefix[i]);
        constants.push_back(std::move(constants_prefix[i]));
    }
    steps_.insert(steps_.end(), rest.begin(), rest.end());
    constants.insert(constants.end(), std::make_move_iterator(constants_rest.begin()),
                     std::make_move_iterator(constants_rest.end()));
    // Pairs of neighbours that run as one pass, greedily from the front, never across the
    // end of the prefix.
    for (std::size_t i = 0; i + 1 < steps_.size(); ++i)
        if (steps_[i].prefix == steps_[i + 1].prefix && fusable(steps_[i], steps_[i + 1])) {
            steps_[i].fused_next = true;
            ++i;
        }
    relabel(constants);
    for (BatchStep& s : steps_) {
        s.terms_begin = chain_terms_.size();
        if (s.action == BatchStep::Action::gate)
            for (unsigned j = 0; j < s.step.num_diff; ++j)
                for (const ParamExpr::Term& t : ops[s.step.op_index].params[s.step.angle_slots[j]].terms())
                    chain_terms_.push_back({j, t.parameter, t.coeff});
        s.terms_end = chain_terms_.size();
    }
    std::size_t entries = 0;
    for (BatchStep& s : steps_) {
        s.matrix = entries * kAmpStride;
        entries += std::size_t(s.step.dim) * s.step.dim * (2 + s.op.by_matrix);
    }
    matrices_ = AlignedDoubles(entries * kAmpStride);
    for (std::size_t i = 0; i < steps_.size(); ++i)
        if (!steps_[i].step.parametric) write_matrix(steps_[i], constants[i].data(), 0, kLanes);
    first_differentiable_ = steps_.size();
    for (std::size_t i = 0; i < steps_.size(); ++i)
        if (steps_[i].action == BatchStep::Action::gate && steps_[i].step.num_diff > 0) {
            first_differentiable_ = i;
            break;
        }
    const std::size_t state = (std::size_t{1} << num_qubits_) * kAmpStride;
    psi_ = AlignedDoubles(state);
    lambda_ = AlignedDoubles(state);
    if (!frames_.empty()) spare_ = AlignedDoubles(state);
    if (num_prefix_ > 0) {
        environment_ = AlignedDoubles(2 * num_qubits_ * kAmpStride);
        environment_scratch_ = AlignedDoubles(3 * state);
        std::size_t longest = 0;
        for (std::size_t i = 0, run = 0; i < num_prefix_; ++i) {
            run = i > 0 && steps_[i - 1].op.target == steps_[i].op.target ? run + 1 : 1;
            longest = std::max(longest, run);
        }
        prefix_gates_.resize(longest);
        prefix_deriv_ = AlignedDoubles(longest * 4 * kLanes);
        prefix_chain_ = AlignedDoubles(2 * (longest + 1) * kAmpStride);
    }
    product_ = AlignedDoubles(2 * num_qubits_ * kAmpStride);
    scratch_ = AlignedDoubles(12 * kLanes);
    kernels_ = &batch_kernels(current_isa());
}

/// U into entries [0, dd) and U^dagger into [dd, 2 dd) of lanes [lane_begin, lane_end).
void BatchedCircuit::write_matrix(const BatchStep& s, const Z* u, unsigned lane_begin, unsigned lane_end) {
    const unsigned d = s.step.dim;
    const std::size_t dd = std::size_t(d) * d;
    double* m = matrices_.data() + s.matrix;
    for (unsigned r = 0; r < d; ++r)
        for (unsigned c = 0; c < d; ++c) {
            const Z z = u[r * d + c];
            double* e = m + (r * d + c) * kAmpStride;
            double* t = m + (dd + c * d + r) * kAmpStride;
            for (unsigned l = lane_begin; l < lane_end; ++l) {
                e[l] = z.real(), e[kLanes + l] = z.imag();
                t[l] = z.real(), t[kLanes + l] = -z.imag();
            }
        }
}

void BatchedCircuit::write_derivative(const BatchStep& s, unsigned j, const Z* dm, unsigned lane_begin,
                                      unsigned lane_end) {
    const std::size_t dd = std::size_t(s.step.dim) * s.step.dim;
    double* m = matrices_.data() + s.matrix + (2 + j) * dd * kAmpStride;
    for (std::size_t e = 0; e < dd; ++e)
        for (unsigned l = lane_begin; l < lane_end; ++l) {
            m[e * kAmpStride + l] = dm[e].real();
            m[e * kAmpStride + kLanes + l] = dm[e].imag();
        }
}

/// A one-target rotation bound per lane: exp(-ia/2 G) = cos(a/2) I - i sin(a/2) G written
/// straight into its batched entries (U, then U^dagger), lane by lane.
void BatchedCircuit::bind_rotation_lanes(const BatchStep& s, const double* lane_params) {
    const Operation& op = circuit_->operations()[s.step.op_index];
    const ParamExpr& e = op.params[0];
    alignas(64) std::array<double, kLanes> angle, c, sn;
    for (unsigned l = 0; l < kLanes; ++l) {
        double a = e.constant();
        for (const ParamExpr::Term& t : e.terms())
            a += t.coeff * (per_lane_[t.parameter] ? lane_params[t.parameter * kLanes + l] : shared_[t.parameter]);
        angle[l] = a;
    }
    kernels_->half_angle_sincos(angle.data(), c.data(), sn.data());
    double* m = matrices_.data() + s.matrix;
    // Entry e of U at m + e * kAmpStride, of U^dagger at m + (4 + e) * kAmpStride.
    auto set = [&](unsigned entry, const auto& re, double re_sign, const auto& im, double im_sign) {
        double* u = m + entry * kAmpStride;
        for (unsigned l = 0; l < kLanes; ++l) u[l] = re_sign * re[l], u[kLanes + l] = im_sign * im[l];
    };
    const std::array<double, kLanes> zero{};
    switch (op.gate) {
        case GateKind::rx:  // [[c, -is], [-is, c]], its adjoint [[c, is], [is, c]]
            set(0, c, 1, zero, 1), set(1, zero, 1, sn, -1), set(2, zero, 1, sn, -1), set(3, c, 1, zero, 1);
            set(4, c, 1, zero, 1), set(5, zero, 1, sn, 1), set(6, zero, 1, sn, 1), set(7, c, 1, zero, 1);
            return;
        case GateKind::ry:  // [[c, -s], [s, c]], its adjoint [[c, s], [-s, c]]
            set(0, c, 1, zero, 1), set(1, sn, -1, zero, 1), set(2, sn, 1, zero, 1), set(3, c, 1, zero, 1);
            set(4, c, 1, zero, 1), set(5, sn, 1, zero, 1), set(6, sn, -1, zero, 1), set(7, c, 1, zero, 1);
            return;
        default:  // rz: diag(c - is, c + is), its adjoint diag(c + is, c - is)
            set(0, c, 1, sn, -1), set(1, zero, 1, zero, 1), set(2, zero, 1, zero, 1), set(3, c, 1, sn, 1);
            set(4, c, 1, sn, 1), set(5, zero, 1, zero, 1), set(6, zero, 1, zero, 1), set(7, c, 1, sn, -1);
            return;
    }
}

/// The step's matrices for lanes [lane_begin, lane_end), all bound alike unless lane_params is
/// given (then lane l reads its per-lane parameters from it).
void BatchedCircuit::bind_step(const BatchStep& s, const double* lane_params, unsigned lane_begin, unsigned lane_end) {
    const Operation& op = circuit_->operations()[s.step.op_index];
    std::array<Z, 16> m;  // parametric gates have at most 2 targets
    for (unsigned l = lane_begin; l < lane_end; ++l) {
        std::array<double, 4> a{};
        for (std::size_t j = 0; j < op.params.size(); ++j) {
            double v = op.params[j].constant();
            for (const ParamExpr::Term& t : op.params[j].terms())
                v += t.coeff * (lane_params != nullptr && per_lane_[t.parameter] ? lane_params[t.parameter * kLanes + l]
                                                                                 : shared_[t.parameter]);
            a[j] = v;
        }
        const unsigned end = lane_params != nullptr ? l + 1 : lane_end;
        if (s.step.k == 1 && s.step.generator.present) {
            // exp(-ia/2 G) = cos(a/2) I - i sin(a/2) G for G = X, Y or Z: no general fill.
            const double c = std::cos(a[0] / 2), sn = std::sin(a[0] / 2);
            switch (op.gate) {
                case GateKind::rx: m[0] = c, m[1] = Z(0, -sn), m[2] = Z(0, -sn), m[3] = c; break;
                case GateKind::ry: m[0] = c, m[1] = -sn, m[2] = sn, m[3] = c; break;
                default: m[0] = Z(c, -sn), m[1] = 0, m[2] = 0, m[3] = Z(c, sn); break;
            }
            write_matrix(s, m.data(), l, end);
            if (lane_params == nullptr) return;
            continue;
        }
        fill_matrix(op, a, m.data(), s.step.dim);
        write_matrix(s, m.data(), l, end);
        for (unsigned j = 0; j < s.op.by_matrix; ++j) {
            fill_derivative(op, a, s.step.angle_slots[j], m.data());
            write_derivative(s, j, m.data(), l, end);
        }
        if (lane_params == nullptr) return;
    }
}

void BatchedCircuit::bind_shared(std::span<const double> params) {
    std::copy(params.begin(), params.end(), shared_.begin());
    for (const BatchStep& s : steps_)
        if (s.step.parametric && !s.per_lane) bind_step(s, nullptr, 0, kLanes);
}

void BatchedCircuit::forward(const double* lane_params, const double* initial, double* values) {
    kernels_ = &batch_kernels(current_isa());
    for (const BatchStep& s : steps_)
        if (s.per_lane) {
            if (s.step.k == 1 && s.step.generator.present)
                bind_rotation_lanes(s, lane_params);
            else
                bind_step(s, lane_params, 0, kLanes);
        }
    if (from_zero_)
        build_product_state();
    else
        std::copy(initial, initial + psi_.size(), psi_.data());
    for (std::size_t i = num_prefix_; i < steps_.size(); ++i) {
        const BatchStep& s = steps_[i];
        if (s.action == BatchStep::Action::relabel) continue;
        if (s.action == BatchStep::Action::materialize) {
            permute(psi_, frames_[s.frame], false);
            continue;
        }
        if (s.fused_next) {
            const BatchStep& t = steps_[++i];
            kernels_->apply2(s.op, t.op, num_qubits_, matrices_.data() + s.matrix, matrices_.data() + t.matrix,
                             psi_.data());
        } else {
            kernels_->apply(s.op, num_qubits_, matrices_.data() + s.matrix, psi_.data());
        }
    }
    double* re = scratch_.data();
    double* im = re + kLanes;
    for (std::size_t m = 0; m < observables_.size(); ++m) {
        double* out = values + m * kLanes;
        std::fill(out, out + kLanes, 0.0);
        for (const PauliMask& t : observables_[m]) {
            kernels_->pauli_inner(num_qubits_, t.flip, t.sign, 0, 0, psi_.data(), psi_.data(), re, im);
            for (unsigned l = 0; l < kLanes; ++l) out[l] += t.coeff * times(kPowI[t.num_y % 4], Z(re[l], im[l])).real();
        }
    }
}

void BatchedCircuit::backward(const double* cotangent, double* grad) {
    const std::size_t state = psi_.size();
    double* psi = psi_.data();
    double* lambda = lambda_.data();
    std::fill(lambda, lambda + state, 0.0);
    double* factor = scratch_.data();
    for (std::size_t m = 0; m < observables_.size(); ++m)
        for (const PauliMask& t : observables_[m]) {
            const Z phase = t.coeff * kPowI[t.num_y % 4];
            for (unsigned l = 0; l < kLanes; ++l) {
                factor[l] = cotangent[m * kLanes + l] * phase.real();
                factor[kLanes + l] = cotangent[m * kLanes + l] * phase.imag();
            }
            kernels_->accumulate_pauli(num_qubits_, t.flip, t.sign, factor, psi, lambda);
        }
    std::fill(grad, grad + per_lane_.size() * kLanes, 0.0);
    // From |0...0> nothing below the first differentiated step is needed; otherwise lambda is
    // taken all the way back to the initial state.
    // The prefix's derivatives come from the product state's environments (prefix_gradients).
    const std::size_t stop = from_zero_ ? std::max(first_differentiable_, num_prefix_) : 0;
    double* deriv = scratch_.data() + 2 * kLanes;
    double* deriv_next = deriv + 4 * kLanes;
    auto chain = [&](const BatchStep& s, const double* d) { chain_rule(s, d, grad); };
    auto inverse_of = [&](const BatchStep& s) {
        return matrices_.data() + s.matrix + std::size_t(s.step.dim) * s.step.dim * kAmpStride;
    };
    for (std::size_t i = steps_.size(); i-- > stop;) {
        const BatchStep& s = steps_[i];
        if (s.action == BatchStep::Action::relabel) continue;
        if (s.action == BatchStep::Action::materialize) {
            permute(psi_, frames_[s.frame], true);
            permute(lambda_, frames_[s.frame], true);
            psi = psi_.data();
            lambda = lambda_.data();
            continue;
        }
        const double* inverse = inverse_of(s);
        if (i > stop && steps_[i - 1].fused_next) {
            const BatchStep& first = steps_[--i];
            kernels_->sweep2(first.op, s.op, num_qubits_, inverse_of(first), inverse, psi, lambda, deriv, deriv_next);
            chain(s, deriv_next);
            chain(first, deriv);
            continue;
        }
        if (s.step.k == 1) {
            kernels_->sweep1(s.op, num_qubits_, inverse, psi, lambda, deriv);
        } else {
            const std::size_t dd = std::size_t(s.step.dim) * s.step.dim;
            if (s.op.by_generator) {
                double* re = factor;
                double* im = factor + kLanes;
                kernels_->pauli_inner(num_qubits_, s.op.gen_flip, s.op.gen_sign, s.op.ctrl_mask, s.op.ctrl_value,
                                      lambda, psi, re, im);
                const Z phase = kPowI[s.op.gen_num_y % 4];
                for (unsigned l = 0; l < kLanes; ++l) deriv[l] = times(phase, Z(re[l], im[l])).imag();
            }
            kernels_->apply(s.op, num_qubits_, inverse, psi);
            for (unsigned j = 0; j < s.op.by_matrix; ++j)
                kernels_->general_derivative(s.op, num_qubits_, inverse + (1 + j) * dd * kAmpStride, lambda, psi,
                                             deriv + j * kLanes);
            kernels_->apply(s.op, num_qubits_, inverse, lambda);
        }
        chain(s, deriv);
    }
    if (from_zero_ && first_differentiable_ < num_prefix_) prefix_gradients(grad);
}

void BatchedCircuit::chain_rule(const BatchStep& s, const double* deriv, double* grad) const {
    for (std::size_t k = s.terms_begin; k < s.terms_end; ++k) {
        const ChainTerm& t = chain_terms_[k];
        double* g = grad + t.parameter * kLanes;
        const double* d = deriv + t.slot * kLanes;
        for (unsigned l = 0; l < kLanes; ++l) g[l] += t.coeff * d[l];
    }
}

}  // namespace kettle::qml_detail
