#include "kettle/simulator.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <type_traits>
#include <fmt/format.h>

#include "kettle/error.hpp"
#include "execution.hpp"
#include "gate_matrix.hpp"
#include "kettle/fusion.hpp"
#include "kettle/measurement.hpp"
#include "kernels.hpp"
#include "cache_blocking.hpp"
#include "qubit_permutation.hpp"
#include "swap_relabelling.hpp"

namespace kettle {
namespace {

constexpr std::size_t kMaxDim = std::size_t{1} << detail::kMaxTargets;


/// splitmix64: derives independent per-shot seeds from one seed.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Runs the operations of `c` one by one; `kept` is its terminal_measurements(), or null.
template <Precision T>
RunResult run_each(const Circuit& c, const std::vector<bool>* kept, StateVector<T>& state,
                   std::span<const double> params, const RunOptions& options) {
    detail::Execution<T> exec(c, state, params, options, kept);
    for (std::size_t i = 0; i < c.operations().size(); ++i) exec.step(i);
    return std::move(exec.result);
}

/// Runs a relabelled circuit one operation at a time, then puts the qubits back.
template <Precision T>
RunResult run_relabelled(const detail::SwapRelabelling& r, StateVector<T>& state, std::span<const double> params,
                         const RunOptions& options) {
    RunResult result = run_each(r.circuit, &r.terminal, state, params, options);
    detail::permute_qubits(state, r.restore, detail::chunk_qubits<T>());
    return result;
}

std::string bitstring(std::uint64_t value, std::size_t width) {
    std::string s(width, '0');
    for (std::size_t b = 0; b < width && b < 64; ++b)
        if (value >> b & 1) s[width - 1 - b] = '1';
    return s;
}

}  // namespace

namespace detail {

MatrixShape operation_shape(const Operation& op) {
    if (op.gate != GateKind::unitary) return gate_info(op.gate).shape;
    const Matrix& m = *op.matrix;
    const std::size_t d = std::size_t{1} << op.targets.size();
    bool diagonal = true, monomial = true;
    for (std::size_t c = 0; c < d; ++c) {
        std::size_t nonzero = 0;
        for (std::size_t r = 0; r < d; ++r)
            if (m[r * d + c] != 0.0) {
                ++nonzero;
                diagonal = diagonal && r == c;
            }
        monomial = monomial && nonzero == 1;
    }
    return diagonal ? MatrixShape::diagonal : monomial ? MatrixShape::permutation : MatrixShape::dense;
}

/// Calls make(cls, data, perm, ctrl_mask, ctrl_value) with m in the kernel form of `shape`,
/// converted into scratch that lives for the call, and returns what make returns.
template <Precision T, class Make>
auto with_kernel_form(MatrixView m, MatrixShape shape, std::span<const unsigned> targets,
                      std::span<const unsigned> controls, std::span<const std::uint8_t> control_values, Make&& make) {
    using C = std::complex<T>;
    const std::size_t d = std::size_t{1} << targets.size();
    std::uint64_t ctrl_mask = 0, ctrl_value = 0;
    for (std::size_t j = 0; j < controls.size(); ++j) {
        ctrl_mask |= std::uint64_t{1} << controls[j];
        if (control_values.empty() || control_values[j]) ctrl_value |= std::uint64_t{1} << controls[j];
    }
    auto prepare = [&](detail::KernelClass cls, const C* data, const std::uint8_t* perm) {
        return make(cls, data, perm, ctrl_mask, ctrl_value);
    };
    switch (shape) {
        case MatrixShape::diagonal: {
            detail::ComplexScratch<T, kMaxDim> diag;
            for (std::size_t j = 0; j < d; ++j) diag[j] = C(m[j * d + j]);
            return prepare(detail::KernelClass::diagonal, diag.data(), nullptr);
        }
        case MatrixShape::permutation: {
            std::array<std::uint8_t, kMaxDim> perm{};
            detail::ComplexScratch<T, kMaxDim> phase;
            for (std::size_t c = 0; c < d; ++c)
                for (std::size_t r = 0; r < d; ++r)
                    if (m[r * d + c] != 0.0) {
                        perm[c] = static_cast<std::uint8_t>(r);
                        phase[c] = C(m[r * d + c]);
                    }
            return prepare(detail::KernelClass::permutation, phase.data(), perm.data());
        }
        case MatrixShape::dense: break;
    }
    if constexpr (std::is_same_v<T, double>) {
        // Already in the kernel's form: no copy, and no 64 KiB of scratch in the frame.
        return prepare(detail::KernelClass::dense, m.data(), nullptr);
    } else {
        detail::ComplexScratch<T, kMaxDim * kMaxDim> mt;
        for (std::size_t j = 0; j < m.size(); ++j) mt[j] = C(m[j]);
        return prepare(detail::KernelClass::dense, mt.data(), nullptr);
    }
}

template <Precision T>
PreparedGate<T> prepare_shaped(MatrixView m, MatrixShape shape, unsigned n, std::span<const unsigned> targets,
                               std::span<const unsigned> controls, std::span<const std::uint8_t> control_values) {
    return with_kernel_form<T>(m, shape, targets, controls, control_values,
                               [&](KernelClass cls, const std::complex<T>* data, const std::uint8_t* perm,
                                   std::uint64_t ctrl_mask, std::uint64_t ctrl_value) {
                                   return PreparedGate<T>(cls, n, targets.data(), unsigned(targets.size()), ctrl_mask,
                                                          ctrl_value, data, perm);
                               });
}

template PreparedGate<float> prepare_shaped(MatrixView, MatrixShape, unsigned, std::span<const unsigned>,
                                            std::span<const unsigned>, std::span<const std::uint8_t>);
template PreparedGate<double> prepare_shaped(MatrixView, MatrixShape, unsigned, std::span<const unsigned>,
                                             std::span<const unsigned>, std::span<const std::uint8_t>);

/// Applies matrix m of the given shape on the site: the one place gates meet kernels.
template <Precision T>
void apply_shaped(StateVector<T>& state, MatrixView m, MatrixShape shape, std::span<const unsigned> targets,
                  std::span<const unsigned> controls, std::span<const std::uint8_t> control_values) {
    with_kernel_form<T>(m, shape, targets, controls, control_values,
                        [&](KernelClass cls, const std::complex<T>* data, const std::uint8_t* perm,
                            std::uint64_t ctrl_mask, std::uint64_t ctrl_value) {
                            apply_kernel(cls, state.data(), state.num_qubits(), targets.data(),
                                         unsigned(targets.size()), ctrl_mask, ctrl_value, data, perm);
                        });
}

template void apply_shaped(StateVector<float>&, MatrixView, MatrixShape, std::span<const unsigned>,
                           std::span<const unsigned>, std::span<const std::uint8_t>);
template void apply_shaped(StateVector<double>&, MatrixView, MatrixShape, std::span<const unsigned>,
                           std::span<const unsigned>, std::span<const std::uint8_t>);

}  // namespace detail

std::vector<bool> terminal_measurements(const Circuit& c) {
    const auto& ops = c.operations();
    std::vector<bool> terminal(ops.size(), false);
    std::vector<bool> qubit_used_later(c.num_qubits(), false), clbit_read_later(c.num_clbits(), false);
    for (std::size_t i = ops.size(); i-- > 0;) {
        const Operation& op = ops[i];
        if (op.kind == OpKind::barrier) continue;
        if (op.kind == OpKind::measure)
            terminal[i] = !op.condition && !qubit_used_later[op.targets[0]] && !clbit_read_later[op.clbit];
        for (unsigned q : op.targets) qubit_used_later[q] = true;
        for (unsigned q : op.controls) qubit_used_later[q] = true;
        if (op.condition) {
            const Register& r = c.cregs()[op.condition->creg];
            for (std::size_t b = r.offset; b < r.offset + r.size; ++b) clbit_read_later[b] = true;
        }
    }
    return terminal;
}

bool needs_per_shot_simulation(const Circuit& c) {
    const std::vector<bool> terminal = terminal_measurements(c);
    const auto& ops = c.operations();
    for (std::size_t i = 0; i < ops.size(); ++i)
        if (ops[i].kind == OpKind::reset || (ops[i].kind == OpKind::measure && !terminal[i])) return true;
    return false;
}

template <Precision T>
void apply_gate(StateVector<T>& state, const Operation& op, std::span<const double> params) {
    const MatrixShape shape = detail::operation_shape(op);
    if (op.gate == GateKind::unitary) {  // read in place, not copied
        detail::apply_shaped(state, *op.matrix, shape, op.targets, op.controls, op.control_values);
        return;
    }
    std::array<double, 4> values{};
    for (std::size_t i = 0; i < op.params.size(); ++i) values[i] = op.params[i].evaluate(params);
    // On the stack: with a Matrix from gate_matrix its allocation and release were 3% of
    // BM_SmallCircuit/n:10/run.
    detail::NamedGateMatrix m;
    const std::size_t size = detail::gate_matrix_into(op.gate, std::span(values.data(), op.params.size()), m);
    detail::apply_shaped(state, detail::MatrixView(m.data(), size), shape, op.targets, op.controls, op.control_values);
}

template <Precision T>
void apply_matrix(StateVector<T>& state, const Matrix& matrix, std::span<const unsigned> targets,
                  std::span<const unsigned> controls, std::span<const std::uint8_t> control_values) {
    const unsigned n = state.num_qubits();
    const std::size_t k = targets.size();
    if (k == 0 || k > detail::kMaxTargets || matrix.size() != (std::size_t{1} << (2 * k)))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("apply_matrix: {} targets need a {}x{} matrix with 1 <= k <= {}, got {} entries", k,
                                std::size_t{1} << k, std::size_t{1} << k, detail::kMaxTargets, matrix.size()));
    if (!control_values.empty() && control_values.size() != controls.size())
        throw Error(ErrorCode::invalid_input, fmt::format("apply_matrix: {} controls but {} control values",
                                                          controls.size(), control_values.size()));
    std::uint64_t seen = 0;
    for (std::span<const unsigned> qs : {targets, controls})
        for (unsigned q : qs) {
            if (q >= n)
                throw Error(ErrorCode::invalid_input,
                            fmt::format("apply_matrix: qubit {} is out of range for {} qubits (valid 0..{})", q, n, n - 1));
            if (seen >> q & 1) throw Error(ErrorCode::invalid_input, fmt::format("apply_matrix: qubit {} is used twice", q));
            seen |= std::uint64_t{1} << q;
        }
    detail::apply_shaped(state, matrix, MatrixShape::dense, targets, controls, control_values);
}

