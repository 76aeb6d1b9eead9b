#include "feature_binding.hpp"

#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle::detail {

void check_feature_binding(const Circuit& circuit, const FeatureBinding& f, const std::vector<Parameter>& weights,
                           const char* where) {
    if (!f.direct.empty() && f.direct.size() != f.num_features)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {} direct inputs for {} features (need one per feature "
                                                          "or none)", where, f.direct.size(), f.num_features));
    if (f.amplitude && (!f.direct.empty() || !f.products.empty() || f.num_features == 0 ||
                        circuit.num_qubits() > 30 || f.num_features > (std::size_t{1} << circuit.num_qubits())))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: amplitude encoding of {} features on {} qubits with {} other inputs; needs 1..2^n "
                                "features and no direct or product inputs", where, f.num_features,
                                circuit.num_qubits(), f.direct.size() + f.products.size()));
    for (const ProductInput& pi : f.products)
        if (pi.i >= f.num_features || pi.j >= f.num_features)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: a product input names features {} and {}, but there are {} (valid 0..{})",
                                    where, pi.i, pi.j, f.num_features, f.num_features == 0 ? 0 : f.num_features - 1));
    const std::size_t p = circuit.num_parameters();
    std::vector<int> uses(p, 0);
    auto count = [&](const Parameter& q) {
        if (q.index() >= p)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: parameter index {} is out of range for a circuit with {} parameters", where,
                                    q.index(), p));
        ++uses[q.index()];
    };
    for (const Parameter& q : f.direct) count(q);
    for (const ProductInput& q : f.products) count(q.parameter);
    for (const Parameter& q : weights) count(q);
    for (std::size_t k = 0; k < p; ++k)
        if (uses[k] != 1)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: circuit parameter `{}` is named {} times among inputs and weights (must be "
                                    "exactly once)", where, circuit.parameter_names()[k], uses[k]));
}

}  // namespace kettle::detail
