#pragma once
// Kernel bodies, written once over a register type V and compiled once per instruction set.
// Included only by the kernels_<isa>.cpp units. Everything here is in an unnamed namespace on
// purpose: each unit gets its own copy, compiled with its own flags, and none of it can be
// merged by the linker with a copy compiled for another instruction set.
//
// V provides: `using T`, `static constexpr unsigned log2_width`, `reg`, `load(const T*)`,
// `store(T*, reg)`, `stream(T*, reg)` (a streaming store: the address aligned to the register,
// which every group's register is, the state being 64-byte aligned) and `fence()` (after
// streaming stores, before the kernel returns), `zero()`, `bcast` (complex factors as separate real and imaginary
// registers, each value duplicated into both halves of its complex lane), `broadcast(z)`,
// `mul(bcast, reg)` (complex product lane by lane), `fma(bcast, reg, reg acc)` (acc + m * v),
// `times_i(reg)` (i v), `scale(T s, reg)` (s v), `fma_scalar(T s, reg v, reg acc)` (acc + s v),
// `set1(s)` (s in every element, broadcast from memory), `swap(reg)` (real and imaginary parts
// exchanged), `times(a, b)` and `fmadd(a, b, acc)` (element by element) and `fmaddsub(a, b,
// acc)` (a b - acc in the real elements, a b + acc in the imaginary ones); for registers of
// more than one complex number also `lanes`, `xor_lanes(d)`, `permute(reg, lanes)` (lane l
// takes lane l ^ d), `add(a, b)` and `registers` (how many the instruction set has). `split(reg)`
// turns a register of complex numbers into the bcast form of the same numbers (lane-wise
// factors). With `gauss` true (dense_gauss_kernel) also `sub(a, b)`, `deinterleave(x, y, re,
// im)` (two registers of complex numbers into one of their real parts and one of their
// imaginary parts, in some order of lanes) and `interleave(re, im, x, y)` (its inverse). For
// registers of more than one complex number also `exchange_lanes`, `exchanging(d)` (the
// exchange_lanes of lane bit d) and `exchange(x, y, e)`: x keeps its lanes l without bit d and
// takes y's lane l ^ d into each lane with it, y takes x's lane l ^ d into each lane without it
// and keeps the others (its own inverse). No standard-library templates are used, so no
// instantiation is shared with other units.
//
// Index arithmetic: vector group g holds the `W = 2^log2_width` groups gW .. gW+W-1, whose bases
// are contiguous, so amplitude j of all W groups is one register at base(gW) + offsets[j].

#include <algorithm>
#include <bit>
#include <complex>
#include <cstdint>

#include "kernels.hpp"

