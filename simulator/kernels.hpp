#pragma once
// The kernel layer: every gate lowers to one of three kernel classes (dense, diagonal,
// permutation), each optionally controlled. A KernelTable holds one implementation of each
// class; SIMD translation units provide faster tables, chosen at run time in one place.

#include <array>
#include <complex>
#include <cstdint>

namespace kettle::detail {

/// The largest target count of one kernel call.
inline constexpr unsigned kMaxTargets = 6;

/// Where a kernel acts: `k` target qubits (targets[j] is matrix bit j) and the control
/// condition (index & ctrl_mask) == ctrl_value.
struct GateSite {
    std::array<unsigned, kMaxTargets> targets{};
    unsigned k = 0;
    std::uint64_t ctrl_mask = 0;
    std::uint64_t ctrl_value = 0;
};

template <class T>
struct KernelTable {
    using C = std::complex<T>;
    /// psi <- M psi on the site; M row-major 2^k x 2^k.
    void (*dense)(C* psi, unsigned n, const GateSite& site, const C* matrix);
    /// psi[j] <- diag[j] psi[j] on the site's 2^k amplitudes.
    void (*diagonal)(C* psi, unsigned n, const GateSite& site, const C* diag);
    /// psi'[perm[j]] <- phase[j] psi[j]: a monomial matrix (X, Y, SWAP, ... under controls).
    void (*permutation)(C* psi, unsigned n, const GateSite& site, const std::uint8_t* perm, const C* phase);
};

template <class T>
const KernelTable<T>& scalar_kernels();

/// The kernel table in use (the scalar one until SIMD tables are registered).
template <class T>
const KernelTable<T>& kernels();

}  // namespace kettle::detail
