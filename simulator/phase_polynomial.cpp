#include "phase_polynomial.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>

#include "execution.hpp"
#include "parallel.hpp"
#include "kernels.hpp"
#include "kettle/isa.hpp"

namespace kettle::detail {
namespace {

/// Low bits of the index whose phases are tabulated once; each row of 2^kLowBits amplitudes
/// gets its own factors from the high bits.
constexpr unsigned kLowBits = 10;

double arg_of(std::complex<double> z) { return std::atan2(z.imag(), z.real()); }

/// Whether phase x is a multiple of pi (to rounding), so that e^{i x} is +1 or -1.
bool multiple_of_pi(double x) {
    const double k = x / std::numbers::pi;
    return std::abs(k - std::nearbyint(k)) < 1e-12 && std::abs(k) < 1e15;
}

/// e^{i x} for a multiple x of pi: +1 or -1.
double sign_of(double x) { return std::fmod(std::abs(std::nearbyint(x / std::numbers::pi)), 2.0) == 0 ? 1.0 : -1.0; }

/// Whether every factor of the polynomial (quadratic terms of `phase`, linear terms `linear`,
/// constant `constant`) is +1 or -1, and so is every entry of its low table (built from
/// phase.linear, which a chunk's `linear` may differ from by multiples of other angles): then
/// rows take the real kernel.
bool signs_only(const PhasePolynomial& phase, std::span<const double> linear, double constant) {
    if (!multiple_of_pi(constant)) return false;
    for (double a : linear)
        if (!multiple_of_pi(a)) return false;
    for (double a : phase.linear)
        if (!multiple_of_pi(a)) return false;
    for (const std::vector<double>& row : phase.quadratic)
        for (double b : row)
            if (!multiple_of_pi(b)) return false;
    return true;
}

}  // namespace

PhasePolynomial::PhasePolynomial(unsigned num_qubits) : linear(num_qubits, 0.0), quadratic(num_qubits) {
    for (unsigned r = 0; r < num_qubits; ++r) quadratic[r].assign(r, 0.0);
}

bool is_quadratic_phase(const Operation& op) {
    if (op.kind != OpKind::gate || op.condition) return false;
    if (operation_shape(op) != MatrixShape::diagonal) return false;
    if (op.targets.size() == 1) return op.controls.size() <= 1;
    return op.targets.size() == 2 && op.controls.empty();
}

void PhasePolynomial::add(const Operation& op, std::span<const double> params) {
    std::array<double, 4> values{};
    for (std::size_t i = 0; i < op.params.size(); ++i) values[i] = op.params[i].evaluate(params);
    const Matrix m = op.gate == GateKind::unitary
                         ? *op.matrix
                         : gate_matrix(op.gate, std::span<const double>(values.data(), op.params.size()));
    auto pair = [&](unsigned q, unsigned r, double b) {
        if (q > r) std::swap(q, r);
        quadratic[r][q] += b;
    };
    if (op.targets.size() == 2) {
        // diag(e^{i al_00}, e^{i al_10}, e^{i al_01}, e^{i al_11}) with index bit 0 = targets[0]:
        // al_00 + (al_10 - al_00) x_a + (al_01 - al_00) x_b + (al_11 - al_10 - al_01 + al_00) x_a x_b.
        const double a00 = arg_of(m[0]), a10 = arg_of(m[5]), a01 = arg_of(m[10]), a11 = arg_of(m[15]);
        const unsigned a = op.targets[0], b = op.targets[1];
        constant += a00;
        linear[a] += a10 - a00;
        linear[b] += a01 - a00;
        pair(a, b, a11 - a10 - a01 + a00);
        return;
    }
    const double a0 = arg_of(m[0]), a1 = arg_of(m[3]);
    const unsigned t = op.targets[0];
    if (op.controls.empty()) {
        constant += a0;
        linear[t] += a1 - a0;
        return;
    }
    // [control holds] (a0 + (a1 - a0) x_t), where [control holds] is x_c or 1 - x_c.
    const unsigned c = op.controls[0];
    if (op.control_values[0]) {
        linear[c] += a0;
        pair(c, t, a1 - a0);
    } else {
        constant += a0;
        linear[c] -= a0;
        linear[t] += a1 - a0;
        pair(c, t, -(a1 - a0));
    }
}

template <class T>
CacheAlignedVector<std::complex<T>> phase_low_table(const PhasePolynomial& phase) {
    using C = std::complex<T>;
    const unsigned low = std::min(unsigned(phase.linear.size()), kLowBits);
    const std::size_t row = std::size_t{1} << low;
    // Phases of the low bits alone, by doubling: the entry of l | 2^r is that of l times
    // e^{i a_r} times e^{i b_rq} for each set bit q < r of l (itself a doubling, g).
    CacheAlignedVector<C> table(row);
    std::vector<C> g(row);
    table[0] = 1;
    for (unsigned r = 0; r < low; ++r) {
        const std::size_t half = std::size_t{1} << r;
        g[0] = C(std::polar(1.0, phase.linear[r]));
        for (unsigned q = 0; q < r; ++q) {
            const C f = C(std::polar(1.0, phase.quadratic[r][q]));
            const std::size_t span = std::size_t{1} << q;
            for (std::size_t l = 0; l < span; ++l) g[l + span] = g[l] * f;
        }
        for (std::size_t l = 0; l < half; ++l) table[l + half] = table[l] * g[l];
    }
    return table;
}

template <class T>
void apply_phase_rows(std::complex<T>* psi, const PhasePolynomial& phase, const CacheAlignedVector<std::complex<T>>& table,
                      std::span<const double> linear, double constant, bool parallel) {
    using C = std::complex<T>;
    const unsigned n = unsigned(phase.linear.size());
    const unsigned low = std::min(n, kLowBits), high = n - low;
    const std::size_t row = std::size_t{1} << low;
    const KernelTable<T>& kernels = kernel_table<T>(current_isa());
    // Row h's own phase (high bits alone) and, per low bit q, the phase its cross terms with the
    // set high bits (and any change of its linear term) add when q is set.
    auto row_phases = [&](std::uint64_t h, double& base, std::array<double, kLowBits>& cross) {
        base = constant;
        for (unsigned q = 0; q < low; ++q) cross[q] = linear[q] - phase.linear[q];
        for (unsigned r = low; r < n; ++r) {
            if (!(h >> (r - low) & 1)) continue;
            base += linear[r];
            const std::vector<double>& b = phase.quadratic[r];
            for (unsigned q = 0; q < low; ++q) cross[q] += b[q];
            for (unsigned q = low; q < r; ++q)
                if (h >> (q - low) & 1) base += b[q];
        }
    };
    // A layer of CZ-like phases (every factor +1 or -1) takes the real kernel: the factors held
    // as reals, each twice (for the real and imaginary parts of its amplitude).
    const bool signs = signs_only(phase, linear, constant);
    ComplexScratch<T, std::size_t{1} << kLowBits> sign_table;
    if (signs)
        for (std::size_t l = 0; l < row; ++l) sign_table.raw[2 * l] = sign_table.raw[2 * l + 1] = table[l].real() < 0 ? T(-1) : T(1);
    auto rows = [&](std::uint64_t begin, std::uint64_t end) {
        ComplexScratch<T, std::size_t{1} << kLowBits> factors;
        ComplexScratch<T, kLowBits + 1> steps;
        double base = 0;
        std::array<double, kLowBits> cross{};
        for (std::uint64_t h = begin; h < end; ++h) {
            row_phases(h, base, cross);
            if (signs) {
                T* real_steps = steps.raw;  // room for 2 (kLowBits + 1) reals
                real_steps[0] = T(sign_of(base));
                for (unsigned q = 0; q < low; ++q) real_steps[q + 1] = T(sign_of(cross[q]));
                kernels.sign_row(psi + (h << low), low, sign_table.raw, real_steps, factors.raw);
                continue;
            }
            steps[0] = C(std::polar(1.0, base));
            for (unsigned q = 0; q < low; ++q) steps[q + 1] = C(std::polar(1.0, cross[q]));
            kernels.phase_row(psi + (h << low), low, table.data(), steps.data(), factors.data());
        }
    };
    const std::uint64_t count = std::uint64_t{1} << high;
    if (!parallel || (count << low) < kParallelThreshold)
        rows(0, count);
    else
        parallel_range(count, std::max<std::uint64_t>(1, kParallelThreshold / row), rows);
}

template <class T>
void apply_phase_polynomial(StateVector<T>& state, const PhasePolynomial& phase) {
    apply_phase_rows(state.data(), phase, phase_low_table<T>(phase), phase.linear, phase.constant, true);
}

template CacheAlignedVector<std::complex<float>> phase_low_table(const PhasePolynomial&);
template CacheAlignedVector<std::complex<double>> phase_low_table(const PhasePolynomial&);
template void apply_phase_rows(std::complex<float>*, const PhasePolynomial&, const CacheAlignedVector<std::complex<float>>&,
                               std::span<const double>, double, bool);
template void apply_phase_rows(std::complex<double>*, const PhasePolynomial&, const CacheAlignedVector<std::complex<double>>&,
                               std::span<const double>, double, bool);
template void apply_phase_polynomial(StateVector<float>&, const PhasePolynomial&);
template void apply_phase_polynomial(StateVector<double>&, const PhasePolynomial&);

}  // namespace kettle::detail
