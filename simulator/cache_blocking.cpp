#include "cache_blocking.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <emmintrin.h>
#include <xmmintrin.h>

#include "execution.hpp"
#include "kernels.hpp"
#include "kettle/detail/parallel.hpp"
#include "kettle/resources.hpp"

namespace kettle::detail {
namespace {

/// How far ahead a chunk's gather asks for its runs, and the run length from which the
/// hardware prefetcher (which follows a stream within a 4 KiB page) does it alone. 2 KiB
/// ahead cut the gather's time by a fifth on the random circuit (26 qubits, double).
constexpr std::size_t kGatherAheadBytes = 2048, kHardwarePrefetchBytes = 4096;

/// A pass on a state of at least group_from_bytes gathers its chunks this many at a time.
constexpr unsigned kGroupBits = 2;

/// The steps of `remaining`, in order, that a pass with local qubits `local` runs: each whose
/// qubits fit `local` (any qubits, for a phase step) and that shares none with an earlier step
/// left out. Returns how many; appends them to `taken` and the others to `deferred` where
/// given, and to `frontier` the first `max_frontier` left out only for not fitting (the steps
/// that growing `local` could admit). Without `deferred`, only the first `window` steps are
/// looked at, and the scan stops once every qubit is held back.
std::size_t admit(unsigned n, std::uint64_t local, std::span<const std::size_t> remaining,
                  std::span<const BlockedStep> steps, std::size_t window, std::vector<std::size_t>* taken,
                  std::vector<std::size_t>* deferred, std::vector<std::size_t>* frontier = nullptr,
                  std::size_t max_frontier = 0) {
    const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    std::uint64_t blocked = 0;
    std::size_t count = 0;
    for (std::size_t j = 0; j < remaining.size(); ++j) {
        if (!deferred && (j >= window || blocked == all)) break;
        const std::size_t i = remaining[j];
        const BlockedStep& s = steps[i];
        const std::uint64_t need = s.phase ? 0 : s.qubits;
        if ((s.qubits & blocked) != 0 || (need & ~local) != 0) {
            if ((s.qubits & blocked) == 0 && frontier && frontier->size() < max_frontier) frontier->push_back(i);
            if (deferred) deferred->push_back(i);
            blocked |= s.qubits;
            continue;
        }
        ++count;
        if (taken) taken->push_back(i);
    }
    return count;
}

/// Plans pass after pass: `grow(remaining, local)` widens a pass's local qubits from the seed,
/// then the pass takes every step admit() allows. A pass that runs nothing (its first step is
/// wider than a chunk) runs that step alone, on the whole state; the chunk is filled up with
/// the lowest free qubits (fewer, larger chunks, longer runs).
template <class Grow>
std::vector<BlockedPass> plan_with(unsigned n, unsigned chunk, std::span<const BlockedStep> steps, Grow grow) {
    std::vector<BlockedPass> passes;
    std::vector<std::size_t> remaining(steps.size()), deferred;
    for (std::size_t i = 0; i < steps.size(); ++i) remaining[i] = i;
    const std::uint64_t seed = (std::uint64_t{1} << std::min(kRunQubits, n)) - 1;
    while (!remaining.empty()) {
        BlockedPass pass{{}, grow(std::span<const std::size_t>(remaining), seed)};
        deferred.clear();
        admit(n, pass.local, remaining, steps, remaining.size(), &pass.steps, &deferred);
        if (pass.steps.empty()) {
            pass.steps.push_back(deferred.front());
            deferred.erase(deferred.begin());
        }
        for (unsigned q = 0; q < n && unsigned(std::popcount(pass.local)) < chunk; ++q)
            pass.local |= std::uint64_t{1} << q;
        passes.push_back(std::move(pass));
        remaining.swap(deferred);
    }
    return passes;
}

/// Local qubits in circuit order: a step's qubits join while there is room (a step that does
/// not fit holds back its qubits, as admit() does, so the steps taken are the same).
std::vector<BlockedPass> plan_in_order(unsigned n, unsigned chunk, std::span<const BlockedStep> steps) {
    return plan_with(n, chunk, steps, [&](std::span<const std::size_t> remaining, std::uint64_t local) {
        std::uint64_t blocked = 0;
        for (std::size_t i : remaining) {
            const BlockedStep& s = steps[i];
            const std::uint64_t need = s.phase ? 0 : s.qubits;
            if ((s.qubits & blocked) != 0 || unsigned(std::popcount(local | need)) > chunk)
                blocked |= s.qubits;
            else
                local |= need;
        }
        return local;
    });
}

/// Local qubits grown one held-back step at a time, by the step whose qubits let the pass run
/// the most further steps (per qubit added, if `per_qubit`). Taking qubits in circuit order
/// spends the chunk on whatever comes first; on a random circuit this plan makes 14-15 passes
/// where that one makes 17 (26 qubits, 3-qubit fusion).
std::vector<BlockedPass> plan_by_lookahead(unsigned n, unsigned chunk, std::span<const BlockedStep> steps, bool per_qubit) {
    constexpr std::size_t kWindow = 1024, kFrontier = 32;
    std::vector<std::size_t> frontier;
    return plan_with(n, chunk, steps, [&](std::span<const std::size_t> remaining, std::uint64_t local) {
        for (;;) {
            frontier.clear();
            const std::size_t now = admit(n, local, remaining, steps, kWindow, nullptr, nullptr, &frontier, kFrontier);
            double best_score = 0;
            std::uint64_t best = 0;
            for (std::size_t f : frontier) {
                const std::uint64_t grown = local | steps[f].qubits;
                if (unsigned(std::popcount(grown)) > chunk) continue;
                const double gain = double(admit(n, grown, remaining, steps, kWindow, nullptr, nullptr) - now);
                const double score = per_qubit ? gain / std::popcount(grown & ~local) : gain;
                if (score > best_score) best_score = score, best = grown;
            }
            if (best == 0) return local;
            local = best;
        }
    });
}

}  // namespace

/// The plan with the fewest passes of the three rules (neither lookahead rule wins everywhere:
/// on the hardware-efficient stack at 28 qubits, 2-qubit fusion, the per-qubit one makes 10
/// passes to the others' 8).
std::vector<BlockedPass> plan_blocked(unsigned n, unsigned chunk, std::span<const BlockedStep> steps) {
    std::vector<BlockedPass> best = plan_in_order(n, chunk, steps);
    for (bool per_qubit : {false, true}) {
        std::vector<BlockedPass> other = plan_by_lookahead(n, chunk, steps, per_qubit);
        if (other.size() < best.size()) best = std::move(other);
    }
    return best;
}

namespace {

double pair_term(const PhasePolynomial& p, unsigned q, unsigned r) {
    return q < r ? p.quadratic[r][q] : p.quadratic[q][r];
}

/// A phase step as seen from the chunks of a pass: the polynomial on the local qubits (its
/// linear terms those of a chunk whose other qubits are all 0) and its low-bit table.
template <class T>
struct LocalPhase {
    const PhasePolynomial* global;
    PhasePolynomial local;
    CacheAlignedVector<std::complex<T>> table;
};

/// A worker's chunk buffer and the linear terms of a phase step, kept for the thread's life.
template <class T>
struct ChunkScratch {
    CacheAlignedVector<std::complex<T>>& buffer;
    std::vector<double>& linear;
};

template <class T>
ChunkScratch<T> chunk_scratch(unsigned l) {
    thread_local std::vector<double> linear;
    return {chunk_buffer<T>(0, l), linear};
}

/// Reads a line of every 64 bytes of [p, p + bytes), in address order. A chunk run in place is
/// first read by its first step, in that step's order and unprefetched (the kernels take a
/// range of under 2 MiB to be in cache); on the Zen 4 machine orders other than the address
/// order ran memory at half its rate (see Lookahead), and a pass of two Z gates over chunks of
/// the lowest 16 qubits took 66-68 ms at n = 26 in double, 0.58-0.59 of the read-modify-write
/// pass, where it took 47-48 ms, 0.83, with the chunks read in order first (bench_circuits'
/// BM_BlockedPass/local:0xffff, two alternating runs). The loads are independent, so they run
/// at the rate of the memory; the lines then wait in L2 for the steps.
void read_in_order(const void* p, std::size_t bytes) {
    const auto* line = static_cast<const unsigned char*>(p);
    unsigned char sink = 0;
    for (std::size_t o = 0; o < bytes; o += 64) sink ^= line[o];
    asm volatile("" : : "r"(sink));
}

template <class T>
void run_step_directly(StateVector<T>& state, const BlockedStep& s) {
    if (s.phase)
        apply_phase_polynomial(state, *s.phase);
    else
        prepare_shaped<T>(s.matrix, s.shape, state.num_qubits(), s.targets, s.controls, s.control_values)
            .run(state.data(), true);
}

template <class T>
void run_pass(StateVector<T>& state, std::span<const BlockedStep> steps, const BlockedPass& pass,
              const PassSizes& sizes) {
    using C = std::complex<T>;
    const unsigned n = state.num_qubits(), l = unsigned(std::popcount(pass.local));
    const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    const std::uint64_t others = all & ~pass.local;
    // Position of each local qubit in the chunk, and the qubit at each position.
    std::vector<unsigned> position(n, 0), qubit_at;
    for (unsigned q = 0; q < n; ++q)
        if (pass.local >> q & 1) {
            position[q] = unsigned(qubit_at.size());
            qubit_at.push_back(q);
        }
    std::vector<unsigned> other_qubits;
    for (unsigned q = 0; q < n; ++q)
        if (others >> q & 1) other_qubits.push_back(q);

    // Gates prepared once on chunk positions; phases restricted to the local qubits.
    std::vector<PreparedGate<T>> gates;
    std::vector<LocalPhase<T>> phases;
    std::vector<std::pair<bool, std::size_t>> order;  // (is phase, index)
    for (std::size_t i : pass.steps) {
        const BlockedStep& s = steps[i];
        if (s.phase) {
            LocalPhase<T> p{&*s.phase, PhasePolynomial(l), {}};
            p.local.constant = s.phase->constant;
            for (unsigned a = 0; a < l; ++a) {
                p.local.linear[a] = s.phase->linear[qubit_at[a]];
                for (unsigned b = 0; b < a; ++b) p.local.quadratic[a][b] = pair_term(*s.phase, qubit_at[a], qubit_at[b]);
            }
            p.table = phase_low_table<T>(p.local);
            order.emplace_back(true, phases.size());
            phases.push_back(std::move(p));
            continue;
        }
        std::vector<unsigned> targets, controls;
        for (unsigned q : s.targets) targets.push_back(position[q]);
        for (unsigned q : s.controls) controls.push_back(position[q]);
        order.emplace_back(false, gates.size());
        gates.push_back(prepare_shaped<T>(s.matrix, s.shape, l, targets, controls, s.control_values));
    }

    // On large states the chunks are gathered in groups of 2^g, the chunks that differ only on
    // the g lowest other qubits: the first of those lies just above the runs, so a group reads
    // its runs' neighbours with them, in spans 2^g times longer, into 2^g buffers (4 MiB per
    // worker for g = 2: in L3 with the 2 workers measured), piece x into buffer
    // group_index(x). Short scattered reads are what a gather costs: alone, a pass of two Z
    // gates over 128 B runs took 106-118 ms (n = 26, double) and 77-80 ms in groups of 4
    // (bench_circuits' BM_BlockedPass/local:0x1a69db7). In a circuit's passes the steps take
    // most of the time: the random circuit's passes at n = 24..27 (BM_GroupedPasses, two runs,
    // 2 threads, Zen 4) took 2-4% less grouped at n = 27 in single and 0-4% less at n = 27 in
    // double, -2..+0.5% at 26 in double, but 2-3% more at n = 26 in single, hence groups from
    // 1 GiB on (a scratch test had groups of 2 or 8 no better, of 16 worse). A worker's buffer
    // grows to 2^g chunks.
    const ChunkRuns layout(pass.local);
    const unsigned run_bits = layout.run_bits;
    const std::size_t run_bytes = sizeof(C) << run_bits;
    const bool grouped = layout.spread != 0 && state.size() * sizeof(C) >= sizes.group_from_bytes;
    const unsigned g = grouped ? std::min(kGroupBits, n - l) : 0;
    std::array<unsigned, kGroupBits> group_qubit{};
    std::uint64_t group = 0;
    for (unsigned i = 0; i < g; ++i) {
        group_qubit[i] = other_qubits[i];
        group |= std::uint64_t{1} << other_qubits[i];
    }
    const std::uint64_t pieces = layout.runs << g;
    const std::uint64_t spread = layout.spread | group;
    auto next_piece = [spread](std::uint64_t x) { return next_within(x, spread); };
    auto group_index = [&](std::uint64_t x) {
        unsigned j = 0;
        for (unsigned i = 0; i < g; ++i) j |= unsigned(x >> group_qubit[i] & 1) << i;
        return j;
    };
    C* psi = state.data();
    const std::uint64_t prefetch_runs = run_bytes >= kHardwarePrefetchBytes ? 0 : kGatherAheadBytes / run_bytes;
    const bool stream_back = state.size() * sizeof(C) >= sizes.stream_back_bytes && run_bytes % 64 == 0;
    // The other qubits' values in group c: bit b of c on the (g + b)-th other qubit.
    auto fixed_of = [&](std::uint64_t c) {
        std::uint64_t fixed = 0;
        for (std::size_t b = g; b < other_qubits.size(); ++b) fixed |= (c >> (b - g) & 1) << other_qubits[b];
        return fixed;
    };
    // Copies a group out of its buffers and the next one in, piece by piece through the same
    // slots: each goes back to group `out` (unless null) and is refilled from group `in`
    // (unless null). The write-back's streaming stores then go out while the gather waits on
    // its reads. Short runs at large strides defeat the hardware prefetcher, which follows one
    // stream within a 4 KiB page: the gather asks for the piece prefetch_runs ahead itself.
    auto exchange = [&](C* data, const std::uint64_t* out, const std::uint64_t* in) {
        std::array<C*, std::size_t{1} << kGroupBits> slot{};
        for (unsigned j = 0; j < (1u << g); ++j) slot[j] = data + (std::size_t{j} << l);
        std::uint64_t x = 0, y = 0;
        if (in)
            for (std::uint64_t m = 0; m < prefetch_runs && m < pieces; ++m) y = next_piece(y);
        for (std::uint64_t m = 0; m < pieces; ++m, x = next_piece(x)) {
            C*& to = slot[group_index(x)];
            if (out) {
                if (stream_back)
                    stream_copy(psi + (x | *out), to, run_bytes);
                else
                    std::memcpy(psi + (x | *out), to, run_bytes);
            }
            if (in) {
                if (prefetch_runs != 0 && m + prefetch_runs < pieces) {
                    const char* line = reinterpret_cast<const char*>(psi + (y | *in));
                    for (std::size_t b = 0; b < run_bytes; b += 64) _mm_prefetch(line + b, _MM_HINT_T0);
                    y = next_piece(y);
                }
                std::memcpy(to, psi + (x | *in), run_bytes);
            }
            to += std::size_t{1} << run_bits;
        }
        if (out && stream_back) _mm_sfence();  // the streamed lines are visible before the pass ends
    };
    auto run_steps = [&](const ChunkScratch<T>& ws, C* data, std::uint64_t fixed) {
        for (const auto& [is_phase, index] : order) {
            if (!is_phase) {
                gates[index].run(data, false);
                continue;
            }
            const LocalPhase<T>& p = phases[index];
            ws.linear = p.local.linear;
            double constant = p.local.constant;
            for (unsigned r : other_qubits) {
                if (!(fixed >> r & 1)) continue;
                constant += p.global->linear[r];
                for (unsigned r2 : other_qubits)
                    if (r2 < r && (fixed >> r2 & 1)) constant += p.global->quadratic[r][r2];
                for (unsigned a = 0; a < l; ++a) ws.linear[a] += pair_term(*p.global, qubit_at[a], r);
            }
            apply_phase_rows(data, p.local, p.table, ws.linear, constant, false);
        }
    };
    // Ranges of chunks (groups) rather than single ones, so that most gathers overlap a
    // write-back; with oneTBB still some 16 ranges per thread, for balance (the plain-thread
    // build gives each thread one range anyway).
    const std::uint64_t chunks = std::uint64_t{1} << (n - l);
    if (layout.spread == 0) {  // the local qubits are the lowest: each chunk is contiguous, run in place
        const std::uint64_t grain = std::max<std::uint64_t>(1, chunks / (16 * std::max<std::size_t>(1, num_threads())));
        detail::parallel_range(chunks, grain, [&](std::uint64_t b, std::uint64_t e) {
            const ChunkScratch<T> ws = chunk_scratch<T>(0);
            for (std::uint64_t c = b; c < e; ++c) {
                const std::uint64_t fixed = fixed_of(c);
                read_in_order(psi + fixed, sizeof(C) << l);
                run_steps(ws, psi + fixed, fixed);
            }
        });
        return;
    }
    const std::uint64_t groups = chunks >> g;
    const std::uint64_t grain = std::max<std::uint64_t>(1, groups / (16 * std::max<std::size_t>(1, num_threads())));
    detail::parallel_range(groups, grain, [&](std::uint64_t b, std::uint64_t e) {
        const ChunkScratch<T> ws = chunk_scratch<T>(l + g);
        C* data = ws.buffer.data();
        auto run_group = [&](std::uint64_t fixed) {
            for (std::uint64_t j = 0, sibling = 0; j < (1u << g); ++j, sibling = next_within(sibling, group))
                run_steps(ws, data + (j << l), fixed | sibling);
        };
        std::uint64_t fixed = fixed_of(b);
        exchange(data, nullptr, &fixed);
        for (std::uint64_t c = b; c < e; ++c) {
            run_group(fixed);
            const std::uint64_t next = c + 1 < e ? fixed_of(c + 1) : 0;
            exchange(data, &fixed, c + 1 < e ? &next : nullptr);
            fixed = next;
        }
    });
}

}  // namespace

template <class T>
CacheAlignedVector<std::complex<T>>& chunk_buffer(unsigned index, unsigned l) {
    thread_local std::array<CacheAlignedVector<std::complex<T>>, 2> buffers;
    CacheAlignedVector<std::complex<T>>& b = buffers[index];
    if (b.size() < (std::size_t{1} << l)) b.resize(std::size_t{1} << l);
    return b;
}

template CacheAlignedVector<std::complex<float>>& chunk_buffer<float>(unsigned, unsigned);
template CacheAlignedVector<std::complex<double>>& chunk_buffer<double>(unsigned, unsigned);

void stream_copy(void* to, const void* from, std::size_t bytes) {
    auto* out = static_cast<__m128d*>(to);
    const auto* in = static_cast<const double*>(from);
    for (std::size_t i = 0; i < bytes / 16; ++i)
        _mm_stream_pd(reinterpret_cast<double*>(out + i), _mm_loadu_pd(in + 2 * i));
}

std::vector<std::vector<std::size_t>> blocked_passes(unsigned n, unsigned chunk, std::span<const BlockedStep> steps) {
    std::vector<std::vector<std::size_t>> out;
    for (BlockedPass& p : plan_blocked(n, chunk, steps)) out.push_back(std::move(p.steps));
    return out;
}

template <class T>
void run_blocked(StateVector<T>& state, std::span<const BlockedStep> steps, unsigned chunk,
                 const PassSizes& sizes) {
    const unsigned n = state.num_qubits();
    if (n < chunk + 2) {
        for (const BlockedStep& s : steps) run_step_directly(state, s);
        return;
    }
    const std::vector<BlockedPass> plan = plan_blocked(n, chunk, steps);
    run_blocked(state, steps, std::span<const BlockedPass>(plan), sizes);
}

template <class T>
void run_blocked(StateVector<T>& state, std::span<const BlockedStep> steps, std::span<const BlockedPass> plan,
                 const PassSizes& sizes) {
    for (const BlockedPass& pass : plan) {
        if (pass.steps.size() == 1)
            run_step_directly(state, steps[pass.steps[0]]);
        else
            run_pass(state, steps, pass, sizes);
    }
}

template void run_blocked(StateVector<float>&, std::span<const BlockedStep>, unsigned, const PassSizes&);
template void run_blocked(StateVector<double>&, std::span<const BlockedStep>, unsigned, const PassSizes&);
template void run_blocked(StateVector<float>&, std::span<const BlockedStep>, std::span<const BlockedPass>, const PassSizes&);
template void run_blocked(StateVector<double>&, std::span<const BlockedStep>, std::span<const BlockedPass>, const PassSizes&);

}  // namespace kettle::detail
