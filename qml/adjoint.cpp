#include <algorithm>
#include <fmt/format.h>

#include "compiled_circuit.hpp"
#include "gate_tools.hpp"
#include "kettle/error.hpp"
#include "kettle/gradient.hpp"
#include "kettle/observable.hpp"
#include "kettle/pauli.hpp"

namespace kettle {

std::vector<double> Jacobian::block(std::span<const Parameter> parameters) const {
    std::vector<double> out;
    out.reserve(num_observables * parameters.size());
    for (std::size_t m = 0; m < num_observables; ++m)
        for (const Parameter& p : parameters) {
            if (p.index() >= num_parameters)
                throw Error(ErrorCode::invalid_input,
                            fmt::format("Jacobian::block: parameter index {} is out of range (valid 0..{})", p.index(),
                                        num_parameters == 0 ? 0 : num_parameters - 1));
            out.push_back((*this)(m, p.index()));
        }
    return out;
}

void check_differentiable(const Circuit& c, const char* where) {
    const auto& ops = c.operations();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.kind == OpKind::measure || op.kind == OpKind::reset || op.condition)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: operation #{} ({}{}) is not a unitary gate; gradients need a circuit of "
                                    "gates and barriers only (no measure, reset or c_if)",
                                    where, i, op.name(), op.condition ? " with c_if" : ""));
    }
}

namespace {

void check_observables(const Circuit& c, std::span<const PauliSum> observables, const char* where) {
    for (std::size_t m = 0; m < observables.size(); ++m)
        if (observables[m].min_qubits() > c.num_qubits())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: observable #{} `{}` names qubit {}, but the circuit has {} qubits (valid 0..{})",
                                    where, m, observables[m].to_string(), observables[m].min_qubits() - 1,
                                    c.num_qubits(), c.num_qubits() == 0 ? 0 : c.num_qubits() - 1));
}

}  // namespace

template <Precision T>
AdjointDifferentiator<T>::AdjointDifferentiator(const Circuit& circuit, std::vector<PauliSum> observables)
    : circuit_(&circuit), observables_(std::move(observables)), psi_(circuit.num_qubits()),
      scratch_(circuit.num_qubits()) {
    check_differentiable(circuit, "AdjointDifferentiator");
    check_observables(circuit, observables_, "AdjointDifferentiator");
    lambdas_.emplace_back(circuit.num_qubits());
    lambda_data_.push_back(lambdas_[0].data());
    params_.reserve(circuit.num_parameters());
    if (circuit.num_qubits() <= qml_detail::kMaxCompiledQubits)
        compiled_ = std::make_unique<qml_detail::CompiledCircuit<T>>(
            circuit, qml_detail::default_tape_bytes<T>(circuit.num_qubits()));
}

template <Precision T>
AdjointDifferentiator<T>::~AdjointDifferentiator() = default;
template <Precision T>
AdjointDifferentiator<T>::AdjointDifferentiator(AdjointDifferentiator&&) noexcept = default;
template <Precision T>
AdjointDifferentiator<T>& AdjointDifferentiator<T>::operator=(AdjointDifferentiator&&) noexcept = default;

template <Precision T>
void AdjointDifferentiator<T>::forward(std::span<const double> params, std::span<double> values,
                                       std::span<const std::complex<T>> initial_state) {
    circuit_->check_bindings(params, "AdjointDifferentiator::forward");
    if (values.size() != observables_.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("AdjointDifferentiator::forward: {} values requested for {} observables",
                                values.size(), observables_.size()));
    if (!initial_state.empty() && initial_state.size() != psi_.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("AdjointDifferentiator::forward: an initial state of {} amplitudes for {} qubits "
                                "(needs {})", initial_state.size(), psi_.num_qubits(), psi_.size()));
    params_.assign(params.begin(), params.end());
    if (initial_state.empty())
        psi_.set_basis_state(0);
    else
        std::copy(initial_state.begin(), initial_state.end(), psi_.data());
    if (compiled_) {
        compiled_->bind(params);
        compiled_->forward_recording(psi_.data());
        for (std::size_t m = 0; m < observables_.size(); ++m)
            values[m] = qml_detail::small_expectation(psi_.data(), psi_.num_qubits(), observables_[m]);
    } else {
        for (const Operation& op : circuit_->operations())
            if (op.kind == OpKind::gate) apply_gate(psi_, op, params);
        for (std::size_t m = 0; m < observables_.size(); ++m) values[m] = expectation(psi_, observables_[m]);
    }
    ready_ = true;
}

