// The one place where the instruction set is chosen and where gates meet the thread pool.

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <vector>

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

DenseProducts initial_dense_products() {
    const char* env = std::getenv("KETTLE_DENSE_PRODUCTS");
    if (env == nullptr || *env == '\0') {
        __builtin_cpu_init();
        return __builtin_cpu_is("amd") ? DenseProducts::three : DenseProducts::four;
    }
    try {
        return parse_dense_products(env);
    } catch (const Error&) {
        throw Error(ErrorCode::invalid_input, fmt::format("KETTLE_DENSE_PRODUCTS={}: expected four or three", env));
    }
}

std::atomic<int> g_dense_products{-1};

/// The choice held in `slot` (-1 until made), made by `initial()` on first use; a racing first
/// use keeps whichever choice was stored first.
template <class Choice, class Initial>
Choice chosen_once(std::atomic<int>& slot, Initial&& initial) {
    int v = slot.load(std::memory_order_acquire);
    if (v < 0) {
        int expected = -1;
        slot.compare_exchange_strong(expected, static_cast<int>(initial()), std::memory_order_acq_rel);
        v = slot.load(std::memory_order_acquire);
    }
    return static_cast<Choice>(v);
}

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

Isa current_isa() { return chosen_once<Isa>(g_isa, initial_isa); }

void set_isa(Isa isa) {
    if (!isa_supported(isa))
        throw Error(ErrorCode::invalid_input, fmt::format("set_isa: this CPU does not support {}", isa_name(isa)));
    g_isa.store(static_cast<int>(isa), std::memory_order_release);
}

std::string_view dense_products_name(DenseProducts products) noexcept {
    return products == DenseProducts::three ? "three" : "four";
}

DenseProducts parse_dense_products(std::string_view name) {
    for (DenseProducts p : {DenseProducts::four, DenseProducts::three})
        if (name == dense_products_name(p)) return p;
    throw Error(ErrorCode::invalid_input, fmt::format("unknown dense product form '{}': expected four or three", name));
}

DenseProducts dense_products() { return chosen_once<DenseProducts>(g_dense_products, initial_dense_products); }

void set_dense_products(DenseProducts products) noexcept {
    g_dense_products.store(static_cast<int>(products), std::memory_order_release);
}

