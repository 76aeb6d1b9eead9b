#pragma once
// The arithmetic ceiling of this machine, measured in-process: fused multiply-adds per second
// on registers of each instruction set, on as many threads as the kernels use. A dense gate
// on a state that fits in cache is bound by this, not by memory; kernel benchmarks report their
// share of it (of_fma_peak) beside their share of the memory bandwidth.
//
// Each thread runs 12 independent chains of FMAs: enough to cover the FMA latency (4 cycles)
// times the throughput (2 per cycle) of current x86 cores, so the loop measures throughput.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <utility>
#include <vector>

#include "kettle/isa.hpp"

namespace kettle::bench {

namespace fma_detail {

constexpr int kChains = 12;

template <class Real, int Bytes>
using Vector [[gnu::vector_size(Bytes)]] = Real;

/// `iterations` rounds of one FMA on each of kChains registers of `Bytes` bytes; inlined into
/// the callers below, which are compiled for the instruction set (GCC contracts a * b + c to an
/// FMA where the target has one).
template <class Real, int Bytes>
[[gnu::always_inline]] inline double chains(std::int64_t iterations) {
    using V = Vector<Real, Bytes>;
    constexpr int lanes = Bytes / int(sizeof(Real));
    V acc[kChains];
    V a, b;
    for (int l = 0; l < lanes; ++l) {
        a[l] = Real(0.999999);
        b[l] = Real(1e-7);
        for (int i = 0; i < kChains; ++i) acc[i][l] = Real(i);
    }
    for (std::int64_t it = 0; it < iterations; ++it)
#pragma GCC unroll 12
        for (int i = 0; i < kChains; ++i) acc[i] = acc[i] * a + b;
    double sum = 0;
    for (int i = 0; i < kChains; ++i)
        for (int l = 0; l < lanes; ++l) sum += double(acc[i][l]);
    return sum;
}

__attribute__((target("avx512f"))) inline double chains_avx512(std::int64_t iterations, bool single) {
    return single ? chains<float, 64>(iterations) : chains<double, 64>(iterations);
}

__attribute__((target("avx2,fma"))) inline double chains_avx2(std::int64_t iterations, bool single) {
    return single ? chains<float, 32>(iterations) : chains<double, 32>(iterations);
}

}  // namespace fma_detail

/// Complex numbers one register of `isa` holds in the given precision (0 for scalar: its
/// kernels are compiled without FMA, so no FMA ceiling applies).
inline unsigned complex_lanes(Isa isa, bool single) {
    const unsigned bytes = isa == Isa::avx512 ? 64 : isa == Isa::avx2 ? 32 : 0;
    return bytes / (single ? 8 : 16);
}

/// FMA instructions per second on registers of `isa` (avx2 or avx512) over all the threads of
/// the current task arena, `iterations` rounds of 12 FMAs per thread; the sum is kept so that
/// the loop cannot be dropped.
inline double fma_per_second(Isa isa, bool single, std::int64_t iterations, double& sum) {
    const int threads = tbb::this_task_arena::max_concurrency();
    std::vector<double> sums(std::size_t(threads), 0.0);
    const auto t0 = std::chrono::steady_clock::now();
    tbb::parallel_for(0, threads, [&](int t) {
        sums[std::size_t(t)] = isa == Isa::avx512 ? fma_detail::chains_avx512(iterations, single)
                                                  : fma_detail::chains_avx2(iterations, single);
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (double s : sums) sum += s;
    return double(iterations) * fma_detail::kChains * threads / seconds;
}

}  // namespace kettle::bench
