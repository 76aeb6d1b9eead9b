#pragma once
// The kernel layer: every gate lowers to one of three kernel classes (dense, diagonal,
// permutation), each optionally controlled. A KernelTable holds one implementation of each
// class and arity for one instruction set; the table is chosen at run time in one place
// (dispatch.cpp).
//
// Per-ISA translation units are compiled with their own flags. So that no code compiled with
// AVX flags can be picked by the linker for a generic caller, the ISA units export only plain
// functions over a range of group indices; the thread loop and all library templates live in
// generic code (dispatch.cpp).

#include <array>
#include <bit>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cache_aligned.hpp"
#include "kettle/isa.hpp"

namespace kettle::detail {

/// The largest target count of one kernel call.
inline constexpr unsigned kMaxTargets = 6;
/// States of at most this many bytes take KernelTable::dense_in_cache: they stay in the L2 (or
/// L3) cache from gate to gate, as a cache-blocked pass's 1 MiB chunks do.
inline constexpr std::size_t kInCacheBytes = std::size_t{2} << 20;
/// 1-qubit gates (dense, with real or imaginary entries, and permutations: X, Y and their
/// controlled forms) whose pairs' amplitudes lie this many bytes apart or more write the
/// upper one of each pair with streaming stores. On the Zen 4 machine two
/// streams a power of two of 64 MiB or more apart ran memory at up to half its rate (4 KiB
/// further apart at the sequential rate), the write-backs above all. Not the DRAM banks: the
/// state's huge pages lie scattered in physical memory, and through a second mapping of the
/// same memory the pass ran at the sequential rate (bench_kernels' BM_MemoryRMWPairs/view:1),
/// so what collides is the two streams' virtual addresses (presumably in a core's L1, whose
/// way predictor tags lines by virtual address; this VM has no counters to tell). With the
/// upper half streamed out at once, the lower half's write-backs and the
/// upper half's stores no longer meet. bench_kernels' BM_ApplyAt/class:dense/k:1 at n = 26,
/// alternating runs: the highest two qubits 50 -> 35-43 ms in double (256 MiB), qubit 23 31 ->
/// 22-24 ms in double and qubits 23-24 14 -> 11 ms in single (64-128 MiB), where the memory
/// ran in its faster mode (in its slower one, 39-41 ms, unchanged); at n = 28 in double
/// qubits 25-27 198 -> 141 ms. Two far targets (4 streams) gained little from it in a
/// scratch test, so wider gates keep their stores.
inline constexpr std::size_t kStreamFarHalfBytes = std::size_t{64} << 20;
/// A diagonal gate whose targets and controls all lie this many bytes up or more takes each
/// entry's amplitudes in turn over the whole range, one stream at a time in long contiguous
/// runs, instead of all of a group's amplitudes together (one stream per entry, as far apart
/// as the targets). On the Zen 4 machine, n = 26, the diagonal gates on the highest qubits
/// (bench_kernels' BM_Apply/class:diagonal, k = 1..5, with and without a control) took
/// 50-120 ms in double before and 21-22 ms after (the read-modify-write pass: 21 ms in that
/// mode), 26-42 and 10-11 ms in single, two alternating runs.
inline constexpr std::size_t kOneStreamBytes = std::size_t{64} << 10;
/// Dense gates of 2 and 3 qubits and permutations of 2 to 4 that move every amplitude or change
/// its phase, whose highest target lies this many bytes up or more (and no site bit below
/// kSkewLagBytes), run by a skewed kernel (KernelTable::dense_skewed, permutation_skewed; see
/// skewed_rows): each group's registers are read where they lie, but the kernel prefetches the
/// rows (one per target combination) and writes them back each kSkewLagBytes behind the one
/// before, through a ring in cache, so that no two rows are read or written at addresses a
/// power of two apart at the same time. On the Zen 4 machine four streams 256 MiB apart, as a
/// 2-qubit gate on the highest qubits of 2^26 double amplitudes makes, ran a read-modify-write
/// at half the rate of one stream or less, and at 0.86-0.92 of it with 512 bytes between them
/// (bench_kernels' BM_MemoryRMWStreams against BM_MemoryRMW, n = 26, one run). What
/// decides is the highest target, the span of the rows, not the lowest: bench_kernels'
/// BM_ApplySkewed at n = 26 (one run, skew:0 against skew:1, ms) gave, in double, dense k = 2
/// on qubits 22-23 (highest 128 MiB up) 30.7 -> 38.3, on 23-24 (256 MiB) 47.3 -> 43.5, on
/// 24-25 68.2 -> 45.8; k = 3 on 21-23 44.3 -> 50.5, on 22-24 54.0 -> 52.4; permutations k = 2
/// on 22-23 23.0 -> 33.7, on 23-24 38.5 -> 36.4; k = 3 on 21-23 23.5 -> 34.7, on 22-24 44.9 ->
/// 36.8; k = 4 on 20-23 33 -> 57, on 21-24 50 -> 50, on 22-25 74 -> 44; in single (half the
/// bytes) dense k = 2 on 23-24 15.3 -> 18.1, on 24-25 23.7 -> 22.7, permutations k = 3 on 22-24
/// 20.5 -> 19.8, on 23-25 23.1 -> 19.3 (the 3-qubit dense gate there 26.6 -> 27.6).
inline constexpr std::size_t kSkewedBytes = std::size_t{256} << 20;
/// Permutations of 5 and 6 targets, all site bits at least this many bytes up, run strip by
/// strip (KernelTable::permutation_strips, see permutation_strips_kernel): this many bytes of
/// each row at a time, two rows at a time along the permutation's cycles, instead of all 32 or
/// 64 rows of a group together (as many streams, as far apart as the targets). On the Zen 4
/// machine, bench_kernels at n = 26 in double, two alternating rounds: the 5-qubit cycle on the
/// highest qubits (BM_Apply/class:permutation/k:5/controls:0) 99-105 -> 50-52 ms, in single
/// 29-31 -> 23 ms; BM_ApplySkewed (plain against strips, one run) on qubits 19-23, 20-24 and
/// 21-25: 52-63 -> 46-48 ms, 96 -> 52 at the top, and 6 targets 70-109 -> 48-52 ms; in a
/// scratch build also on qubits 9-13, 14-18 and 17-21, 52-55 -> 45-46 ms. 2, 4, 8 or 16 KiB
/// strips, and prefetching the source 0, 1, 2 or 4 steps ahead, ran alike (47-51 ms; a scratch
/// build): about the rate of a 1-qubit gate on the highest qubit, two streams a power of two
/// apart. In cache too (n = 16, the highest qubits): 38 -> 16 us in double, 22 -> 10-11 in
/// single; a group's 32 rows there share one set of the 8-way L1.
inline constexpr std::size_t kStripBytes = 4096;
/// Permutations of 4 targets or more out of cache, without controls and moving or changing
/// the phase of every row, whose site qubits all lie below this many bytes go a block at a time
/// (KernelTable::permutation_blocks): each block read into L1 in address order and written back
/// in address order.
inline constexpr std::size_t kPermutationBlockBytes = 8192;
/// How far behind each row of a skewed kernel runs the one before it.
inline constexpr std::size_t kSkewLagBytes = 256;
/// The scratch a skewed kernel needs for k targets on each thread: a ring of 2^k steps of 2^k
/// rows (4 KiB for 2 targets, 16 KiB for 3, 64 KiB for 4).
[[nodiscard]] constexpr std::size_t skewed_ring_bytes(unsigned k) noexcept {
    return (std::size_t{1} << (2 * k)) * kSkewLagBytes;
}
/// The distances in force: the constants above (the skewed and strip ones on AMD's CPUs only, SIZE_MAX
/// elsewhere: never), or what a test set (so that small states run those kernels too). Powers
/// of two, 0 (every distance far) or SIZE_MAX.
struct FarDistances {
    std::size_t stream_far_half = kStreamFarHalfBytes;
    std::size_t one_stream = kOneStreamBytes;
    std::size_t skewed = kSkewedBytes;
    /// The strip kernels' height of the highest target: 0, every height (their own condition,
    /// every site bit kStripBytes up, still holds).
    std::size_t strips = 0;
};
[[nodiscard]] FarDistances far_distances() noexcept;
void set_far_distances(FarDistances distances) noexcept;
/// The most qubits one register spans (8 complex floats on AVX-512), and so the most targets a
/// dense kernel exchanges with qubits above the register.
inline constexpr unsigned kMaxExchanged = 3;
/// The widest dense gate with an exchanged form.
inline constexpr unsigned kMaxExchangedTargets = 5;

/// i with a zero bit inserted at each position set in `mask`, lowest first (so that earlier
/// insertions do not move later positions): the index of the i-th of the indices whose `mask`
/// bits are clear.
[[nodiscard]] inline std::uint64_t insert_zero_bits(std::uint64_t i, std::uint64_t mask) noexcept {
    for (; mask != 0; mask &= mask - 1) {
        const unsigned p = unsigned(std::countr_zero(mask));
        i = ((i >> p) << (p + 1)) | (i & ((std::uint64_t{1} << p) - 1));
    }
    return i;
}

/// The index after `index` among those whose `fixed` bits equal `value` and whose low
/// `log2_step` bits are clear: the fixed and the low bits are set so that the carry runs
/// through them, then the fixed bits are restored.
[[nodiscard]] inline std::uint64_t next_with_fixed(std::uint64_t index, std::uint64_t fixed, std::uint64_t value,
                                                   unsigned log2_step) noexcept {
    const std::uint64_t carry = fixed | ((std::uint64_t{1} << log2_step) - 1);
    return (((index | carry) + 1) & ~fixed) | value;
}

/// Where a kernel acts, precomputed once per gate. The m site positions (targets and controls,
/// ascending) are the bits fixed in each group; `offsets[j]` is the distance of amplitude j of
/// a group from its base (bit b of j set means target b is 1).
struct SiteLayout {
    unsigned positions[64];
    unsigned count;
    std::uint64_t ctrl_value;
    std::uint64_t offsets[1u << kMaxTargets];
    unsigned k;
    std::uint64_t site_mask;  ///< the site positions as a mask
    /// For the exchanged dense kernels only: target i (i < L) stands for the qubit of lane bit
    /// exchanged_lanes[i] inside the register (see PreparedGate).
    unsigned exchanged_lanes[kMaxExchanged];

