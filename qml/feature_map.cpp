#include <fmt/format.h>
#include <utility>

#include "kettle/encoding.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

std::vector<std::pair<unsigned, unsigned>> pairs_of(unsigned n, Entangler entanglement) {
    std::vector<std::pair<unsigned, unsigned>> pairs;
    if (entanglement == Entangler::full) {
        for (unsigned i = 0; i < n; ++i)
            for (unsigned j = i + 1; j < n; ++j) pairs.emplace_back(i, j);
        return pairs;
    }
    for (unsigned q = 0; q + 1 < n; ++q) pairs.emplace_back(q, q + 1);
    if (entanglement == Entangler::ring && n > 2) pairs.emplace_back(n - 1, 0);
    return pairs;
}

}  // namespace

FeatureBinding zz_feature_map(Circuit& c, std::size_t reps, Entangler entanglement, double alpha) {
    const unsigned n = c.num_qubits();
    if (reps == 0 || n == 0)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("zz_feature_map: needs at least 1 repetition and 1 qubit, got {} and {}", reps, n));
    FeatureBinding b;
    b.num_features = n;
    for (unsigned q = 0; q < n; ++q) b.direct.push_back(c.parameter(fmt::format("x{}", q)));
    const auto pairs = pairs_of(n, entanglement);
    for (const auto& [i, j] : pairs)
        b.products.push_back(ProductInput{c.parameter(fmt::format("xx{}_{}", i, j)), i, j});
    for (std::size_t r = 0; r < reps; ++r) {
        for (unsigned q = 0; q < n; ++q) c.h(q);
        for (unsigned q = 0; q < n; ++q) c.p(q, alpha * b.direct[q]);
        for (std::size_t k = 0; k < pairs.size(); ++k) {
            const auto [i, j] = pairs[k];
            c.cx(i, j).p(j, alpha * b.products[k].parameter).cx(i, j);
        }
    }
    return b;
}

FeatureBinding amplitude_encoding(const Circuit& c, std::size_t num_features) {
    const unsigned n = c.num_qubits();
    if (n == 0 || n > 30 || num_features == 0 || num_features > (std::size_t{1} << n))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("amplitude_encoding: {} features on {} qubits; need between 1 and 2^n (1 <= n <= 30)",
                                num_features, n));
    FeatureBinding b;
    b.num_features = num_features;
    b.amplitude = true;
    return b;
}

}  // namespace kettle
