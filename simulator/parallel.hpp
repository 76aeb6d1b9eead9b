#pragma once
// Parallel loops over the state. Small ranges run inline on the calling thread so that small
// states never pay for threading; reductions use a fixed chunking so that their result does
// not depend on the number of threads.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kettle/detail/parallel.hpp"

namespace kettle::detail {

/// Iterations below which a loop runs on the calling thread.
inline constexpr std::uint64_t kParallelThreshold = std::uint64_t{1} << 14;
/// Fixed chunk of a deterministic reduction.
inline constexpr std::uint64_t kReduceChunk = std::uint64_t{1} << 12;

/// Calls body(begin, end) over disjoint sub-ranges covering [0, count).
template <class Body>
void parallel_for(std::uint64_t count, Body&& body) {
    if (count < kParallelThreshold) {
        body(std::uint64_t{0}, count);
        return;
    }
    parallel_range(count, kParallelThreshold / 4, body);
}

/// Per-chunk partial results of chunk(begin, end) (a double, or any value) over [0, count), chunks of
/// kReduceChunk in order. The partials, and any sum of them taken in order, are the same for
/// any thread count.
template <class Chunk>
auto chunk_sums(std::uint64_t count, Chunk&& chunk) {
    const std::uint64_t chunks = (count + kReduceChunk - 1) / kReduceChunk;
    std::vector<decltype(chunk(std::uint64_t{0}, std::uint64_t{0}))> partial(chunks);
    auto run = [&](std::uint64_t b, std::uint64_t e) {
        for (std::uint64_t c = b; c < e; ++c) {
            const std::uint64_t begin = c * kReduceChunk;
            partial[c] = chunk(begin, std::min(count, begin + kReduceChunk));
        }
    };
    if (count < kParallelThreshold)
        run(0, chunks);
    else
        parallel_range(chunks, 4, run);
    return partial;
}

/// sum over [0, count) of chunk(begin, end), deterministic for any thread count.
template <class Chunk>
double parallel_sum(std::uint64_t count, Chunk&& chunk) {
    double total = 0.0;
    for (double p : chunk_sums(count, chunk)) total += p;
    return total;
}

}  // namespace kettle::detail