namespace kettle::detail {
namespace {

/// s in every element of a register, loaded with a broadcast GCC cannot see through: written
/// as set1, GCC 12 loads a whole column of a matrix and broadcasts each entry with a shuffle,
/// on the port the FMAs need. (For the AVX2 and AVX-512 register types.)
template <class Reg, class T>
Reg broadcast_load(const T& s) noexcept {
    Reg r;
    if constexpr (sizeof(T) == 8)
        asm("vbroadcastsd %1, %0" : "=v"(r) : "m"(s));
    else
        asm("vbroadcastss %1, %0" : "=v"(r) : "m"(s));
    return r;
}

/// Prefetches, for writing, the amplitudes of the vector group about 8 KiB of amplitudes ahead
/// of the one in hand; step() once per vector group processed, before its loads.
///
/// The hardware prefetcher runs only a short way ahead of each stream it follows. A gate whose
/// targets are all low has one stream per thread (each group a contiguous block), and a dense
/// kernel between its loads computes long enough for that stream to run dry: without this, at
/// n = 26 on AVX-512 in double, 2 threads, the 2-, 3- and 4-qubit dense gates on qubits 3..
/// made 0.91, 0.71-0.74 and 0.56-0.59 of the read-modify-write pass, against 1.23-1.32, 1.19 and
/// 0.91-0.93 on the highest qubits (bench_kernels' BM_ApplyLowQubits and BM_Apply, built at
/// c96931d). Gates on high qubits (a stream per target combination) gain too.
///
/// A range of under 2 MiB (a chunk of a cache-blocked pass, a small state) is taken to be in
/// cache already and is not prefetched: there the prefetches only cost, 5-10% of an in-cache
/// dense gate (BM_ApplyInCache).
///
/// Where every group's registers lie within 16 KiB (targets no higher than 8 KiB of amplitudes
/// apart, no control below them, every register touched), the lines are prefetched in address
/// order instead, as many per group as the group spans, kLinearLead bytes or a block of the
/// gate's site (whichever is more) ahead of where the groups have got to. The groups take their
/// registers from two or more places within a few KiB (for a 1-qubit gate the lower and the upper
/// half of each block of 2^(target+1) amplitudes), and on the Zen 4 machine that order, whether
/// or not prefetched as the groups go, ran the read-modify-write pass at 0.46-0.75 of its rate
/// for distances of 512 B to 8 KiB between them, against 0.96-1.03 prefetched in address order
/// (a scratch test; bench_kernels' BM_MemoryRMWPairs/q:6 is the unprefetched pass on qubit 6:
/// 62-68 ms against 40-41 for the sequential one at n = 26 in double); a 1-qubit gate on
/// qubits 5-9 at n = 26 ran at 0.50-0.94 of the pass before and 0.94-1.03 after
/// (BM_ApplyAt/class:dense/k:1).
template <class V>
struct Lookahead {
    const SiteLayout& site;
    const std::uint64_t* offsets;  // of the registers touched: the site's, or a subset
    std::uintptr_t address;        // of the state
    unsigned count;                // registers (lines, if linear) per group, 0 when the range is not prefetched
    std::uint64_t base;            // of the group ahead, or (linear) the group in hand
    bool linear = false;
    std::uintptr_t line = 0, lead = 0;  // linear: where the groups have got to, and how far ahead
    /// `touched`: the offsets of the `registers` registers a group reads and writes, where
    /// these are not all of the site's (a diagonal gate's entries equal to 1 are skipped).
    Lookahead(const SiteLayout& s, const std::complex<typename V::T>* psi, unsigned registers, std::uint64_t begin,
              std::uint64_t end, const std::uint64_t* touched = nullptr)
        : site(s), offsets(touched != nullptr ? touched : s.offsets), address(reinterpret_cast<std::uintptr_t>(psi)),
          count((end - begin) * group_bytes(registers) >= (std::uint64_t{2} << 20) ? registers : 0),
          base(count == 0 ? 0 : s.base((begin + distance(registers)) << V::log2_width)) {
        if (count == 0 || touched != nullptr || registers != (1u << s.k) || registers < 2) return;
        // The highest target (the offsets of the last register: every target bit set) and
        // whether a control lies below it.
        const std::uint64_t targets = s.offsets[registers - 1];
        const unsigned top = 63u - unsigned(std::countl_zero(targets));
        const std::uint64_t below = (std::uint64_t{2} << top) - 1;
        const std::uint64_t block = sizeof(typename V::T) * 2 << (top + 1);  // bytes of 2^(top+1) amplitudes
        if ((s.site_mask & ~targets & below) != 0 || block > kLinearBlock) return;
        linear = true;
        count = unsigned(std::max<std::uint64_t>(1, group_bytes(registers) / 64));
        base = s.base(begin << V::log2_width);
        line = address + 2 * sizeof(typename V::T) * base;
        lead = std::max<std::uint64_t>(kLinearLead, block);
    }
    static constexpr std::uint64_t kLinearBlock = 16384, kLinearLead = 8192;
    static std::uint64_t group_bytes(unsigned registers) {
        return std::uint64_t{registers} * sizeof(typename V::T) << (V::log2_width + 1);
    }
    static std::uint64_t distance(unsigned registers) {
        const std::uint64_t groups = 8192 / group_bytes(std::max(registers, 1u));
        return groups < 2 ? 2 : groups > 64 ? 64 : groups;
    }
    /// Register j of the group ahead, as an integer: the last groups' lookahead lies past the
    /// state.
    [[nodiscard]] std::uintptr_t at(unsigned j) const {
        return address + 2 * sizeof(typename V::T) * (base + offsets[j]);
    }
    /// Linear: the next group's lines. Within a block the groups' own addresses trail the
    /// lines they have consumed; past the block they jump (a control above the targets skips
    /// blocks), and the lines follow.
    std::uintptr_t advance_line() {
        const std::uintptr_t here = address + 2 * sizeof(typename V::T) * base;
        if (here > line) line = here;
        const std::uintptr_t ahead = line + lead;
        line += std::uintptr_t{count} * 64;
        base = site.next_base(base, V::log2_width);
        return ahead;
    }
    void step() {
        if (count == 0) return;
        if (linear) {
            const std::uintptr_t ahead = advance_line();
            for (unsigned j = 0; j < count; ++j) __builtin_prefetch(reinterpret_cast<const void*>(ahead + 64 * j), 1, 3);
            return;
        }
#pragma GCC unroll 32
        for (unsigned j = 0; j < count; ++j) __builtin_prefetch(reinterpret_cast<const void*>(at(j)), 1, 3);
        base = site.next_base(base, V::log2_width);
    }
    /// The addresses step() would prefetch, written to `out` (room for the registers per group)
    /// instead; returns how many, 0 where the range is not prefetched. Advances as step() does.
    unsigned addresses(std::uintptr_t* out) {
        if (linear) {
            const std::uintptr_t ahead = advance_line();
            for (unsigned j = 0; j < count; ++j) out[j] = ahead + 64 * j;
            return count;
        }
        for (unsigned j = 0; j < count; ++j) out[j] = at(j);
        base = site.next_base(base, V::log2_width);
        return count;
    }
};

/// The prefetches of N groups ahead (Lookahead::addresses), issued evenly between a kernel's
/// rounds of FMAs rather than all before them. Issued together, the prefetches of a group
/// presumably fill the core's line-fill buffers and stall the loop behind them, and then no
/// memory request is in flight while the kernel computes (no hardware counters here to confirm
/// it). Measured: at n = 26 on AVX-512 in double, 2 threads, the 4- and
/// 5-qubit dense gates made 0.83-0.86 and 0.50-0.52 of the read-modify-write pass on the highest
/// qubits and 0.66-0.68 and 0.44-0.45 on qubits 3.., against 0.87-0.89, 0.53-0.54, 0.78-0.80 and
/// 0.53-0.55 spread (three alternating runs of bench_kernels' BM_Apply and BM_ApplyLowQubits;
/// the README has single precision and the exchanged targets). Bunched into the first half of
/// the rounds they gained less.
///
/// With Prefetching false (a range in cache, Lookahead::count 0) it does nothing.
template <class V, unsigned N, unsigned MaxRegisters, bool Prefetching>
struct SpreadPrefetches {
    std::uintptr_t at[N * MaxRegisters];
    unsigned count = 0, next = 0;
    explicit SpreadPrefetches(Lookahead<V>& ahead) {
#pragma GCC unroll 4
        for (unsigned i = 0; i < N; ++i) count += ahead.addresses(at + count);
    }
    /// Those due by the end of round `round` of `Rounds`, spread evenly over them.
    template <unsigned Rounds>
    void issue(unsigned round) {
        for (const unsigned due = (round + 1) * count / Rounds; next < due;)
            __builtin_prefetch(reinterpret_cast<const void*>(at[next++]), 1, 3);
    }
};

template <class V, unsigned N, unsigned MaxRegisters>
struct SpreadPrefetches<V, N, MaxRegisters, false> {
    explicit SpreadPrefetches(Lookahead<V>&) {}
    template <unsigned Rounds>
    void issue(unsigned) {}
};

/// The walk over a site's groups with its offsets and masks in locals: the kernels store
/// through vector types that may alias anything, so read from the SiteLayout they were
/// reloaded after every store, and a small gate's loop is short enough for that to show (the
/// 1-qubit gates of bench_circuits' BM_SmallCircuit/n:10/run, two thirds of its time). SiteWalk<0>
/// holds the masks only. The dense kernels of 3 qubits and more and the fixed in-register ones
/// read the SiteLayout instead: their arithmetic hides the reloads, and with a local copy of
/// their offsets clang 14 took over 10 minutes on each kernel unit under the fuzz build's
/// sanitizers (commit 28f07e1).
template <unsigned D>
struct SiteWalk {
    std::uint64_t offset[D > 0 ? D : 1];  ///< of amplitude j of a group from its base, in reals (2 per amplitude)
    std::uint64_t carry, keep, ctrl;
    SiteWalk(const SiteLayout& site, unsigned log2_width)
        : carry(site.site_mask | ((std::uint64_t{1} << log2_width) - 1)), keep(~site.site_mask),
          ctrl(site.ctrl_value) {
        for (unsigned j = 0; j < D; ++j) offset[j] = 2 * site.offsets[j];
    }
    /// SiteLayout::next_base.
    [[nodiscard]] std::uint64_t next(std::uint64_t base) const noexcept { return (((base | carry) + 1) & keep) | ctrl; }
};

/// Calls groups.operator()<2>() for every two groups of [begin, end), prefetching ahead, then
/// groups.operator()<1>() for an odd last one; `groups` keeps its own running base, and
/// `touched` are its registers' offsets where it does not read all of the site's (as
/// Lookahead's). With Singles, a range in cache (not prefetched) goes one group at a time: the RX and RY kernels
/// (dense_split_entries_kernel) ran 12-30% faster so on a 10-qubit state (one thread, Zen 4;
/// a scratch A/B of what bench_circuits' BM_SmallGate/gate:rx/q:5/kernel times), the general
/// 1-qubit one 5-10% slower, so it keeps its pairs.
template <class V, bool Singles = false, class Groups>
void in_pairs(const SiteLayout& site, const std::complex<typename V::T>* psi, unsigned registers, std::uint64_t begin,
              std::uint64_t end, Groups& groups, const std::uint64_t* touched = nullptr) {
    Lookahead<V> ahead(site, psi, registers, begin, end, touched);
    std::uint64_t g = begin;
    if (Singles && ahead.count == 0) {
        for (; g < end; ++g) groups.template operator()<1>();
        return;
    }
    for (; g + 2 <= end; g += 2) {
        ahead.step();
        ahead.step();
        groups.template operator()<2>();
    }
    if (g < end) groups.template operator()<1>();
}

/// Calls at(base) for the base of every group of [begin, end) (a range in cache, not
/// prefetched), walking its two halves side by side: SiteLayout::next_base is four dependent
/// operations, and in a kernel with one register a group (a controlled phase touches a quarter
/// of the state) their chain, not the loads and stores, set the pace. A CZ on qubits 5 and 6 of
/// 10 in double on Zen 4 took 118 ns with one walk and 65 with two (one thread;
/// bench_circuits' BM_SmallGate/gate:cz/q:5/kernel), one on qubits 0 and 1 (low_diagonal_kernel)
/// 365 and 169.
template <class V, class At>
void two_walks(const SiteLayout& site, std::uint64_t begin, std::uint64_t end, At&& at) {
    const SiteWalk<0> walk(site, V::log2_width);
    const std::uint64_t half = (end - begin) / 2;
    std::uint64_t a = site.base(begin << V::log2_width), b = site.base((begin + half) << V::log2_width);
    for (std::uint64_t g = 0; g < half; ++g, a = walk.next(a), b = walk.next(b)) {
        at(a);
        at(b);
    }
    if ((end - begin) % 2 != 0) at(b);  // the second half's last group
}

/// Calls at(base) for every group of [begin, end): by two_walks where `ahead` does not
/// prefetch (a range in cache), else in order with its prefetches.
template <class V, class At>
void each_group(const SiteLayout& site, Lookahead<V>& ahead, std::uint64_t begin, std::uint64_t end, At&& at) {
    if (ahead.count == 0) {
        two_walks<V>(site, begin, end, at);
        return;
    }
    const SiteWalk<0> walk(site, V::log2_width);
    std::uint64_t base = site.base(begin << V::log2_width);
    for (std::uint64_t g = begin; g < end; ++g, base = walk.next(base)) {
        ahead.step();
        at(base);
    }
}

/// Whether a 1-qubit gate's kernel writes the upper amplitude of each pair (its target set)
/// with streaming stores: where the two lie far_distances().stream_far_half apart or more (see
/// kStreamFarHalfBytes) and no control lies below the target (so every line is written whole).
template <class V, unsigned K, unsigned L>
bool streams_far_half(const SiteLayout& site) {
    if constexpr (K != 1 || L != 0 || V::log2_width == 0) {
        return false;
    } else {
        const std::uint64_t target = site.offsets[1];
        const bool far = target * 2 * sizeof(typename V::T) >= far_distances().stream_far_half;
        return far && (site.site_mask & (target - 1)) == 0;
    }
}

/// in_pairs for a kernel whose `groups` take a second parameter, Far: true where
/// streams_far_half holds, when the kernel stores its upper halves with V::stream and fences
/// at the end. Far runs without software prefetch: on the Zen 4 machine the hardware
/// prefetcher alone ran faster there than Lookahead's, or than bursts of 1 KiB of each half
/// read ahead in turn.
template <class V, unsigned K, unsigned L, bool Singles = false, class Groups>
void in_pairs_far(const SiteLayout& site, const std::complex<typename V::T>* psi, unsigned registers,
                  std::uint64_t begin, std::uint64_t end, Groups& groups) {
    if (streams_far_half<V, K, L>(site)) {
        std::uint64_t g = begin;
        for (; g + 2 <= end; g += 2) groups.template operator()<2, true>();
        if (g < end) groups.template operator()<1, true>();
        V::fence();
    } else {
        auto near = [&]<unsigned NG>() { groups.template operator()<NG, false>(); };
        in_pairs<V, Singles>(site, psi, registers, begin, end, near);
    }
}

/// Stores a group's D registers at `at` + offset[r]: with Far (in_pairs_far), the last, a
/// 1-qubit gate's upper amplitude, by a streaming store.
template <class V, unsigned D, bool Far>
void store_group(typename V::T* at, const std::uint64_t* offset, const typename V::reg* v) {
#pragma GCC unroll 4
    for (unsigned r = 0; r < D; ++r)
        if (Far && r == D - 1)
            V::stream(at + offset[r], v[r]);
        else
            V::store(at + offset[r], v[r]);
}

/// The lane exchanges of a gate whose first L targets stand for qubits inside the register
/// (SiteLayout::exchanged_lanes; see PreparedGate::exchange_targets).
template <class V, unsigned L>
struct Exchanges {
    typename V::exchange_lanes lanes[L];
    explicit Exchanges(const SiteLayout& site) {
        for (unsigned i = 0; i < L; ++i) lanes[i] = V::exchanging(site.exchanged_lanes[i]);
    }
    /// Each of the 2^L registers of a block exchanged with its partner for every bit i:
    /// register u (bit i clear) with register u | 2^i, on the lane bit of target i. Its own
    /// inverse: once after loading a group, once before storing it.
    void operator()(typename V::reg* x) const {
#pragma GCC unroll 4
        for (unsigned i = 0; i < L; ++i) {
#pragma GCC unroll 8
            for (unsigned u = 0; u < (1u << L); ++u)
                if ((u >> i & 1u) == 0) V::exchange(x[u], x[u | 1u << i], lanes[i]);
        }
    }
    /// The same on each block of `count` registers (a multiple of 2^L, a group or a run of rows).
    void blocks(typename V::reg* x, unsigned count) const {
#pragma GCC unroll 16
        for (unsigned u = 0; u < count; u += 1u << L) (*this)(x + u);
    }
};

/// No target inside the register (and a register type, the scalar one, without exchanges):
/// nothing to do.
template <class V>
struct Exchanges<V, 0> {
    explicit Exchanges(const SiteLayout&) {}
    void operator()(typename V::reg*) const {}
    void blocks(typename V::reg*, unsigned) const {}
};

/// Dense gates of 2 to 5 qubits where V can split two registers of complex numbers into one of
/// real parts and one of imaginary parts (V::deinterleave, undone by V::interleave). A complex
/// product then takes three real products instead of four (Gauss): with m = c + i d and v = a + i b,
/// each row sums P = sum c a, Q = sum d b and S = sum (c + d)(a + b) over its columns, and
/// m v = (P - Q) + i (S - P - Q). Every matrix entry costs three FMAs (each broadcasting its
/// entry from L1 on AVX-512) per two registers of amplitudes, against four for dense_kernel:
/// the 4- and 5-qubit gates are bound by their FMAs, the 4-qubit one on AVX-512 just below the
/// memory rate.
/// Two groups go through at once (both halves of the split registers); the inputs, split and
/// summed once, wait in L1 while R rows at a time keep their three sums in registers.
/// Whether it pays for 2 and 3 qubits depends on the core (DenseProducts): where the splitting
/// and joining shuffles share a port with the FMAs (Intel's AVX-512 cores), they cost more than
/// the FMAs saved (3 qubits: 0.68 of dense_pairs_or_rows' FMA ceiling on a state in L2, against
/// its 0.74; nothing gained on AVX2); on AMD's Zen 4 they run beside them, and this form took 2
/// and 3 qubits 3-14% faster on AVX-512 and AVX2 (bench_kernels' BM_ApplyInCache, products:three
/// against four).
///
/// The imaginary part is a difference of sums larger than itself: its rounding error is bounded
/// by about 2 |c + d| |a + b| per term instead of |c| |b| + |d| |a|, a few units in the last
/// place of the state's scale.
///
/// Cost per two groups of 2^K registers: 3 * 4^K FMAs, 2^K de-interleaves and adds, 2^K
/// interleaves and 3 * 2^K additions and subtractions.
///
/// With L > 0 the gate's first L targets stand for qubits inside the register (SiteLayout::
/// exchanged_lanes): each group's registers are exchanged with those of the free qubits at load
/// and exchanged back at store (see PreparedGate), 2 L shuffles per register.
///
/// `Rows` rows at a time (at least 2^L, at most 2^K; see gauss_rows). The matrix's three
/// column-major tables are built once per call, in the constructor; two_groups applies the gate
/// to two groups and hands each output register to a store, so that a kernel can write them
/// elsewhere than where they were read (skewed_rows).
template <class V, unsigned K, unsigned L, unsigned Rows>
struct GaussRows {
    using T = typename V::T;
    using reg = typename V::reg;
    // Three sums per row, and three inputs and a broadcast beside them.
    static constexpr unsigned D = 1u << K, B = 1u << L, R = std::min(std::max(Rows, B), D);
    static_assert(B <= R && L < K, "the registers exchanged together are stored together");
    /// The rounds of FMAs over which a pair's prefetches are spread.
    static constexpr unsigned rounds = (D / R) * (D - 1);
    alignas(64) T mc[D * D], md[D * D], ms[D * D];  // column-major: c, d and c + d
    const SiteLayout& site;
    const Exchanges<V, L> exchange;

    GaussRows(const SiteLayout& s, const std::complex<T>* data) : site(s), exchange(s) {
        for (unsigned r = 0; r < D; ++r)
            for (unsigned c = 0; c < D; ++c) {
                const std::complex<T> m = data[r * D + c];
                mc[c * D + r] = m.real(), md[c * D + r] = m.imag(), ms[c * D + r] = m.real() + m.imag();
            }
    }

