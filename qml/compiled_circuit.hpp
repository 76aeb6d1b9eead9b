#pragma once
// A circuit compiled for the many small runs of variational training: each gate becomes a step
// with its site precomputed, its matrices live in one flat buffer that `bind` refills from new
// parameter values (nothing is allocated per sample), and the steps run as tight serial loops
// on the state. The adjoint sweep un-applies a step from psi and from the adjoint states and
// takes the step's angle derivatives in the same pass over the data.
//
// forward_recording keeps the state before each parametric step (a tape, allocated once, at
// most tape_bytes): the sweep then reads psi from the tape instead of un-applying every step
// from it, one gate application per step on lambda instead of two. A circuit whose tape would
// not fit records its first parametric steps only and un-applies psi for the rest.
//
// Meant for states small enough that threading inside one gate does not pay (the caller runs
// samples in parallel instead); AdjointDifferentiator uses the simulator's parallel kernels
// above kMaxCompiledQubits.

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kettle/circuit.hpp"
#include "kettle/pauli.hpp"
#include "kettle/state_vector.hpp"

namespace kettle::qml_detail {

/// The largest state the compiled path runs; larger ones use the parallel simulator kernels.
inline constexpr unsigned kMaxCompiledQubits = 16;

/// The most bytes of recorded states one CompiledCircuit keeps by default: about one core's L2
/// cache. A tape pays only while it stays in cache: past it, the forward pass's extra writes
/// and the sweep's reads cost more than un-applying the steps from psi.
inline constexpr std::size_t kDefaultTapeBytes = std::size_t{2} << 20;

/// The tape AdjointDifferentiator gives a circuit of n qubits: kDefaultTapeBytes up to 10
/// qubits (at least 128 states of 2^n amplitudes), none above, where a tape would hold too
/// few steps to matter (measured: at 12 qubits a partial tape was no faster than none).
template <Precision T>
[[nodiscard]] constexpr std::size_t default_tape_bytes(unsigned n) {
    return (sizeof(std::complex<T>) << n) * 128 <= kDefaultTapeBytes ? kDefaultTapeBytes : 0;
}

/// How a step touches the state.
enum class StepKind : std::uint8_t {
    dense1,     ///< a 2x2 matrix on one target
    real1,      ///< a real 2x2 matrix on one target (ry, h, ...): half the multiplications
    diagonal1,  ///< two phases on one target
    flip1,      ///< X on one target (cx, ccx, mcx): a swap of amplitude pairs
    general,    ///< a dense 2^k x 2^k matrix on k targets
};

/// A Pauli generator G of a rotation exp(-i θ/2 G) on its targets; dU/dθ = -i/2 G U, so the
/// derivative is read off the state after the gate without forming dU.
struct Generator {
    bool present = false;
    std::uint64_t flip = 0, sign = 0;  ///< G|i> = (-i)^... see phase_y; flip/sign as Pauli masks
    unsigned num_y = 0;
};

struct Step {
    StepKind kind;
    std::size_t op_index;
    unsigned k = 1;                       ///< number of targets
    std::array<unsigned, 6> targets{};    ///< matrix bit j = targets[j]
    std::array<unsigned, 8> sites{};      ///< targets and controls, ascending (general steps)
    unsigned num_sites = 0;
    std::uint64_t ctrl_mask = 0, ctrl_value = 0;
    std::size_t matrix = 0;   ///< offset of U, then U^dagger, then one dU per differentiable angle
    unsigned dim = 2;         ///< 2^k
    bool parametric = false;  ///< the matrices depend on the parameters (recomputed by bind)
    std::array<std::uint8_t, 4> angle_slots{};  ///< which angles of the gate carry parameters
    unsigned num_diff = 0;                      ///< how many of them
    Generator generator;                        ///< set for rotations with one angle
};

/// i^k for k = 0..3: the phase of a Pauli string with k Y factors.
inline constexpr std::complex<double> kPowI[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};

/// The Pauli generator of a one-angle rotation (rx, ry, rz, rxx, ryy, rzz) as masks over the
/// gate's matrix bits; `present` false for other kinds.
[[nodiscard]] Generator local_generator(GateKind kind);

/// Classifies gate `op` (operation #index of its circuit) into a step: kind, site, controls,
/// differentiable angle slots and generator (masks over qubits). `matrix` is left 0. If the
/// gate has no parameter-dependent angle, its constant d x d matrix is written into
/// `constant` (room for 4^k entries), and a dense1 step with a real matrix becomes real1.
[[nodiscard]] Step make_step(const Operation& op, std::size_t index, std::complex<double>* constant);

/// The gate's d x d matrix for angles a (d = 2^k), without allocating for parameterised kinds.
void fill_matrix(const Operation& op, const std::array<double, 4>& a, std::complex<double>* out, unsigned d);

/// d U / d a[which] for p, u and ug (2x2), without allocating.
void fill_derivative(const Operation& op, const std::array<double, 4>& a, std::size_t which,
                     std::complex<double>* out);

template <Precision T>
class CompiledCircuit {
public:
    using C = std::complex<T>;

