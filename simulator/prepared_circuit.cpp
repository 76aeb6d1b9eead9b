#include "kettle/prepared_circuit.hpp"

#include <fmt/format.h>
#include <type_traits>
#include <variant>

#include "cache_blocking.hpp"
#include "execution.hpp"
#include "kernels.hpp"
#include "lowering.hpp"
#include "phase_polynomial.hpp"
#include "qubit_permutation.hpp"
#include "kettle/error.hpp"

namespace kettle {

template <Precision T>
struct PreparedCircuit<T>::Impl {
    struct Phase {
        detail::PhasePolynomial polynomial;
        detail::CacheAlignedVector<std::complex<T>> table;
    };
    /// A run of lowered blocks for a state large enough to block (cache_blocking.hpp), with
    /// the passes its FusionPlan planned for it.
    struct Blocked {
        std::vector<detail::BlockedStep> steps;
        std::vector<detail::BlockedPass> plan;
    };
    /// An operation run as it is: measurement, reset, conditioned gate.
    struct Op {
        std::size_t index;
    };
    using Item = std::variant<detail::PreparedGate<T>, Phase, Blocked, Op>;

    /// The plan's renamed circuit where it relabelled the SWAPs (FusionOptions::relabel_swaps).
    std::shared_ptr<const detail::SwapRelabelling> relabelling;
    const Circuit* circuit;  // the given circuit, or the renamed one
    std::vector<double> params;
    std::vector<bool> terminal;  // terminal_measurements of the given circuit unless relabelled (it has them)
    std::vector<Item> items;
};

template <Precision T>
PreparedCircuit<T>::PreparedCircuit(const Circuit& given, std::span<const double> params, FusionOptions options)
    : impl_(std::make_unique<Impl>()) {
    given.check_bindings(params, "PreparedCircuit");
    const FusionPlan plan(given, options);
    impl_->relabelling = detail::FusionPlanInternals::relabelling(plan);
    const Circuit& c = plan.circuit();
    impl_->circuit = &c;
    impl_->params.assign(params.begin(), params.end());
    if (!impl_->relabelling) impl_->terminal = terminal_measurements(given);
    const unsigned n = c.num_qubits();
    const bool blocked = options.cache_blocking && n >= detail::chunk_qubits<T>() + 2;
    // The plan has formed its parameter-free blocks and, for a state this large, planned the
    // passes of each run of blocks between operations (run_index counts those operations).
    const detail::FusionPasses* passes = detail::FusionPlanInternals::passes(plan);
    std::size_t run_index = 0;
    for (std::size_t b = 0; b < plan.blocks().size(); ++b) {
        const FusionPlan::Block& block = plan.blocks()[b];
        const detail::BlockedStep* fixed = detail::FusionPlanInternals::fixed_step(plan, b);
        std::optional<detail::BlockedStep> step = fixed ? std::optional(*fixed) : detail::lower_block(c, block, params);
        if (!step) {
            impl_->items.emplace_back(typename Impl::Op{block.ops[0]});
            ++run_index;
        } else if (blocked) {
            if (impl_->items.empty() || !std::holds_alternative<typename Impl::Blocked>(impl_->items.back()))
                impl_->items.emplace_back(
                    typename Impl::Blocked{{}, passes->runs[std::is_same_v<T, float>][run_index]});
            std::get<typename Impl::Blocked>(impl_->items.back()).steps.push_back(std::move(*step));
        } else if (step->phase) {
            detail::CacheAlignedVector<std::complex<T>> table = detail::phase_low_table<T>(*step->phase);
            impl_->items.emplace_back(typename Impl::Phase{std::move(*step->phase), std::move(table)});
        } else {
            impl_->items.emplace_back(detail::prepare_shaped<T>(step->matrix, step->shape, n, step->targets,
                                                                step->controls, step->control_values));
        }
    }
}

template <Precision T>
PreparedCircuit<T>::~PreparedCircuit() = default;
template <Precision T>
PreparedCircuit<T>::PreparedCircuit(PreparedCircuit&&) noexcept = default;
template <Precision T>
PreparedCircuit<T>& PreparedCircuit<T>::operator=(PreparedCircuit&&) noexcept = default;

template <Precision T>
unsigned PreparedCircuit<T>::num_qubits() const noexcept {
    return impl_->circuit->num_qubits();
}

template <Precision T>
RunResult PreparedCircuit<T>::run(StateVector<T>& state, const RunOptions& options) const {
    const Circuit& c = *impl_->circuit;
    if (state.num_qubits() != c.num_qubits())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("PreparedCircuit::run: the circuit has {} qubits but the state has {}", c.num_qubits(),
                                state.num_qubits()));
    detail::Execution<T> exec(c, state, impl_->params, options,
                              impl_->relabelling ? &impl_->relabelling->terminal : &impl_->terminal);
    for (const auto& item : impl_->items) {
        if (const auto* gate = std::get_if<detail::PreparedGate<T>>(&item)) {
            gate->run(state.data(), true);
        } else if (const auto* phase = std::get_if<typename Impl::Phase>(&item)) {
            detail::apply_phase_rows(state.data(), phase->polynomial, phase->table, phase->polynomial.linear,
                                     phase->polynomial.constant, true);
        } else if (const auto* blocked = std::get_if<typename Impl::Blocked>(&item)) {
            detail::run_blocked(state, std::span<const detail::BlockedStep>(blocked->steps),
                                std::span<const detail::BlockedPass>(blocked->plan));
        } else {
            exec.step(std::get<typename Impl::Op>(item).index);
        }
    }
    if (impl_->relabelling) detail::permute_qubits(state, impl_->relabelling->restore, detail::chunk_qubits<T>());
    return std::move(exec.result);
}

template class PreparedCircuit<float>;
template class PreparedCircuit<double>;

}  // namespace kettle