    /// The groups at bases `first` and `second` of p (the same base twice for one group: it goes
    /// through in both halves); store(h, r, v) takes output register r of the first (h = 0) and
    /// second (h = 1) group.
    template <class Prefetches, class Store>
    void two_groups(const T* p, std::uint64_t first, std::uint64_t second, Prefetches& prefetches, Store&& store) const {
        reg a[D], b[D], ab[D];
        for (unsigned j0 = 0; j0 < D; j0 += B) {
            reg x[B], y[B];
#pragma GCC unroll 8
            for (unsigned u = 0; u < B; ++u) {
                x[u] = V::load(p + 2 * (first + site.offsets[j0 + u]));
                y[u] = V::load(p + 2 * (second + site.offsets[j0 + u]));
            }
            exchange(x), exchange(y);
#pragma GCC unroll 8
            for (unsigned u = 0; u < B; ++u) {
                V::deinterleave(x[u], y[u], a[j0 + u], b[j0 + u]);
                ab[j0 + u] = V::add(a[j0 + u], b[j0 + u]);
            }
        }
        for (unsigned r0 = 0; r0 < D; r0 += R) {
            reg P[R], Q[R], S[R];
#pragma GCC unroll 8
            for (unsigned r = 0; r < R; ++r) {
                P[r] = V::scale(mc[r0 + r], a[0]);
                Q[r] = V::scale(md[r0 + r], b[0]);
                S[r] = V::scale(ms[r0 + r], ab[0]);
            }
            for (unsigned c = 1; c < D; ++c) {
                prefetches.template issue<rounds>(r0 / R * (D - 1) + c - 1);
                const T* cc = mc + c * D + r0;
                const T* cd = md + c * D + r0;
                const T* cs = ms + c * D + r0;
#pragma GCC unroll 8
                for (unsigned r = 0; r < R; ++r) {
                    P[r] = V::fma_scalar(cc[r], a[c], P[r]);
                    Q[r] = V::fma_scalar(cd[r], b[c], Q[r]);
                    S[r] = V::fma_scalar(cs[r], ab[c], S[r]);
                }
            }
            reg lo[R], hi[R];
#pragma GCC unroll 8
            for (unsigned r = 0; r < R; ++r)
                V::interleave(V::sub(P[r], Q[r]), V::sub(S[r], V::add(P[r], Q[r])), lo[r], hi[r]);
            exchange.blocks(lo, R), exchange.blocks(hi, R);
#pragma GCC unroll 8
            for (unsigned r = 0; r < R; ++r) {
                store(0u, r0 + r, lo[r]);
                store(1u, r0 + r, hi[r]);
            }
        }
    }
};

/// GaussRows over the groups [begin, end), in place.
template <class V, unsigned K, unsigned L, unsigned Rows>
void dense_gauss_kernel(std::complex<typename V::T>* psi, const SiteLayout& site, const std::complex<typename V::T>* data,
                        std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned D = 1u << K;
    const GaussRows<V, K, L, Rows> gauss(site, data);
    T* p = reinterpret_cast<T*>(psi);
    std::uint64_t base = site.base(begin << V::log2_width);
    Lookahead<V> ahead(site, psi, D, begin, end);
    // A loop without prefetches where the range is in cache: the count checks cost 3-5% there.
    const auto groups = [&]<bool Prefetching>() {
        for (std::uint64_t g = begin; g < end; g += 2) {
            SpreadPrefetches<V, 2, D, Prefetching> prefetches(ahead);
            // An odd last group goes through twice, in both halves, and is stored once.
            const std::uint64_t first = base, second = g + 1 < end ? site.next_base(base, V::log2_width) : base;
            gauss.two_groups(p, first, second, prefetches, [&](unsigned h, unsigned r, reg v) {
                if (h == 0)
                    V::store(p + 2 * (first + site.offsets[r]), v);
                else if (second != first)
                    V::store(p + 2 * (second + site.offsets[r]), v);
            });
            base = site.next_base(second, V::log2_width);
        }
    };
    if (ahead.count != 0)
        groups.template operator()<true>();
    else
        groups.template operator()<false>();
}

/// No prefetches (GaussRows::two_groups' for a kernel that issues its own).
struct NoPrefetches {
    template <unsigned Rounds>
    void issue(unsigned) {}
};

/// The rows of a permutation (psi'[perm[j]] = phase[j] psi[j]) for skewed_rows: each group's
/// registers loaded and stored to the rows they move to, with their phases unless all are 1.
template <class V, unsigned K>
struct PermutationRows {
    static constexpr unsigned D = 1u << K;
    const SiteLayout& site;
    typename V::bcast phase[D];
    std::uint8_t to[D];
    bool moves_only = true;
    PermutationRows(const SiteLayout& s, const std::complex<typename V::T>* data, const std::uint8_t* perm) : site(s) {
        for (unsigned j = 0; j < D; ++j) {
            phase[j] = V::broadcast(data[j]);
            to[j] = perm[j];
            moves_only = moves_only && data[j] == std::complex<typename V::T>(1);
        }
    }
    template <class Prefetches, class Store>
    void two_groups(const typename V::T* p, std::uint64_t first, std::uint64_t second, Prefetches&, Store&& store) const {
        for (unsigned h = 0; h < (second == first ? 1u : 2u); ++h) {
            const std::uint64_t base = h == 0 ? first : second;
            typename V::reg v[D];
            for (unsigned j = 0; j < D; ++j) v[j] = V::load(p + 2 * (base + site.offsets[j]));
            for (unsigned j = 0; j < D; ++j) store(h, to[j], moves_only ? v[j] : V::mul(phase[j], v[j]));
        }
    }
};

/// A gate of K targets far apart (kSkewedBytes) over the groups
/// [begin, end), every site bit at least kSkewLagBytes up (so that a step's groups are
/// contiguous). The groups go in steps of kSkewLagBytes of each row (row r: register r of every group): `rows` (GaussRows,
/// PermutationRows) reads each pair from the state and writes its outputs into a ring of 2^K
/// steps in cache, and row r is prefetched and written back r steps behind row 0 (row 0 goes
/// straight back), so that the rows' reads and write-backs never meet at addresses a power of
/// two apart, which on the Zen 4 machine ran memory at half its rate or less. Cost beyond the
/// rows' own: a load and a store in cache per register of rows 1.., and per step a base
/// (SiteLayout::next_base) and 2^K * kSkewLagBytes / 64 prefetches issued together.
template <class V, unsigned K, class Rows>
void skewed_rows(std::complex<typename V::T>* psi, const SiteLayout& site, const Rows& rows, typename V::T* ring,
                 std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned D = 1u << K;
    constexpr std::uint64_t W = std::uint64_t{1} << V::log2_width, reals = 2 * W;  // per register
    constexpr std::uint64_t S = kSkewLagBytes / (reals * sizeof(T));                // groups per step
    constexpr unsigned lines = kSkewLagBytes / 64;                                   // per row and step
    // Row 0 is prefetched `lead` steps ahead (8 KiB and the rows' lag), row r r steps less.
    constexpr std::uint64_t lead = 8192 / kSkewLagBytes + D, kBases = 128;
    static_assert(S >= 2 && S % 2 == 0 && lead + D <= kBases, "pairs of groups; every step in flight has its base");
    T* p = reinterpret_cast<T*>(psi);
    const std::uintptr_t state = reinterpret_cast<std::uintptr_t>(psi);
    std::uint64_t offset[D];  // of row r from a base, in reals
    for (unsigned r = 0; r < D; ++r) offset[r] = 2 * site.offsets[r];
    std::uint64_t bases[kBases];  // the base of step u's first group, at u % kBases
    const std::uint64_t first_step = begin / S, last_step = (end + S - 1) / S;
    // Each step's base from the last's: its groups are contiguous, and next_base steps over
    // the site bits.
    std::uint64_t filled = first_step, next = site.base((first_step * S) << V::log2_width);
    const auto fill_bases = [&](std::uint64_t until) {
        for (; filled < std::min(until, last_step); ++filled) {
            bases[filled % kBases] = next;
            next = site.next_base(next + (S - 1) * W, V::log2_width);
        }
    };
    fill_bases(first_step + lead);
    for (std::uint64_t u = first_step; u < last_step + D - 1; ++u) {
        if (u < last_step) {
            fill_bases(u + lead + 1);
            for (unsigned r = 0; r < D; ++r) {
                const std::uint64_t v = u + lead - r;
                if (v >= last_step) continue;
                const std::uintptr_t line = state + sizeof(T) * (2 * bases[v % kBases] + offset[r]);
                for (unsigned l = 0; l < lines; ++l) __builtin_prefetch(reinterpret_cast<const void*>(line + 64 * l), 1, 3);
            }
            const std::uint64_t g0 = std::max(begin, u * S), g1 = std::min(end, (u + 1) * S);
            T* slot = ring + (u % D) * D * S * reals;
            NoPrefetches prefetches;
            for (std::uint64_t g = g0; g < g1; g += 2) {
                const std::uint64_t i = g - u * S, first = bases[u % kBases] + i * W;
                const std::uint64_t second = g + 1 < g1 ? first + W : first;
                // Row 0, which lags nothing, goes straight back to the state.
                rows.two_groups(p, first, second, prefetches, [&](unsigned h, unsigned r, reg v) {
                    if (h == 1 && second == first) return;
                    if (r == 0)
                        V::store(p + 2 * (h == 0 ? first : second) + offset[0], v);
                    else
                        V::store(slot + (r * S + i + h) * reals, v);
                });
            }
        }
        // Row r writes back step u - r.
        for (unsigned r = 1; r < D && r <= u - first_step; ++r) {
            const std::uint64_t w = u - r;
            if (w >= last_step) continue;
            const std::uint64_t g0 = std::max(begin, w * S), g1 = std::min(end, (w + 1) * S), i = g0 - w * S;
            T* to = p + 2 * (bases[w % kBases] + i * W) + offset[r];
            const T* from = ring + ((w % D) * D * S + r * S + i) * reals;
            for (std::uint64_t x = 0; x < g1 - g0; ++x) V::store(to + x * reals, V::load(from + x * reals));
        }
    }
}

/// A dense gate of K = 2 or 3 far targets through skewed_rows, GaussRows `Rows` rows at a time.
template <class V, unsigned K, unsigned Rows>
void dense_skewed_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                         const std::complex<typename V::T>* data, const std::uint8_t*, typename V::T* ring,
                         std::uint64_t begin, std::uint64_t end) {
    skewed_rows<V, K>(psi, site, GaussRows<V, K, 0, Rows>(site, data), ring, begin, end);
}

/// A permutation of K = 2..4 far targets that moves every amplitude or changes its phase
/// (SWAP-like ones, with fixed points, take permutation_kernel) through skewed_rows.
template <class V, unsigned K>
void permutation_skewed_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                               const std::complex<typename V::T>* data, const std::uint8_t* perm, typename V::T* ring,
                               std::uint64_t begin, std::uint64_t end) {
    skewed_rows<V, K>(psi, site, PermutationRows<V, K>(site, data, perm), ring, begin, end);
}

/// Calls visit(cycle, length) for each cycle of the permutation of D rows (psi'[perm[j]] =
/// data[j] psi[j]) that moves an amplitude or changes its phase, its rows in the order the
/// amplitudes go (row cycle[m]'s to cycle[m + 1], the last's to cycle[0]); fixed points with
/// phase 1 are left out.
template <unsigned D, class T, class Visit>
void for_each_cycle(const std::complex<T>* data, const std::uint8_t* perm, Visit&& visit) {
    bool seen[D]{};
    for (unsigned j = 0; j < D; ++j) {
        if (seen[j] || (perm[j] == j && data[j] == std::complex<T>(1))) continue;
        unsigned cycle[D], length = 0;
        for (unsigned c = j; !seen[c]; c = perm[c]) seen[c] = true, cycle[length++] = c;
        visit(cycle, length);
    }
}

/// A permutation of K far targets strip by strip: kStripBytes of each row at a time, along the
/// permutation's cycles, so that two rows are read and written at a time rather than all 2^K.
/// Per strip and cycle c_0 -> c_1 -> ... -> c_{L-1} -> c_0 (amplitudes of row c_m go to
/// c_{m+1}): row c_{L-1}'s strip is kept in `ring`, then each row c_m (m = L-1 .. 1) takes
/// row c_{m-1}'s strip, which it read the step before (so the store finds its lines in L1), and
/// row c_0 the kept one. Rows that neither move nor change phase are not touched. Every site
/// bit lies at least kStripBytes up, so that a strip's groups are contiguous. Not prefetched:
/// the hardware's prefetcher follows the strips (kStripBytes).
template <class V, unsigned K>
void permutation_strips_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                               const std::complex<typename V::T>* data, const std::uint8_t* perm, typename V::T* ring,
                               std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    constexpr unsigned D = 1u << K;
    constexpr std::uint64_t W = std::uint64_t{1} << V::log2_width, reals = 2 * W;
    constexpr std::uint64_t S = kStripBytes / (reals * sizeof(T));  // vector groups per strip
    // The steps of a strip: each copies a row's strip (or the ring) to a row (or the ring),
    // times its phase.
    constexpr std::uint64_t kRing = ~std::uint64_t{0};
    struct Step {
        std::uint64_t from, to;  // reals from a group's base, or kRing
        std::complex<T> phase;   // broadcast per strip: a register each would fill the frame
    };
    Step steps[2 * D];  // a cycle of L rows takes L + 1 steps
    unsigned count = 0;
    const auto row = [&](unsigned j) { return 2 * site.offsets[j]; };
    const auto step = [&](std::uint64_t from, std::uint64_t to, unsigned j) { steps[count++] = {from, to, data[j]}; };
    for_each_cycle<D>(data, perm, [&](const unsigned* cycle, unsigned length) {
        if (length == 1) {
            step(row(cycle[0]), row(cycle[0]), cycle[0]);
            return;
        }
        const unsigned last = cycle[length - 1];
        steps[count++] = {row(last), kRing, std::complex<T>(1)};
        for (unsigned m = length - 1; m >= 1; --m) step(row(cycle[m - 1]), row(cycle[m]), cycle[m - 1]);
        step(kRing, row(cycle[0]), last);
    });
    if (count == 0) return;
    T* p = reinterpret_cast<T*>(psi);
    std::uint64_t base = site.base((begin / S * S) << V::log2_width);
    for (std::uint64_t u = begin / S; u * S < end; ++u) {
        const std::uint64_t g0 = std::max(begin, u * S) - u * S, g1 = std::min(end, (u + 1) * S) - u * S;
        for (unsigned s = 0; s < count; ++s) {
            const T* from = steps[s].from == kRing ? ring : p + 2 * base + steps[s].from;
            T* to = steps[s].to == kRing ? ring : p + 2 * base + steps[s].to;
            if (steps[s].phase == std::complex<T>(1)) {
                for (std::uint64_t g = g0; g < g1; ++g) V::store(to + g * reals, V::load(from + g * reals));
            } else {
                const typename V::bcast phase = V::broadcast(steps[s].phase);
                for (std::uint64_t g = g0; g < g1; ++g) V::store(to + g * reals, V::mul(phase, V::load(from + g * reals)));
            }
        }
        if ((u + 1) * S < end) base = site.next_base(base + (S - 1) * W, V::log2_width);
    }
}

