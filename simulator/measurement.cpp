#include "kettle/measurement.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "kettle/error.hpp"
#include "kettle/resources.hpp"
#include "parallel.hpp"

namespace kettle {
namespace {

template <class T>
void check_qubit(const StateVector<T>& state, unsigned q, std::string_view where) {
    if (q >= state.num_qubits())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: qubit {} is out of range for {} qubits (valid 0..{})", where, q,
                                state.num_qubits(), state.num_qubits() - 1));
}

}  // namespace

template <Precision T>
std::vector<double> probabilities(const StateVector<T>& state) {
    check_memory(state.size() * sizeof(double),
                 fmt::format("probabilities: the {} probabilities of a {}-qubit state", state.size(), state.num_qubits()));
    std::vector<double> p(state.size());
    const auto* psi = state.data();
    detail::parallel_for(state.size(), [&](std::uint64_t b, std::uint64_t e) {
        for (std::uint64_t i = b; i < e; ++i) p[i] = std::norm(std::complex<double>(psi[i]));
    });
    return p;
}

template <Precision T>
std::vector<double> marginal_probabilities(const StateVector<T>& state, std::span<const unsigned> qubits) {
    constexpr std::string_view where = "marginal_probabilities";
    std::uint64_t seen = 0;
    for (unsigned q : qubits) {
        check_qubit(state, q, where);
        if (seen >> q & 1)
            throw Error(ErrorCode::invalid_input, fmt::format("{}: qubit {} is listed twice", where, q));
        seen |= std::uint64_t{1} << q;
    }
    std::vector<double> p(std::size_t{1} << qubits.size(), 0.0);
    const auto* psi = state.data();
    for (std::uint64_t i = 0; i < state.size(); ++i) {
        std::size_t outcome = 0;
        for (std::size_t j = 0; j < qubits.size(); ++j) outcome |= std::size_t(i >> qubits[j] & 1) << j;
        p[outcome] += std::norm(std::complex<double>(psi[i]));
    }
    return p;
}

template <Precision T>
std::vector<std::uint64_t> sample(const StateVector<T>& state, std::size_t shots, std::uint64_t seed) {
    const auto* psi = state.data();
    const std::uint64_t size = state.size();
    auto prob = [psi](std::uint64_t i) { return std::norm(std::complex<double>(psi[i])); };
    // Pass 1 (parallel): probability mass per fixed chunk. Then draw sorted uniforms, scaled by
    // the total so that rounding in the norm cannot push a draw past the end, and walk the
    // chunks and, inside the chunks that receive draws, the amplitudes.
    const std::vector<double> mass = detail::chunk_sums(size, [&](std::uint64_t b, std::uint64_t e) {
        double s = 0;
        for (std::uint64_t i = b; i < e; ++i) s += prob(i);
        return s;
    });
    double total = 0;
    for (double m : mass) total += m;

    // The draws and the outcomes: 16 bytes per shot, checked before either is made.
    if (shots > std::numeric_limits<std::size_t>::max() / 16)
        throw Error(ErrorCode::resource_limit, fmt::format("sample: {} shots are more than any memory holds", shots));
    check_memory(shots * 16, fmt::format("sample: {} shots", shots));
    Rng rng(seed);
    std::vector<double> u(shots);
    for (double& x : u) x = uniform01(rng) * total;
    std::sort(u.begin(), u.end());

    std::vector<std::uint64_t> out(shots);
    std::size_t s = 0;
    double before = 0;              // mass of the chunks walked past
    std::uint64_t last_nonzero = 0;  // where draws that rounding left over go
    for (std::size_t c = 0; c < mass.size() && s < shots; before += mass[c], ++c) {
        const double chunk_end = before + mass[c];
        if (u[s] >= chunk_end) continue;
        const std::uint64_t begin = c * detail::kReduceChunk;
        const std::uint64_t end = std::min(size, begin + detail::kReduceChunk);
        double acc = before;
        for (std::uint64_t i = begin; i < end && s < shots; ++i) {
            const double pi = prob(i);
            if (pi == 0) continue;
            acc += pi;
            last_nonzero = i;
            while (s < shots && u[s] < acc) out[s++] = i;
        }
        // Summing inside the chunk rounds differently from the chunk's mass.
        while (s < shots && u[s] < chunk_end) out[s++] = last_nonzero;
    }
    while (s < shots) out[s++] = last_nonzero;
    return out;
}

template <Precision T>
int measure(StateVector<T>& state, unsigned q, Rng& rng) {
    check_qubit(state, q, "measure");
    auto* psi = state.data();
    const std::uint64_t bit = std::uint64_t{1} << q;
    // Both outcomes' probabilities in one pass.
    const auto parts = detail::chunk_sums(state.size(), [&](std::uint64_t b, std::uint64_t e) {
        std::array<double, 2> s{0, 0};
        for (std::uint64_t i = b; i < e; ++i) s[(i & bit) != 0] += std::norm(std::complex<double>(psi[i]));
        return s;
    });
    double p[2] = {0, 0};
    for (const auto& s : parts) p[0] += s[0], p[1] += s[1];
    const int outcome = uniform01(rng) * (p[0] + p[1]) < p[0] ? 0 : 1;
    const T scale = T(1.0 / std::sqrt(p[outcome]));
    const std::uint64_t keep = outcome ? bit : 0;
    detail::parallel_for(state.size(), [&](std::uint64_t b, std::uint64_t e) {
        for (std::uint64_t i = b; i < e; ++i) psi[i] = (i & bit) == keep ? psi[i] * scale : std::complex<T>(0);
    });
    return outcome;
}

template <Precision T>
void reset(StateVector<T>& state, unsigned q, Rng& rng) {
    if (measure(state, q, rng) == 0) return;
    auto* psi = state.data();
    const std::uint64_t bit = std::uint64_t{1} << q;
    detail::parallel_for(state.size(), [&](std::uint64_t b, std::uint64_t e) {
        for (std::uint64_t i = b; i < e; ++i)
            if (i & bit) std::swap(psi[i], psi[i ^ bit]);
    });
}

template std::vector<double> probabilities(const StateVector<float>&);
template std::vector<double> probabilities(const StateVector<double>&);
template std::vector<double> marginal_probabilities(const StateVector<float>&, std::span<const unsigned>);
template std::vector<double> marginal_probabilities(const StateVector<double>&, std::span<const unsigned>);
template std::vector<std::uint64_t> sample(const StateVector<float>&, std::size_t, std::uint64_t);
template std::vector<std::uint64_t> sample(const StateVector<double>&, std::size_t, std::uint64_t);
template int measure(StateVector<float>&, unsigned, Rng&);
template int measure(StateVector<double>&, unsigned, Rng&);
template void reset(StateVector<float>&, unsigned, Rng&);
template void reset(StateVector<double>&, unsigned, Rng&);

}  // namespace kettle
