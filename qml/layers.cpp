#include <fmt/format.h>

#include "kettle/ansatz.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

Parameter next_weight(Circuit& c, std::vector<Parameter>& w) {
    w.push_back(c.parameter(fmt::format("w{}", w.size())));
    return w.back();
}

void entangle(Circuit& c, Entanglement e) {
    const unsigned n = c.num_qubits();
    switch (e) {
        case Entanglement::full:
            for (unsigned i = 0; i < n; ++i)
                for (unsigned j = i + 1; j < n; ++j) c.cx(i, j);
            return;
        case Entanglement::circular:
            if (n > 2) c.cx(n - 1, 0);
            [[fallthrough]];
        case Entanglement::linear:
            for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
            return;
        case Entanglement::reverse_linear:
            for (unsigned q = n - 1; q-- > 0;) c.cx(q, q + 1);
            return;
    }
}

/// Qiskit's TwoLocal shape: rotation layer, then reps x (entangler, rotation layer).
std::vector<Parameter> two_local(Circuit& c, std::size_t reps, Entanglement e, bool skip_final, bool with_rz) {
    std::vector<Parameter> w;
    const unsigned n = c.num_qubits();
    auto rotations = [&] {
        for (unsigned q = 0; q < n; ++q) c.ry(q, next_weight(c, w));
        if (with_rz)
            for (unsigned q = 0; q < n; ++q) c.rz(q, next_weight(c, w));
    };
    rotations();
    for (std::size_t r = 0; r < reps; ++r) {
        entangle(c, e);
        if (r + 1 < reps || !skip_final) rotations();
    }
    return w;
}

}  // namespace

std::vector<Parameter> strongly_entangling_layers(Circuit& c, std::size_t layers, std::vector<unsigned> ranges) {
    const unsigned n = c.num_qubits();
    if (!ranges.empty() && ranges.size() != layers)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("strongly_entangling_layers: {} ranges for {} layers (give one per layer or none)",
                                ranges.size(), layers));
    for (std::size_t l = 0; l < ranges.size(); ++l)
        if (ranges[l] == 0 || ranges[l] >= n)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("strongly_entangling_layers: range {} of layer {} is out of range for {} qubits "
                                    "(valid 1..{})", ranges[l], l, n, n == 0 ? 0 : n - 1));
    std::vector<Parameter> w;
    for (std::size_t l = 0; l < layers; ++l) {
        for (unsigned q = 0; q < n; ++q) {
            c.rz(q, next_weight(c, w));
            c.ry(q, next_weight(c, w));
            c.rz(q, next_weight(c, w));
        }
        if (n < 2) continue;
        const unsigned r = ranges.empty() ? unsigned(l % (n - 1)) + 1 : ranges[l];
        for (unsigned q = 0; q < n; ++q) c.cx(q, (q + r) % n);
    }
    return w;
}

std::vector<Parameter> real_amplitudes(Circuit& c, std::size_t reps, Entanglement entanglement,
                                       bool skip_final_rotation_layer) {
    return two_local(c, reps, entanglement, skip_final_rotation_layer, false);
}

std::vector<Parameter> efficient_su2(Circuit& c, std::size_t reps, Entanglement entanglement,
                                     bool skip_final_rotation_layer) {
    return two_local(c, reps, entanglement, skip_final_rotation_layer, true);
}

}  // namespace kettle
