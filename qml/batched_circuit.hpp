#pragma once
// A differentiable circuit compiled to run kLanes samples at once, one per SIMD lane (the
// layout is described in batched_kernels.hpp). Samples share the circuit and the parameters
// bound to weights, and differ in the parameters bound to their input features:
// - a gate whose angles depend only on shared parameters has one matrix, computed when the
//   shared values are bound and broadcast to every lane;
// - a gate whose angles depend on a per-sample parameter gets its matrix per lane, for each
//   group of kLanes samples;
// - starting from |0...0>, the one-qubit gates that act on a qubit before anything entangles
//   it (an angle encoding, the first rotations of an ansatz) are folded into a product state
//   that is written directly, instead of being applied to a full state;
// - a CNOT does not move amplitudes: it changes the frame, the linear map over GF(2) from the
//   circuit's basis index to the state's, and later one-target gates find their amplitude
//   pairs through it (batched_relabel.cpp). Gates on several targets permute the state back
//   into the circuit's frame first.
// The steps are those of CompiledCircuit (make_step: kind, site, generator); the adjoint sweep
// is that of CompiledCircuit::sweep with one adjoint state per lane, giving each sample's
// derivatives with respect to every parameter (shared and per-lane).
//
// Nothing is allocated per group. One object per thread: it holds the states.

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "batched_kernels.hpp"
#include "compiled_circuit.hpp"
#include "kettle/circuit.hpp"
#include "kettle/pauli.hpp"

namespace kettle::qml_detail {

/// Complex product without operator*'s NaN recovery (a library call per product without
/// -ffast-math); the values here are finite.
inline std::complex<double> times(std::complex<double> a, std::complex<double> b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

/// kAmpStride-aligned, 64-byte-aligned storage of doubles, zero-initialised.
class AlignedDoubles {
public:
    explicit AlignedDoubles(std::size_t count = 0);
    [[nodiscard]] double* data() noexcept { return data_.get(); }
    [[nodiscard]] const double* data() const noexcept { return data_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    struct Free {
        void operator()(double* p) const noexcept;
    };
    std::unique_ptr<double[], Free> data_;
    std::size_t size_ = 0;
};

class BatchedCircuit {
public:
    /// `per_lane[p]` says whether circuit parameter p is bound per sample. `from_zero`: every
    /// run starts from |0...0>; otherwise forward takes each lane's initial state. The circuit
    /// must be differentiable and outlive this object; observables must fit its qubits
    /// (checked by the caller). Allocates two batched states and the matrices.
    BatchedCircuit(const Circuit& circuit, std::vector<bool> per_lane, std::vector<PauliSum> observables,
                   bool from_zero);

    [[nodiscard]] unsigned num_qubits() const noexcept { return num_qubits_; }
    [[nodiscard]] std::size_t num_parameters() const noexcept { return per_lane_.size(); }
    [[nodiscard]] std::size_t num_observables() const noexcept { return observables_.size(); }
    /// Doubles of one batched state (2^n * kAmpStride).
    [[nodiscard]] std::size_t state_size() const noexcept { return psi_.size(); }

    /// Binds the shared parameters (entries of per-lane parameters are ignored) and recomputes
    /// the matrices of the gates that depend only on them. Cost: O(gates).
    void bind_shared(std::span<const double> params);

    /// Runs one group: lane_params[p * kLanes + lane] holds the per-lane parameters (other
    /// entries are ignored); `initial` a batched initial state (null when from_zero). Writes
    /// <O_m> of each lane into values[m * kLanes + lane]. Keeps the final states for backward.
    void forward(const double* lane_params, const double* initial, double* values);

    /// After forward: grad[p * kLanes + lane] = sum_m cotangent[m * kLanes + lane] d<O_m>/dp
    /// for lane's sample, for every parameter p (overwritten). Without from_zero, leaves each
    /// lane's U^dagger H psi in adjoint_state() (half the gradient by the initial amplitudes).
    void backward(const double* cotangent, double* grad);

    [[nodiscard]] const double* adjoint_state() const noexcept { return lambda_.data(); }

private:
    struct PauliMask {
        std::uint64_t flip, sign;
        unsigned num_y;
        double coeff;
    };
    struct BatchStep {
        Step step;
        BatchOp op;
        std::size_t matrix = 0;  ///< offset in doubles of U, then U^dagger, then each dU
        bool per_lane = false;
        bool prefix = false;     ///< folded into the initial product state
        bool fused_next = false; ///< runs with the next step as one pass (apply2, sweep2)
        /// gate: apply op; relabel: a CNOT, taken into the frame (no work on the state);
        /// materialize: the state is permuted into the circuit's frame (frames_[frame]).
        enum class Action : std::uint8_t { gate, relabel, materialize } action = Action::gate;
        std::size_t frame = 0;
        std::size_t terms_begin = 0, terms_end = 0;  ///< its range of chain_terms_
    };
    /// d parameter / d angle: angle `slot` of a step has `coeff` times the parameter in it.
    struct ChainTerm {
        unsigned slot;
        std::size_t parameter;
        double coeff;
    };
    /// Columns A e_q of a frame's linear map (state index = A * circuit index, over GF(2)).
    using Frame = std::array<std::uint64_t, 64>;

    static bool fusable(const BatchStep& a, const BatchStep& b);
    static bool relabels(const BatchStep& s);
    void relabel(std::vector<std::vector<std::complex<double>>>& constants);
    void permute(AlignedDoubles& state, const Frame& frame, bool inverse);

    void write_matrix(const BatchStep& s, const std::complex<double>* u, unsigned lane_begin, unsigned lane_end);
    void write_derivative(const BatchStep& s, unsigned j, const std::complex<double>* d, unsigned lane_begin,
                          unsigned lane_end);
    void bind_step(const BatchStep& s, const double* lane_params, unsigned lane_begin, unsigned lane_end);
    void bind_rotation_lanes(const BatchStep& s, const double* lane_params);
    void build_product_state();
    void prefix_gradients(double* grad);
    void chain_rule(const BatchStep& s, const double* deriv, double* grad) const;

    const Circuit* circuit_;
    unsigned num_qubits_;
    std::vector<bool> per_lane_;
    std::vector<std::vector<PauliMask>> observables_;
    bool from_zero_;
    /// Prefix steps first (grouped by qubit), then the others in circuit order, except that a
    /// one-target step may move up next to an earlier one on the same target that it commutes
    /// up to.
    std::vector<BatchStep> steps_;
    std::size_t num_prefix_ = 0;
    std::size_t first_differentiable_ = 0;  ///< backward stops there when from_zero
    std::vector<Frame> frames_;
    std::vector<ChainTerm> chain_terms_;
    std::vector<double> shared_;
    AlignedDoubles matrices_, psi_, lambda_, product_, scratch_, spare_, environment_, environment_scratch_;
    // prefix_gradients' buffers: one qubit's gates, their derivatives and factors.
    std::vector<PrefixGate> prefix_gates_;
    AlignedDoubles prefix_deriv_, prefix_chain_;
    const BatchKernels* kernels_;
};

}  // namespace kettle::qml_detail
