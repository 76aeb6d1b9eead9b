#include "kettle/observable.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {
namespace {

void check_sizes(unsigned in_qubits, unsigned out_qubits, const PauliSum& h, const void* in, const void* out,
                 const char* where) {
    if (in_qubits != out_qubits)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the input state has {} qubits but the output has {}", where, in_qubits, out_qubits));
    if (in == out)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: the output must be a different state than the input", where));
    if (h.min_qubits() > in_qubits)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the observable `{}` names qubit {}, but the state has {} qubits (valid 0..{})",
                                where, h.to_string(), h.min_qubits() - 1, in_qubits, in_qubits - 1));
}

}  // namespace

template <Precision T>
void accumulate_observable(const StateVector<T>& in, const PauliSum& h, double weight, StateVector<T>& out) {
    check_sizes(in.num_qubits(), out.num_qubits(), h, &in, &out, "accumulate_observable");
    using C = std::complex<T>;
    const C* a = in.data();
    C* b = out.data();
    const std::uint64_t n = in.size();
    for (const PauliTerm& term : h.terms()) {
        // A Pauli string maps |i> to phase(i) |i ^ flip>: X and Y flip their bit, Y and Z add a
        // sign (-1)^bit, and each Y a factor i (Y|b> = i (-1)^b |1-b>).
        std::uint64_t flip = 0, sign = 0;
        unsigned num_y = 0;
        for (const auto& [q, p] : term.factors) {
            const std::uint64_t bit = std::uint64_t{1} << q;
            if (p != 'Z') flip |= bit;
            if (p != 'X') sign |= bit;
            if (p == 'Y') ++num_y;
        }
        static constexpr std::complex<double> kPowI[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        const C base = C(weight * term.coeff * kPowI[num_y % 4]);
        for (std::uint64_t i = 0; i < n; ++i) {
            const C v = (std::popcount(i & sign) & 1) ? -base : base;
            b[i ^ flip] += v * a[i];
        }
    }
}

template <Precision T>
void apply_observable(const StateVector<T>& in, const PauliSum& h, StateVector<T>& out) {
    check_sizes(in.num_qubits(), out.num_qubits(), h, &in, &out, "apply_observable");
    std::fill(out.data(), out.data() + out.size(), std::complex<T>(0));
    accumulate_observable(in, h, 1.0, out);
}

template void apply_observable(const StateVector<float>&, const PauliSum&, StateVector<float>&);
template void apply_observable(const StateVector<double>&, const PauliSum&, StateVector<double>&);
template void accumulate_observable(const StateVector<float>&, const PauliSum&, double, StateVector<float>&);
template void accumulate_observable(const StateVector<double>&, const PauliSum&, double, StateVector<double>&);

}  // namespace kettle
