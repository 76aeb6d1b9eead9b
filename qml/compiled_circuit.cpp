#include "compiled_circuit.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "compiled_circuit_pairs.hpp"
#include "gate_tools.hpp"

namespace kettle::qml_detail {
using namespace pairs;

/// The Pauli generator of a one-angle rotation, as masks over the gate's matrix bits.
Generator local_generator(GateKind kind) {
    Generator g;
    g.present = true;
    switch (kind) {
        case GateKind::rx: g.flip = 1; break;
        case GateKind::ry: g.flip = g.sign = 1, g.num_y = 1; break;
        case GateKind::rz: g.sign = 1; break;
        case GateKind::rxx: g.flip = 3; break;
        case GateKind::ryy: g.flip = g.sign = 3, g.num_y = 2; break;
        case GateKind::rzz: g.sign = 3; break;
        default: g.present = false;
    }
    return g;
}

namespace {

/// <r|G|c> for a generator over matrix bits: i^ny (-1)^popcount(c & sign) when r = c ^ flip.
Z generator_entry(const Generator& g, std::size_t r, std::size_t c) {
    if (r != (c ^ g.flip)) return 0.0;
    const Z v = kPowI[g.num_y % 4];
    return (std::popcount(c & g.sign) & 1) ? -v : v;
}

}  // namespace

/// Writes the gate's d x d matrix (double) for angles a, without allocating.
void fill_matrix(const Operation& op, const std::array<double, 4>& a, Z* out, unsigned d) {
    const Generator g = local_generator(op.gate);
    if (g.present) {  // exp(-iθ/2 G) = cos(θ/2) I - i sin(θ/2) G
        const double c = std::cos(a[0] / 2), s = std::sin(a[0] / 2);
        for (std::size_t r = 0; r < d; ++r)
            for (std::size_t k = 0; k < d; ++k)
                out[r * d + k] = (r == k ? Z(c) : Z(0)) + Z(0, -s) * generator_entry(g, r, k);
        return;
    }
    switch (op.gate) {
        case GateKind::p: out[0] = 1, out[1] = out[2] = 0, out[3] = std::polar(1.0, a[0]); return;
        case GateKind::u: u3_into(a[0], a[1], a[2], 0.0, out); return;
        case GateKind::ug: u3_into(a[0], a[1], a[2], a[3], out); return;
        default: {
            const Matrix m = matrix_of(op, a);  // fixed gates: only at compile time
            std::copy(m.begin(), m.end(), out);
        }
    }
}

void fill_derivative(const Operation& op, const std::array<double, 4>& a, std::size_t which, Z* out) {
    if (op.gate == GateKind::p) {
        out[0] = out[1] = out[2] = 0, out[3] = Z(0, 1) * std::polar(1.0, a[0]);
        return;
    }
    u3_derivative_into(a[0], a[1], a[2], op.gate == GateKind::ug ? a[3] : 0.0, which, out);
}


Step make_step(const Operation& op, std::size_t index, Z* constant) {
    Step s;
    s.op_index = index;
    s.k = unsigned(op.targets.size());
    s.dim = 1u << s.k;
    std::copy(op.targets.begin(), op.targets.end(), s.targets.begin());
    const auto [mask, value] = control_subspace(op);
    s.ctrl_mask = mask;
    s.ctrl_value = value;
    for (unsigned q : op.targets) s.sites[s.num_sites++] = q;
    for (unsigned q : op.controls) s.sites[s.num_sites++] = q;
    std::sort(s.sites.begin(), s.sites.begin() + s.num_sites);
    for (std::size_t j = 0; j < op.params.size(); ++j)
        if (!op.params[j].is_constant()) s.angle_slots[s.num_diff++] = std::uint8_t(j);
    s.parametric = s.num_diff > 0;
    const MatrixShape shape = op.gate == GateKind::unitary ? MatrixShape::dense : gate_info(op.gate).shape;
    if (s.k > 1)
        s.kind = StepKind::general;
    else if (op.gate == GateKind::x)
        s.kind = StepKind::flip1;
    else if (shape == MatrixShape::diagonal)
        s.kind = StepKind::diagonal1;
    else
        s.kind = op.gate == GateKind::ry ? StepKind::real1 : StepKind::dense1;
    const Generator local = local_generator(op.gate);
    if (local.present) {  // the same masks over the qubits the matrix bits name
        s.generator.present = true;
        s.generator.num_y = local.num_y;
        for (unsigned j = 0; j < s.k; ++j) {
            if (local.flip >> j & 1) s.generator.flip |= std::uint64_t{1} << s.targets[j];
            if (local.sign >> j & 1) s.generator.sign |= std::uint64_t{1} << s.targets[j];
        }
    }
    if (!s.parametric) {
        std::array<double, 4> a{};
        for (std::size_t j = 0; j < op.params.size(); ++j) a[j] = op.params[j].constant();
        fill_matrix(op, a, constant, s.dim);
        const std::size_t dd = std::size_t(s.dim) * s.dim;
        const bool real = std::all_of(constant, constant + dd, [](Z z) { return z.imag() == 0.0; });
        if (s.kind == StepKind::dense1 && real) s.kind = StepKind::real1;
    }
    return s;
}

template <Precision T>
CompiledCircuit<T>::CompiledCircuit(const Circuit& c, std::size_t tape_bytes)
    : circuit_(&c), num_qubits_(c.num_qubits()) {
    const auto& ops = c.operations();
    std::vector<Z> scratch(64 * 64);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.kind != OpKind::gate) continue;
        Step s = make_step(op, i, scratch.data());
        const std::size_t dd = std::size_t(s.dim) * s.dim;
        s.matrix = matrices_.size();
        const std::size_t num_derivatives = s.generator.present ? 0 : s.num_diff;
        matrices_.resize(matrices_.size() + dd * (2 + num_derivatives));
        steps_.push_back(s);
        if (!s.parametric)  // fixed once here; bind only touches parametric steps
            for (std::size_t r = 0; r < s.dim; ++r)
                for (std::size_t k = 0; k < s.dim; ++k) {
                    matrices_[s.matrix + r * s.dim + k] = C(scratch[r * s.dim + k]);
                    matrices_[s.matrix + dd + k * s.dim + r] = C(std::conj(scratch[r * s.dim + k]));
                }
    }
    const std::size_t state_bytes = sizeof(C) << num_qubits_;
    for (std::size_t i = 0; i < steps_.size(); ++i)
        if (steps_[i].parametric && num_taped_ < tape_bytes / state_bytes) ++num_taped_, last_taped_step_ = i;
}

