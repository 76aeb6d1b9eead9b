// CompiledCircuit's recording forward pass and its adjoint sweep (with and without the tape).
//
// The tape holds psi before each of the first num_taped_ parametric steps. forward_recording
// copies the initial state into slot 0; a taped parametric step reads its slot and writes the
// next slot (the last one writes psi), so a step out of place costs what it costs in place;
// every other step runs in place on the current slot. Slot j is then exactly the state
// before taped parametric step j. The sweep un-applies psi for the steps after the last taped
// one, as without a tape, and from there on reads psi from the slots and touches only the
// adjoint states.

#include <algorithm>
#include <array>

#include "compiled_circuit.hpp"
#include "compiled_circuit_pairs.hpp"
#include "kettle/resources.hpp"

namespace kettle::qml_detail {
using namespace pairs;

/// out = the step applied to in (out != in); one pass for an uncontrolled one-target step.
template <Precision T>
void CompiledCircuit<T>::apply_into(const Step& s, const C* m, const C* in, C* out) const {
    if (s.kind == StepKind::general || s.ctrl_mask != 0) {  // pairs outside the controls are copied
        std::copy(in, in + (std::size_t{1} << num_qubits_), out);
        apply(s, m, out);
        return;
    }
    with_pair_kind(s.kind, [&]<StepKind K>() {
        const T* p = reinterpret_cast<const T*>(in);
        T* o = reinterpret_cast<T*>(out);
        for_pairs(num_qubits_, s, [&](std::uint64_t i, std::uint64_t j) KETTLE_INLINE {
            T a0r = p[2 * i], a0i = p[2 * i + 1], a1r = p[2 * j], a1i = p[2 * j + 1];
            map_pair<K>(m, a0r, a0i, a1r, a1i);
            o[2 * i] = a0r, o[2 * i + 1] = a0i, o[2 * j] = a1r, o[2 * j + 1] = a1i;
        });
    });
}

template <Precision T>
void CompiledCircuit<T>::forward_recording(C* psi) {
    recorded_ = false;
    const std::size_t size = std::size_t{1} << num_qubits_;
    if (num_taped_ > 0 && tape_.empty()) {
        if (num_taped_ * size * sizeof(C) <= available_memory())
            tape_.resize(num_taped_ * size);
        else
            num_taped_ = 0;  // no room: the sweep un-applies every step from psi
    }
    if (num_taped_ == 0) {
        forward(psi);
        return;
    }
    C* cur = tape_.data();
    std::copy(psi, psi + size, cur);
    std::size_t j = 0;
    for (const Step& s : steps_) {
        const C* m = matrices_.data() + s.matrix;
        if (s.parametric && j < num_taped_) {
            C* out = j + 1 < num_taped_ ? tape_.data() + (j + 1) * size : psi;
            apply_into(s, m, cur, out);
            cur = out;
            ++j;
        } else {
            apply(s, m, cur);
        }
    }
    recorded_ = true;
}

template <Precision T>
void CompiledCircuit<T>::add_derivative(const Step& s, std::size_t l, unsigned j, double g,
                                        std::span<double> out) const {
    const Operation& op = circuit_->operations()[s.op_index];
    const std::size_t num_params = circuit_->num_parameters();
    for (const ParamExpr::Term& t : op.params[s.angle_slots[j]].terms())
        out[l * num_params + t.parameter] += t.coeff * g;
}

/// One step backwards without the tape: psi is the state after the step on entry, before it
/// on exit.
template <Precision T>
void CompiledCircuit<T>::sweep_step(const Step& s, C* psi, C* const* lambdas, std::size_t num_lambdas,
                                    std::span<double> out) const {
    const std::size_t dd = std::size_t(s.dim) * s.dim;
    const C* inverse = matrices_.data() + s.matrix + dd;
    std::array<double, 4> acc{};
    if (num_lambdas == 1 && s.kind != StepKind::general) {
        with_pair_step(s, [&]<StepKind K, Deriv D>() {
            sweep_pass<K, D, false>(num_qubits_, s, inverse, dd, psi, lambdas[0], acc.data());
        });
        for (unsigned j = 0; j < s.num_diff; ++j) add_derivative(s, 0, j, acc[j], out);
        return;
    }
    if (s.num_diff > 0 && s.generator.present) {
        for (std::size_t l = 0; l < num_lambdas; ++l)
            add_derivative(s, l, 0, derivative_by_generator(s, lambdas[l], psi), out);
        apply(s, inverse, psi);
    } else {
        apply(s, inverse, psi);
        if (s.num_diff > 0)
            for (std::size_t l = 0; l < num_lambdas; ++l) {
                derivatives_by_matrix(s, lambdas[l], psi, acc.data());
                for (unsigned j = 0; j < s.num_diff; ++j) add_derivative(s, l, j, acc[j], out);
            }
    }
    for (std::size_t l = 0; l < num_lambdas; ++l) apply(s, inverse, lambdas[l]);
}

/// One step backwards with psi before it read from the tape (parametric steps; fixed steps
/// need no psi and get any valid pointer): only the adjoint states change.
template <Precision T>
void CompiledCircuit<T>::sweep_taped_step(const Step& s, C* psi_before, C* const* lambdas, std::size_t num_lambdas,
                                          std::span<double> out) const {
    const std::size_t dd = std::size_t(s.dim) * s.dim;
    const C* inverse = matrices_.data() + s.matrix + dd;
    std::array<double, 4> acc{};
    for (std::size_t l = 0; l < num_lambdas; ++l) {
        if (s.kind != StepKind::general) {
            with_pair_step(s, [&]<StepKind K, Deriv D>() {
                sweep_pass<K, D, true>(num_qubits_, s, inverse, dd, psi_before, lambdas[l], acc.data());
            });
        } else if (s.num_diff > 0 && s.generator.present) {  // G commutes with U: read both before
            apply(s, inverse, lambdas[l]);
            acc[0] = derivative_by_generator(s, lambdas[l], psi_before);
        } else {
            if (s.num_diff > 0) derivatives_by_matrix(s, lambdas[l], psi_before, acc.data());
            apply(s, inverse, lambdas[l]);
        }
        for (unsigned j = 0; j < s.num_diff; ++j) add_derivative(s, l, j, acc[j], out);
    }
}

template <Precision T>
void CompiledCircuit<T>::sweep(C* psi, C* const* lambdas, std::size_t num_lambdas, std::span<double> out) {
    const bool taped = recorded_;
    recorded_ = false;
    const std::size_t size = std::size_t{1} << num_qubits_;
    std::size_t slot = num_taped_;
    for (std::size_t i = steps_.size(); i-- > 0;) {
        const Step& s = steps_[i];
        if (!taped || i > last_taped_step_) {
            sweep_step(s, psi, lambdas, num_lambdas, out);
            continue;
        }
        C* psi_before = s.parametric ? tape_.data() + --slot * size : psi;
        sweep_taped_step(s, psi_before, lambdas, num_lambdas, out);
    }
}

// The header declares the class template's instantiations extern, so each member defined in
// this unit is instantiated here explicitly.
#define KETTLE_TAPE_INSTANTIATE(T)                                                                              \
    template void CompiledCircuit<T>::apply_into(const Step&, const std::complex<T>*, const std::complex<T>*,   \
                                                 std::complex<T>*) const;                                       \
    template void CompiledCircuit<T>::forward_recording(std::complex<T>*);                                      \
    template void CompiledCircuit<T>::add_derivative(const Step&, std::size_t, unsigned, double, std::span<double>) \
        const;                                                                                                  \
    template void CompiledCircuit<T>::sweep_step(const Step&, std::complex<T>*, std::complex<T>* const*,        \
                                                 std::size_t, std::span<double>) const;                         \
    template void CompiledCircuit<T>::sweep_taped_step(const Step&, std::complex<T>*, std::complex<T>* const*,  \
                                                       std::size_t, std::span<double>) const;                   \
    template void CompiledCircuit<T>::sweep(std::complex<T>*, std::complex<T>* const*, std::size_t,             \
                                            std::span<double>);
KETTLE_TAPE_INSTANTIATE(float)
KETTLE_TAPE_INSTANTIATE(double)
#undef KETTLE_TAPE_INSTANTIATE

}  // namespace kettle::qml_detail
