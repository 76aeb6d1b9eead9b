#pragma once
// A BatchedCircuit with a FeatureBinding's per-sample parameters: what the batch paths of
// VariationalClassifier and HybridModel's quantum layer share. Groups of kLanes samples'
// features go in, expectation values come out, and after a backward sweep each sample's
// gradients by the weights and by its features (chained through product inputs and amplitude
// encoding's normalisation).

#include <cstddef>
#include <span>
#include <vector>

#include "batched_circuit.hpp"
#include "kettle/encoding.hpp"

namespace kettle::qml_detail {

class BatchedFeatures {
public:
    /// The binding and the circuit must outlive this object. Allocates the batched states.
    BatchedFeatures(const Circuit& circuit, const FeatureBinding& features, const std::vector<PauliSum>& observables);

    /// Binds `values` to the circuit parameters `weights`, recomputing the weight matrices only
    /// if they differ from the values bound last. Cost: O(weights) when unchanged.
    void bind_weights(std::span<const Parameter> weights, std::span<const double> values);

    /// Runs samples first .. first + count - 1 (count in 1..kLanes) of xs (rows of
    /// num_features): lane l takes sample first + l, lanes past count repeat the last one.
    /// Throws Error(invalid_input), prefixed with `where`, for a non-finite feature or, under
    /// amplitude encoding, a zero or non-finite feature vector.
    void forward(std::span<const double> xs, std::size_t first, std::size_t count, const char* where);
    /// <O_m> of lane l after forward.
    [[nodiscard]] double value(std::size_t m, unsigned l) const { return values_[m * kLanes + l]; }
    /// d loss / d <O_m> of lane l, to set before backward (zero for lanes without a sample).
    double& cotangent(std::size_t m, unsigned l) { return cotangent_[m * kLanes + l]; }

    void backward();
    /// After backward: d loss / d parameter p for lane l's sample.
    [[nodiscard]] double gradient(const Parameter& p, unsigned l) const { return grad_[p.index() * kLanes + l]; }
    /// After backward: d loss / d x for lane l's sample x (its features, as given to forward).
    void input_gradients(std::span<const double> x, unsigned l, std::span<double> out) const;

private:
    const FeatureBinding* features_;
    BatchedCircuit circuit_;
    std::vector<double> shared_, bound_weights_, lane_params_, values_, cotangent_, grad_, initial_, norm_;
    bool weights_bound_ = false;
};

}  // namespace kettle::qml_detail
