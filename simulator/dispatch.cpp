// The one place where the instruction set is chosen and where gates meet the thread pool.

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fmt/format.h>

#include "kernels.hpp"
#include "kettle/error.hpp"
#include "kettle/isa.hpp"
#include "parallel.hpp"

namespace kettle {
namespace {

Isa best_isa() noexcept {
    if (isa_supported(Isa::avx512)) return Isa::avx512;
    if (isa_supported(Isa::avx2)) return Isa::avx2;
    return Isa::scalar;
}

Isa initial_isa() {
    const char* env = std::getenv("KETTLE_ISA");
    if (env == nullptr || *env == '\0') return best_isa();
    Isa isa;
    try {
        isa = parse_isa(env);
    } catch (const Error&) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("KETTLE_ISA={}: expected scalar, avx2 or avx512", env));
    }
    if (!isa_supported(isa))
        throw Error(ErrorCode::invalid_input, fmt::format("KETTLE_ISA={}: this CPU does not support it", env));
    return isa;
}

std::atomic<int> g_isa{-1};

}  // namespace

std::string_view isa_name(Isa isa) noexcept {
    switch (isa) {
        case Isa::avx2: return "avx2";
        case Isa::avx512: return "avx512";
        case Isa::scalar: break;
    }
    return "scalar";
}

Isa parse_isa(std::string_view name) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})
        if (name == isa_name(isa)) return isa;
    throw Error(ErrorCode::invalid_input, fmt::format("unknown instruction set '{}': expected scalar, avx2 or avx512", name));
}

bool isa_supported(Isa isa) noexcept {
    __builtin_cpu_init();
    switch (isa) {
        case Isa::scalar: return true;
        case Isa::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case Isa::avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                   __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return false;
}

std::vector<Isa> supported_isas() {
    std::vector<Isa> out;
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})
        if (isa_supported(isa)) out.push_back(isa);
    return out;
}

Isa current_isa() {
    int v = g_isa.load(std::memory_order_acquire);
    if (v < 0) {
        const Isa chosen = initial_isa();
        int expected = -1;
        g_isa.compare_exchange_strong(expected, static_cast<int>(chosen), std::memory_order_acq_rel);
        v = g_isa.load(std::memory_order_acquire);
    }
    return static_cast<Isa>(v);
}

void set_isa(Isa isa) {
    if (!isa_supported(isa))
        throw Error(ErrorCode::invalid_input, fmt::format("set_isa: this CPU does not support {}", isa_name(isa)));
    g_isa.store(static_cast<int>(isa), std::memory_order_release);
}

namespace detail {
namespace {

template <class T>
const KernelTable<T>& table_of(Isa isa) {
    switch (isa) {
        case Isa::avx512: return avx512_kernel_table<T>();
        case Isa::avx2: return avx2_kernel_table<T>();
        case Isa::scalar: break;
    }
    return scalar_kernel_table<T>();
}

}  // namespace

template <class T>
void apply_kernel(KernelClass cls, std::complex<T>* psi, unsigned n, const unsigned* targets, unsigned k,
                  std::uint64_t ctrl_mask, std::uint64_t ctrl_value, const std::complex<T>* data,
                  const std::uint8_t* perm) {
    SiteLayout site;
    site.k = k;
    site.ctrl_value = ctrl_value;
    std::uint64_t mask = ctrl_mask;
    for (unsigned b = 0; b < k; ++b) mask |= std::uint64_t{1} << targets[b];
    site.count = 0;
    for (unsigned p = 0; p < 64; ++p)
        if (mask >> p & 1) site.positions[site.count++] = p;
    for (unsigned j = 0; j < (1u << k); ++j) {
        site.offsets[j] = 0;
        for (unsigned b = 0; b < k; ++b)
            if (j >> b & 1) site.offsets[j] |= std::uint64_t{1} << targets[b];
    }
    const std::uint64_t groups = std::uint64_t{1} << (n - site.count);

    // The SIMD tables need every site qubit above the qubits one register spans, and at least
    // one register's worth of groups; otherwise the scalar table runs the gate.
    const KernelTable<T>* table = &table_of<T>(current_isa());
    const unsigned lw = table->log2_width;
    if (lw > 0 && (site.positions[0] < lw || n - site.count < lw)) table = &scalar_kernel_table<T>();
    const unsigned w = table->log2_width;

    typename KernelTable<T>::Kernel kernel = cls == KernelClass::dense      ? table->dense[k - 1]
                                             : cls == KernelClass::diagonal ? table->diagonal[k - 1]
                                                                            : table->permutation[k - 1];
    // The thread threshold counts amplitudes touched, not vector groups.
    const std::uint64_t vgroups = groups >> w;
    const std::uint64_t per_vgroup = std::uint64_t{1} << (w + k);
    if (vgroups * per_vgroup < kParallelThreshold) {
        kernel(psi, site, data, perm, 0, vgroups);
        return;
    }
    const std::uint64_t grain = std::max<std::uint64_t>(1, (kParallelThreshold / 4) / per_vgroup);
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, vgroups, grain),
                      [&](const tbb::blocked_range<std::uint64_t>& r) { kernel(psi, site, data, perm, r.begin(), r.end()); });
}

template void apply_kernel(KernelClass, std::complex<float>*, unsigned, const unsigned*, unsigned, std::uint64_t,
                           std::uint64_t, const std::complex<float>*, const std::uint8_t*);
template void apply_kernel(KernelClass, std::complex<double>*, unsigned, const unsigned*, unsigned, std::uint64_t,
                           std::uint64_t, const std::complex<double>*, const std::uint8_t*);

}  // namespace detail
}  // namespace kettle