/// The forms of dense_pairs_or_rows below, by register type and gate width.
enum class DenseForm { paired, split_sums, rows };

template <class V, unsigned K>
constexpr DenseForm dense_form() {
    constexpr unsigned D = 1u << K;
    if constexpr (4 * D <= V::max_rows) return DenseForm::paired;
    // Two groups' inputs, 8 sums and their broadcasts in registers (AVX-512, K = 3).
    if constexpr (requires { V::registers; })
        if constexpr (2 * D + 12 <= V::registers) return DenseForm::split_sums;
    return DenseForm::rows;
}

/// m * v summed as sum_c (re(m_rc) v_c + im(m_rc) (i v_c)): every matrix entry costs two FMAs
/// per register, with the entries broadcast from a column-major copy. From 3 qubits on (2 on
/// AVX2; 4 on AVX-512, see below) i v is formed once per input and each FMA broadcasts its entry
/// from L1 (an embedded broadcast); the rows are taken max_rows at a time with their
/// accumulators in registers and the inputs (a local copy) streamed past them, so no register
/// spills for K = 4 to 6 (on AVX2 and AVX-512, 4 and 5 qubits take dense_gauss_kernel instead).
///
/// Smaller gates do so little per group that the loads set the pace, one per FMA: there two
/// groups go through at once, each broadcast entry serving two FMAs, and i v costs nothing.
/// i v is the swapped input s = (im, re) with its real lanes negated; the sign goes into the
/// accumulation instead. fmaddsub(a, b, acc) is a b - acc in the real lanes and a b + acc in the
/// imaginary ones: it negates the stored real part while it adds. So an accumulator alternates
/// between holding its real part (state 0) and its negation (state 1): in state 0, re(m) v is an
/// fmadd and im(m) s an fmaddsub (to state 1); in state 1, im(m) s is an fmadd (subtracting from
/// the true real part) and re(m) v an fmaddsub (back to state 0). After the even number of
/// columns the state is 0, and the rounding is that of acc + im(m) (i v) step for step.
///
/// At 3 qubits on AVX-512 the two groups' inputs and their swaps would fill the registers. There
/// each row keeps two sums per group instead, a = sum re(m) v and b = sum im(m) v, closed as
/// a + i b = fmaddsub(1, a, swap(b)); the two groups' inputs stay in registers while the rows go
/// by two at a time, so each broadcast entry still serves two FMAs and 8 sums run in parallel.
/// bench_kernels' BM_ApplyInCache (one thread, a state in L2) put it at 0.79-0.81 of the FMA
/// ceiling in double and 0.78 in single, against 0.75-0.76 and 0.74 for the single-group row
/// form, in three alternating runs.
///
/// Cost per group of 2^K registers: 2 * 4^K FMAs and 2^K swaps or i v.
///
/// With L > 0 the first L targets stand for qubits inside the register, as in
/// dense_gauss_kernel (in the split-sums form L = 1 only: its rows are stored two at a time).
template <class V, unsigned K, unsigned L = 0>
void dense_pairs_or_rows(std::complex<typename V::T>* psi, const SiteLayout& site,
                         const std::complex<typename V::T>* data, std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned D = 1u << K;
    constexpr bool paired = dense_form<V, K>() == DenseForm::paired;
    constexpr bool split_sums = dense_form<V, K>() == DenseForm::split_sums;
    static_assert(L <= K && (!split_sums || L <= 1), "the registers exchanged together are stored together");
    const Exchanges<V, L> exchange(site);
    // Column-major, so that the R entries a column update needs are adjacent.
    alignas(64) T mr[D * D], mi[D * D];
    for (unsigned r = 0; r < D; ++r)
        for (unsigned c = 0; c < D; ++c) mr[c * D + r] = data[r * D + c].real(), mi[c * D + r] = data[r * D + c].imag();
    T* p = reinterpret_cast<T*>(psi);
    std::uint64_t base = site.base(begin << V::log2_width);
    if constexpr (paired) {
        const SiteWalk<D> walk(site, V::log2_width);
        // A 1-qubit gate's 8 broadcast entries stay in registers; wider gates broadcast theirs
        // from L1 in each FMA.
        constexpr bool held = D == 2;
        reg hr[held ? D * D : 1], hi[held ? D * D : 1];
        if constexpr (held)
            for (unsigned e = 0; e < D * D; ++e) hr[e] = V::set1(mr[e]), hi[e] = V::set1(mi[e]);
        const auto re = [&](unsigned e) { if constexpr (held) return hr[e]; else return V::set1(mr[e]); };
        const auto im = [&](unsigned e) { if constexpr (held) return hi[e]; else return V::set1(mi[e]); };
        // NG groups at once, from `base` on; with Far, the upper half by streaming stores.
        auto groups = [&]<unsigned NG, bool Far>() {
            std::uint64_t bases[NG];
            for (unsigned q = 0; q < NG; ++q, base = walk.next(base)) bases[q] = 2 * base;
            reg v[NG][D], sv[NG][D], acc[NG][D];
            for (unsigned q = 0; q < NG; ++q) {
                for (unsigned j = 0; j < D; ++j) v[q][j] = V::load(p + bases[q] + walk.offset[j]);
                exchange.blocks(v[q], D);
                for (unsigned j = 0; j < D; ++j) sv[q][j] = V::swap(v[q][j]);
            }
            for (unsigned r = 0; r < D; ++r) {
                const reg a = re(r), b = im(r);
                for (unsigned q = 0; q < NG; ++q) acc[q][r] = V::fmaddsub(b, sv[q][0], V::times(a, v[q][0]));
            }
            for (unsigned c = 1; c < D; c += 2) {
                for (unsigned r = 0; r < D; ++r) {
                    const reg a = re(c * D + r), b = im(c * D + r);
                    for (unsigned q = 0; q < NG; ++q)  // state 1, then 0
                        acc[q][r] = V::fmaddsub(a, v[q][c], V::fmadd(b, sv[q][c], acc[q][r]));
                }
                if (c + 1 == D) break;
                for (unsigned r = 0; r < D; ++r) {
                    const reg a = re((c + 1) * D + r), b = im((c + 1) * D + r);
                    for (unsigned q = 0; q < NG; ++q)  // state 0, then 1
                        acc[q][r] = V::fmaddsub(b, sv[q][c + 1], V::fmadd(a, v[q][c + 1], acc[q][r]));
                }
            }
            for (unsigned q = 0; q < NG; ++q) {
                exchange.blocks(acc[q], D);
                store_group<V, D, Far>(p + bases[q], walk.offset, acc[q]);
            }
        };
        in_pairs_far<V, K, L>(site, psi, D, begin, end, groups);
    } else if constexpr (split_sums) {
        const reg one = V::set1(T(1));
        constexpr unsigned R = 2;
        auto groups = [&]<unsigned NG>() {
            std::uint64_t bases[NG];
            for (unsigned q = 0; q < NG; ++q, base = site.next_base(base, V::log2_width)) bases[q] = base;
            reg v[NG][D];
#pragma GCC unroll 16
            for (unsigned q = 0; q < NG; ++q) {
#pragma GCC unroll 16
                for (unsigned j = 0; j < D; ++j) v[q][j] = V::load(p + 2 * (bases[q] + site.offsets[j]));
                exchange.blocks(v[q], D);
            }
#pragma GCC unroll 16
            for (unsigned r0 = 0; r0 < D; r0 += R) {
                reg a[NG][R], b[NG][R];
#pragma GCC unroll 16
                for (unsigned r = 0; r < R; ++r) {
                    const reg x = V::set1(mr[r0 + r]), y = V::set1(mi[r0 + r]);
#pragma GCC unroll 16
                    for (unsigned q = 0; q < NG; ++q) a[q][r] = V::times(x, v[q][0]), b[q][r] = V::times(y, v[q][0]);
                }
#pragma GCC unroll 16
                for (unsigned c = 1; c < D; ++c)
#pragma GCC unroll 16
                    for (unsigned r = 0; r < R; ++r) {
                        const reg x = V::set1(mr[c * D + r0 + r]), y = V::set1(mi[c * D + r0 + r]);
#pragma GCC unroll 16
                        for (unsigned q = 0; q < NG; ++q) {
                            a[q][r] = V::fmadd(x, v[q][c], a[q][r]);
                            b[q][r] = V::fmadd(y, v[q][c], b[q][r]);
                        }
                    }
#pragma GCC unroll 16
                for (unsigned q = 0; q < NG; ++q) {
                    reg out[R];
#pragma GCC unroll 16
                    for (unsigned r = 0; r < R; ++r) out[r] = V::fmaddsub(one, a[q][r], V::swap(b[q][r]));  // a + i b
                    exchange(out);
#pragma GCC unroll 16
                    for (unsigned r = 0; r < R; ++r) V::store(p + 2 * (bases[q] + site.offsets[r0 + r]), out[r]);
                }
            }
        };
        in_pairs<V>(site, psi, D, begin, end, groups);
    } else {
        constexpr unsigned R = D < V::max_rows ? D : V::max_rows;
        static_assert(R % (1u << L) == 0);
        Lookahead<V> ahead(site, psi, D, begin, end);
        for (std::uint64_t g = begin; g < end; ++g, base = site.next_base(base, V::log2_width)) {
            ahead.step();
            reg v[D], iv[D];
            for (unsigned j = 0; j < D; ++j) v[j] = V::load(p + 2 * (base + site.offsets[j]));
            exchange.blocks(v, D);
            for (unsigned j = 0; j < D; ++j) iv[j] = V::times_i(v[j]);
            for (unsigned r0 = 0; r0 < D; r0 += R) {
                reg acc[R];
#pragma GCC unroll 16
                for (unsigned r = 0; r < R; ++r)
                    acc[r] = V::fma_scalar(mi[r0 + r], iv[0], V::scale(mr[r0 + r], v[0]));
                for (unsigned c = 1; c < D; ++c) {
                    const T* cr = mr + c * D + r0;
                    const T* ci = mi + c * D + r0;
#pragma GCC unroll 16
                    for (unsigned r = 0; r < R; ++r) {
                        acc[r] = V::fma_scalar(cr[r], v[c], acc[r]);
                        acc[r] = V::fma_scalar(ci[r], iv[c], acc[r]);
                    }
                }
                exchange.blocks(acc, R);
#pragma GCC unroll 16
                for (unsigned r = 0; r < R; ++r) V::store(p + 2 * (base + site.offsets[r0 + r]), acc[r]);
            }
        }
    }
}

