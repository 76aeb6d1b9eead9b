#include "kettle/gate.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "kettle/error.hpp"
#include "gate_matrix.hpp"

namespace kettle {
namespace {

using C = std::complex<double>;
constexpr C I{0.0, 1.0};

constexpr std::array kGateInfo{
    GateInfo{"id", 1, 0, MatrixShape::diagonal},     GateInfo{"x", 1, 0, MatrixShape::permutation},
    GateInfo{"y", 1, 0, MatrixShape::permutation},   GateInfo{"z", 1, 0, MatrixShape::diagonal},
    GateInfo{"h", 1, 0, MatrixShape::dense},         GateInfo{"s", 1, 0, MatrixShape::diagonal},
    GateInfo{"sdg", 1, 0, MatrixShape::diagonal},    GateInfo{"t", 1, 0, MatrixShape::diagonal},
    GateInfo{"tdg", 1, 0, MatrixShape::diagonal},    GateInfo{"sx", 1, 0, MatrixShape::dense},
    GateInfo{"sxdg", 1, 0, MatrixShape::dense},      GateInfo{"rx", 1, 1, MatrixShape::dense},
    GateInfo{"ry", 1, 1, MatrixShape::dense},        GateInfo{"rz", 1, 1, MatrixShape::diagonal},
    GateInfo{"p", 1, 1, MatrixShape::diagonal},      GateInfo{"u", 1, 3, MatrixShape::dense},
    GateInfo{"ug", 1, 4, MatrixShape::dense},        GateInfo{"swap", 2, 0, MatrixShape::permutation},
    GateInfo{"rxx", 2, 1, MatrixShape::dense},       GateInfo{"ryy", 2, 1, MatrixShape::dense},
    GateInfo{"rzz", 2, 1, MatrixShape::diagonal},    GateInfo{"unitary", 0, 0, MatrixShape::dense},
};
static_assert(kGateInfo.size() == static_cast<std::size_t>(GateKind::unitary) + 1);

/// Writes `entries` to `out` one by one and returns how many. (Copied from an initializer
/// list they were written to the stack in 8-byte halves and read back in 16: a failed store
/// forward per entry, 4% of BM_SmallCircuit/n:10/run.)
template <class... E>
std::size_t set(detail::NamedGateMatrix& out, const E&... entries) {
    std::size_t i = 0;
    ((out[i++] = C(entries)), ...);
    return sizeof...(E);
}

/// cos(theta / 2) and sin(theta / 2). Circuits repeat their angles (rx(pi/2) in every layer
/// of a random circuit), so each thread keeps the last angle's (compared bit for bit: -0 is
/// not 0): sincos was 2.5% of BM_SmallCircuit/n:10/run.
std::pair<double, double> half_angle(double theta) {
    thread_local std::uint64_t last = std::bit_cast<std::uint64_t>(0.0);
    thread_local double c = 1, s = 0;
    if (std::bit_cast<std::uint64_t>(theta) != last) {
        last = std::bit_cast<std::uint64_t>(theta);
        c = std::cos(theta / 2), s = std::sin(theta / 2);
    }
    return {c, s};
}

std::size_t u3(detail::NamedGateMatrix& out, double theta, double phi, double lambda, double gamma = 0.0) {
    const double c = std::cos(theta / 2), s = std::sin(theta / 2);
    const C g = std::exp(I * gamma), a = std::exp(I * phi), b = std::exp(I * lambda);
    // The corner's phase is the product of the other two, not exp(i (phi + lambda)): where one
    // angle is far larger than the other (1e27 and pi), their sum rounds to the larger and the
    // matrix would no longer be unitary.
    return set(out, g * c, -g * b * s, g * a * s, g * (a * b) * c);
}

}  // namespace

const GateInfo& gate_info(GateKind kind) noexcept { return kGateInfo[static_cast<std::size_t>(kind)]; }

std::size_t detail::gate_matrix_into(GateKind kind, std::span<const double> p, NamedGateMatrix& out) {
    using std::numbers::pi;
    const double r = 1.0 / std::numbers::sqrt2;
    switch (kind) {
        case GateKind::i: return set(out, 1, 0, 0, 1);
        case GateKind::x: return set(out, 0, 1, 1, 0);
        case GateKind::y: return set(out, 0, -I, I, 0);
        case GateKind::z: return set(out, 1, 0, 0, -1);
        case GateKind::h: return set(out, r, r, r, -r);
        case GateKind::s: return set(out, 1, 0, 0, I);
        case GateKind::sdg: return set(out, 1, 0, 0, -I);
        case GateKind::t: return set(out, 1, 0, 0, std::exp(I * (pi / 4)));
        case GateKind::tdg: return set(out, 1, 0, 0, std::exp(-I * (pi / 4)));
        case GateKind::sx: return set(out, C(0.5, 0.5), C(0.5, -0.5), C(0.5, -0.5), C(0.5, 0.5));
        case GateKind::sxdg: return set(out, C(0.5, -0.5), C(0.5, 0.5), C(0.5, 0.5), C(0.5, -0.5));
        case GateKind::rx: {
            const auto [c, s] = half_angle(p[0]);
            return set(out, c, -I * s, -I * s, c);
        }
        case GateKind::ry: {
            const auto [c, s] = half_angle(p[0]);
            return set(out, c, -s, s, c);
        }
        case GateKind::rz: return set(out, std::exp(-I * (p[0] / 2)), 0, 0, std::exp(I * (p[0] / 2)));
        case GateKind::p: return set(out, 1, 0, 0, std::exp(I * p[0]));
        case GateKind::u: return u3(out, p[0], p[1], p[2]);
        case GateKind::ug: return u3(out, p[0], p[1], p[2], p[3]);
        case GateKind::swap: return set(out, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1);
        case GateKind::rxx: {
            const C c = std::cos(p[0] / 2), s = -I * std::sin(p[0] / 2);
            return set(out, c, 0, 0, s, 0, c, s, 0, 0, s, c, 0, s, 0, 0, c);
        }
        case GateKind::ryy: {
            // exp(-iθ/2 Y⊗Y): Y⊗Y maps |00> to -|11> and |01> to |10>.
            const C c = std::cos(p[0] / 2), s = I * std::sin(p[0] / 2);
            return set(out, c, 0, 0, s, 0, c, -s, 0, 0, -s, c, 0, s, 0, 0, c);
        }
        case GateKind::rzz: {
            const C a = std::exp(-I * (p[0] / 2)), b = std::exp(I * (p[0] / 2));
            return set(out, a, 0, 0, 0, 0, b, 0, 0, 0, 0, b, 0, 0, 0, 0, a);
        }
        case GateKind::unitary: break;
    }
    throw Error(ErrorCode::internal, "gate_matrix: a `unitary` gate carries its own matrix");
}

Matrix gate_matrix(GateKind kind, std::span<const double> params) {
    detail::NamedGateMatrix m;
    const std::size_t size = detail::gate_matrix_into(kind, params, m);
    return Matrix(m.data(), m.data() + size);
}

unsigned check_unitary(const Matrix& m, std::string_view where) {
    unsigned k = 0;
    while (k <= 6 && (std::size_t{1} << (2 * k)) < m.size()) ++k;
    if (k == 0 || k > 6 || (std::size_t{1} << (2 * k)) != m.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: a unitary must be 2^k x 2^k with 1 <= k <= 6, got {} entries",
                                where, m.size()));
    const std::size_t d = std::size_t{1} << k;
    for (const C& z : m)
        if (!std::isfinite(z.real()) || !std::isfinite(z.imag()))
            throw Error(ErrorCode::invalid_input, fmt::format("{}: the matrix has a NaN or infinite entry", where));
    for (std::size_t r = 0; r < d; ++r)
        for (std::size_t c = 0; c < d; ++c) {
            C sum = 0;
            for (std::size_t j = 0; j < d; ++j) sum += m[r * d + j] * std::conj(m[c * d + j]);
            const double dev = std::abs(sum - (r == c ? 1.0 : 0.0));
            if (dev > 1e-9)
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: the {}x{} matrix is not unitary (entry ({}, {}) of U U^dagger "
                                        "is off the identity by {:.3g}, tolerance 1e-9)",
                                        where, d, d, r, c, dev));
        }
    return k;
}

std::string Operation::name() const {
    switch (kind) {
        case OpKind::measure: return "measure";
        case OpKind::reset: return "reset";
        case OpKind::barrier: return "barrier";
        case OpKind::gate: break;
    }
    std::string base{gate_info(gate).name};
    // qelib1.inc spells controlled u3 as `cu3`, and controlled e^{iγ}u3 as `cu`.
    if (controls.size() == 1 && gate == GateKind::u) return "cu3";
    if (controls.size() == 1 && gate == GateKind::ug) return "cu";
    switch (controls.size()) {
        case 0: return base;
        case 1: return "c" + base;
        case 2: if (gate == GateKind::x) return "ccx"; [[fallthrough]];
        default: return fmt::format("c{}{}", controls.size(), base);
    }
}

bool Operation::operator==(const Operation& o) const {
    const bool same_matrix = (matrix == o.matrix) || (matrix && o.matrix && *matrix == *o.matrix);
    return kind == o.kind && gate == o.gate && targets == o.targets && controls == o.controls &&
           control_values == o.control_values && params == o.params && same_matrix &&
           clbit == o.clbit && condition == o.condition;
}

}  // namespace kettle
