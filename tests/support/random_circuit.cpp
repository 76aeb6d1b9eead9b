#include "random_circuit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace kettle::test {

unsigned Random::below(unsigned n) { return std::min(n - 1, unsigned(uniform() * n)); }

double Random::normal() {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2 * std::numbers::pi * v);
}

double Random::angle() { return uniform(-2 * std::numbers::pi, 2 * std::numbers::pi); }

std::vector<unsigned> Random::qubits(unsigned n, unsigned count) {
    std::vector<unsigned> all(n);
    for (unsigned q = 0; q < n; ++q) all[q] = q;
    shuffle(all);
    all.resize(count);
    return all;
}

reference::CVector random_state(unsigned n, Random& random) {
    reference::CVector v(Eigen::Index{1} << n);
    for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = random.complex_normal();
    return v / v.norm();
}

Matrix random_unitary(unsigned k, UnitaryShape shape, Random& random) {
    const std::size_t d = std::size_t{1} << k;
    Matrix m(d * d, 0.0);
    auto phase = [&] { return std::polar(1.0, random.angle()); };
    switch (shape) {
        case UnitaryShape::diagonal:
            for (std::size_t j = 0; j < d; ++j) m[j * d + j] = phase();
            break;
        case UnitaryShape::monomial: {
            std::vector<std::size_t> perm(d);
            for (std::size_t j = 0; j < d; ++j) perm[j] = j;
            // A permutation that moves something, so that the matrix is not diagonal.
            do random.shuffle(perm);
            while (std::is_sorted(perm.begin(), perm.end()));
            for (std::size_t c = 0; c < d; ++c) m[perm[c] * d + c] = phase();
            break;
        }
        case UnitaryShape::dense: {
            const auto dim = static_cast<Eigen::Index>(d);
            reference::CMatrix g(dim, dim);
            for (Eigen::Index r = 0; r < g.rows(); ++r)
                for (Eigen::Index c = 0; c < g.cols(); ++c) g(r, c) = random.complex_normal();
            const reference::CMatrix q = Eigen::HouseholderQR<reference::CMatrix>(g).householderQ();
            for (std::size_t r = 0; r < d; ++r)
                for (std::size_t c = 0; c < d; ++c) m[r * d + c] = q(Eigen::Index(r), Eigen::Index(c));
            break;
        }
    }
    return m;
}

RandomCircuit random_circuit(unsigned n, std::size_t num_gates, std::uint64_t seed,
                             const RandomCircuitOptions& options) {
    Random random(seed);
    RandomCircuit out{Circuit(n), {}};
    std::vector<Parameter> parameters;
    for (std::size_t j = 0; j < options.num_parameters; ++j) {
        parameters.push_back(out.circuit.parameter("theta" + std::to_string(j)));
        out.values.push_back(random.angle());
    }
    auto angle = [&]() -> ParamExpr {
        if (parameters.empty() || random.uniform() < 0.25) return random.angle();
        const Parameter p = parameters[random.below(unsigned(parameters.size()))];
        return random.uniform(-2, 2) * p + random.angle();
    };

    std::vector<GateKind> kinds;
    for (unsigned k = 0; k <= unsigned(GateKind::unitary); ++k) kinds.push_back(GateKind(k));
    std::size_t next = kinds.size();
    while (out.circuit.operations().size() < num_gates) {
        if (next == kinds.size()) {
            random.shuffle(kinds);
            next = 0;
        }
        const GateKind kind = kinds[next++];
        const GateInfo& info = gate_info(kind);
        const unsigned k = kind == GateKind::unitary
                               ? 1 + random.below(std::min(n, options.max_unitary_qubits))
                               : info.num_targets;
        if (k > n) continue;
        const unsigned num_controls = random.below(std::min(options.max_controls, n - k) + 1);
        const std::vector<unsigned> qubits = random.qubits(n, k + num_controls);

        Operation op;
        op.gate = kind;
        op.targets.assign(qubits.begin(), qubits.begin() + k);
        op.controls.assign(qubits.begin() + k, qubits.end());
        for (unsigned i = 0; i < num_controls; ++i) op.control_values.push_back(std::uint8_t(random.below(2)));
        for (unsigned i = 0; i < info.num_params; ++i) op.params.push_back(angle());
        if (kind == GateKind::unitary)
            op.matrix = std::make_shared<const Matrix>(random_unitary(k, UnitaryShape(random.below(3)), random));
        out.circuit.append(std::move(op));
    }
    return out;
}

}  // namespace kettle::test