/// Dense gates of 1 or 2 qubits whose entries are each real or purely imaginary, the pattern
/// known at compile time (Imag: bit r * 2^K + c set where entry (r, c) is imaginary; none for a
/// real matrix). Each entry takes one FMA per register instead of dense_pairs_or_rows' two: a
/// real entry x multiplies the input, an imaginary one i y the input's swap (im, re) by
/// (-y, y) lane by lane; only the inputs of a column with an imaginary entry are swapped. H, RY
/// and real rotations (Imag 0) take half the FMAs and no swap, RX (an imaginary off-diagonal,
/// Imag 0b0110) half the FMAs. Targets inside the register as in dense_pairs_or_rows (L).
/// Real (default: every entry not in Imag) says which entries have a real part: an entry in
/// both masks is a general complex number and takes both products
/// (KernelTable::dense_two_complex).
///
/// Cost per group of 2^K registers: one FMA per bit of Real and of Imag, and a swap per column
/// with an imaginary part.
template <class V, unsigned K, unsigned Imag, unsigned L = 0, unsigned Real = ~Imag & ((1u << (1u << (2 * K))) - 1)>
void dense_split_entries_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                                const std::complex<typename V::T>* data, const std::uint8_t*, std::uint64_t begin,
                                std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned D = 1u << K;
    static_assert(K <= 2 && L <= K, "every entry's register is held");
    const Exchanges<V, L> exchange(site);
    const SiteWalk<D> walk(site, V::log2_width);
    constexpr auto imaginary = [](unsigned r, unsigned c) { return (Imag >> (r * D + c) & 1u) != 0; };
    constexpr auto real = [](unsigned r, unsigned c) { return (Real >> (r * D + c) & 1u) != 0; };
    constexpr auto swapped = [imaginary](unsigned c) {
        bool any = false;
        for (unsigned r = 0; r < D; ++r) any = any || imaginary(r, c);
        return any;
    };
    reg coef[D * D], icoef[D * D];  // (x, x) for the real part, (-y, y) for the imaginary one
    for (unsigned r = 0; r < D; ++r)
        for (unsigned c = 0; c < D; ++c) {
            coef[r * D + c] = V::set1(data[r * D + c].real());
            icoef[r * D + c] = V::times_i(V::set1(data[r * D + c].imag()));
        }
    T* p = reinterpret_cast<T*>(psi);
    std::uint64_t base = site.base(begin << V::log2_width);
    auto groups = [&]<unsigned NG, bool Far>() {
        std::uint64_t bases[NG];
        for (unsigned q = 0; q < NG; ++q, base = walk.next(base)) bases[q] = 2 * base;
        reg v[NG][D], sv[NG][D], acc[NG][D];
#pragma GCC unroll 4
        for (unsigned q = 0; q < NG; ++q) {
#pragma GCC unroll 4
            for (unsigned j = 0; j < D; ++j) v[q][j] = V::load(p + bases[q] + walk.offset[j]);
            exchange.blocks(v[q], D);
#pragma GCC unroll 4
            for (unsigned j = 0; j < D; ++j) sv[q][j] = swapped(j) ? V::swap(v[q][j]) : v[q][j];
        }
#pragma GCC unroll 4
        for (unsigned r = 0; r < D; ++r)
#pragma GCC unroll 4
            for (unsigned q = 0; q < NG; ++q) {
                bool first = true;
#pragma GCC unroll 4
                for (unsigned c = 0; c < D; ++c) {
                    if (real(r, c)) {
                        acc[q][r] = first ? V::times(coef[r * D + c], v[q][c])
                                          : V::fmadd(coef[r * D + c], v[q][c], acc[q][r]);
                        first = false;
                    }
                    if (imaginary(r, c)) {
                        acc[q][r] = first ? V::times(icoef[r * D + c], sv[q][c])
                                          : V::fmadd(icoef[r * D + c], sv[q][c], acc[q][r]);
                        first = false;
                    }
                }
            }
#pragma GCC unroll 4
        for (unsigned q = 0; q < NG; ++q) {
            exchange.blocks(acc[q], D);
            store_group<V, D, Far>(p + bases[q], walk.offset, acc[q]);
        }
    };
    // One group at a time in cache (in pairs the two-complex forms ran the same, the others
    // slower).
    constexpr bool singles = K == 1 && L == 0;
    in_pairs_far<V, K, L, singles>(site, psi, D, begin, end, groups);
}

/// KernelTable::dense_two_complex[Pattern]: dense_split_entries_kernel with both parts of two
/// entries (the diagonal, or from Pattern 4 the off-diagonal) and one of each other, the first
/// of these imaginary where bit 0 of Pattern is set, the second where bit 1 is.
template <class V, unsigned Pattern>
constexpr typename KernelTable<typename V::T>::Kernel dense_two_complex_for() {
    constexpr unsigned any = Pattern < 4 ? 0b1001 : 0b0110, first = Pattern < 4 ? 0b0010 : 0b0001,
                       second = Pattern < 4 ? 0b0100 : 0b1000;
    constexpr unsigned imag = any | ((Pattern & 1u) != 0 ? first : 0u) | ((Pattern & 2u) != 0 ? second : 0u);
    constexpr unsigned real = any | ((Pattern & 1u) != 0 ? 0u : first) | ((Pattern & 2u) != 0 ? 0u : second);
    return &dense_split_entries_kernel<V, 1, imag, 0, real>;
}

enum class LanePairForm { general, real, rx };

/// A 1-qubit gate whose target lies inside the register (for the exchanged dense kernel's
/// K = L = 1 and the real and RX forms of dense_split_entries_kernel): each register on its
/// own, its lanes against their partners' (V::permute by the target's lane bit) with a
/// coefficient register per term, lane l taking row (l's target bit) of the matrix. Exchanging
/// two registers' lanes before the product and again after it, as the exchanged kernels do,
/// cost four two-source shuffles a group besides the product's own: at 10 qubits in double on
/// Zen 4 (one thread) RX and RY on qubit 0 or 1 took 260-290 ns that way against 175-190 on
/// higher qubits, and the general gate 385 against 320. A group is still the exchanged
/// kernel's pair of registers (the free qubit just above the register is the site's).
/// Cost per register: general 4 FMAs and 3 shuffles, real 2 FMAs and 1 shuffle, RX 2 FMAs and
/// 2 shuffles.
template <class V, LanePairForm Form>
void lane_pair_kernel(std::complex<typename V::T>* psi, const SiteLayout& site, const std::complex<typename V::T>* data,
                      const std::uint8_t*, std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned W = 1u << V::log2_width;
    const unsigned bit = site.exchanged_lanes[0];
    const typename V::lanes partner = V::xor_lanes(bit);
    // Lane l's own entry a (the diagonal) and its partner's b: the real parts in both halves of
    // the lane, the imaginary ones as (-im, im), to multiply the swapped input.
    alignas(64) T ar[2 * W], ai[2 * W], br[2 * W], bi[2 * W];
    for (unsigned l = 0; l < W; ++l) {
        const unsigned row = (l & bit) != 0 ? 1u : 0u;
        const std::complex<T> a = data[3 * row], b = data[row + 1];  // (row, row) and (row, 1 - row)
        ar[2 * l] = ar[2 * l + 1] = a.real();
        ai[2 * l] = -a.imag(), ai[2 * l + 1] = a.imag();
        br[2 * l] = br[2 * l + 1] = b.real();
        bi[2 * l] = -b.imag(), bi[2 * l + 1] = b.imag();
    }
    const reg are = V::load(ar), aim = V::load(ai), bre = V::load(br), bim = V::load(bi);
    const auto product = [&](reg x) {
        const reg px = V::permute(x, partner);
        if constexpr (Form == LanePairForm::real)
            return V::fmadd(bre, px, V::times(are, x));
        else if constexpr (Form == LanePairForm::rx)
            return V::fmadd(bim, V::swap(px), V::times(are, x));
        else
            return V::fmadd(bim, V::swap(px), V::fmadd(bre, px, V::fmadd(aim, V::swap(x), V::times(are, x))));
    };
    T* p = reinterpret_cast<T*>(psi);
    const SiteWalk<2> walk(site, V::log2_width);
    std::uint64_t base = site.base(begin << V::log2_width);
    auto groups = [&]<unsigned NG>() {
        for (unsigned q = 0; q < NG; ++q, base = walk.next(base)) {
            T* at = p + 2 * base;
            const reg x0 = V::load(at + walk.offset[0]), x1 = V::load(at + walk.offset[1]);
            V::store(at + walk.offset[0], product(x0));
            V::store(at + walk.offset[1], product(x1));
        }
    };
    in_pairs<V, true>(site, psi, 2, begin, end, groups);
}

/// dense_split_entries_kernel for L targets inside the register, where the table has the
/// general exchanged kernel of the same width (null otherwise, as there).
template <class V, unsigned K, unsigned Imag, unsigned L>
constexpr typename KernelTable<typename V::T>::Kernel dense_split_entries_for() {
    if constexpr (L > K || (L > 0 && (V::log2_width == 0 || L > V::log2_width)))
        return nullptr;
    else if constexpr (K == 1 && L == 1)
        return &lane_pair_kernel<V, Imag == 0 ? LanePairForm::real : LanePairForm::rx>;
    else
        return &dense_split_entries_kernel<V, K, Imag, L>;
}

/// Whether the K-qubit dense kernel of a table whose Gauss form starts at `GaussFrom` qubits
/// (DenseProducts: 4 for four products, 2 for three) is dense_gauss_kernel, where V has it; for
/// states in cache (KernelTable::dense_in_cache) or any (dense). The 3-qubit Gauss kernel is for
/// states in cache only: on the highest qubits of 2^25 amplitudes and more it ran 25-60% slower
/// than dense_pairs_or_rows on Zen 4 (both far from the memory pass there; at 2^18-2^24 they
/// were level), while in L2 it was 5-14% faster.
template <class V, unsigned K, unsigned GaussFrom, bool InCache>
constexpr bool uses_gauss() {
    if constexpr (requires { requires V::gauss; })
        return K >= GaussFrom && K <= 5 && (K != 3 || GaussFrom > 3 || InCache);
    else
        return false;
}

/// The rows dense_gauss_kernel takes at a time in such a table, 0 where the table's kernel is
/// not that one. With 32 registers the four-product table takes 8 (24 sums in registers, the
/// inputs read back from L1 once per column), the three-product one 4: on Zen 4, which loads
/// more per cycle, the smaller blocks ran 7% faster at 3 qubits, 4-10% at 4 and 1-2% at 5
/// (bench_kernels' BM_ApplyInCache, AVX-512); not measured on the Intel machine, whose two load
/// ports the FMAs' broadcast entries already keep busy. At 3 qubits the three-product table
/// takes 2: the 24 inputs and 6 sums then fit the 32 registers with nothing spilled, and on
/// Zen 4 BM_ApplyInCache/class:dense/k:3 (products:three, double) ran in 920-937 us instead
/// of 1103-1179 on the highest qubits and 1016-1040 instead of 1217-1228 with a target on
/// qubit 0 (three alternating rounds); at 4 and 5 qubits, whose inputs spill anyway, 2 rows
/// took 30-50% longer. With 16 registers both take 4.
template <class V, unsigned K, unsigned GaussFrom, bool InCache>
constexpr unsigned gauss_rows() {
    if constexpr (!uses_gauss<V, K, GaussFrom, InCache>())
        return 0;
    else if constexpr (V::registers >= 32 && GaussFrom > 2)
        return std::min(8u, 1u << K);
    else if constexpr (V::registers >= 32 && K == 3)
        return 2;
    else
        return std::min(4u, 1u << K);
}

/// The skewed kernels of a table (KernelTable::dense_skewed, permutation_skewed): null for the
/// scalar table; dense ones only in the tables of three products (GaussFrom 2: DenseProducts),
/// whose 2- and 3-qubit gates are Gauss's anyway, and for K = 2..3 only: skewed, the 4- and
/// 5-qubit gates took 5-25% longer in scratch builds on the Zen 4 machine (though bench_kernels'
/// BM_ApplyAt at n = 26 in double has them at 74-80 and 129-139 ms on lower qubits and 113 and
/// 177 ms on the highest, one run). They take the rows of the Gauss kernel in cache
/// (gauss_rows; 2 at 3 qubits with 32 registers): against the 8 the 3-qubit one took before,
/// three alternating rounds of bench_kernels at n = 26 (BM_Apply/class:dense/k:3/controls:0
/// and BM_ApplySkewed/class:dense/k:3/first:2[23]/skew:1) gave 51.9-59.1 ms against 56.0-67.6
/// in double and 25.1-33.3 against 28.0-34.3 in single. Permutations for K = 2..4: the 5-qubit
/// one (32 rows, 256 KiB of ring, 128 prefetches a step) took about twice as long skewed (a
/// scratch build).
template <class V, unsigned K, unsigned GaussFrom>
constexpr typename KernelTable<typename V::T>::SkewedKernel dense_skewed_for() {
    if constexpr (requires { requires V::gauss; }) {
        if constexpr (K >= 2 && K <= 3 && GaussFrom <= 2)
            return &dense_skewed_kernel<V, K, gauss_rows<V, K, GaussFrom, true>()>;
    }
    return nullptr;
}

template <class V, unsigned K>
constexpr typename KernelTable<typename V::T>::SkewedKernel permutation_skewed_for() {
    if constexpr (V::log2_width > 0 && K >= 2 && K <= 4)
        return &permutation_skewed_kernel<V, K>;
    else
        return nullptr;
}

/// The strip kernels of a table (KernelTable::permutation_strips): K = 5 and 6, null for the
/// scalar table. At 4 qubits, in scratch builds with the strips in place of the skewed kernel
/// (bench_kernels, n = 26), they lost to the plain kernel on qubits 9-12 to 20-23 (46-51
/// against 34-43 ms in double) and tied with the skewed one on the highest (four alternating
/// rounds: 47-51 against 45-61 ms in double, 23-31 against 26-34 in single).
template <class V, unsigned K>
constexpr typename KernelTable<typename V::T>::SkewedKernel permutation_strips_for() {
    if constexpr (V::log2_width > 0 && K >= 5)
        return &permutation_strips_kernel<V, K>;
    else
        return nullptr;
}

