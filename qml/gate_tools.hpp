#pragma once
// Internal helpers of the gradient code: a gate's angles and matrix, adjoints, and inner
// products restricted to the subspace where a gate's controls hold.

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdint>
#include <span>

#include "kettle/gate.hpp"
#include "kettle/simulator.hpp"
#include "kettle/state_vector.hpp"

namespace kettle::qml_detail {

/// The angles of gate `op` with `params` bound (at most 4: ug).
inline std::array<double, 4> angles(const Operation& op, std::span<const double> params) {
    std::array<double, 4> a{};
    for (std::size_t j = 0; j < op.params.size(); ++j) a[j] = op.params[j].evaluate(params);
    return a;
}

/// g * u3(θ, φ, λ) = e^{iγ} [[c, -e^{iλ} s], [e^{iφ} s, e^{i(φ+λ)} c]], c = cos(θ/2),
/// s = sin(θ/2), written into out[0..3] without allocating.
inline void u3_into(double theta, double phi, double lambda, double gamma, std::complex<double>* out) {
    const double c = std::cos(theta / 2), s = std::sin(theta / 2);
    const std::complex<double> g = std::polar(1.0, gamma), el = std::polar(1.0, lambda), ep = std::polar(1.0, phi);
    out[0] = g * c;
    out[1] = -g * el * s;
    out[2] = g * ep * s;
    out[3] = g * ep * el * c;
}

/// d/d(angle `which`: 0 θ, 1 φ, 2 λ, 3 γ) of the matrix of u3_into, into out[0..3].
inline void u3_derivative_into(double theta, double phi, double lambda, double gamma, std::size_t which,
                               std::complex<double>* out) {
    const double c = std::cos(theta / 2), s = std::sin(theta / 2);
    const std::complex<double> I{0.0, 1.0};
    const std::complex<double> g = std::polar(1.0, gamma), el = std::polar(1.0, lambda), ep = std::polar(1.0, phi);
    switch (which) {
        case 0: out[0] = -g * s / 2.0, out[1] = -g * el * c / 2.0, out[2] = g * ep * c / 2.0,
                out[3] = -g * ep * el * s / 2.0; return;
        case 1: out[0] = 0, out[1] = 0, out[2] = I * g * ep * s, out[3] = I * g * ep * el * c; return;
        case 2: out[0] = 0, out[1] = -I * g * el * s, out[2] = 0, out[3] = I * g * ep * el * c; return;
        default: out[0] = I * g * c, out[1] = -I * g * el * s, out[2] = I * g * ep * s, out[3] = I * g * ep * el * c;
    }
}

inline Matrix matrix_of(const Operation& op, const std::array<double, 4>& a) {
    if (op.gate == GateKind::unitary) return *op.matrix;
    return gate_matrix(op.gate, std::span<const double>(a.data(), op.params.size()));
}

/// The conjugate transpose of a square matrix.
inline Matrix dagger(const Matrix& m) {
    std::size_t d = 1;
    while (d * d < m.size()) ++d;
    Matrix r(m.size());
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j) r[j * d + i] = std::conj(m[i * d + j]);
    return r;
}

/// Applies m on op's targets under op's controls.
template <Precision T>
void apply_on(StateVector<T>& s, const Matrix& m, const Operation& op) {
    apply_matrix(s, m, op.targets, op.controls, op.control_values);
}

/// (mask, value): basis index i lies in the controlled subspace of op iff (i & mask) == value.
inline std::pair<std::uint64_t, std::uint64_t> control_subspace(const Operation& op) {
    std::uint64_t mask = 0, value = 0;
    for (std::size_t j = 0; j < op.controls.size(); ++j) {
        mask |= std::uint64_t{1} << op.controls[j];
        if (op.control_values.empty() || op.control_values[j]) value |= std::uint64_t{1} << op.controls[j];
    }
    return {mask, value};
}

/// Re <a|b> summed over the basis states where (i & mask) == value, in double.
template <Precision T>
double real_inner(const StateVector<T>& a, const StateVector<T>& b, std::uint64_t mask, std::uint64_t value) {
    const std::complex<T>* x = a.data();
    const std::complex<T>* y = b.data();
    double sum = 0.0;
    const std::uint64_t n = a.size();
    for (std::uint64_t i = 0; i < n; ++i)
        if ((i & mask) == value)
            sum += double(x[i].real()) * double(y[i].real()) + double(x[i].imag()) * double(y[i].imag());
    return sum;
}

/// dst = src without reallocating (same qubit count).
template <Precision T>
void copy_state(const StateVector<T>& src, StateVector<T>& dst) {
    std::copy(src.data(), src.data() + src.size(), dst.data());
}

}  // namespace kettle::qml_detail
