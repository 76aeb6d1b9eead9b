#include "kettle/simulator.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "kettle/error.hpp"
#include "kettle/measurement.hpp"
#include "kernels.hpp"

namespace kettle {
namespace {

constexpr std::size_t kMaxDim = std::size_t{1} << detail::kMaxTargets;

MatrixShape shape_of(const Operation& op, const Matrix& m, std::size_t d) {
    if (op.gate != GateKind::unitary) return gate_info(op.gate).shape;
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

bool condition_holds(const Circuit& c, const Operation& op, const std::vector<std::uint8_t>& bits) {
    if (!op.condition) return true;
    const Register& r = c.cregs()[op.condition->creg];
    std::uint64_t value = 0;
    for (std::size_t j = 0; j < r.size; ++j) value |= std::uint64_t{bits[r.offset + j]} << j;
    return value == op.condition->value;
}

/// splitmix64: derives independent per-shot seeds from one seed.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::string bitstring(std::uint64_t value, std::size_t width) {
    std::string s(width, '0');
    for (std::size_t b = 0; b < width && b < 64; ++b)
        if (value >> b & 1) s[width - 1 - b] = '1';
    return s;
}

}  // namespace

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
    using C = std::complex<T>;
    std::array<double, 4> values{};
    for (std::size_t i = 0; i < op.params.size(); ++i) values[i] = op.params[i].evaluate(params);
    const Matrix m = op.gate == GateKind::unitary
                         ? *op.matrix
                         : gate_matrix(op.gate, std::span<const double>(values.data(), op.params.size()));
    const std::size_t d = std::size_t{1} << op.targets.size();

    detail::GateSite site;
    site.k = static_cast<unsigned>(op.targets.size());
    std::copy(op.targets.begin(), op.targets.end(), site.targets.begin());
    for (std::size_t j = 0; j < op.controls.size(); ++j) {
        site.ctrl_mask |= std::uint64_t{1} << op.controls[j];
        if (op.control_values[j]) site.ctrl_value |= std::uint64_t{1} << op.controls[j];
    }
    const auto& table = detail::kernels<T>();
    switch (shape_of(op, m, d)) {
        case MatrixShape::diagonal: {
            std::array<C, kMaxDim> diag;
            for (std::size_t j = 0; j < d; ++j) diag[j] = C(m[j * d + j]);
            table.diagonal(state.data(), state.num_qubits(), site, diag.data());
            return;
        }
        case MatrixShape::permutation: {
            std::array<std::uint8_t, kMaxDim> perm{};
            std::array<C, kMaxDim> phase;
            for (std::size_t c = 0; c < d; ++c)
                for (std::size_t r = 0; r < d; ++r)
                    if (m[r * d + c] != 0.0) {
                        perm[c] = static_cast<std::uint8_t>(r);
                        phase[c] = C(m[r * d + c]);
                    }
            table.permutation(state.data(), state.num_qubits(), site, perm.data(), phase.data());
            return;
        }
        case MatrixShape::dense: {
            std::vector<C> mt(m.begin(), m.end());
            table.dense(state.data(), state.num_qubits(), site, mt.data());
            return;
        }
    }
}

template <Precision T>
RunResult run(const Circuit& c, StateVector<T>& state, std::span<const double> params, const RunOptions& options) {
    if (state.num_qubits() != c.num_qubits())
        throw Error(ErrorCode::invalid_input, fmt::format("run: the circuit has {} qubits but the state has {}",
                                                          c.num_qubits(), state.num_qubits()));
    c.check_bindings(params, "run");
    RunResult result;
    result.clbits.assign(c.num_clbits(), 0);
    const std::vector<bool> terminal = terminal_measurements(c);
    Rng rng(options.seed);
    const auto& ops = c.operations();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (!condition_holds(c, op, result.clbits)) continue;
        switch (op.kind) {
            case OpKind::gate: apply_gate(state, op, params); break;
            case OpKind::measure:
                if (terminal[i]) {
                    result.terminal_measurements.emplace_back(op.targets[0], op.clbit);
                    break;
                }
                // This later write replaces what an earlier terminal measurement put in the bit.
                std::erase_if(result.terminal_measurements, [&](const auto& m) { return m.second == op.clbit; });
                result.clbits[op.clbit] = static_cast<std::uint8_t>(measure(state, op.targets[0], rng));
                break;
            case OpKind::reset: reset(state, op.targets[0], rng); break;
            case OpKind::barrier: break;
        }
    }
    return result;
}

template <Precision T>
std::map<std::string, std::size_t> sample_counts(const Circuit& c, std::size_t shots, std::uint64_t seed,
                                                 std::span<const double> params) {
    c.check_bindings(params, "sample_counts");
    const bool measures = std::any_of(c.operations().begin(), c.operations().end(),
                                      [](const Operation& op) { return op.kind == OpKind::measure; });
    std::map<std::string, std::size_t> counts;
    StateVector<T> state(c.num_qubits());
    // Key of one sampled basis state given the bits the run left.
    auto key = [&](std::uint64_t basis, const RunResult& r) {
        if (!measures) return bitstring(basis, c.num_qubits());
        std::string bits(c.num_clbits(), '0');
        std::vector<std::uint8_t> values = r.clbits;
        for (const auto& [q, b] : r.terminal_measurements) values[b] = static_cast<std::uint8_t>(basis >> q & 1);
        for (std::size_t b = 0; b < values.size(); ++b) bits[values.size() - 1 - b] = char('0' + values[b]);
        return bits;
    };
    if (!needs_per_shot_simulation(c)) {
        const RunResult r = run(c, state, params, RunOptions{seed});
        for (std::uint64_t basis : sample(state, shots, mix(seed))) ++counts[key(basis, r)];
        return counts;
    }
    for (std::size_t shot = 0; shot < shots; ++shot) {
        state.set_basis_state(0);
        const std::uint64_t shot_seed = mix(seed ^ mix(shot));
        const RunResult r = run(c, state, params, RunOptions{shot_seed});
        ++counts[key(sample(state, 1, mix(shot_seed))[0], r)];
    }
    return counts;
}

template void apply_gate(StateVector<float>&, const Operation&, std::span<const double>);
template void apply_gate(StateVector<double>&, const Operation&, std::span<const double>);
template RunResult run(const Circuit&, StateVector<float>&, std::span<const double>, const RunOptions&);
template RunResult run(const Circuit&, StateVector<double>&, std::span<const double>, const RunOptions&);
template std::map<std::string, std::size_t> sample_counts<float>(const Circuit&, std::size_t, std::uint64_t,
                                                                 std::span<const double>);
template std::map<std::string, std::size_t> sample_counts<double>(const Circuit&, std::size_t, std::uint64_t,
                                                                  std::span<const double>);

}  // namespace kettle