/// The dense kernel of a table: dense_gauss_kernel with `Rows` rows at a time (gauss_rows), or
/// dense_pairs_or_rows for Rows = 0. (The rows rather than GaussFrom, so that both tables share
/// the kernels they have in common.)
template <class V, unsigned K, unsigned Rows>
void dense_kernel(std::complex<typename V::T>* psi, const SiteLayout& site, const std::complex<typename V::T>* data,
                  const std::uint8_t*, std::uint64_t begin, std::uint64_t end) {
    if constexpr (Rows > 0)
        dense_gauss_kernel<V, K, 0, Rows>(psi, site, data, begin, end);
    else
        dense_pairs_or_rows<V, K>(psi, site, data, begin, end);
}

/// The dense kernel of a gate whose first L targets stand for qubits inside the register (the
/// Gauss form stores its rows in blocks of 2^L from two groups at once: only for L < K).
template <class V, unsigned K, unsigned L, unsigned Rows>
void dense_exchanged_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                            const std::complex<typename V::T>* data, const std::uint8_t*, std::uint64_t begin,
                            std::uint64_t end) {
    if constexpr (Rows > 0 && L < K)
        dense_gauss_kernel<V, K, L, Rows>(psi, site, data, begin, end);
    else
        dense_pairs_or_rows<V, K, L>(psi, site, data, begin, end);
}

/// A diagonal gate's amplitudes whose entry is exactly 1 are neither read nor written, and
/// those whose entry is -1 are negated (a product by -1, exact): a phase gate (S, T, P) touches
/// half of its site's amplitudes, a controlled Z a quarter (its control half, as a controlled
/// gate, and of that the half where Z is -1), each with one operation per register.
template <class V, unsigned K>
void diagonal_kernel(std::complex<typename V::T>* psi, const SiteLayout& site, const std::complex<typename V::T>* data,
                     const std::uint8_t*, std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using C = std::complex<T>;
    constexpr unsigned D = 1u << K;
    unsigned touched[D], count = 0;
    bool signs = true;
    for (unsigned j = 0; j < D; ++j)
        if (data[j] != C(1)) {
            touched[count++] = j;
            signs = signs && data[j] == C(-1);
        }
    T* p = reinterpret_cast<T*>(psi);
    std::uint64_t base = site.base(begin << V::log2_width);
    if (count == 0) return;
    const std::uint64_t one_stream_amplitudes =
        std::max<std::uint64_t>(1, far_distances().one_stream / (2 * sizeof(T)));
    if ((site.site_mask & (one_stream_amplitudes - 1)) == 0) {
        // Every target and control far up: each entry's amplitudes on their own, one stream
        // at a time (see kOneStreamBytes), in runs of contiguous groups.
        const SiteWalk<0> walk(site, V::log2_width);
        const T minus_one = -1;
        const typename V::reg negative = V::set1(minus_one);
        for (unsigned t = 0; t < count; ++t) {
            const std::uint64_t offset = site.offsets[touched[t]];
            const typename V::bcast d = V::broadcast(data[touched[t]]);
            Lookahead<V> ahead(site, psi, 1, begin, end, &offset);
            std::uint64_t b = base;
            for (std::uint64_t g = begin; g < end; ++g, b = walk.next(b)) {
                ahead.step();
                T* a = p + 2 * (b + offset);
                V::store(a, signs ? V::times(negative, V::load(a)) : V::mul(d, V::load(a)));
            }
        }
        return;
    }
    if (count == D && !signs) {
        const SiteWalk<D> walk(site, V::log2_width);
        typename V::bcast d[D];
        for (unsigned j = 0; j < D; ++j) d[j] = V::broadcast(data[j]);
        Lookahead<V> ahead(site, psi, D, begin, end);
        for (std::uint64_t g = begin; g < end; ++g, base = walk.next(base)) {
            ahead.step();
            for (unsigned j = 0; j < D; ++j) {
                T* a = p + 2 * base + walk.offset[j];
                V::store(a, V::mul(d[j], V::load(a)));
            }
        }
        return;
    }
    std::uint64_t offset[D];
    for (unsigned t = 0; t < count; ++t) offset[t] = site.offsets[touched[t]];
    Lookahead<V> ahead(site, psi, count, begin, end, offset);
    std::uint64_t reals[D]{};  // the offsets in reals; Lookahead keeps reading `offset`
    for (unsigned t = 0; t < count; ++t) reals[t] = 2 * offset[t];
    if (signs) {
        const T minus_one = -1;
        const typename V::reg negative = V::set1(minus_one);
        each_group<V>(site, ahead, begin, end, [&](std::uint64_t b) {
            for (unsigned t = 0; t < count; ++t) {
                T* a = p + 2 * b + reals[t];
                V::store(a, V::times(negative, V::load(a)));
            }
        });
        return;
    }
    typename V::bcast d[D];
    for (unsigned t = 0; t < count; ++t) d[t] = V::broadcast(data[touched[t]]);
    each_group<V>(site, ahead, begin, end, [&](std::uint64_t b) {
        for (unsigned t = 0; t < count; ++t) {
            T* a = p + 2 * b + reals[t];
            V::store(a, V::mul(d[t], V::load(a)));
        }
    });
}

/// KernelTable::diagonal_sweep: a diagonal gate whose site qubits all lie at or above the
/// register, as one pass in address order over the runs of 2^p amplitudes (p the lowest site
/// qubit) that sweep_runs gives, over each of which the entry is one number; [begin, end)
/// counts those runs. Runs whose entry is 1 are skipped, those of -1 negated. The group kernel
/// (diagonal_kernel) reads and writes a group's 2^k amplitudes together, 2^k streams as far
/// apart as the targets: below kOneStreamBytes, on the Zen 4 machine at n = 26 in double, 4
/// targets on qubits 9-12 took 57-61 ms and 5 on 9-13 73 ms, against 23-44 ms from qubit 13
/// up, whose entries diagonal_kernel takes one stream at a time; this kernel takes 21-46 ms at
/// every height, the memory's two modes (bench_kernels' BM_ApplyAt/class:diagonal, two
/// alternating rounds).
/// Cost: one read and write of each amplitude whose entry is not 1, and per run visited the
/// entry's index from its k target bits.
template <class V>
void diagonal_sweep_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                           const std::complex<typename V::T>* data, const std::uint8_t*, std::uint64_t begin,
                           std::uint64_t end) {
    using T = typename V::T;
    using C = std::complex<T>;
    using reg = typename V::reg;
    constexpr unsigned W = 1u << V::log2_width;
    const SweepRuns runs = sweep_runs(site, data);
    const unsigned k = site.k;
    unsigned target[kMaxTargets];
    for (unsigned b = 0; b < k; ++b) target[b] = unsigned(std::countr_zero(site.offsets[1u << b]));
    enum Kind : std::uint8_t { identity, negate, general };
    Kind kind[1u << kMaxTargets];
    typename V::bcast d[1u << kMaxTargets];
    for (unsigned j = 0; j < (1u << k); ++j) {
        kind[j] = data[j] == C(1) ? identity : data[j] == C(-1) ? negate : general;
        d[j] = V::broadcast(data[j]);
    }
    const reg negative = V::set1(T(-1));
    const std::uint64_t registers = (std::uint64_t{1} << runs.p) / W;
    // Run r's amplitude index, and the next visited run's, as SiteLayout::base and next_base
    // with the fixed bits for the site's.
    const auto first = [&](std::uint64_t r) { return insert_zero_bits(r << runs.p, runs.mask) | runs.value; };
    const auto next = [&](std::uint64_t i) { return next_with_fixed(i, runs.mask, runs.value, runs.p); };
    // Runs shorter than a page, not all visited, are prefetched 8 KiB ahead, as Lookahead
    // does for the group kernels: a controlled phase on qubits 3 and 20 of 24 (runs of 128
    // bytes, every other one visited) took 7.0-7.2 ms without and 5.4 with (a scratch harness,
    // one thread per run; the hardware prefetcher does not follow that stride). Where every
    // run is visited the pass is one sequential stream, which the hardware prefetches.
    const std::uint64_t run_bytes = sizeof(C) << runs.p;
    const bool prefetch = run_bytes < 4096 && runs.mask != 0;
    // Targets on qubits p, p + 1, ... in order (the usual case): the entry's index is a field.
    bool field = true;
    for (unsigned b = 0; b < k; ++b) field = field && target[b] == runs.p + b;
    const unsigned field_mask = (1u << k) - 1;
    std::uint64_t ahead = first(begin + (prefetch ? 8192 / run_bytes : 0));
    T* q = reinterpret_cast<T*>(psi);
    std::uint64_t i = first(begin);
    for (std::uint64_t run = begin; run < end; ++run, i = next(i)) {
        if (prefetch) {
            // Past the state near the end (an integer, as in Lookahead): a prefetch does not fault.
            const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(psi) + sizeof(C) * ahead;
            for (std::uint64_t line = 0; line < run_bytes; line += 64)
                __builtin_prefetch(reinterpret_cast<const void*>(at + line), 1, 3);
            ahead = next(ahead);
        }
        unsigned j = unsigned(i >> runs.p) & field_mask;
        if (!field) {
            j = 0;
            for (unsigned b = 0; b < k; ++b) j |= unsigned(i >> target[b] & 1u) << b;
        }
        T* a = q + 2 * i;
        if (kind[j] == negate) {
            for (std::uint64_t r = 0; r < registers; ++r) V::store(a + 2 * W * r, V::times(negative, V::load(a + 2 * W * r)));
        } else if (kind[j] == general) {
            const typename V::bcast e = d[j];
            for (std::uint64_t r = 0; r < registers; ++r) V::store(a + 2 * W * r, V::mul(e, V::load(a + 2 * W * r)));
        }
    }
}

/// KernelTable::permutation_blocks: a permutation whose site qubits (targets and controls) all
/// lie at or above the register and below kPermutationBlockBytes, over the blocks [begin, end)
/// of 2^(h + 1) amplitudes, h its highest site qubit. Each block is read into a buffer in L1 in
/// address order, then every register that moves or changes phase is written in address order
/// from its source in the buffer: one pass over memory in address order, where the group kernel
/// takes each group's rows across the block. Cost per block: a load and a store in L1 per
/// register; per call, the table of sources (an entry per register of a block).
template <class V>
void permutation_blocks_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                               const std::complex<typename V::T>* data, const std::uint8_t* perm, std::uint64_t begin,
                               std::uint64_t end) {
    using T = typename V::T;
    constexpr std::uint64_t W = std::uint64_t{1} << V::log2_width, reals = 2 * W;
    constexpr unsigned kMaxRegisters = kPermutationBlockBytes / (reals * sizeof(T));
    const unsigned h = 63 - unsigned(std::countl_zero(site.site_mask));
    const unsigned registers = unsigned((std::uint64_t{2} << h) / W);
    // Register moved[t] of a block takes register from[t] times phases[phase_of[t]] (phase_of 0:
    // no product), for the `count` registers that move or change phase.
    unsigned from[kMaxRegisters], moved[kMaxRegisters], count = 0;
    unsigned char phase_of[kMaxRegisters];
    std::complex<T> phases[(1u << kMaxTargets) + 1];
    unsigned row_at[1u << kMaxTargets];  // the row whose amplitudes go to row j: perm's inverse
    for (unsigned j = 0; j < (1u << site.k); ++j) row_at[perm[j]] = j;
    for (unsigned j = 0; j < (1u << site.k); ++j) phases[j + 1] = data[j];
    std::uint64_t target_mask = 0;
    for (unsigned b = 0; b < site.k; ++b) target_mask |= site.offsets[1u << b];
    const std::uint64_t ctrl_mask = site.site_mask & ~target_mask;
    for (unsigned r = 0; r < registers; ++r) {
        const std::uint64_t i = std::uint64_t{r} * W;
        if ((i & ctrl_mask) != site.ctrl_value) continue;
        unsigned j = 0;  // the row of i
        for (unsigned b = 0; b < site.k; ++b) j |= (i & site.offsets[1u << b]) != 0 ? 1u << b : 0u;
        const unsigned source = row_at[j];
        if (source == j && data[source] == std::complex<T>(1)) continue;
        from[count] = unsigned((i - site.offsets[j] + site.offsets[source]) / W);
        phase_of[count] = data[source] == std::complex<T>(1) ? 0 : static_cast<unsigned char>(source + 1);
        moved[count++] = r;
    }
    if (count == 0) return;
    alignas(64) T buffer[kPermutationBlockBytes / sizeof(T)];
    T* p = reinterpret_cast<T*>(psi);
    for (std::uint64_t block = begin; block < end; ++block) {
        T* at = p + (block << (h + 2));  // 2^(h + 1) amplitudes, two reals each
        for (unsigned r = 0; r < registers; ++r) V::store(buffer + r * reals, V::load(at + r * reals));
        for (unsigned t = 0; t < count; ++t) {
            const typename V::reg v = V::load(buffer + from[t] * reals);
            V::store(at + moved[t] * reals, phase_of[t] == 0 ? v : V::mul(V::broadcast(phases[phase_of[t]]), v));
        }
    }
}

