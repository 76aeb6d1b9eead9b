#include "kettle/encoding.hpp"

#include <fmt/format.h>

namespace kettle {

std::vector<Parameter> angle_encoding(Circuit& c, RotationAxis axis, double scale) {
    std::vector<Parameter> x;
    for (unsigned q = 0; q < c.num_qubits(); ++q) {
        const Parameter p = c.parameter(fmt::format("x{}", q));
        switch (axis) {
            case RotationAxis::x: c.rx(q, scale * p); break;
            case RotationAxis::y: c.ry(q, scale * p); break;
            case RotationAxis::z: c.h(q).rz(q, scale * p); break;
        }
        x.push_back(p);
    }
    return x;
}

void entangle(Circuit& c, Entangler entangler) {
    const unsigned n = c.num_qubits();
    switch (entangler) {
        case Entangler::linear:
            for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
            break;
        case Entangler::ring:
            for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
            if (n > 2) c.cx(n - 1, 0);
            break;
        case Entangler::full:
            for (unsigned q = 0; q < n; ++q)
                for (unsigned r = q + 1; r < n; ++r) c.cx(q, r);
            break;
    }
}

std::vector<Parameter> hardware_efficient_ansatz(Circuit& c, std::size_t layers, Entangler entangler) {
    std::vector<Parameter> w;
    const unsigned n = c.num_qubits();
    for (std::size_t l = 0; l < layers; ++l) {
        for (unsigned q = 0; q < n; ++q) {
            w.push_back(c.parameter(fmt::format("w{}", w.size())));
            c.ry(q, w.back());
            w.push_back(c.parameter(fmt::format("w{}", w.size())));
            c.rz(q, w.back());
        }
        entangle(c, entangler);
    }
    return w;
}

}  // namespace kettle