namespace detail {

namespace {
/// The skewed and strip kernels' thresholds where the CPU is AMD's, the only one they were
/// measured on (on the Intel machine of earlier sessions the gates they replace ran at 1.3-1.5
/// times the read-modify-write pass already); never elsewhere.
std::size_t on_amd_only(std::size_t bytes) {
    __builtin_cpu_init();
    return __builtin_cpu_is("amd") ? bytes : std::numeric_limits<std::size_t>::max();
}

std::atomic<std::size_t> g_stream_far_half{kStreamFarHalfBytes}, g_one_stream{kOneStreamBytes},
    g_skewed{on_amd_only(kSkewedBytes)}, g_strips{on_amd_only(0)};
}

FarDistances far_distances() noexcept {
    return {g_stream_far_half.load(std::memory_order_relaxed), g_one_stream.load(std::memory_order_relaxed),
            g_skewed.load(std::memory_order_relaxed), g_strips.load(std::memory_order_relaxed)};
}

void set_far_distances(FarDistances distances) noexcept {
    g_stream_far_half.store(distances.stream_far_half, std::memory_order_relaxed);
    g_one_stream.store(distances.one_stream, std::memory_order_relaxed);
    g_skewed.store(distances.skewed, std::memory_order_relaxed);
    g_strips.store(distances.strips, std::memory_order_relaxed);
}

template <class T>
const KernelTable<T>& kernel_table(Isa isa, DenseProducts products) {
    switch (isa) {
        case Isa::avx512: return avx512_kernel_table<T>(products);
        case Isa::avx2: return avx2_kernel_table<T>(products);
        case Isa::scalar: break;
    }
    return scalar_kernel_table<T>();
}
template const KernelTable<float>& kernel_table(Isa, DenseProducts);
template const KernelTable<double>& kernel_table(Isa, DenseProducts);

void layout_site(SiteLayout& site, const unsigned* targets, unsigned k, std::uint64_t mask, std::uint64_t ctrl_value) {
    site.k = k;
    site.ctrl_value = ctrl_value;
    site.count = 0;
    site.site_mask = mask;
    // Set bits only: a loop over all 64 positions, its branch mispredicted, was three quarters of
    // preparing a gate (perf, kettle::run on 10 qubits).
    for (std::uint64_t m = mask; m != 0; m &= m - 1) site.positions[site.count++] = unsigned(std::countr_zero(m));
    for (unsigned j = 0; j < (1u << k); ++j) {
        site.offsets[j] = 0;
        for (unsigned b = 0; b < k; ++b)
            if (j >> b & 1) site.offsets[j] |= std::uint64_t{1} << targets[b];
    }
}

namespace {

/// Runs kernel(begin, end) over `count` vector groups of `per_group` amplitudes each, on the
/// thread pool when the amplitudes touched pass the threshold.
template <class Kernel>
void run_groups(std::uint64_t count, std::uint64_t per_group, Kernel&& kernel) {
    if (count * per_group < kParallelThreshold) {
        kernel(std::uint64_t{0}, count);
        return;
    }
    const std::uint64_t grain = std::max<std::uint64_t>(1, (kParallelThreshold / 4) / per_group);
    parallel_range(count, grain, kernel);
}

/// The gate's matrix as dense 2^k x 2^k, whatever its class.
template <class T>
std::vector<std::complex<T>> dense_of(KernelClass cls, unsigned k, const std::complex<T>* data, const std::uint8_t* perm) {
    const unsigned d = 1u << k;
    std::vector<std::complex<T>> m(std::size_t(d) * d);
    for (unsigned j = 0; j < d; ++j) {
        switch (cls) {
            case KernelClass::dense:
                for (unsigned r = 0; r < d; ++r) m[r * d + j] = data[r * d + j];
                break;
            case KernelClass::diagonal: m[j * d + j] = data[j]; break;
            case KernelClass::permutation: m[perm[j] * d + j] = data[j]; break;
        }
    }
    return m;
}

/// The kernel for a dense 1- or 2-qubit matrix m whose entries are all real, or (1 qubit)
/// real on the diagonal and imaginary off it, with L targets inside the register
/// (KernelTable::dense_real, dense_rx), or (1 qubit, none inside) whose diagonal or
/// off-diagonal entries are each real or imaginary (dense_two_complex); null for any other matrix.
template <class T>
typename KernelTable<T>::Kernel split_entries_kernel(const KernelTable<T>& table, const std::complex<T>* m, unsigned k,
                                                     unsigned L) {
    if (k > 2) return nullptr;
    bool real = true;
    for (unsigned e = 0; e < (1u << (2 * k)); ++e) real = real && m[e].imag() == T(0);
    if (real) return table.dense_real[L][k - 1];
    if (k == 1 && m[0].imag() == T(0) && m[3].imag() == T(0) && m[1].real() == T(0) && m[2].real() == T(0))
        return table.dense_rx[L];
    if (k != 1 || L != 0) return nullptr;
    const auto split = [](std::complex<T> z) { return z.real() == T(0) || z.imag() == T(0); };
    const auto imaginary = [](std::complex<T> z) { return z.real() == T(0) ? 1 : 0; };
    if (split(m[1]) && split(m[2])) return table.dense_two_complex[imaginary(m[1]) + 2 * imaginary(m[2])];
    if (split(m[0]) && split(m[3])) return table.dense_two_complex[4 + imaginary(m[0]) + 2 * imaginary(m[3])];
    return nullptr;
}

}  // namespace

template <class T>
void PreparedGate<T>::prepare(KernelClass cls, unsigned n, const unsigned* targets, unsigned k,
                              std::uint64_t ctrl_mask, std::uint64_t ctrl_value, const C* data,
                              const std::uint8_t* perm, Data keep) {
    table_ = &kernel_table<T>(current_isa());
    kernel_ = nullptr;
    low_fixed_ = nullptr;
    skewed_ = nullptr;
    ring_bytes_ = 0;
    matrix_ = nullptr;
    blocks_ = 0;
    data_.clear();
    coefs_.clear();
    dense_coefs_.clear();
    terms_.clear();
    term_begin_.clear();
    deltas_.clear();
    diagonal_kinds_.clear();
    std::uint64_t mask = ctrl_mask;
    for (unsigned b = 0; b < k; ++b) mask |= std::uint64_t{1} << targets[b];
    const unsigned lw = table_->log2_width;
    unsigned moved[kMaxTargets], inside = 0;  // targets inside the register, when exchanged
    typename KernelTable<T>::Kernel exchanged = nullptr;
    if (lw > 0 && n >= lw && (mask & ((std::uint64_t{1} << lw) - 1)) != 0) {
        for (unsigned b = 0; b < k; ++b) inside += targets[b] < lw ? 1u : 0u;
        if (cls == KernelClass::dense) exchanged = exchange_targets(n, targets, k, mask, ctrl_mask, data, moved);
        if (exchanged == nullptr) {
            prepare_low(cls, n, targets, k, ctrl_mask, ctrl_value, data, perm);
            return;
        }
        // From here on a gate on the free qubits, its matrix permuted into data_.
        targets = moved;
        mask = ctrl_mask;
        for (unsigned b = 0; b < k; ++b) mask |= std::uint64_t{1} << moved[b];
    }
    layout_site(site_, targets, k, mask, ctrl_value);
    // A state smaller than one register runs on the scalar table (never an exchanged gate: its
    // site lies above the register).
    if (n - site_.count < lw) table_ = &scalar_kernel_table<T>();
    const unsigned w = table_->log2_width, d = 1u << k;
    const bool in_cache = (sizeof(C) << n) <= kInCacheBytes;
    kernel_ = exchanged != nullptr               ? exchanged
              : cls == KernelClass::dense    ? (in_cache ? table_->dense_in_cache : table_->dense)[k - 1]
              : cls == KernelClass::diagonal ? table_->diagonal[k - 1]
                                             : table_->permutation[k - 1];
    if (exchanged != nullptr) {
        matrix_ = data_.data();
    } else if (keep == Data::borrow) {
        matrix_ = data;
    } else {
        data_.assign(data, data + (cls == KernelClass::dense ? std::size_t(d) * d : d));
        matrix_ = data_.data();
    }
    if (cls == KernelClass::dense)
        if (const auto split = split_entries_kernel(*table_, matrix_, k, exchanged != nullptr ? inside : 0)) kernel_ = split;
    // Far targets: the skewed kernels, for permutations only where every amplitude moves or
    // changes phase (permutation_kernel skips the others: half of a SWAP's), and the strip
    // kernels, which skip them themselves.
    const unsigned highest = *std::max_element(targets, targets + k);
    bool all_move = true;  // every row of a permutation moves or changes phase
    if (cls == KernelClass::permutation)
        for (unsigned j = 0; j < d; ++j) all_move = all_move && (perm[j] != j || matrix_[j] != C(1));
    const auto skewed = cls == KernelClass::dense ? table_->dense_skewed[k - 1]
                        : cls == KernelClass::permutation ? table_->permutation_skewed[k - 1]
                                                          : nullptr;
    if (skewed != nullptr && exchanged == nullptr) {
        const bool steps_contiguous = (site_.site_mask & (kSkewLagBytes / sizeof(C) - 1)) == 0;
        if (all_move && steps_contiguous && (sizeof(C) << highest) >= far_distances().skewed) {
            skewed_ = skewed;
            ring_bytes_ = skewed_ring_bytes(k);
        }
    }
    const auto strips = cls == KernelClass::permutation ? table_->permutation_strips[k - 1] : nullptr;
    const bool strips_contiguous = (site_.site_mask & (kStripBytes / sizeof(C) - 1)) == 0;
    if (strips != nullptr && strips_contiguous && (sizeof(C) << highest) >= far_distances().strips) {
        skewed_ = strips;
        ring_bytes_ = kStripBytes;
    }
    if (perm != nullptr) std::copy(perm, perm + d, perm_.begin());
    groups_ = (std::uint64_t{1} << (n - site_.count)) >> w;
    per_group_ = std::uint64_t{1} << (w + k);
    // A permutation of 4 targets or more out of cache, without controls, that moves or changes
    // the phase of every row, whose site lies within blocks of kPermutationBlockBytes: a block
    // at a time, in address order. bench_kernels at n = 26 (BM_ApplyLowQubits/class:permutation,
    // qubits 3..k + 2, three alternating rounds against the build before): k = 5 46.8-57.4 ->
    // 24.9-43.8 ms in double, 22-28 -> 15-22 in single; k = 4 35.8-47.0 -> 24.5-43.9 in
    // double. k = 3 gained nothing, states in cache ran slower (n = 16: 21-31 against 15-17 us),
    // and so did gates that leave rows or controlled amplitudes alone, which the group kernel
    // skips and the block kernel reads (a 4-qubit swap of two rows with two controls 2.6 ->
    // 18.7 ms, one thread, n = 25 in double, a reviewer's scratch test).
    const unsigned site_top = 63 - unsigned(std::countl_zero(site_.site_mask));
    if (cls == KernelClass::permutation && k >= 4 && !in_cache && all_move && site_.count == k && skewed_ == nullptr &&
        table_->permutation_blocks != nullptr && (sizeof(C) << (site_top + 1)) <= kPermutationBlockBytes) {
        kernel_ = table_->permutation_blocks;
        groups_ = std::uint64_t{1} << (n - site_top - 1);
        per_group_ = std::uint64_t{2} << site_top;
    }
    // A diagonal gate out of cache with two entries or more other than 1 (diagonal_kernel
    // takes a group's amplitudes of those as that many streams) whose site does not lie wholly
    // kOneStreamBytes up (there diagonal_kernel takes one stream at a time already): one pass
    // in address order. With one such entry (CZ, CP, CCZ) diagonal_kernel's one stream ran
    // faster than the sweep where its runs are short: a CP on qubits 2 and 3 of 24 in double
    // 3.1 ms against 4.3, on 3 and 20 4.3 against 5.4 (a scratch harness, one thread per run).
    const std::uint64_t one_stream = std::max<std::size_t>(1, far_distances().one_stream / sizeof(C));
    if (cls == KernelClass::diagonal && !in_cache && (site_.site_mask & (one_stream - 1)) != 0 &&
        std::count_if(matrix_, matrix_ + d, [](const C& e) { return e != C(1); }) >= 2) {
        kernel_ = table_->diagonal_sweep;
        const SweepRuns runs = sweep_runs(site_, matrix_);
        groups_ = std::uint64_t{1} << (n - runs.p - unsigned(std::popcount(runs.mask)));
        per_group_ = std::uint64_t{1} << runs.p;
    }
}

template <class T>
std::size_t PreparedGate<T>::capacity_bytes() const noexcept {
    return data_.capacity() * sizeof(C) + (coefs_.capacity() + dense_coefs_.capacity()) * sizeof(T) +
           terms_.capacity() * sizeof(typename LowSiteGate<T>::Term) +
           (term_begin_.capacity() + deltas_.capacity()) * sizeof(unsigned) + diagonal_kinds_.capacity();
}

/// A dense gate's targets inside the register, read as if each had been swapped with a free
/// qubit just above the register: the state with those qubits swapped, S psi, takes the gate on
/// the free qubits instead, and S G' S = G. The kernel performs S on each group's registers as
/// it loads them and again as it stores them (V::exchange: per exchanged target, one
/// two-source shuffle per register each way), so the gate runs as a gate on high qubits. The
/// in-register kernel (prepare_low) forms every lane exchange of every input and reads a
/// coefficient register per product: a 5-qubit gate with a target on qubit 0 made 0.17 of the
/// read-modify-write pass on AVX-512 (bench_kernels' BM_ApplyLow at b5819ba), where its
/// targets all high made 0.52.
/// The exchanged targets come first, with the matrix's indices permuted to match, so that the
/// kernel's partners are registers j and j | 2^i of a group.
template <class T>
typename KernelTable<T>::Kernel PreparedGate<T>::exchange_targets(unsigned n, const unsigned* targets, unsigned k,
                                                                  std::uint64_t mask, std::uint64_t ctrl_mask,
                                                                  const C* data, unsigned* moved) {
    const unsigned lw = table_->log2_width;
    const std::uint64_t low_mask = (std::uint64_t{1} << lw) - 1;
    if (k > kMaxExchangedTargets || (ctrl_mask & low_mask) != 0) return nullptr;
    // Matrix bit of new target i: the low targets first, then the high ones, each in order.
    unsigned order[kMaxTargets], kl = 0;
    for (unsigned b = 0; b < k; ++b)
        if (targets[b] < lw) order[kl++] = b;
    for (unsigned b = 0, i = kl; b < k; ++b)
        if (targets[b] >= lw) order[i++] = b;
    if (kl == 0) return nullptr;  // the caller found a site qubit inside the register: a control
    const auto kernel = table_->dense_exchanged[kl - 1][k - 1];
    if (kernel == nullptr) return nullptr;
    for (unsigned b = 0; b < k; ++b) moved[b] = targets[order[b]];
    // The lowest free qubits above the register: partners a few cache lines apart.
    for (unsigned i = 0, q = lw; i < kl; ++i, ++q) {
        while (q < n && (mask >> q & 1) != 0) ++q;
        if (q >= n) return nullptr;
        site_.exchanged_lanes[i] = 1u << moved[i];
        moved[i] = q;
    }
    const unsigned d = 1u << k;
    auto original = [&](unsigned j) {
        unsigned o = 0;
        for (unsigned b = 0; b < k; ++b) o |= (j >> b & 1u) << order[b];
        return o;
    };
    data_.resize(std::size_t(d) * d);
    for (unsigned r = 0; r < d; ++r)
        for (unsigned c = 0; c < d; ++c) data_[std::size_t(r) * d + c] = data[std::size_t(original(r)) * d + original(c)];
    return kernel;
}

/// The in-register form of a gate for registers of 2^lw complex numbers (see LowSiteGate).
/// Lane l holds the amplitude with low bits l; a lane whose low controls do not hold keeps
/// its amplitude.
template <class T>
void PreparedGate<T>::prepare_low(KernelClass cls, unsigned n, const unsigned* targets, unsigned k,
                                  std::uint64_t ctrl_mask, std::uint64_t ctrl_value, const C* data,
                                  const std::uint8_t* perm) {
    const unsigned lw = table_->log2_width, W = 1u << lw;
    const std::uint64_t low_mask = (std::uint64_t{1} << lw) - 1;
    unsigned high[kMaxTargets], low_index[kMaxTargets], high_index[kMaxTargets];
    unsigned kh = 0, kl = 0;
    std::uint64_t low_targets = 0;
    for (unsigned b = 0; b < k; ++b) {
        if (targets[b] >= lw) {
            high_index[kh] = b;
            high[kh++] = targets[b];
        } else {
            low_index[kl++] = b;
            low_targets |= std::uint64_t{1} << targets[b];
        }
    }
    std::uint64_t high_mask = ctrl_mask & ~low_mask;
    for (unsigned b = 0; b < kh; ++b) high_mask |= std::uint64_t{1} << high[b];
    layout_site(site_, high, kh, high_mask, ctrl_value & ~low_mask);

    const unsigned d = 1u << k, blocks = 1u << kh;
    // Row or column index of the full matrix from a high-target block and a lane.
    auto index = [&](unsigned block, unsigned lane) {
        unsigned j = 0;
        for (unsigned b = 0; b < kh; ++b) j |= (block >> b & 1u) << high_index[b];
        for (unsigned b = 0; b < kl; ++b) j |= (lane >> targets[low_index[b]] & 1u) << low_index[b];
        return j;
    };
    auto active = [&](unsigned lane) { return (lane & ctrl_mask & low_mask) == (ctrl_value & low_mask); };
    blocks_ = blocks;
    groups_ = std::uint64_t{1} << (n - lw - site_.count);
    per_group_ = std::uint64_t{W} << kh;
    if (cls == KernelClass::diagonal && table_->low_diagonal != nullptr) {
        prepare_low_diagonal(data, blocks, W, index, active);
        return;
    }

    const std::vector<C> m = dense_of(cls, k, data, perm);

    auto coefficient = [&](unsigned r, unsigned c, unsigned delta, unsigned lane) -> C {
        if (active(lane)) return m[index(r, lane) * d + index(c, lane ^ delta)];
        return r == c && delta == 0 ? C(1) : C(0);
    };
    // The lane exchanges: the subsets of the low targets that some coefficient needs, ascending
    // (0 first, always). A diagonal or permutation block needs few of them, and each one costs
    // a permute of every input block.
    deltas_.assign(1, 0);
    for (unsigned delta = 1; delta < W; ++delta) {
        if ((delta & ~low_targets) != 0) continue;
        bool needed = false;
        for (unsigned r = 0; r < blocks && !needed; ++r)
            for (unsigned c = 0; c < blocks && !needed; ++c)
                for (unsigned lane = 0; lane < W && !needed; ++lane) needed = coefficient(r, c, delta, lane) != C(0);
        if (needed) deltas_.push_back(delta);
    }
    const unsigned nd = unsigned(deltas_.size());
    // At most blocks^2 * nd terms of 4W numbers each; sized once.
    coefs_.reserve(std::size_t(blocks) * blocks * nd * 4 * W);
    std::vector<std::size_t> coef_at;
    term_begin_.assign(1, 0);
    std::array<C, 16> lane_coef;
    for (unsigned r = 0; r < blocks; ++r) {
        for (unsigned c = 0; c < blocks; ++c)
            for (unsigned di = 0; di < nd; ++di) {
                const unsigned delta = deltas_[di];
                bool nonzero = false;
                for (unsigned lane = 0; lane < W; ++lane) {
                    lane_coef[lane] = coefficient(r, c, delta, lane);
                    nonzero = nonzero || lane_coef[lane] != C(0);
                }
                if (!nonzero) continue;
                coef_at.push_back(coefs_.size());
                for (unsigned lane = 0; lane < W; ++lane) coefs_.insert(coefs_.end(), 2, lane_coef[lane].real());
                for (unsigned lane = 0; lane < W; ++lane) coefs_.insert(coefs_.end(), 2, lane_coef[lane].imag());
                terms_.push_back({c * nd + di, nullptr});
            }
        term_begin_.push_back(unsigned(terms_.size()));
    }
    for (std::size_t t = 0; t < terms_.size(); ++t) terms_[t].coef = coefs_.data() + coef_at[t];
    // Gates of up to 4 blocks and 4 lane exchanges (every 1- and 2-qubit gate), or of up to 16
    // blocks and 2 lane exchanges (up to 5 qubits with one in the register), take the kernel
    // specialised on those counts, with every coefficient in order, zeros included.
    const unsigned a = unsigned(std::countr_zero(blocks)), b = unsigned(std::countr_zero(nd));
    if (a <= 4 && b <= 2 && std::has_single_bit(nd) && table_->low_fixed[a][b] != nullptr) {
        low_fixed_ = table_->low_fixed[a][b];
        dense_coefs_.assign(std::size_t(blocks) * blocks * nd * 4 * W, T(0));
        std::size_t t = 0;
        for (unsigned r = 0; r < blocks; ++r)
            for (; t < term_begin_[r + 1]; ++t) {
                const unsigned c = terms_[t].input / nd, di = terms_[t].input % nd;
                std::copy(terms_[t].coef, terms_[t].coef + 4 * W,
                          dense_coefs_.begin() + std::ptrdiff_t(((std::size_t(r) * blocks + c) * nd + di) * 4 * W));
            }
    }
}

/// The in-register form of a diagonal gate, built directly: block r's one term is block r
/// itself, its lane l the entry of row index(r, l) where the low controls hold and 1 elsewhere.
/// (Going through the general form, with its dense matrix and its search for lane exchanges,
/// made preparing a CZ with a qubit inside the register cost more than running it on 10
/// qubits.) Each block is marked for low_diagonal_kernel: all 1 (skipped), real +1 or -1 (a
/// product by the real parts alone), or general.
template <class T>
template <class Index, class Active>
void PreparedGate<T>::prepare_low_diagonal(const C* data, unsigned blocks, unsigned W, Index&& index,
                                           Active&& active) {
    low_fixed_ = table_->low_diagonal;
    deltas_.assign(1, 0);
    coefs_.resize(std::size_t(blocks) * 4 * W);
    terms_.resize(blocks);
    diagonal_kinds_.resize(blocks);
    for (unsigned r = 0; r < blocks; ++r) {
        T* coef = coefs_.data() + std::size_t(r) * 4 * W;
        bool ones = true, signs = true;
        for (unsigned lane = 0; lane < W; ++lane) {
            const C e = active(lane) ? data[index(r, lane)] : C(1);
            coef[2 * lane] = coef[2 * lane + 1] = e.real();
            coef[2 * W + 2 * lane] = coef[2 * W + 2 * lane + 1] = e.imag();
            ones = ones && e == C(1);
            signs = signs && (e == C(1) || e == C(-1));
        }
        terms_[r] = {r, coef};
        diagonal_kinds_[r] = ones ? LowSiteGate<T>::identity : signs ? LowSiteGate<T>::signs : LowSiteGate<T>::general;
    }
}

/// The calling thread's scratch of at least `bytes` (64-byte aligned) for the skewed kernels:
/// kept for the thread's life (with oneTBB, the same workers run gate after gate; the plain
/// thread backend starts new threads per loop and allocates it each time).
template <class T>
T* thread_ring(std::size_t bytes) {
    thread_local CacheAlignedVector<T> ring;
    if (ring.size() * sizeof(T) < bytes) ring.resize(bytes / sizeof(T));
    return ring.data();
}

template <class T>
void PreparedGate<T>::run(C* psi, bool parallel) const {
    auto body = [&](std::uint64_t b, std::uint64_t e) {
        if (skewed_ != nullptr) {
            skewed_(psi, site_, matrix_, perm_.data(), thread_ring<T>(ring_bytes_), b, e);
        } else if (kernel_ != nullptr) {
            kernel_(psi, site_, matrix_, perm_.data(), b, e);
        } else {
            const LowSiteGate<T> gate{blocks_,        unsigned(deltas_.size()), dense_coefs_.data(), deltas_.data(),
                                      term_begin_.data(), terms_.data(),           diagonal_kinds_.data()};
            (low_fixed_ != nullptr ? low_fixed_ : table_->low)(psi, site_, gate, b, e);
        }
    };
    if (parallel)
        run_groups(groups_, per_group_, body);
    else
        body(0, groups_);
}

template class PreparedGate<float>;
template class PreparedGate<double>;

template <class T>
void apply_kernel(KernelClass cls, std::complex<T>* psi, unsigned n, const unsigned* targets, unsigned k,
                  std::uint64_t ctrl_mask, std::uint64_t ctrl_value, const std::complex<T>* data,
                  const std::uint8_t* perm) {
    constexpr auto borrow = PreparedGate<T>::Data::borrow;
    // Each thread prepares its gates in one PreparedGate: constructing and destroying one per
    // gate, and allocating the tables of gates inside the register, was about 5% of
    // kettle::run on a 10-qubit state (BM_SmallCircuit/n:10/run). While it runs, this thread
    // may take another task of an enclosing parallel loop that applies a gate too (oneTBB's
    // work stealing): that one gets a gate of its own.
    thread_local PreparedGate<T> gate;
    thread_local bool busy = false;
    if (busy) {
        PreparedGate<T>(cls, n, targets, k, ctrl_mask, ctrl_value, data, perm, borrow).run(psi, true);
        return;
    }
    busy = true;
    struct Release {
        ~Release() {
            // The tables of a wide gate inside the register can reach megabytes: not kept.
            if (gate.capacity_bytes() > (std::size_t{64} << 10)) gate = PreparedGate<T>();
            busy = false;
        }
    } release;
    gate.prepare(cls, n, targets, k, ctrl_mask, ctrl_value, data, perm, borrow);
    gate.run(psi, true);
}

template void apply_kernel(KernelClass, std::complex<float>*, unsigned, const unsigned*, unsigned, std::uint64_t,
                           std::uint64_t, const std::complex<float>*, const std::uint8_t*);
template void apply_kernel(KernelClass, std::complex<double>*, unsigned, const unsigned*, unsigned, std::uint64_t,
                           std::uint64_t, const std::complex<double>*, const std::uint8_t*);

}  // namespace detail
}  // namespace kettle