    /// Compiles the gates of `c` (barriers dropped). Precondition: check_differentiable(c).
    /// `tape_bytes` caps the states forward_recording keeps (0: none).
    explicit CompiledCircuit(const Circuit& c, std::size_t tape_bytes = kDefaultTapeBytes);

    [[nodiscard]] unsigned num_qubits() const noexcept { return num_qubits_; }

    /// Recomputes every parameter-dependent matrix (and derivative) for `params`.
    /// Cost: O(gates), no allocation.
    void bind(std::span<const double> params);

    /// Applies every step to `psi` (2^n amplitudes).
    void forward(C* psi) const;

    /// forward, keeping the state before each of the first num_taped() parametric steps for
    /// the next sweep. Allocates the tape on the first call if available_memory() allows it
    /// (else records nothing); nothing afterwards.
    void forward_recording(C* psi);

    /// Parametric steps forward_recording keeps the state for (the first ones of the circuit).
    [[nodiscard]] std::size_t num_taped() const noexcept { return num_taped_; }

    /// The adjoint sweep: from the final state `psi` and `num_lambdas` adjoint states, walks the
    /// steps backwards, un-applying each from the adjoint states, and adds
    /// 2 Re <lambda_l| dU/da |psi> times each ParamExpr coefficient into
    /// out[l * P + parameter]. psi before each step comes from the tape where the last forward
    /// was forward_recording, else by un-applying the step from psi. Leaves each lambda as
    /// U^dagger lambda; psi is consumed. Uses the tape once.
    void sweep(C* psi, C* const* lambdas, std::size_t num_lambdas, std::span<double> out);

private:
    void apply(const Step& s, const C* m, C* psi) const;
    void apply_into(const Step& s, const C* m, const C* in, C* out) const;
    double derivative_by_generator(const Step& s, const C* lambda, const C* psi) const;
    void derivatives_by_matrix(const Step& s, const C* lambda, const C* psi, double* acc) const;
    void sweep_step(const Step& s, C* psi, C* const* lambdas, std::size_t num_lambdas, std::span<double> out) const;
    void sweep_taped_step(const Step& s, C* psi_before, C* const* lambdas, std::size_t num_lambdas,
                          std::span<double> out) const;
    void add_derivative(const Step& s, std::size_t l, unsigned j, double g, std::span<double> out) const;

    const Circuit* circuit_;
    unsigned num_qubits_;
    std::vector<Step> steps_;
    std::vector<C> matrices_;
    std::vector<C> tape_;                 ///< num_taped_ states of 2^n amplitudes, once allocated
    std::size_t num_taped_ = 0;
    std::size_t last_taped_step_ = 0;     ///< index into steps_ of the last taped parametric step
    bool recorded_ = false;               ///< the last forward was forward_recording with a tape
};

extern template class CompiledCircuit<float>;
extern template class CompiledCircuit<double>;

/// <psi|H|psi> for a Pauli sum, serial, accumulated in double, no allocation.
template <Precision T>
[[nodiscard]] double small_expectation(const std::complex<T>* psi, unsigned n, const PauliSum& h);

}  // namespace kettle::qml_detail
