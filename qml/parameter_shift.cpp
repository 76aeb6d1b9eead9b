#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "gate_tools.hpp"
#include "kettle/error.hpp"
#include "kettle/gradient.hpp"

namespace kettle {
namespace {

/// Whether angle j of a controlled gate `op` has a generator with eigenvalues {0, 1} (a phase
/// under the controls: two-term rule) rather than {0, ±1/2} (four-term rule).
bool phase_like(const Operation& op, std::size_t j) {
    switch (op.gate) {
        case GateKind::p: return true;
        case GateKind::u:
        case GateKind::ug: return j != 0;  // u3 = P(φ) RY(θ) P(λ), times e^{iγ}
        default: return false;
    }
}

/// Runs c from |0> with angle j of operation `shifted_op` moved by `shift`, and writes <O_m>.
template <Precision T>
void shifted_expectations(const Circuit& c, std::span<const PauliSum> observables, std::span<const double> params,
                          std::size_t shifted_op, std::size_t j, double shift, StateVector<T>& state,
                          std::vector<double>& values) {
    using namespace qml_detail;
    state.set_basis_state(0);
    const auto& ops = c.operations();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.kind != OpKind::gate) continue;
        if (i != shifted_op) {
            apply_gate(state, op, params);
            continue;
        }
        std::array<double, 4> a = angles(op, params);
        a[j] += shift;
        apply_on(state, matrix_of(op, a), op);
    }
    for (std::size_t m = 0; m < observables.size(); ++m) values[m] = expectation(state, observables[m]);
}

}  // namespace

template <Precision T>
Jacobian parameter_shift_jacobian(const Circuit& c, std::span<const PauliSum> observables,
                                  std::span<const double> params) {
    using std::numbers::pi;
    check_differentiable(c, "parameter_shift_jacobian");
    c.check_bindings(params, "parameter_shift_jacobian");
    for (std::size_t m = 0; m < observables.size(); ++m)
        if (observables[m].min_qubits() > c.num_qubits())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("parameter_shift_jacobian: observable #{} `{}` names qubit {}, but the circuit "
                                    "has {} qubits", m, observables[m].to_string(), observables[m].min_qubits() - 1,
                                    c.num_qubits()));
    const std::size_t num_obs = observables.size(), num_params = c.num_parameters();
    Jacobian jac;
    jac.num_observables = num_obs;
    jac.num_parameters = num_params;
    jac.values.resize(num_obs);
    jac.derivatives.assign(num_obs * num_params, 0.0);
    StateVector<T> state(c.num_qubits());
    run(c, state, params);
    for (std::size_t m = 0; m < num_obs; ++m) jac.values[m] = expectation(state, observables[m]);

    const double d1 = (std::numbers::sqrt2 + 1) / (4 * std::numbers::sqrt2);
    const double d2 = (std::numbers::sqrt2 - 1) / (4 * std::numbers::sqrt2);
    std::vector<double> plus(num_obs), minus(num_obs), da(num_obs);
    // df/da accumulated into da as coeff * [f(a + s) - f(a - s)] for each (shift, coeff) of the rule.
    auto add_rule = [&](std::size_t i, std::size_t j, double shift, double coeff) {
        shifted_expectations(c, observables, params, i, j, shift, state, plus);
        shifted_expectations(c, observables, params, i, j, -shift, state, minus);
        for (std::size_t m = 0; m < num_obs; ++m) da[m] += coeff * (plus[m] - minus[m]);
    };
    const auto& ops = c.operations();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.kind != OpKind::gate) continue;
        for (std::size_t j = 0; j < op.params.size(); ++j) {
            if (op.params[j].is_constant()) continue;
            std::fill(da.begin(), da.end(), 0.0);
            if (op.controls.empty() || phase_like(op, j)) {
                add_rule(i, j, pi / 2, 0.5);
            } else {
                add_rule(i, j, pi / 2, d1);
                add_rule(i, j, 3 * pi / 2, -d2);
            }
            for (const ParamExpr::Term& t : op.params[j].terms())
                for (std::size_t m = 0; m < num_obs; ++m) jac.derivatives[m * num_params + t.parameter] += t.coeff * da[m];
        }
    }
    return jac;
}

template Jacobian parameter_shift_jacobian<float>(const Circuit&, std::span<const PauliSum>, std::span<const double>);
template Jacobian parameter_shift_jacobian<double>(const Circuit&, std::span<const PauliSum>, std::span<const double>);

}  // namespace kettle
