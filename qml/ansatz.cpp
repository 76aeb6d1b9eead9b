#include "kettle/ansatz.hpp"

#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {

CircuitParameters data_reuploading(Circuit& c, std::size_t num_features, std::size_t layers, Entangler entangler,
                                   double scale) {
    if (num_features == 0 || c.num_qubits() == 0)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("data_reuploading: needs at least 1 feature and 1 qubit, got {} features and {} qubits",
                                num_features, c.num_qubits()));
    CircuitParameters p;
    for (std::size_t f = 0; f < num_features; ++f) p.inputs.push_back(c.parameter(fmt::format("x{}", f)));
    const unsigned n = c.num_qubits();
    for (std::size_t l = 0; l < layers; ++l) {
        for (unsigned q = 0; q < n; ++q) c.ry(q, scale * p.inputs[q % num_features]);
        for (unsigned q = 0; q < n; ++q) {
            p.weights.push_back(c.parameter(fmt::format("w{}", p.weights.size())));
            c.ry(q, p.weights.back());
            p.weights.push_back(c.parameter(fmt::format("w{}", p.weights.size())));
            c.rz(q, p.weights.back());
        }
        entangle(c, entangler);
    }
    return p;
}

}  // namespace kettle
