#include "qubit_permutation.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <xmmintrin.h>

#include "cache_blocking.hpp"
#include "execution.hpp"
#include "parallel.hpp"
#include "kettle/resources.hpp"

namespace kettle::detail {
namespace {

/// The index map that moves bit b of an index to bit to[b], eight bits per table look-up.
class BitMap {
public:
    explicit BitMap(std::span<const unsigned> to) : parts_(unsigned((to.size() + 7) / 8)) {
        for (unsigned part = 0; part < parts_; ++part)
            for (unsigned v = 0; v < 256; ++v) {
                std::uint64_t out = 0;
                for (unsigned b = 0; b < 8 && 8 * part + b < to.size(); ++b)
                    if (v >> b & 1) out |= std::uint64_t{1} << to[8 * part + b];
                tables_[part][v] = out;
            }
    }
    [[nodiscard]] std::uint64_t operator()(std::uint64_t i) const {
        std::uint64_t out = 0;
        for (unsigned part = 0; part < parts_; ++part) out |= tables_[part][(i >> (8 * part)) & 0xff];
        return out;
    }

private:
    unsigned parts_;
    std::array<std::array<std::uint64_t, 256>, 8> tables_{};
};

/// A small state: each cycle of indices rotated in place by the smallest index on it (the
/// others see a smaller one on their cycle and leave it). A cycle is as long as the order of
/// `to`, a few steps for the permutations SWAPs leave.
template <class T>
void rotate_index_cycles(std::complex<T>* psi, std::uint64_t size, const BitMap& map) {
    parallel_for(size, [&](std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t i = begin; i < end; ++i) {
            const std::uint64_t first = map(i);
            if (first == i) continue;
            bool leads = true;
            for (std::uint64_t k = first; k != i && leads; k = map(k)) leads = k > i;
            if (!leads) continue;
            std::complex<T> carried = psi[i];
            for (std::uint64_t k = first;; k = map(k)) {
                std::swap(carried, psi[k]);
                if (k == i) break;
            }
        }
    });
}

/// out[j] = in[from(j)] over a chunk of 2^l amplitudes, for a permutation of its index bits
/// (dest bit b taken from source bit bits[b]). Amplitude by amplitude in index order, a
/// permutation that sends low bits high reads one amplitude per cache line, and lines 4 KiB
/// apart share an L1 set. Instead it goes tile by tile: a tile spans the destination bits of
/// a line's amplitudes and the destination bits that come from a line's amplitudes, so that it
/// reads whole lines and writes whole lines, widened with the next destination bits to 64
/// amplitudes.
template <class C>
void permute_chunk(C* out, const C* in, unsigned l, std::span<const unsigned> bits, const BitMap& from) {
    constexpr unsigned kLineBits = std::countr_zero(64 / sizeof(C));
    const unsigned line = std::min(kLineBits, l);
    std::uint64_t tile = (std::uint64_t{1} << line) - 1;
    for (unsigned b = 0; b < l; ++b)
        if (bits[b] < line) tile |= std::uint64_t{1} << b;
    // Then the lowest other destination bits, up to 64 amplitudes a tile: fewer look-ups of a
    // tile's source per amplitude.
    for (unsigned b = line; b < l && std::popcount(tile) < 6; ++b) tile |= std::uint64_t{1} << b;
    const unsigned width = unsigned(std::popcount(tile));
    std::array<std::uint64_t, 64> to_offset{}, from_offset{};
    for (std::uint64_t t = 0, x = 0; t < (std::uint64_t{1} << width); ++t, x = ((x | ~tile) + 1) & tile) {
        to_offset[t] = x;
        from_offset[t] = from(x);
    }
    const std::uint64_t rest = ((std::uint64_t{1} << l) - 1) & ~tile;
    for (std::uint64_t y = 0, n = std::uint64_t{1} << (l - width); n-- > 0; y = ((y | ~rest) + 1) & rest) {
        C* o = out + y;
        const C* i = in + from(y);
        for (unsigned t = 0; t < (1u << width); ++t) o[to_offset[t]] = i[from_offset[t]];
    }
}

/// The local qubits of permute_in_chunks: whole cycles of `to`, those through the lowest
/// qubits first while they fit a chunk; nullopt where the cycles through qubits 0..2 do not.
std::optional<std::uint64_t> chunk_cycles(std::span<const unsigned> to, unsigned chunk) {
    std::uint64_t local = 0;
    unsigned l = 0;
    for (unsigned q = 0; q < to.size(); ++q) {
        if (local >> q & 1) continue;
        std::uint64_t cycle = 0;
        unsigned length = 0;
        for (unsigned p = q; !(cycle >> p & 1); p = to[p]) cycle |= std::uint64_t{1} << p, ++length;
        if (l + length <= chunk)
            local |= cycle, l += length;
        else if (q < kRunQubits)
            return std::nullopt;
    }
    return local;
}

/// A large state, where the cycles of `to` through the lowest qubits fit a chunk: the local
/// qubits are whole cycles (so a chunk's amplitudes all land in one chunk, its image under the
/// other qubits' permutation), and the chunks are moved along their own cycles, each permuted
/// in a buffer on the way. `local`: chunk_cycles().
template <class T>
void permute_in_chunks(StateVector<T>& state, std::span<const unsigned> to, std::uint64_t local) {
    using C = std::complex<T>;
    const unsigned n = state.num_qubits(), l = unsigned(std::popcount(local));
    std::vector<unsigned> position(n), local_qubits, other_qubits;
    for (unsigned q = 0; q < n; ++q) {
        std::vector<unsigned>& side = local >> q & 1 ? local_qubits : other_qubits;
        position[q] = unsigned(side.size());
        side.push_back(q);
    }
    // In a chunk: the amplitude that lands at local index j comes from from_local(j). Across
    // chunks: chunk c's amplitudes land in chunk to_chunk(c), at the other qubits fixed_of(c).
    std::vector<unsigned> from(local_qubits.size()), onward(other_qubits.size());
    bool moves_locally = false;
    for (unsigned a = 0; a < local_qubits.size(); ++a) {
        from[position[to[local_qubits[a]]]] = a;
        moves_locally = moves_locally || to[local_qubits[a]] != local_qubits[a];
    }
    for (unsigned b = 0; b < other_qubits.size(); ++b) onward[b] = position[to[other_qubits[b]]];
    const BitMap from_local(from), to_chunk(onward), fixed_of(other_qubits);

    const ChunkRuns layout(local);
    const unsigned run_bits = layout.run_bits;
    const std::size_t run_bytes = sizeof(C) << run_bits;
    const bool stream = state.size() * sizeof(C) >= kStreamBackBytes && run_bytes % 64 == 0;
    C* psi = state.data();
    // Copies run by run: reads chunk `in` into `read` (unless null) and writes `written` to
    // chunk `out` (unless null). Writing a finished chunk while the next is read lets the
    // stores go out while the loads wait; writing the chunk bound for `in` in its place (out ==
    // in) reads each line and then overwrites it while in cache, as a gate's pass does, so
    // only other chunks' lines are streamed.
    auto copy = [&](C* read, std::uint64_t in, const C* written, std::uint64_t out) {
        const bool streamed = stream && (!read || out != in);
        std::uint64_t x = 0;
        for (std::uint64_t m = 0; m < layout.runs; ++m, x = layout.next(x)) {
            if (read) std::memcpy(read + (m << run_bits), psi + (x | in), run_bytes);
            if (!written) continue;
            if (streamed)
                stream_copy(psi + (x | out), written + (m << run_bits), run_bytes);
            else
                std::memcpy(psi + (x | out), written + (m << run_bits), run_bytes);
        }
    };
    const std::uint64_t chunks = std::uint64_t{1} << (n - l);
    const std::uint64_t grain = std::max<std::uint64_t>(1, chunks / (16 * std::max<std::size_t>(1, num_threads())));
    parallel_range(chunks, grain, [&](std::uint64_t begin, std::uint64_t end) {
        CacheAlignedVector<C>& held = chunk_buffer<T>(0, l);
        CacheAlignedVector<C>& moved = chunk_buffer<T>(1, l);
        // The last chunk of a cycle, permuted into `moved`, waits to be written with the next
        // leader's read.
        std::optional<std::uint64_t> waiting;
        for (std::uint64_t c = begin; c < end; ++c) {
            // Chunk c moves its cycle of chunks if it is the smallest on it.
            bool leads = true;
            for (std::uint64_t k = to_chunk(c); k != c && leads; k = to_chunk(k)) leads = k > c;
            if (!leads || (!moves_locally && to_chunk(c) == c)) continue;  // (a chunk that stays)
            copy(held.data(), fixed_of(c), waiting ? moved.data() : nullptr, waiting.value_or(0));
            waiting.reset();
            for (std::uint64_t at = c;;) {
                // `moved` takes the chunk bound for the image, permuted (or as it is); `held`
                // is free for the image's own amplitudes, read as they are overwritten (where
                // the cycle began, they were read first).
                const std::uint64_t image = to_chunk(at);
                if (moves_locally)
                    permute_chunk(moved.data(), held.data(), l, from, from_local);
                else
                    std::swap(held, moved);
                if (image == c) {
                    waiting = fixed_of(c);
                    break;
                }
                copy(held.data(), fixed_of(image), moved.data(), fixed_of(image));
                at = image;
            }
        }
        if (waiting) copy(nullptr, 0, moved.data(), *waiting);
        if (stream) _mm_sfence();  // the streamed lines are visible before the pass ends
    });
}

}  // namespace

