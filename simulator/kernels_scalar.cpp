// Portable kernels, the reference every SIMD path is tested against.
//
// Index arithmetic. A gate on targets t_0..t_{k-1} with controls c_0.. fixes the bits of the
// m = k + |controls| "site" qubits. The other n - m bits range freely: for each i in
// [0, 2^(n-m)) we insert a zero bit at every site position (ascending, so earlier insertions do
// not move later positions), then OR in the control values. That gives the base index of a
// group of 2^k amplitudes; amplitude j of the group (bit b of j = target t_b) lives at
// base + offset[j], offset[j] = sum over set bits b of j of 2^(t_b).

#include <algorithm>
#include <array>
#include <utility>

#include "kernels.hpp"
#include "parallel.hpp"

namespace kettle::detail {
namespace {

struct Expander {
    std::array<unsigned, 64> positions{};
    unsigned count = 0;
    std::uint64_t fixed = 0;

    Expander(const GateSite& site) {
        std::uint64_t mask = site.ctrl_mask;
        for (unsigned b = 0; b < site.k; ++b) mask |= std::uint64_t{1} << site.targets[b];
        for (unsigned p = 0; p < 64; ++p)
            if (mask >> p & 1) positions[count++] = p;
        fixed = site.ctrl_value;
    }
    [[nodiscard]] std::uint64_t operator()(std::uint64_t i) const noexcept {
        for (unsigned s = 0; s < count; ++s) {
            const unsigned p = positions[s];
            i = ((i >> p) << (p + 1)) | (i & ((std::uint64_t{1} << p) - 1));
        }
        return i | fixed;
    }
};

template <unsigned K>
std::array<std::uint64_t, (1u << K)> offsets(const GateSite& site) {
    std::array<std::uint64_t, (1u << K)> off{};
    for (unsigned j = 0; j < (1u << K); ++j)
        for (unsigned b = 0; b < K; ++b)
            if (j >> b & 1) off[j] |= std::uint64_t{1} << site.targets[b];
    return off;
}

/// Runs body(base, offsets) over every group of the site.
template <unsigned K, class Body>
void for_each_group(unsigned n, const GateSite& site, Body&& body) {
    const Expander expand(site);
    const auto off = offsets<K>(site);
    const std::uint64_t groups = std::uint64_t{1} << (n - expand.count);
    parallel_for(groups, [&](std::uint64_t b, std::uint64_t e) {
        for (std::uint64_t i = b; i < e; ++i) body(expand(i), off);
    });
}

template <class T, unsigned K>
void dense_k(std::complex<T>* psi, unsigned n, const GateSite& site, const std::complex<T>* m) {
    constexpr unsigned D = 1u << K;
    for_each_group<K>(n, site, [&](std::uint64_t base, const auto& off) {
        std::array<std::complex<T>, D> v;
        for (unsigned j = 0; j < D; ++j) v[j] = psi[base + off[j]];
        for (unsigned r = 0; r < D; ++r) {
            std::complex<T> acc = 0;
            for (unsigned c = 0; c < D; ++c) acc += m[r * D + c] * v[c];
            psi[base + off[r]] = acc;
        }
    });
}

template <class T, unsigned K>
void diagonal_k(std::complex<T>* psi, unsigned n, const GateSite& site, const std::complex<T>* d) {
    for_each_group<K>(n, site, [&](std::uint64_t base, const auto& off) {
        for (unsigned j = 0; j < (1u << K); ++j) psi[base + off[j]] *= d[j];
    });
}

template <class T, unsigned K>
void permutation_k(std::complex<T>* psi, unsigned n, const GateSite& site, const std::uint8_t* perm,
                   const std::complex<T>* phase) {
    constexpr unsigned D = 1u << K;
    for_each_group<K>(n, site, [&](std::uint64_t base, const auto& off) {
        std::array<std::complex<T>, D> v;
        for (unsigned j = 0; j < D; ++j) v[j] = psi[base + off[j]];
        for (unsigned j = 0; j < D; ++j) psi[base + off[perm[j]]] = phase[j] * v[j];
    });
}

// One instantiation per target count, indexed by k; no switch ladders.
template <class T, std::size_t... K>
constexpr auto dense_table(std::index_sequence<K...>) {
    return std::array{&dense_k<T, unsigned(K + 1)>...};
}
template <class T, std::size_t... K>
constexpr auto diagonal_table(std::index_sequence<K...>) {
    return std::array{&diagonal_k<T, unsigned(K + 1)>...};
}
template <class T, std::size_t... K>
constexpr auto permutation_table(std::index_sequence<K...>) {
    return std::array{&permutation_k<T, unsigned(K + 1)>...};
}

template <class T>
struct ByArity {
    using C = std::complex<T>;
    static constexpr auto dense = dense_table<T>(std::make_index_sequence<kMaxTargets>{});
    static constexpr auto diagonal = diagonal_table<T>(std::make_index_sequence<kMaxTargets>{});
    static constexpr auto permutation = permutation_table<T>(std::make_index_sequence<kMaxTargets>{});

    static void apply_dense(C* psi, unsigned n, const GateSite& s, const C* m) { dense[s.k - 1](psi, n, s, m); }
    static void apply_diagonal(C* psi, unsigned n, const GateSite& s, const C* d) {
        diagonal[s.k - 1](psi, n, s, d);
    }
    static void apply_permutation(C* psi, unsigned n, const GateSite& s, const std::uint8_t* p, const C* ph) {
        permutation[s.k - 1](psi, n, s, p, ph);
    }
};

}  // namespace

template <class T>
const KernelTable<T>& scalar_kernels() {
    static const KernelTable<T> table{&ByArity<T>::apply_dense, &ByArity<T>::apply_diagonal,
                                      &ByArity<T>::apply_permutation};
    return table;
}

template <class T>
const KernelTable<T>& kernels() {
    return scalar_kernels<T>();
}

template const KernelTable<float>& scalar_kernels<float>();
template const KernelTable<double>& scalar_kernels<double>();
template const KernelTable<float>& kernels<float>();
template const KernelTable<double>& kernels<double>();

}  // namespace kettle::detail
