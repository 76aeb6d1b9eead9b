#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "gate_tools.hpp"
#include "kettle/error.hpp"
#include "kettle/gradient.hpp"

namespace kettle {
namespace {

using C = std::complex<double>;
constexpr C I{0.0, 1.0};

Matrix u3_derivative(double theta, double phi, double lambda, double gamma, std::size_t which) {
    Matrix m(4);
    qml_detail::u3_derivative_into(theta, phi, lambda, gamma, which, m.data());
    return m;
}

}  // namespace

Matrix gate_matrix_derivative(GateKind kind, std::span<const double> params, std::size_t which) {
    const GateInfo& info = gate_info(kind);
    if (kind == GateKind::unitary || info.num_params == 0 || which >= info.num_params ||
        params.size() != info.num_params)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("gate_matrix_derivative: gate `{}` has {} parameters; derivative by parameter {} "
                                "with {} values given is not defined (valid 0..{})",
                                info.name, info.num_params, which, params.size(),
                                info.num_params == 0 ? std::string("none") : fmt::format("{}", info.num_params - 1)));
    switch (kind) {
        case GateKind::rx:
        case GateKind::ry:
        case GateKind::rz:
        case GateKind::rxx:
        case GateKind::ryy:
        case GateKind::rzz: {
            // U(θ) = cos(θ/2) I - i sin(θ/2) G, so dU/dθ = U(θ + π) / 2 exactly.
            const double shifted = params[0] + std::numbers::pi;
            Matrix m = gate_matrix(kind, std::span<const double>(&shifted, 1));
            for (C& z : m) z *= 0.5;
            return m;
        }
        case GateKind::p: return {0, 0, 0, I * std::exp(I * params[0])};
        case GateKind::u: return u3_derivative(params[0], params[1], params[2], 0.0, which);
        case GateKind::ug: return u3_derivative(params[0], params[1], params[2], params[3], which);
        default: break;
    }
    throw Error(ErrorCode::internal, fmt::format("gate_matrix_derivative: no derivative for gate `{}`", info.name));
}

}  // namespace kettle