std::vector<std::pair<unsigned, unsigned>> permutation_swaps(std::span<const unsigned> to) {
    // Along each cycle p0 -> p1 -> ... : swapping p0 with p1, p2, ... in turn leaves each
    // content at its image, the last at p0.
    std::vector<std::pair<unsigned, unsigned>> swaps;
    std::vector<bool> done(to.size(), false);
    for (unsigned p = 0; p < to.size(); ++p) {
        done[p] = true;
        for (unsigned k = to[p]; !done[k]; k = to[k]) {
            swaps.emplace_back(p, k);
            done[k] = true;
        }
    }
    return swaps;
}

bool is_identity(std::span<const unsigned> to) {
    for (unsigned q = 0; q < to.size(); ++q)
        if (to[q] != q) return false;
    return true;
}

template <class T>
void permute_qubits(StateVector<T>& state, std::span<const unsigned> to, unsigned chunk) {
    const unsigned n = state.num_qubits();
    if (is_identity(to)) return;
    if (n < chunk + 2) {
        rotate_index_cycles(state.data(), state.size(), BitMap(to));
        return;
    }
    if (const std::optional<std::uint64_t> local = chunk_cycles(to, chunk)) {
        permute_in_chunks(state, to, *local);
        return;
    }
    const Matrix swap = gate_matrix(GateKind::swap, {});
    for (const auto& [a, b] : permutation_swaps(to)) {
        const unsigned targets[2] = {a, b};
        apply_shaped(state, swap, MatrixShape::permutation, targets, {}, {});
    }
}

std::size_t permutation_passes(std::span<const unsigned> to, unsigned chunk) {
    if (is_identity(to)) return 0;
    if (to.size() < chunk + 2 || chunk_cycles(to, chunk)) return 1;
    return permutation_swaps(to).size();
}

template void permute_qubits(StateVector<float>&, std::span<const unsigned>, unsigned);
template void permute_qubits(StateVector<double>&, std::span<const unsigned>, unsigned);

}  // namespace kettle::detail