template <Precision T>
void AdjointDifferentiator<T>::backward(std::span<const double> cotangent, std::span<double> gradient,
                                        std::span<std::complex<T>> initial_gradient) {
    if (!ready_)
        throw Error(ErrorCode::invalid_input,
                    "AdjointDifferentiator::backward: no forward state (call forward before each backward)");
    if (cotangent.size() != observables_.size() || gradient.size() != num_parameters() ||
        (!initial_gradient.empty() && initial_gradient.size() != psi_.size()))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("AdjointDifferentiator::backward: got {} cotangents, {} gradient slots and {} initial-"
                                "state slots; need {}, {} and 0 or {}", cotangent.size(), gradient.size(),
                                initial_gradient.size(), observables_.size(), num_parameters(), psi_.size()));
    // By linearity sum_m c_m d<O_m> is the derivative of <H> for H = sum_m c_m O_m: one lambda.
    StateVector<T>& lambda = lambdas_[0];
    std::fill(lambda.data(), lambda.data() + lambda.size(), std::complex<T>(0));
    for (std::size_t m = 0; m < observables_.size(); ++m)
        if (cotangent[m] != 0.0) accumulate_observable(psi_, observables_[m], cotangent[m], lambda);
    std::fill(gradient.begin(), gradient.end(), 0.0);
    sweep(1, gradient);
    // The sweep leaves lambda = U^dagger H U psi0, and df = 2 Re <d psi0| lambda>.
    for (std::size_t i = 0; i < initial_gradient.size(); ++i) initial_gradient[i] = T(2) * lambda.data()[i];
}

template <Precision T>
Jacobian AdjointDifferentiator<T>::jacobian(std::span<const double> params) {
    Jacobian j;
    j.num_observables = observables_.size();
    j.num_parameters = num_parameters();
    j.values.resize(j.num_observables);
    j.derivatives.assign(j.num_observables * j.num_parameters, 0.0);
    forward(params, j.values);
    while (lambdas_.size() < observables_.size()) {
        lambdas_.emplace_back(circuit_->num_qubits());
        lambda_data_.push_back(lambdas_.back().data());
    }
    for (std::size_t m = 0; m < observables_.size(); ++m) apply_observable(psi_, observables_[m], lambdas_[m]);
    sweep(observables_.size(), j.derivatives);
    return j;
}

template <Precision T>
void AdjointDifferentiator<T>::sweep(std::size_t num_lambdas, std::span<double> out) {
    ready_ = false;
    if (compiled_)
        compiled_->sweep(psi_.data(), lambda_data_.data(), num_lambdas, out);
    else
        sweep_with_simulator(num_lambdas, out);
}

template <Precision T>
void AdjointDifferentiator<T>::sweep_with_simulator(std::size_t num_lambdas, std::span<double> out) {
    using namespace qml_detail;
    const std::size_t num_params = num_parameters();
    const auto& ops = circuit_->operations();
    for (std::size_t i = ops.size(); i-- > 0;) {
        const Operation& op = ops[i];
        if (op.kind != OpKind::gate) continue;
        const std::array<double, 4> a = angles(op, params_);
        const Matrix inverse = dagger(matrix_of(op, a));
        apply_on(psi_, inverse, op);  // psi is now the state before gate i
        const auto [mask, value] = control_subspace(op);
        for (std::size_t j = 0; j < op.params.size(); ++j) {
            if (op.params[j].is_constant()) continue;
            // d<O>/da = 2 Re <lambda| dU/da |psi>; dU/da vanishes where the controls do not hold,
            // and apply_matrix leaves those amplitudes as they are, so the sum skips them.
            const Matrix d = gate_matrix_derivative(op.gate, std::span<const double>(a.data(), op.params.size()), j);
            copy_state(psi_, scratch_);
            apply_on(scratch_, d, op);
            for (std::size_t l = 0; l < num_lambdas; ++l) {
                const double g = 2.0 * real_inner(lambdas_[l], scratch_, mask, value);
                for (const ParamExpr::Term& t : op.params[j].terms()) out[l * num_params + t.parameter] += t.coeff * g;
            }
        }
        for (std::size_t l = 0; l < num_lambdas; ++l) apply_on(lambdas_[l], inverse, op);
    }
}

template class AdjointDifferentiator<float>;
template class AdjointDifferentiator<double>;

template <Precision T>
Jacobian adjoint_jacobian(const Circuit& c, std::span<const PauliSum> observables, std::span<const double> params) {
    AdjointDifferentiator<T> diff(c, std::vector<PauliSum>(observables.begin(), observables.end()));
    return diff.jacobian(params);
}

template <Precision T>
Jacobian jacobian(const Circuit& c, std::span<const PauliSum> observables, std::span<const double> params,
                  GradientMethod method) {
    return method == GradientMethod::adjoint ? adjoint_jacobian<T>(c, observables, params)
                                             : parameter_shift_jacobian<T>(c, observables, params);
}

template Jacobian adjoint_jacobian<float>(const Circuit&, std::span<const PauliSum>, std::span<const double>);
template Jacobian adjoint_jacobian<double>(const Circuit&, std::span<const PauliSum>, std::span<const double>);
template Jacobian jacobian<float>(const Circuit&, std::span<const PauliSum>, std::span<const double>, GradientMethod);
template Jacobian jacobian<double>(const Circuit&, std::span<const PauliSum>, std::span<const double>,
                                   GradientMethod);

}  // namespace kettle