template <class V>
constexpr typename KernelTable<typename V::T>::Kernel permutation_blocks_for() {
    if constexpr (V::log2_width > 0)
        return &permutation_blocks_kernel<V>;
    else
        return nullptr;
}

template <class V, unsigned K>
void permutation_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                        const std::complex<typename V::T>* data, const std::uint8_t* perm, std::uint64_t begin,
                        std::uint64_t end) {
    using T = typename V::T;
    constexpr unsigned D = 1u << K;
    typename V::bcast ph[D];
    for (unsigned j = 0; j < D; ++j) ph[j] = V::broadcast(data[j]);
    // X, CX, SWAP, CCX, ...: every phase 1, so the amplitudes only move (at 5 qubits the 32
    // phases would not even fit in the registers beside the inputs).
    bool moves_only = true;
    for (unsigned j = 0; j < D; ++j) moves_only = moves_only && data[j].real() == T(1) && data[j].imag() == T(0);
    const SiteWalk<D> walk(site, V::log2_width);
    std::uint64_t to[D];
    for (unsigned j = 0; j < D; ++j) to[j] = walk.offset[perm[j]];
    T* p = reinterpret_cast<T*>(psi);
    std::uint64_t base = site.base(begin << V::log2_width);
    if (streams_far_half<V, K, 0>(site)) {  // X, Y, CX, ... with the target far up: see in_pairs_far
        const std::uint64_t upper = walk.offset[1];
        for (std::uint64_t g = begin; g < end; ++g, base = walk.next(base)) {
            T* const at = p + 2 * base;
            typename V::reg v[D];
            for (unsigned j = 0; j < D; ++j) v[j] = V::load(at + walk.offset[j]);
            for (unsigned j = 0; j < D; ++j) {
                const typename V::reg out = moves_only ? v[j] : V::mul(ph[j], v[j]);
                if (to[j] == upper)
                    V::stream(at + to[j], out);
                else
                    V::store(at + to[j], out);
            }
        }
        V::fence();
        return;
    }
    // SWAP, CSWAP, ...: amplitudes that stay in place with phase 1 are neither read nor
    // written (half of a SWAP's), as in diagonal_kernel.
    std::uint64_t moved[D], moved_from[D], moved_to[D];  // amplitudes (for Lookahead); reals
    typename V::bcast moved_phase[D];
    unsigned count = 0;
    for (unsigned j = 0; j < D; ++j)
        if (perm[j] != j || data[j] != std::complex<T>(1)) {
            moved[count] = site.offsets[j];
            moved_from[count] = walk.offset[j];
            moved_phase[count] = ph[j];
            moved_to[count++] = to[j];
        }
    if (count == 0) return;  // the identity (X X fused, say)
    if constexpr (K >= 5) {
        // The amplitudes of two neighbouring groups at a time, along the permutation's
        // cycles: two registers held per group instead of all 2^K, which spilled, and where
        // the lowest target lies above the lowest free qubit the two groups' registers are
        // neighbours, so that a group's lines are not read every other one and the others after
        // them. bench_kernels at n = 26, two alternating rounds: a 5-qubit permutation with
        // phases on qubits 3-7 (BM_ApplyLowQubits) 59-60 -> 42-45 ms in double, on the highest
        // qubits (BM_Apply) 35-38 -> 30 ms in single, the others unchanged within the noise; at
        // 4 qubits no gain.
        std::uint64_t cycle_at[D], cycle_to[D];  // reals: the t-th amplitude visited, and where it goes
        typename V::bcast cycle_phase[D];
        unsigned cycle_end[D], cycles = 0, visited = 0;
        for_each_cycle<D>(data, perm, [&](const unsigned* cycle, unsigned length) {
            for (unsigned m = 0; m < length; ++m) {
                cycle_at[visited] = walk.offset[cycle[m]];
                cycle_to[visited] = to[cycle[m]];
                cycle_phase[visited++] = ph[cycle[m]];
            }
            cycle_end[cycles++] = visited;
        });
        const auto groups = [&]<unsigned NG>() {
            T* at[NG];
            for (unsigned q = 0; q < NG; ++q, base = walk.next(base)) at[q] = p + 2 * base;
            for (unsigned c = 0, t0 = 0; c < cycles; t0 = cycle_end[c++]) {
                // Amplitude cycle_at[t] goes to cycle_to[t], which is cycle_at[t + 1] (and
                // the last one's to the first's): carry each along before overwriting it.
                typename V::reg carry[NG];
                for (unsigned q = 0; q < NG; ++q) carry[q] = V::load(at[q] + cycle_at[t0]);
                for (unsigned t = t0; t + 1 < cycle_end[c]; ++t)
                    for (unsigned q = 0; q < NG; ++q) {
                        const typename V::reg next = V::load(at[q] + cycle_at[t + 1]);
                        V::store(at[q] + cycle_to[t], moves_only ? carry[q] : V::mul(cycle_phase[t], carry[q]));
                        carry[q] = next;
                    }
                const unsigned last = cycle_end[c] - 1;
                for (unsigned q = 0; q < NG; ++q)
                    V::store(at[q] + cycle_to[last], moves_only ? carry[q] : V::mul(cycle_phase[last], carry[q]));
            }
        };
        in_pairs<V>(site, psi, count, begin, end, groups, count < D ? moved : nullptr);
        return;
    }
    if (count < D) {
        Lookahead<V> ahead(site, psi, count, begin, end, moved);
        for (std::uint64_t g = begin; g < end; ++g, base = walk.next(base)) {
            ahead.step();
            T* const at = p + 2 * base;
            typename V::reg v[D];
            for (unsigned t = 0; t < count; ++t) v[t] = V::load(at + moved_from[t]);
            for (unsigned t = 0; t < count; ++t)
                V::store(at + moved_to[t], moves_only ? v[t] : V::mul(moved_phase[t], v[t]));
        }
        return;
    }
    Lookahead<V> ahead(site, psi, D, begin, end);
    for (std::uint64_t g = begin; g < end; ++g, base = walk.next(base)) {
        ahead.step();
        T* const at = p + 2 * base;
        typename V::reg v[D];
        for (unsigned j = 0; j < D; ++j) v[j] = V::load(at + walk.offset[j]);
        if (moves_only)
            for (unsigned j = 0; j < D; ++j) V::store(at + to[j], v[j]);
        else
            for (unsigned j = 0; j < D; ++j) V::store(at + to[j], V::mul(ph[j], v[j]));
    }
}

/// Site qubits inside the register: every output block is a sum of lane-wise complex products
/// of input blocks with their lanes exchanged (see LowSiteGate). Each exchanged input x and its
/// swap s = (im, re) are formed once per group; a term then costs two FMAs with its coefficient
/// registers, the real parts times x into one sum and the imaginary parts times s into another,
/// which is i times their share with the real lanes' sign flipped: the closing fmaddsub(acc, 1,
/// iacc) subtracts it in the real lanes and adds it in the imaginary ones.
template <class V>
void low_kernel(std::complex<typename V::T>* psi, const SiteLayout& site, const LowSiteGate<typename V::T>& gate,
                std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned W = 1u << V::log2_width;
    typename V::lanes lanes[W];
    for (unsigned d = 0; d < gate.num_deltas; ++d) lanes[d] = V::xor_lanes(gate.deltas[d]);
    T* p = reinterpret_cast<T*>(psi);
    reg x[1u << kMaxTargets], sx[1u << kMaxTargets];
    const unsigned nd = gate.num_deltas;
    const reg one = V::set1(T(1));
    std::uint64_t base = site.base(begin << V::log2_width);
    Lookahead<V> ahead(site, psi, gate.blocks, begin, end);
    for (std::uint64_t g = begin; g < end; ++g, base = site.next_base(base, V::log2_width)) {
        ahead.step();
        for (unsigned c = 0; c < gate.blocks; ++c) {
            const reg v = V::load(p + 2 * (base + site.offsets[c]));
            x[c * nd] = v;
            sx[c * nd] = V::swap(v);
            for (unsigned d = 1; d < nd; ++d) {
                x[c * nd + d] = V::permute(v, lanes[d]);
                sx[c * nd + d] = V::swap(x[c * nd + d]);
            }
        }
        for (unsigned r = 0; r < gate.blocks; ++r) {
            reg acc = V::zero(), iacc = V::zero();  // two chains, half as long
            for (unsigned t = gate.term_begin[r]; t < gate.term_begin[r + 1]; ++t) {
                const auto& term = gate.terms[t];
                acc = V::fmadd(V::load(term.coef), x[term.input], acc);
                iacc = V::fmadd(V::load(term.coef + 2 * W), sx[term.input], iacc);
            }
            V::store(p + 2 * (base + site.offsets[r]), V::fmaddsub(acc, one, iacc));  // acc + i iacc
        }
    }
}

/// low_kernel for a diagonal gate: block r's only term is block r itself, unexchanged.
template <class V>
void low_diagonal_kernel(std::complex<typename V::T>* psi, const SiteLayout& site,
                         const LowSiteGate<typename V::T>& gate, std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned W = 1u << V::log2_width;
    // As diagonal_kernel: blocks whose every lane is 1 are skipped, and where every other block
    // is of real signs, a product by their +1/-1 lanes (the real parts' register, each value
    // duplicated) replaces the complex one.
    unsigned touched[1u << kMaxTargets], count = 0;
    std::uint64_t offset[1u << kMaxTargets];
    bool signs = true;
    for (unsigned r = 0; r < gate.blocks; ++r)
        if (gate.diagonal_kinds[r] != LowSiteGate<T>::identity) {
            signs = signs && gate.diagonal_kinds[r] == LowSiteGate<T>::signs;
            offset[count] = site.offsets[r], touched[count++] = r;
        }
    if (count == 0) return;
    T* p = reinterpret_cast<T*>(psi);
    Lookahead<V> ahead(site, psi, count, begin, end, offset);
    std::uint64_t reals[1u << kMaxTargets];  // the offsets in reals; Lookahead keeps reading `offset`
    for (unsigned t = 0; t < count; ++t) reals[t] = 2 * offset[t];
    // One or two touched blocks (a CZ, a phase gate) keep their coefficients in registers: a
    // loop of a few instructions per register, the whole run of a 10-qubit state. N = 0: any
    // number, their coefficients read from L1.
    const auto sweep = [&]<unsigned N, bool Signs>() {
        reg re[N > 0 ? N : 1], im[N > 0 ? N : 1];
        for (unsigned t = 0; t < N; ++t) {
            re[t] = V::load(gate.terms[touched[t]].coef);
            im[t] = V::load(gate.terms[touched[t]].coef + 2 * W);
        }
        each_group<V>(site, ahead, begin, end, [&](std::uint64_t b) {
            for (unsigned t = 0; t < (N > 0 ? N : count); ++t) {
                T* at = p + 2 * b + reals[t];
                const T* coef = gate.terms[touched[t]].coef;
                const reg x = N > 0 ? re[t] : V::load(coef), y = N > 0 ? im[t] : V::load(coef + 2 * W);
                V::store(at, Signs ? V::times(x, V::load(at)) : V::mul(typename V::bcast{x, y}, V::load(at)));
            }
        });
    };
    if (count == 1)
        signs ? sweep.template operator()<1, true>() : sweep.template operator()<1, false>();
    else if (count == 2)
        signs ? sweep.template operator()<2, true>() : sweep.template operator()<2, false>();
    else
        signs ? sweep.template operator()<0, true>() : sweep.template operator()<0, false>();
}

