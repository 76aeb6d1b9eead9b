#pragma once
// Cache blocking: many gates in one pass over a large state. A pass picks a set S of "local"
// qubits that fits a chunk of about 1 MiB; for each assignment of the other qubits (a chunk),
// it copies the chunk's amplitudes into a per-thread buffer, runs every gate of the pass there
// while the buffer stays in the core's L2 cache, and copies them back. A pass costs one
// read-modify-write of the state however many gates it holds, so a circuit that fusion leaves
// at a hundred passes becomes a handful; the gates themselves then run at cache speed.
//
// A gate joins a pass when its qubits (targets and controls) fit in S. Diagonal phase
// polynomials (a QFT stage, an RZZ layer) join any pass: with the other qubits fixed in a chunk
// they are a phase polynomial on the local qubits with changed linear terms. Gates are taken in
// order; one that does not fit is deferred, and so is every later gate that shares a qubit with
// a deferred one, so the order on every qubit is kept. S itself is grown either in circuit
// order or by lookahead (each time by the qubits of the held-back gate that lets the pass run
// the most further gates); the plan with fewer passes is used.

#include <bit>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cache_aligned.hpp"
#include "phase_polynomial.hpp"
#include "kettle/gate.hpp"
#include "kettle/state_vector.hpp"

namespace kettle::detail {

/// One step of a blocked run: a gate (matrix of a shape on targets, where the controls hold) or
/// a phase polynomial over all qubits.
struct BlockedStep {
    Matrix matrix;
    MatrixShape shape = MatrixShape::dense;
    std::vector<unsigned> targets, controls;
    std::vector<std::uint8_t> control_values;  ///< empty: every control on 1
    std::optional<PhasePolynomial> phase;       ///< set for a phase step (the gate fields unused)
    std::uint64_t qubits = 0;                   ///< every qubit the step touches, as a mask
};

/// One pass of a plan: the steps it runs, in order, and the qubits its chunks span.
struct BlockedPass {
    std::vector<std::size_t> steps;
    std::uint64_t local = 0;
};

/// The qubits one chunk spans for precision T: a buffer of about 1 MiB.
template <class T>
[[nodiscard]] constexpr unsigned chunk_qubits() noexcept {
    return sizeof(T) == 8 ? 16 : 17;
}

/// States of this many bytes and more are written back from the chunks with streaming stores:
/// far larger than the last-level cache, their lines are wholly overwritten, and a normal store
/// would first read each one in.
inline constexpr std::size_t kStreamBackBytes = std::size_t{512} << 20;

/// States of this many bytes and more gather their chunks a few at a time (a group whose runs
/// lie side by side, read as longer spans; see run_pass).
inline constexpr std::size_t kGroupFromBytes = std::size_t{1} << 30;

/// The state sizes from which a pass changes how it moves chunks (tests pass 0 to check every
/// path on small states).
struct PassSizes {
    std::size_t stream_back_bytes = kStreamBackBytes;
    std::size_t group_from_bytes = kGroupFromBytes;
};

/// Low qubits every chunk keeps local, so that it is copied in runs of at least 2^3 amplitudes
/// (a cache line or more) rather than one number at a time.
inline constexpr unsigned kRunQubits = 3;

/// The value after x among those whose bits lie in `mask` (counting in those bits alone).
[[nodiscard]] constexpr std::uint64_t next_within(std::uint64_t x, std::uint64_t mask) noexcept {
    return ((x | ~mask) + 1) & mask;
}

/// How a chunk with local qubits `local` lies in the state: runs of 2^run_bits contiguous
/// amplitudes (its lowest local qubits), one for each value of the other local qubits
/// (`spread`), the run after the one at offset x at next(x).
struct ChunkRuns {
    explicit ChunkRuns(std::uint64_t local)
        : run_bits(unsigned(std::countr_one(local))), spread(local & ~((std::uint64_t{1} << run_bits) - 1)),
          runs(std::uint64_t{1} << std::popcount(spread)) {}
    [[nodiscard]] std::uint64_t next(std::uint64_t x) const { return next_within(x, spread); }
    unsigned run_bits;
    std::uint64_t spread, runs;
};

/// A worker thread's chunk buffer `index` (0 or 1) of at least 2^l amplitudes (a group of
/// chunks, for buffer 0 on large states), kept for the thread's life: a pass does not pay for
/// allocating and faulting in 1-4 MiB per worker (oneTBB's workers persist; the plain-thread
/// build's do not, and pay it on every pass). Shared by the cache-blocked passes (buffer 0) and
/// the qubit permutation (both), which never run inside one another.
template <class T>
[[nodiscard]] CacheAlignedVector<std::complex<T>>& chunk_buffer(unsigned index, unsigned l);

/// memcpy of `bytes` (whole 64-byte lines) to 16-byte-aligned `to` with non-temporal stores
/// (SSE2, so on every x86-64): the destination lines bypass the caches and are not read first.
/// The caller fences (_mm_sfence) before others read them.
void stream_copy(void* to, const void* from, std::size_t bytes);

/// Runs the steps in order on `state`, as few passes over it as the rule above allows, with
/// chunks of 2^chunk amplitudes (tests pass small ones); states of fewer than chunk + 2 qubits
/// run step by step. `sizes` says from which state sizes chunks are written back with
/// streaming stores and gathered in groups. Cost: per pass one read and one write of the state, plus the
/// steps' arithmetic on the chunks, run in parallel.
template <class T>
void run_blocked(StateVector<T>& state, std::span<const BlockedStep> steps, unsigned chunk = chunk_qubits<T>(),
                 const PassSizes& sizes = {});

/// The passes of `steps` on n >= chunk + 2 qubits with chunks of 2^chunk amplitudes; depends
/// only on the steps' qubits and which are phase steps, so a plan serves every binding of a
/// circuit's parameters. Cost: O(steps * passes), times about 13 * 33 lookahead scans of up
/// to 1024 steps per pass.
[[nodiscard]] std::vector<BlockedPass> plan_blocked(unsigned n, unsigned chunk, std::span<const BlockedStep> steps);

/// run_blocked with a plan made by plan_blocked for these steps on this state's size (no
/// planning per run). Precondition: the state has at least chunk + 2 qubits.
template <class T>
void run_blocked(StateVector<T>& state, std::span<const BlockedStep> steps, std::span<const BlockedPass> plan,
                 const PassSizes& sizes = {});

/// The passes run_blocked makes of `steps` on n qubits: each the step indices it runs, in the
/// order it runs them. (For tests and benchmarks.)
[[nodiscard]] std::vector<std::vector<std::size_t>> blocked_passes(unsigned n, unsigned chunk,
                                                                   std::span<const BlockedStep> steps);

}  // namespace kettle::detail