    /// Base index of group i: zero bits inserted at every site position, then the control
    /// values ORed in.
    [[nodiscard]] std::uint64_t base(std::uint64_t i) const noexcept {
        return insert_zero_bits(i, site_mask) | ctrl_value;
    }
    /// The base after `base` when groups are visited `2^log2_step` at a time: the free bits
    /// count up by 2^log2_step.
    [[nodiscard]] std::uint64_t next_base(std::uint64_t base, unsigned log2_step) const noexcept {
        return next_with_fixed(base, site_mask, ctrl_value, log2_step);
    }
};

/// Fills `site` for the qubits in `mask` (targets and controls), targets `targets` (k of them,
/// bit j of an offset's index standing for targets[j]) and the controls' values `ctrl_value`.
void layout_site(SiteLayout& site, const unsigned* targets, unsigned k, std::uint64_t mask, std::uint64_t ctrl_value);

/// What KernelTable::diagonal_sweep visits of a diagonal gate (`data`, its 2^k entries) on
/// `site`: the runs of 2^p amplitudes (p the lowest site qubit) whose site bits in `mask` have
/// the values in `value`: the controls', and each target's whose value every entry other than 1
/// shares. A CZ or a controlled phase visits a quarter of the runs.
struct SweepRuns {
    unsigned p;
    std::uint64_t mask, value;
};
template <class T>
[[nodiscard]] SweepRuns sweep_runs(const SiteLayout& site, const std::complex<T>* data) noexcept {
    SweepRuns runs{site.positions[0], site.site_mask, site.ctrl_value};
    unsigned ones = ~0u, zeros = ~0u;  // target bits set, and clear, in every entry other than 1
    for (unsigned j = 0; j < (1u << site.k); ++j)
        if (data[j] != std::complex<T>(1)) {
            ones &= j;
            zeros &= ~j;
        }
    for (unsigned b = 0; b < site.k; ++b) {
        const std::uint64_t bit = site.offsets[1u << b];
        runs.mask &= ((ones | zeros) >> b & 1u) != 0 ? ~std::uint64_t{0} : ~bit;
        if ((ones >> b & 1u) != 0) runs.value |= bit;
    }
    return runs;
}

/// A gate whose site reaches into the qubits one register spans (below log2 W), prepared for the
/// in-register kernel. Lane l of a register is the amplitude whose low bits are l. For each
/// output block r of the high targets, the terms (input, coef): out[r] += coef (lane-wise
/// complex) * x, x the input block with its lanes exchanged (lane l takes lane l ^ delta);
/// `coef` points at 2 registers' worth of T, real parts then imaginary parts, each duplicated
/// into both halves of its complex lane, so out[r] += coef_re x + coef_im (i x). The
/// SiteLayout passed with it covers only the high site qubits.
template <class T>
struct LowSiteGate {
    struct Term {
        unsigned input;  ///< input block c with lanes exchanged by deltas[d]: c * num_deltas + d
        const T* coef;
    };
    unsigned blocks;              ///< 2^(high targets)
    unsigned num_deltas;          ///< lane exchanges used: every subset of the low targets
    /// Every coefficient, zeros included, at ((r * blocks + c) * num_deltas + d) * 4W: for the
    /// kernels specialised on small blocks and num_deltas, whose loops unroll completely.
    const T* dense_coefs;
    const unsigned* deltas;       ///< ascending, deltas[0] = 0
    const unsigned* term_begin;   ///< terms of block r: [term_begin[r], term_begin[r + 1])
    const Term* terms;
    /// For a diagonal gate (KernelTable::low_diagonal), what block r's one term is.
    enum DiagonalKind : std::uint8_t { general, identity, signs };
    const DiagonalKind* diagonal_kinds = nullptr;
};

/// Room for N complex numbers left uninitialised: std::array<std::complex<T>, N> zeroes itself,
/// which for a 64x64 matrix made a 64 KiB memset per gate. std::complex<T> is laid out as T[2].
template <class T, std::size_t N>
struct alignas(64) ComplexScratch {
    T raw[2 * N];
    [[nodiscard]] std::complex<T>* data() noexcept { return reinterpret_cast<std::complex<T>*>(raw); }
    [[nodiscard]] std::complex<T>& operator[](std::size_t i) noexcept { return data()[i]; }
};

template <class T>
struct KernelTable {
    using C = std::complex<T>;
    /// A kernel over vector groups [begin, end): vector group g covers the `width` groups
    /// g*width .. g*width+width-1, whose bases are contiguous because no site position is
    /// below log2(width). `data` is the matrix (dense, row-major), the diagonal, or the phases
    /// of a permutation (psi'[perm[j]] = phase[j] psi[j]).
    using Kernel = void (*)(C* psi, const SiteLayout& site, const C* data, const std::uint8_t* perm,
                            std::uint64_t begin, std::uint64_t end);
    const char* name;
    unsigned log2_width;  ///< complex numbers per register, log2
    Kernel dense[kMaxTargets];
    /// The dense kernels for states of at most kInCacheBytes (a cache-blocked pass's chunks,
    /// small states), bound by their arithmetic: dense's, except where the three-product table
    /// has a form that only pays there (see uses_gauss).
    Kernel dense_in_cache[kMaxTargets];
    Kernel diagonal[kMaxTargets];
    /// Any diagonal gate whose site qubits all lie at or above the register, as one pass in
    /// address order over the runs sweep_runs gives, counted in the range it takes (see
    /// diagonal_sweep_kernel); for states larger than kInCacheBytes.
    Kernel diagonal_sweep;
    Kernel permutation[kMaxTargets];
    /// Any permutation whose site qubits all lie at or above the register and below
    /// kPermutationBlockBytes, a block of 2^(h + 1) amplitudes at a time (h its highest site
    /// qubit), counted in blocks in the range it takes (see permutation_blocks_kernel); null for
    /// the scalar table.
    Kernel permutation_blocks;
    /// Dense kernels whose first L targets stand for qubits inside the register:
    /// dense_exchanged[L - 1][k - 1]. Null from 6 qubits, where L > k, where the register spans
    /// fewer than L qubits, where the kernel stores its rows in smaller blocks than 2^L (the
    /// 3-qubit AVX-512 kernel, two rows at a time: L = 1 only), and where the exchanges would
    /// push a kernel already short of registers into spilling (the 3-qubit AVX2 row form).
    Kernel dense_exchanged[kMaxExchanged][kMaxTargets];
    /// Dense 1- and 2-qubit gates whose entries are all real (H, RY): dense_real[L][k - 1], with
    /// L targets standing for qubits inside the register as in dense_exchanged (L = 0: none).
    /// Half the FMAs of the general kernel and no swap. Null where L > k or the register spans
    /// fewer than L qubits.
    Kernel dense_real[3][2];
    /// A 1-qubit gate with a real diagonal and an imaginary off-diagonal (RX): dense_rx[L].
    Kernel dense_rx[2];
    /// A 1-qubit gate, no target inside the register, with two entries real or imaginary and
    /// the other two any: the diagonal any and the off-diagonal split, or the other way round
    /// (√W = (I - i W) / √2: 1/√2 on the diagonal, -(1 + i)/2 and (1 - i)/2 off it; cirq's
    /// phased √W: (1 + i)/2 on the diagonal, -i/√2 and 1/√2 off it).
    /// dense_two_complex[4 (off-diagonal any) + (first split entry imaginary) + 2 (second
    /// imaginary)], the split entries m01 and m10, or m00 and m11. Six FMAs a group of two
    /// registers instead of eight.
    Kernel dense_two_complex[8];
    /// Kernels of far targets through a ring in cache (see kSkewedBytes): dense ones of
    /// k = 2, 3 targets in the three-product form, dense_skewed[k - 1] (null in the tables of
    /// four products, whose 2- and 3-qubit gates keep that form), and permutations of k = 2..4
    /// that move every amplitude or change its phase, permutation_skewed[k - 1]; null for other
    /// k and for the scalar table. No site bit may lie below kSkewLagBytes; `ring` holds
    /// skewed_ring_bytes(k), 64-byte aligned, one per thread.
    using SkewedKernel = void (*)(C* psi, const SiteLayout& site, const C* data, const std::uint8_t* perm, T* ring,
                                  std::uint64_t begin, std::uint64_t end);
    SkewedKernel dense_skewed[kMaxTargets];
    SkewedKernel permutation_skewed[kMaxTargets];
    /// Permutations of k = 5 and 6 targets strip by strip (see kStripBytes),
    /// permutation_strips[k - 1]; null for other k and for the scalar table. No site bit may
    /// lie below kStripBytes; `ring` holds kStripBytes, 64-byte aligned, one per thread.
    SkewedKernel permutation_strips[kMaxTargets];
    /// The in-register kernel (null for the scalar table, whose registers hold one number).
    using LowKernel = void (*)(C* psi, const SiteLayout& high_site, const LowSiteGate<T>& gate, std::uint64_t begin,
                               std::uint64_t end);
    LowKernel low;
    /// The in-register kernel for 2^a blocks and 2^b lane exchanges, a <= 4, b <= 2 (b <= 1
    /// from a = 3; null where the register is too narrow): low_fixed[a][b].
    LowKernel low_fixed[5][3];
    /// The in-register kernel for a diagonal gate (one term per block, on the block itself, no
    /// lane exchange): one lane-wise complex product per register.
    LowKernel low_diagonal;
    /// One row of a phase-polynomial diagonal (see phase_polynomial.hpp): the row factors
    /// f[l] = steps[0] * prod over set bits q of l of steps[q + 1] are built in `scratch`
    /// (2^low entries, 64-byte aligned), then psi[l] *= f[l] * table[l] for l < 2^low.
    void (*phase_row)(C* psi, unsigned low, const C* table, const C* steps, C* scratch);
    /// phase_row where every factor is +1 or -1 (a layer of CZ, Z and CCZ-like phases): the
    /// factors are real, `table` and `scratch` hold each one twice (for the real and imaginary
    /// parts of its amplitude; 2^(low+1) entries, 64-byte aligned), steps[q] is +1 or -1, and
    /// the products are exact.
    void (*sign_row)(C* psi, unsigned low, const T* table, const T* steps, T* scratch);
};

template <class T> const KernelTable<T>& scalar_kernel_table();
/// The table of an instruction set (the caller checked the CPU supports it) whose dense kernels
/// form their complex products as `products` says (the scalar table has one form).
template <class T> const KernelTable<T>& kernel_table(Isa isa, DenseProducts products = dense_products());
template <class T> const KernelTable<T>& avx2_kernel_table(DenseProducts products);
template <class T> const KernelTable<T>& avx512_kernel_table(DenseProducts products);

/// Which kernel class a call uses.
enum class KernelClass { dense, diagonal, permutation };

/// A gate made ready for its kernel once (site layout, kernel, in-register coefficients), to be
/// run on any number of states of the same size: the chunks of a cache-blocked pass run the
/// same gates thousands of times. Arguments as for apply_kernel; the data is copied.
template <class T>
class PreparedGate {
public:
    using C = std::complex<T>;
    /// copy: the gate keeps its own copy of `data`; borrow: it reads `data` in place, which must
    /// outlive it (a gate prepared and run within one call).
    enum class Data { copy, borrow };
    PreparedGate(KernelClass cls, unsigned n, const unsigned* targets, unsigned k, std::uint64_t ctrl_mask,
                 std::uint64_t ctrl_value, const C* data, const std::uint8_t* perm, Data keep = Data::copy) {
        prepare(cls, n, targets, k, ctrl_mask, ctrl_value, data, perm, keep);
    }
    /// No gate yet: prepare() before run().
    PreparedGate() = default;
    PreparedGate(PreparedGate&&) noexcept = default;
    PreparedGate& operator=(PreparedGate&&) noexcept = default;

