#pragma once
// Exact gradients of expectation values with respect to circuit parameters: adjoint
// differentiation (Jones & Gacon 2020) and the parameter-shift rules.
//
// Encodings bind input features as circuit parameters too, so one call gives the derivatives
// with respect to the inputs and to the weights; Jacobian::block splits them.

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/gate.hpp"
#include "kettle/pauli.hpp"
#include "kettle/state_vector.hpp"

namespace kettle {

/// Expectation values <O_m> of M observables and their derivatives with respect to the P
/// parameters of a circuit.
struct Jacobian {
    std::size_t num_observables = 0;
    std::size_t num_parameters = 0;
    std::vector<double> values;       ///< <O_m>, m = 0..M-1
    std::vector<double> derivatives;  ///< row-major M x P: d<O_m>/d(parameter k) at m * P + k

    [[nodiscard]] double operator()(std::size_t m, std::size_t k) const { return derivatives[m * num_parameters + k]; }
    /// The columns of the given parameters, in their order, row-major M x parameters.size():
    /// e.g. the block of the input features or that of the weights. Cost: O(M * size).
    [[nodiscard]] std::vector<double> block(std::span<const Parameter> parameters) const;
};

/// d gate_matrix(kind, params) / d params[which], analytic, for every parameterised base gate
/// kind (rx, ry, rz, p, u, ug, rxx, ryy, rzz). The derivative of a controlled gate is this
/// matrix on the controlled subspace and zero elsewhere. Throws Error(invalid_input) for a
/// kind without parameters or `which` out of range. Cost: O(4^k).
[[nodiscard]] Matrix gate_matrix_derivative(GateKind kind, std::span<const double> params, std::size_t which);

/// Throws Error(invalid_input), naming `where` and the operation, unless every operation of
/// `c` is a gate or a barrier (no measure, reset or classical condition): gradients are of
/// the unitary a circuit applies.
void check_differentiable(const Circuit& c, const char* where);

namespace qml_detail {
template <Precision T>
class CompiledCircuit;
}

/// Reusable buffers for adjoint differentiation of one circuit and its observables: keep one
/// per thread and call it per sample; after the first call nothing is allocated.
///
/// The forward pass computes |psi> = U(params)|psi0> (|psi0> = |0...0> unless an initial
/// state is given); the backward sweep walks the gates in reverse, un-applying each from |psi>
/// and from the adjoint state(s) lambda and taking 2 Re <lambda| dU/dangle |psi> per gate angle,
/// chained through the ParamExpr coefficients. Rotations exp(-iθ/2 G) (rx, ry, rz, rxx, ryy,
/// rzz, controlled or not) take their derivative from the Pauli generator G without forming
/// dU; p, u and ug use their derivative matrices, computed once per gate per call.
///
/// Circuits of up to 16 qubits run on a compiled form (per-gate matrices in one reusable
/// buffer, tight serial loops; the caller parallelises over samples); larger ones on the
/// simulator's parallel kernels. Precision T is that of the states; every sum is accumulated
/// in double. Preconditions: `circuit` outlives this object and is not modified.
template <Precision T = double>
class AdjointDifferentiator {
public:
    /// Validates the circuit (check_differentiable) and that each observable fits its qubits.
    /// Allocates three states of the circuit's size (psi, lambda, scratch) and the compiled form;
    /// for circuits of up to 10 qubits the first forward call also records the state before
    /// each parametric gate (at most 2 MiB, only if available_memory() allows), so the backward
    /// sweep reads psi instead of un-applying the gates on it.
    AdjointDifferentiator(const Circuit& circuit, std::vector<PauliSum> observables);
    ~AdjointDifferentiator();
    AdjointDifferentiator(AdjointDifferentiator&&) noexcept;
    AdjointDifferentiator& operator=(AdjointDifferentiator&&) noexcept;

    [[nodiscard]] std::size_t num_observables() const noexcept { return observables_.size(); }
    [[nodiscard]] std::size_t num_parameters() const noexcept { return circuit_->num_parameters(); }

