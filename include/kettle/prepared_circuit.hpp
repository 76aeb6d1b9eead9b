#pragma once
// A circuit made ready to run many times: fused, parameters bound, every block lowered to its
// kernel once. Running it plans nothing, allocates nothing on small states, and looks nothing
// up per gate: the path for small circuits run over and over (sampling loops, benchmarks,
// many initial states).

#include <memory>
#include <span>

#include "kettle/circuit.hpp"
#include "kettle/fusion.hpp"
#include "kettle/simulator.hpp"
#include "kettle/state_vector.hpp"

namespace kettle {

/// Thread safety: a const PreparedCircuit may be run by many threads on distinct states.
template <Precision T = double>
class PreparedCircuit {
public:
    /// Plans the fusion of `c` (FusionOptions; 2-qubit blocks by default, which cost no more
    /// arithmetic than the gates they merge) and lowers every block with `params` bound, for
    /// states of c.num_qubits() qubits. Throws Error(invalid_input) for bad bindings. The circuit
    /// must outlive this object. Cost: the plan plus O(blocks * 8^k).
    explicit PreparedCircuit(const Circuit& c, std::span<const double> params = {},
                             FusionOptions options = FusionOptions{2, true});
    ~PreparedCircuit();
    PreparedCircuit(PreparedCircuit&&) noexcept;
    PreparedCircuit& operator=(PreparedCircuit&&) noexcept;

    [[nodiscard]] unsigned num_qubits() const noexcept;

    /// Runs the circuit on `state` as kettle::run does (same results up to rounding, same seeded
    /// measurement draws; options.fusion is ignored: the fusion was fixed at construction).
    /// Throws Error(invalid_input) if the state's size differs. Cost: per block one pass over
    /// the state (cache-blocked above 2^18 amplitudes, see FusionOptions::cache_blocking).
    RunResult run(StateVector<T>& state, const RunOptions& options = {}) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

extern template class PreparedCircuit<float>;
extern template class PreparedCircuit<double>;

}  // namespace kettle