    /// Makes this the gate the constructor with these arguments would make (but for what
    /// its kernel does not read: the permutation of a gate of another class, the exchanged
    /// lanes of one without), reusing the storage of the one before (apply_kernel's gate of
    /// each thread: no allocation once its tables have grown to the gates applied).
    void prepare(KernelClass cls, unsigned n, const unsigned* targets, unsigned k, std::uint64_t ctrl_mask,
                 std::uint64_t ctrl_value, const C* data, const std::uint8_t* perm, Data keep = Data::copy);
    /// The heap bytes its tables hold.
    [[nodiscard]] std::size_t capacity_bytes() const noexcept;

    /// Applies the gate to psi (2^n amplitudes): on the thread pool above the parallel
    /// threshold if `parallel`, else on the calling thread.
    void run(C* psi, bool parallel) const;
    /// Whether it runs a skewed kernel (KernelTable::dense_skewed, permutation_skewed) or a
    /// strip kernel (permutation_strips).
    [[nodiscard]] bool skewed() const noexcept { return skewed_ != nullptr; }
    /// Whether it runs KernelTable::permutation_blocks.
    [[nodiscard]] bool runs_permutation_blocks() const noexcept {
        return kernel_ != nullptr && kernel_ == table_->permutation_blocks;
    }

private:
    /// For a dense gate of up to 5 qubits with targets inside the register (site qubits `mask`)
    /// and no control there: its exchanged kernel, with the targets it acts on in `moved`
    /// (k of them), the matrix permuted to match in data_ and site_.exchanged_lanes set. Null
    /// where the table has none or too few qubits are free; then only `moved` and
    /// site_.exchanged_lanes may have been written, which the other forms do not read.
    typename KernelTable<T>::Kernel exchange_targets(unsigned n, const unsigned* targets, unsigned k,
                                                     std::uint64_t mask, std::uint64_t ctrl_mask, const C* data,
                                                     unsigned* moved);
    void prepare_low(KernelClass cls, unsigned n, const unsigned* targets, unsigned k, std::uint64_t ctrl_mask,
                     std::uint64_t ctrl_value, const C* data, const std::uint8_t* perm);
    template <class Index, class Active>
    void prepare_low_diagonal(const C* data, unsigned blocks, unsigned W, Index&& index, Active&& active);