template <Precision T>
RunResult run(const Circuit& c, StateVector<T>& state, std::span<const double> params, const RunOptions& options) {
    if (state.num_qubits() != c.num_qubits())
        throw Error(ErrorCode::invalid_input, fmt::format("run: the circuit has {} qubits but the state has {}",
                                                          c.num_qubits(), state.num_qubits()));
    c.check_bindings(params, "run");
    if (options.fusion > 0)
        return FusionPlan(c, FusionOptions{options.fusion, true, options.relabel_swaps}).run(state, params, options);
    const std::optional<detail::SwapRelabelling> r = options.relabel_swaps ? detail::relabel_swaps(c) : std::nullopt;
    return r ? run_relabelled(*r, state, params, options) : run_each(c, nullptr, state, params, options);
}

std::size_t gate_passes(const Circuit& c, bool relabel_swaps) {
    const std::optional<detail::SwapRelabelling> r = relabel_swaps ? detail::relabel_swaps(c) : std::nullopt;
    const std::vector<Operation>& ops = (r ? r->circuit : c).operations();
    return std::size_t(std::count_if(ops.begin(), ops.end(), [](const Operation& op) { return op.kind == OpKind::gate; })) +
           (r ? detail::permutation_passes(r->restore, detail::chunk_qubits<double>()) : 0);
}