    /// Runs the circuit with `params` bound and writes <O_m> into values (size M). Starts from
    /// `initial_state` (2^n normalised amplitudes) if given, else from |0...0>. Keeps the final
    /// state for one backward call. Cost: one simulation plus one pass per Pauli term.
    void forward(std::span<const double> params, std::span<double> values,
                 std::span<const std::complex<T>> initial_state = {});

    /// After forward: gradient[k] = sum_m cotangent[m] d<O_m>/d(parameter k), the
    /// vector-Jacobian product a loss needs, with a single adjoint state. Overwrites gradient
    /// (size P). If initial_gradient is given (2^n entries), it receives the derivative of
    /// f = sum_m cotangent[m] <O_m> with respect to the initial amplitudes: the real part of
    /// entry i is df/d Re(psi0_i), the imaginary part df/d Im(psi0_i) (that is 2 U^dagger H psi).
    /// Consumes the forward state: call forward again before the next backward.
    /// Cost: about two simulations plus one inner product per gate angle.
    void backward(std::span<const double> cotangent, std::span<double> gradient,
                  std::span<std::complex<T>> initial_gradient = {});

    /// Every <O_m> and every derivative: one forward pass and one backward sweep carrying one
    /// adjoint state per observable (allocated on the first call with M > 1).
    [[nodiscard]] Jacobian jacobian(std::span<const double> params);

private:
    void sweep(std::size_t num_lambdas, std::span<double> out);
    void sweep_with_simulator(std::size_t num_lambdas, std::span<double> out);

    const Circuit* circuit_;
    std::vector<PauliSum> observables_;
    std::vector<double> params_;
    std::vector<StateVector<T>> lambdas_;
    std::vector<std::complex<T>*> lambda_data_;
    StateVector<T> psi_, scratch_;
    std::unique_ptr<qml_detail::CompiledCircuit<T>> compiled_;  ///< null above 16 qubits
    bool ready_ = false;
};

extern template class AdjointDifferentiator<float>;
extern template class AdjointDifferentiator<double>;

/// The Jacobian by adjoint differentiation (one forward pass, one backward sweep).
/// Throws Error(invalid_input) for a non-differentiable circuit or bad bindings.
template <Precision T = double>
[[nodiscard]] Jacobian adjoint_jacobian(const Circuit& c, std::span<const PauliSum> observables,
                                        std::span<const double> params);

/// The Jacobian by parameter-shift rules, shifting each gate angle that depends on a parameter
/// (chain rule through ParamExpr as for the adjoint method):
/// - two terms, f' = [f(a + π/2) - f(a - π/2)] / 2, where the angle's generator has two
///   eigenvalues a distance 1 apart: uncontrolled rx, ry, rz, rxx, ryy, rzz, p, every angle of
///   u and ug; and, under controls, the phase-like angles (p, φ and λ of u/ug, γ of ug);
/// - four terms (Anselmetti et al. 2021), f' = d1 [f(a + π/2) - f(a - π/2)]
///   - d2 [f(a + 3π/2) - f(a - 3π/2)], d1 = (√2 + 1)/(4√2), d2 = (√2 - 1)/(4√2), where the
///   generator has eigenvalues {0, ±1/2}: controlled rx, ry, rz, rxx, ryy, rzz and θ of u/ug.
/// Cost: 2 or 4 simulations per parameter-dependent gate angle. Works as a check of the
/// adjoint method and is the rule shot-based hardware can use.
template <Precision T = double>
[[nodiscard]] Jacobian parameter_shift_jacobian(const Circuit& c, std::span<const PauliSum> observables,
                                                std::span<const double> params);

enum class GradientMethod { adjoint, parameter_shift };

/// Dispatches to adjoint_jacobian or parameter_shift_jacobian.
template <Precision T = double>
[[nodiscard]] Jacobian jacobian(const Circuit& c, std::span<const PauliSum> observables,
                                std::span<const double> params, GradientMethod method = GradientMethod::adjoint);

}  // namespace kettle