template <Precision T>
void CompiledCircuit<T>::bind(std::span<const double> params) {
    const auto& ops = circuit_->operations();
    std::array<Z, 16> m;  // parametric gates have at most 2 targets
    for (const Step& s : steps_) {
        if (!s.parametric) continue;
        const Operation& op = ops[s.op_index];
        const std::array<double, 4> a = angles(op, params);
        const std::size_t dd = std::size_t(s.dim) * s.dim;
        C* u = matrices_.data() + s.matrix;
        fill_matrix(op, a, m.data(), s.dim);
        for (std::size_t r = 0; r < s.dim; ++r)
            for (std::size_t k = 0; k < s.dim; ++k) {
                u[r * s.dim + k] = C(m[r * s.dim + k]);
                u[dd + k * s.dim + r] = C(std::conj(m[r * s.dim + k]));
            }
        if (s.generator.present) continue;
        for (unsigned j = 0; j < s.num_diff; ++j) {
            fill_derivative(op, a, s.angle_slots[j], m.data());
            for (std::size_t e = 0; e < dd; ++e) u[(2 + j) * dd + e] = C(m[e]);
        }
    }
}

/// One step on psi with matrix m (U or U^dagger). Pair kernels walk the 2^(n-1) pairs of the
/// target: pair g has its lower amplitude at g with a zero inserted at the target bit, the
/// upper one 2^q above; pairs whose controls do not hold are skipped. General steps walk the
/// 2^(n - sites) groups: zeros inserted at every site bit, control values ORed in, and the
/// 2^k amplitudes of the group at the offsets the target bits make.
template <Precision T>
void CompiledCircuit<T>::apply(const Step& s, const C* m, C* psi) const {
    switch (s.kind) {
        case StepKind::dense1:
        case StepKind::real1:
        case StepKind::diagonal1:
        case StepKind::flip1:
            with_pair_kind(s.kind, [&]<StepKind K>() {
                T* p = reinterpret_cast<T*>(psi);
                for_pairs(num_qubits_, s, [&](std::uint64_t i, std::uint64_t j) KETTLE_INLINE {
                    map_pair<K>(m, p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1]);
                });
            });
            return;
        case StepKind::general: {
            const unsigned d = s.dim;
            std::array<std::uint64_t, 64> offset;
            for (unsigned j = 0; j < d; ++j) {
                offset[j] = 0;
                for (unsigned b = 0; b < s.k; ++b)
                    if (j >> b & 1) offset[j] |= std::uint64_t{1} << s.targets[b];
            }
            std::array<C, 64> v;
            const std::uint64_t groups = std::uint64_t{1} << (num_qubits_ - s.num_sites);
            for (std::uint64_t g = 0; g < groups; ++g) {
                std::uint64_t base = g;
                for (unsigned t = 0; t < s.num_sites; ++t) base = insert_zero(base, s.sites[t]);
                base |= s.ctrl_value;
                for (unsigned j = 0; j < d; ++j) v[j] = psi[base + offset[j]];
                for (unsigned r = 0; r < d; ++r) {
                    C acc = 0;
                    for (unsigned c = 0; c < d; ++c) acc += mul(m[r * d + c], v[c]);
                    psi[base + offset[r]] = acc;
                }
            }
            return;
        }
    }
}