namespace {

/// The key of one sampled basis state: the classical bits (terminal measurements read from the
/// sample) if the circuit measures anything, else all qubits; bit 0 rightmost.
std::string count_key(const Circuit& c, bool measures, std::uint64_t basis, const RunResult& r) {
    if (!measures) return bitstring(basis, c.num_qubits());
    std::vector<std::uint8_t> values = r.clbits;
    for (const auto& [q, b] : r.terminal_measurements) values[b] = static_cast<std::uint8_t>(basis >> q & 1);
    std::string bits(values.size(), '0');
    for (std::size_t b = 0; b < values.size(); ++b) bits[values.size() - 1 - b] = char('0' + values[b]);
    return bits;
}

}  // namespace

template <Precision T>
std::map<std::string, std::size_t> counts_from_state(const Circuit& c, const StateVector<T>& state,
                                                     const RunResult& result, std::size_t shots, std::uint64_t seed) {
    const bool measures = detail::measures(c);
    std::map<std::string, std::size_t> counts;
    for (std::uint64_t basis : sample(state, shots, mix(seed))) ++counts[count_key(c, measures, basis, result)];
    return counts;
}

template <Precision T>
std::map<std::string, std::size_t> sample_counts(const Circuit& c, std::size_t shots, std::uint64_t seed,
                                                 std::span<const double> params, unsigned fusion) {
    c.check_bindings(params, "sample_counts");
    StateVector<T> state(c.num_qubits());
    if (!needs_per_shot_simulation(c)) {
        const RunResult r = run(c, state, params, RunOptions{seed, fusion});
        return counts_from_state(c, state, r, shots, seed);
    }
    const bool measures = detail::measures(c);
    const std::optional<FusionPlan> plan =
        fusion > 0 ? std::optional<FusionPlan>(std::in_place, c, FusionOptions{fusion}) : std::nullopt;
    // Relabelled (or not) once for every shot, as the plan is.
    const std::optional<detail::SwapRelabelling> relabelled = plan ? std::nullopt : detail::relabel_swaps(c);
    const std::vector<bool> terminal = plan || relabelled ? std::vector<bool>{} : terminal_measurements(c);
    std::map<std::string, std::size_t> counts;
    for (std::size_t shot = 0; shot < shots; ++shot) {
        state.set_basis_state(0);
        const std::uint64_t shot_seed = mix(seed ^ mix(shot));
        const RunOptions options{shot_seed};
        const RunResult r = plan          ? plan->run(state, params, options)
                            : relabelled ? run_relabelled(*relabelled, state, params, options)
                                         : run_each(c, &terminal, state, params, options);
        ++counts[count_key(c, measures, sample(state, 1, mix(shot_seed))[0], r)];
    }
    return counts;
}

