// BatchedCircuit's product-state prefix: the one-qubit gates that act on each qubit before
// anything entangles it, written directly as a product state in the forward pass, and
// differentiated from the environments of the product state in the backward pass.
//
// With psi = (x)_q v_q and v_q = g_K ... g_1 |0> for qubit q's prefix gates, the derivative of
// 2 Re <lambda|psi> by an angle of g_j is 2 Re (e_q g_K ... g_{j+1} dg_j g_{j-1} ... g_1 |0>),
// where the row e_q[b] = sum over i with bit q = b of conj(lambda_i) prod_{r != q} v_r[bit r of
// i] is qubit q's environment: one contraction per qubit replaces un-applying every prefix gate
// from psi and lambda. For a rotation, dg_j = -i/2 G g_j and the term is Im (w G u_j) with
// u_j = g_j ... g_1 |0> and w = e_q g_K ... g_{j+1}. The kernels take each qubit's gates for
// all lanes at once (environment, prefix_derivatives).

#include "batched_circuit.hpp"

namespace kettle::qml_detail {

using Z = std::complex<double>;

/// Each qubit's factor starts as |0> and takes its prefix gates in order; the kernels then
/// expand the product.
void BatchedCircuit::build_product_state() {
    double* v = product_.data();
    for (unsigned q = 0; q < num_qubits_; ++q)
        for (unsigned l = 0; l < kLanes; ++l) {
            v[2 * q * kAmpStride + l] = 1, v[2 * q * kAmpStride + kLanes + l] = 0;
            v[(2 * q + 1) * kAmpStride + l] = 0, v[(2 * q + 1) * kAmpStride + kLanes + l] = 0;
        }
    for (std::size_t i = 0; i < num_prefix_; ++i)
        kernels_->apply_factor(matrices_.data() + steps_[i].matrix, v + 2 * steps_[i].op.target * kAmpStride);
    kernels_->product_state(num_qubits_, v, psi_.data());
}

void BatchedCircuit::prefix_gradients(double* grad) {
    kernels_->environment(num_qubits_, product_.data(), lambda_.data(), environment_.data(), environment_scratch_.data());
    for (std::size_t end = num_prefix_; end > 0;) {
        const unsigned q = steps_[end - 1].op.target;
        std::size_t begin = end - 1;
        while (begin > 0 && steps_[begin - 1].op.target == q) --begin;
        for (std::size_t j = begin; j < end; ++j) {
            const BatchStep& s = steps_[j];
            PrefixGate& g = prefix_gates_[j - begin];
            g.matrix = matrices_.data() + s.matrix;
            g.by_generator = s.op.by_generator;
            g.flip = s.op.gen_flip != 0;
            g.sign = s.op.gen_sign != 0;
            g.num_y = s.op.gen_num_y;
            g.by_matrix = s.op.by_matrix;
            g.deriv = prefix_deriv_.data() + (j - begin) * 4 * kLanes;
        }
        kernels_->prefix_derivatives(prefix_gates_.data(), unsigned(end - begin),
                                     environment_.data() + 2 * q * kAmpStride, prefix_chain_.data());
        for (std::size_t j = begin; j < end; ++j) chain_rule(steps_[j], prefix_deriv_.data() + (j - begin) * 4 * kLanes, grad);
        end = begin;
    }
}

}  // namespace kettle::qml_detail