/// low_kernel for NB blocks and ND lane exchanges known at compile time: every term, zeros
/// included, in fixed loops that unroll, with the coefficients read in order.
template <class V, unsigned NB, unsigned ND>
void low_kernel_fixed(std::complex<typename V::T>* psi, const SiteLayout& site, const LowSiteGate<typename V::T>& gate,
                      std::uint64_t begin, std::uint64_t end) {
    using T = typename V::T;
    using reg = typename V::reg;
    constexpr unsigned W = 1u << V::log2_width;
    typename V::lanes lanes[ND];
    for (unsigned d = 0; d < ND; ++d) lanes[d] = V::xor_lanes(gate.deltas[d]);
    T* p = reinterpret_cast<T*>(psi);
    const T* coefs = gate.dense_coefs;
    const reg one = V::set1(T(1));
    std::uint64_t base = site.base(begin << V::log2_width);
    Lookahead<V> ahead(site, psi, NB, begin, end);
    for (std::uint64_t g = begin; g < end; ++g, base = site.next_base(base, V::log2_width)) {
        ahead.step();
        reg x[NB * ND], sx[NB * ND];
#pragma GCC unroll 4
        for (unsigned c = 0; c < NB; ++c) {
            const reg v = V::load(p + 2 * (base + site.offsets[c]));
            x[c * ND] = v;
            sx[c * ND] = V::swap(v);
#pragma GCC unroll 4
            for (unsigned d = 1; d < ND; ++d) {
                x[c * ND + d] = V::permute(v, lanes[d]);
                sx[c * ND + d] = V::swap(x[c * ND + d]);
            }
        }
        if constexpr (2 * NB * ND + 2 * NB + 5 <= V::registers) {
            // Every output's sums at once, the x and i x terms apart: 2 NB independent chains
            // of NB ND FMAs each, not NB chains of 2 NB ND, whose latency the loop would wait on.
            reg acc[NB], iacc[NB];
#pragma GCC unroll 4
            for (unsigned r = 0; r < NB; ++r) acc[r] = V::zero(), iacc[r] = V::zero();
#pragma GCC unroll 16
            for (unsigned t = 0; t < NB * ND; ++t) {
#pragma GCC unroll 4
                for (unsigned r = 0; r < NB; ++r) {
                    const T* cr = coefs + std::size_t(r) * NB * ND * 4 * W + t * 4 * W;
                    acc[r] = V::fmadd(V::load(cr), x[t], acc[r]);
                    iacc[r] = V::fmadd(V::load(cr + 2 * W), sx[t], iacc[r]);
                }
            }
#pragma GCC unroll 4
            for (unsigned r = 0; r < NB; ++r)
                V::store(p + 2 * (base + site.offsets[r]), V::fmaddsub(acc[r], one, iacc[r]));  // acc + i iacc
        } else {
            // Too many inputs to keep beside every output's sums: R outputs at a time, as the
            // dense kernel takes its rows, with the inputs read past their accumulators.
            constexpr unsigned R = NB < 8 ? NB : 8;
            static_assert(NB * ND % 2 == 0, "so many terms come in pairs");
            for (unsigned r0 = 0; r0 < NB; r0 += R) {
                reg acc[R];
#pragma GCC unroll 8
                for (unsigned r = 0; r < R; ++r) acc[r] = V::zero();
                // One chain per output: the sign of i goes in by the alternation of the dense
                // kernel's paired form (fmaddsub flips the stored real part; two terms a round).
#pragma GCC unroll 32
                for (unsigned t = 0; t < NB * ND; t += 2) {
#pragma GCC unroll 8
                    for (unsigned r = 0; r < R; ++r) {
                        const T* cr = coefs + std::size_t(r0 + r) * NB * ND * 4 * W + t * 4 * W;
                        acc[r] = V::fmaddsub(V::load(cr + 2 * W), sx[t], V::fmadd(V::load(cr), x[t], acc[r]));
                        acc[r] = V::fmaddsub(V::load(cr + 4 * W), x[t + 1], V::fmadd(V::load(cr + 6 * W), sx[t + 1], acc[r]));
                    }
                }
#pragma GCC unroll 8
                for (unsigned r = 0; r < R; ++r) V::store(p + 2 * (base + site.offsets[r0 + r]), acc[r]);
            }
        }
    }
}

template <class V>
void phase_row_kernel(std::complex<typename V::T>* psi, unsigned low, const std::complex<typename V::T>* table,
                      const std::complex<typename V::T>* steps, std::complex<typename V::T>* scratch) {
    using T = typename V::T;
    constexpr unsigned W = 1u << V::log2_width;
    T* f = reinterpret_cast<T*>(scratch);
    const T* s = reinterpret_cast<const T*>(steps);
    f[0] = s[0], f[1] = s[1];
    // Doubling: the factors of l | 2^q are those of l times steps[q + 1]; one complex number
    // at a time until a half-row fills a register.
    for (unsigned q = 0; q < low; ++q) {
        const std::uint64_t half = std::uint64_t{1} << q;
        const T er = s[2 * (q + 1)], ei = s[2 * (q + 1) + 1];
        if (half < W) {
            for (std::uint64_t l = 0; l < half; ++l) {
                const T ar = f[2 * l], ai = f[2 * l + 1];
                f[2 * (l + half)] = ar * er - ai * ei;
                f[2 * (l + half) + 1] = ar * ei + ai * er;
            }
        } else {
            const typename V::bcast e = V::broadcast(steps[q + 1]);
            for (std::uint64_t l = 0; l < half; l += W) V::store(f + 2 * (l + half), V::mul(e, V::load(f + 2 * l)));
        }
    }
    T* p = reinterpret_cast<T*>(psi);
    const T* t = reinterpret_cast<const T*>(table);
    const std::uint64_t len = std::uint64_t{1} << low;
    if (len < W) {
        for (std::uint64_t l = 0; l < len; ++l) {
            const T fr = f[2 * l] * t[2 * l] - f[2 * l + 1] * t[2 * l + 1];
            const T fi = f[2 * l] * t[2 * l + 1] + f[2 * l + 1] * t[2 * l];
            const T ar = p[2 * l], ai = p[2 * l + 1];
            p[2 * l] = ar * fr - ai * fi;
            p[2 * l + 1] = ar * fi + ai * fr;
        }
        return;
    }
    for (std::uint64_t l = 0; l < len; l += W) {
        const typename V::reg ft = V::mul(V::split(V::load(f + 2 * l)), V::load(t + 2 * l));
        V::store(p + 2 * l, V::mul(V::split(ft), V::load(p + 2 * l)));
    }
}

/// phase_row_kernel for factors of +1 and -1, held as reals (each twice, once per part of its
/// complex amplitude): the row's factors by doubling, then one product with the table's and
/// one with the amplitudes, element by element, per register. The complex form pays two complex
/// products (with their shuffles) per register.
template <class V>
void sign_row_kernel(std::complex<typename V::T>* psi, unsigned low, const typename V::T* table,
                     const typename V::T* steps, typename V::T* f) {
    using T = typename V::T;
    constexpr unsigned W = 1u << V::log2_width;
    f[0] = f[1] = steps[0];
    for (unsigned q = 0; q < low; ++q) {
        const std::uint64_t half = std::uint64_t{1} << q;
        if (half < W) {
            for (std::uint64_t l = 0; l < half; ++l) f[2 * (l + half)] = f[2 * (l + half) + 1] = f[2 * l] * steps[q + 1];
        } else {
            const typename V::reg s = V::set1(steps[q + 1]);
            for (std::uint64_t l = 0; l < half; l += W)
                V::store(f + 2 * (l + half), V::times(s, V::load(f + 2 * l)));
        }
    }
    T* p = reinterpret_cast<T*>(psi);
    const std::uint64_t len = std::uint64_t{1} << low;
    if (len < W) {
        for (std::uint64_t l = 0; l < 2 * len; ++l) p[l] *= f[l] * table[l];
        return;
    }
    for (std::uint64_t l = 0; l < 2 * len; l += 2 * W) {
        V::store(p + l, V::times(V::times(V::load(f + l), V::load(table + l)), V::load(p + l)));
    }
}

/// Where the register spans at least L qubits and the kernel's rows are stored in blocks of
/// 2^L: the Gauss kernel (from GaussFrom qubits on, L < K) and the 1- to 3-qubit forms of
/// dense_pairs_or_rows whose inputs, their i v and the sums fit in the registers. (The 3-qubit
/// row form on AVX2 spills already; with the exchanges it made 0.73-0.75 of the
/// read-modify-write pass at n = 26 in double, against 0.82-0.83 for the in-register kernel:
/// bench_kernels' BM_ApplyLow.)
template <class V, unsigned K, unsigned L, unsigned GaussFrom>
constexpr typename KernelTable<typename V::T>::Kernel dense_exchanged_for() {
    if constexpr (V::log2_width == 0 || L > V::log2_width || L > K || K > kMaxExchangedTargets) {
        return nullptr;
    } else if constexpr (K == 1) {
        return &lane_pair_kernel<V, LanePairForm::general>;
    } else if constexpr (constexpr unsigned rows = gauss_rows<V, K, GaussFrom, true>(); rows > 0 && L < K) {
        return &dense_exchanged_kernel<V, K, L, rows>;
    } else if constexpr (K >= 4) {
        return nullptr;
    } else {
        constexpr DenseForm form = dense_form<V, K>();
        constexpr bool fits = form != DenseForm::rows || 3 * (1u << K) <= V::registers;
        if constexpr (fits && (form != DenseForm::split_sums || L <= 1))
            return &dense_exchanged_kernel<V, K, L, 0>;
        return nullptr;
    }
}

template <class V>
constexpr typename KernelTable<typename V::T>::LowKernel low_kernel_for() {
    if constexpr (V::log2_width > 0)
        return &low_kernel<V>;
    else
        return nullptr;
}

template <class V>
constexpr typename KernelTable<typename V::T>::LowKernel low_diagonal_for() {
    if constexpr (V::log2_width > 0)
        return &low_diagonal_kernel<V>;
    else
        return nullptr;
}

template <class V, unsigned A, unsigned B>
constexpr typename KernelTable<typename V::T>::LowKernel low_fixed_for() {
    if constexpr (V::log2_width > 0 && V::log2_width >= B)
        return &low_kernel_fixed<V, 1u << A, 1u << B>;
    else
        return nullptr;
}

/// The table of one register type: one kernel per class and arity 1..kMaxTargets, the dense
/// ones in the Gauss form from `GaussFrom` qubits on.
template <class V, unsigned GaussFrom, unsigned... K>
constexpr KernelTable<typename V::T> make_table(const char* name) {
    static_assert(kMaxExchanged == 3, "a row of dense_exchanged per count of exchanged targets");
    return KernelTable<typename V::T>{
        name,
        V::log2_width,
        {&dense_kernel<V, K, gauss_rows<V, K, GaussFrom, false>()>...},
        {&dense_kernel<V, K, gauss_rows<V, K, GaussFrom, true>()>...},
        {&diagonal_kernel<V, K>...},
        &diagonal_sweep_kernel<V>,
        {&permutation_kernel<V, K>...},
        permutation_blocks_for<V>(),
        {{dense_exchanged_for<V, K, 1, GaussFrom>()...},
         {dense_exchanged_for<V, K, 2, GaussFrom>()...},
         {dense_exchanged_for<V, K, 3, GaussFrom>()...}},
        {{dense_split_entries_for<V, 1, 0, 0>(), dense_split_entries_for<V, 2, 0, 0>()},
         {dense_split_entries_for<V, 1, 0, 1>(), dense_split_entries_for<V, 2, 0, 1>()},
         {nullptr, dense_split_entries_for<V, 2, 0, 2>()}},
        {dense_split_entries_for<V, 1, 0b0110, 0>(), dense_split_entries_for<V, 1, 0b0110, 1>()},
        {dense_two_complex_for<V, 0>(), dense_two_complex_for<V, 1>(), dense_two_complex_for<V, 2>(),
         dense_two_complex_for<V, 3>(), dense_two_complex_for<V, 4>(), dense_two_complex_for<V, 5>(),
         dense_two_complex_for<V, 6>(), dense_two_complex_for<V, 7>()},
        {dense_skewed_for<V, K, GaussFrom>()...},
        {permutation_skewed_for<V, K>()...},
        {permutation_strips_for<V, K>()...},
        low_kernel_for<V>(),
        {{low_fixed_for<V, 0, 0>(), low_fixed_for<V, 0, 1>(), low_fixed_for<V, 0, 2>()},
         {low_fixed_for<V, 1, 0>(), low_fixed_for<V, 1, 1>(), low_fixed_for<V, 1, 2>()},
         {low_fixed_for<V, 2, 0>(), low_fixed_for<V, 2, 1>(), low_fixed_for<V, 2, 2>()},
         {low_fixed_for<V, 3, 0>(), low_fixed_for<V, 3, 1>(), nullptr},
         {low_fixed_for<V, 4, 0>(), low_fixed_for<V, 4, 1>(), nullptr}},
        low_diagonal_for<V>(),
        &phase_row_kernel<V>,
        &sign_row_kernel<V>};
}

/// The table of register type V whose dense kernels make `products` real products per complex
/// one (see DenseProducts; a V without the Gauss form makes four whatever is asked).
template <class V, DenseProducts products = DenseProducts::four>
constexpr KernelTable<typename V::T> table_for(const char* name) {
    static_assert(kMaxTargets == 6);
    return make_table<V, products == DenseProducts::three ? 2u : 4u, 1, 2, 3, 4, 5, 6>(name);
}

}  // namespace
}  // namespace kettle::detail