template void apply_gate(StateVector<float>&, const Operation&, std::span<const double>);
template void apply_gate(StateVector<double>&, const Operation&, std::span<const double>);
template void apply_matrix(StateVector<float>&, const Matrix&, std::span<const unsigned>, std::span<const unsigned>,
                           std::span<const std::uint8_t>);
template void apply_matrix(StateVector<double>&, const Matrix&, std::span<const unsigned>, std::span<const unsigned>,
                           std::span<const std::uint8_t>);
template RunResult run(const Circuit&, StateVector<float>&, std::span<const double>, const RunOptions&);
template RunResult run(const Circuit&, StateVector<double>&, std::span<const double>, const RunOptions&);
template std::map<std::string, std::size_t> sample_counts<float>(const Circuit&, std::size_t, std::uint64_t,
                                                                 std::span<const double>, unsigned);
template std::map<std::string, std::size_t> sample_counts<double>(const Circuit&, std::size_t, std::uint64_t,
                                                                  std::span<const double>, unsigned);
template std::map<std::string, std::size_t> counts_from_state(const Circuit&, const StateVector<float>&,
                                                              const RunResult&, std::size_t, std::uint64_t);
template std::map<std::string, std::size_t> counts_from_state(const Circuit&, const StateVector<double>&,
                                                              const RunResult&, std::size_t, std::uint64_t);

}  // namespace kettle