template <Precision T>
void CompiledCircuit<T>::forward(C* psi) const {
    for (const Step& s : steps_) apply(s, matrices_.data() + s.matrix, psi);
}

/// 2 Re <lambda| dU/dθ |psi_before> = 2 Re(-i/2 <lambda|G|psi_after>) = Im <lambda|G|psi_after>,
/// summed where the controls hold (dU vanishes elsewhere; G keeps the control bits).
template <Precision T>
double CompiledCircuit<T>::derivative_by_generator(const Step& s, const C* lambda, const C* psi) const {
    const Generator& g = s.generator;
    const std::uint64_t size = std::uint64_t{1} << num_qubits_;
    double re = 0, im = 0;
    for (std::uint64_t i = 0; i < size; ++i) {
        if ((i & s.ctrl_mask) != s.ctrl_value) continue;
        const Z v = conj_mul(lambda[i ^ g.flip], psi[i]);
        if (std::popcount(i & g.sign) & 1) re -= v.real(), im -= v.imag();
        else re += v.real(), im += v.imag();
    }
    const Z z = kPowI[g.num_y % 4] * Z(re, im);
    return z.imag();
}

/// acc[j] = 2 Re <lambda| dU_j |psi> over the controlled subspace, psi being the state before.
template <Precision T>
void CompiledCircuit<T>::derivatives_by_matrix(const Step& s, const C* lambda, const C* psi, double* acc) const {
    const unsigned d = s.dim;
    const std::size_t dd = std::size_t(d) * d;
    std::array<std::uint64_t, 64> offset;
    for (unsigned j = 0; j < d; ++j) {
        offset[j] = 0;
        for (unsigned b = 0; b < s.k; ++b)
            if (j >> b & 1) offset[j] |= std::uint64_t{1} << s.targets[b];
    }
    const std::uint64_t groups = std::uint64_t{1} << (num_qubits_ - s.num_sites);
    for (unsigned j = 0; j < s.num_diff; ++j) acc[j] = 0;
    for (std::uint64_t g = 0; g < groups; ++g) {
        std::uint64_t base = g;
        for (unsigned t = 0; t < s.num_sites; ++t) base = insert_zero(base, s.sites[t]);
        base |= s.ctrl_value;
        for (unsigned j = 0; j < s.num_diff; ++j) {
            const C* dm = matrices_.data() + s.matrix + (2 + j) * dd;
            double sum = 0;
            for (unsigned r = 0; r < d; ++r) {
                C row = 0;
                for (unsigned c = 0; c < d; ++c) row += mul(dm[r * d + c], psi[base + offset[c]]);
                sum += conj_mul(lambda[base + offset[r]], row).real();
            }
            acc[j] += 2 * sum;
        }
    }
}

template class CompiledCircuit<float>;
template class CompiledCircuit<double>;

template <Precision T>
double small_expectation(const std::complex<T>* psi, unsigned n, const PauliSum& h) {
    const std::uint64_t size = std::uint64_t{1} << n;
    double total = 0;
    for (const PauliTerm& term : h.terms()) {
        std::uint64_t flip = 0, sign = 0;
        unsigned num_y = 0;
        for (const auto& [q, p] : term.factors) {
            const std::uint64_t bit = std::uint64_t{1} << q;
            if (p != 'Z') flip |= bit;
            if (p != 'X') sign |= bit;
            if (p == 'Y') ++num_y;
        }
        double re = 0, im = 0;
        for (std::uint64_t i = 0; i < size; ++i) {
            const Z v = conj_mul(psi[i ^ flip], psi[i]);
            if (std::popcount(i & sign) & 1) re -= v.real(), im -= v.imag();
            else re += v.real(), im += v.imag();
        }
        total += term.coeff * (kPowI[num_y % 4] * Z(re, im)).real();
    }
    return total;
}

template double small_expectation(const std::complex<float>*, unsigned, const PauliSum&);
template double small_expectation(const std::complex<double>*, unsigned, const PauliSum&);

}  // namespace kettle::qml_detail