    const KernelTable<T>* table_ = nullptr;
    typename KernelTable<T>::Kernel kernel_ = nullptr;  ///< null: the in-register kernel
    typename KernelTable<T>::LowKernel low_fixed_ = nullptr;  ///< its specialised form, if any
    /// Far targets: the skewed or strip kernel (run instead of kernel_), and the bytes of the
    /// ring it takes.
    typename KernelTable<T>::SkewedKernel skewed_ = nullptr;
    std::size_t ring_bytes_ = 0;
    SiteLayout site_;
    std::vector<C> data_;
    const C* matrix_ = nullptr;  ///< data_.data() or the borrowed data (a move keeps data_'s buffer)
    std::array<std::uint8_t, 1u << kMaxTargets> perm_{};
    // The in-register form (LowSiteGate); the terms point into coefs_, whose heap buffer a
    // move keeps.
    CacheAlignedVector<T> coefs_, dense_coefs_;
    std::vector<typename LowSiteGate<T>::Term> terms_;
    std::vector<unsigned> term_begin_, deltas_;
    std::vector<typename LowSiteGate<T>::DiagonalKind> diagonal_kinds_;
    unsigned blocks_ = 0;
    std::uint64_t groups_ = 0, per_group_ = 0;
};

extern template class PreparedGate<float>;
extern template class PreparedGate<double>;

/// Applies a kernel to the whole state with the table in use (as PreparedGate: the exchanged or
/// in-register form where a site qubit lies inside one register, the scalar table for a state
/// smaller than one register) and runs the groups on the thread pool above the parallel
/// threshold. `data` is read in place. Cost: preparing the gate, without allocating once the
/// calling thread has applied gates of its kind, then one pass over the amplitudes it touches.
template <class T>
void apply_kernel(KernelClass cls, std::complex<T>* psi, unsigned n, const unsigned* targets, unsigned k,
                  std::uint64_t ctrl_mask, std::uint64_t ctrl_value, const std::complex<T>* data,
                  const std::uint8_t* perm);

}  // namespace kettle::detail
