// Kernel throughput against the memory bandwidth of this machine, measured in the same run.
//
//   build/bench/bench_kernels [--min-qubits A] [--max-qubits B] [benchmark flags]
//
// Every gate is one pass over the state: bytes = 2 (read + write) * amplitudes touched * size
// of an amplitude. BM_MemoryRMW (in-place read-modify-write) and BM_MemoryCopy over the same
// number of bytes are the ceilings; BM_MemoryRMWPairs is the read-modify-write pass in the
// order of a gate on qubit q (a line of each half in turn), on the highest qubit and on qubit 6,
// and on the highest with the upper halves through a second mapping of the state (view:1);
// BM_MemoryRMWStreams the same over four streams a quarter of the state apart, plus 0 or 512
// bytes each.
// Each kernel benchmark also times a pass between its gate passes and reports its share of it
// as `of_rmw`, robust to the load of a shared machine.
// Dense gates also report complex multiply-adds per second (`cmac_per_s`) and their share of the
// FMA ceiling (`of_fma_peak`, fma_peak.hpp; BM_FmaPeak shows it), timed the same way between
// the gate passes: on a state that fits in cache a dense gate is bound by arithmetic.
// BM_ApplyLow is the dense gate with one target on qubit 0, inside each register (the kernels
// that exchange it with a free qubit above the register, or where a table has none the
// in-register ones); BM_ApplyLowQubits is each class on qubits 3 .. k + 2, just above a
// register (one stream of memory per thread);
// BM_ApplyInCache is the dense gate on one thread and a state in L2, with the one-thread FMA
// ceiling beside it, its targets the highest qubits (sites:high) or with the last on qubit 0
// (sites:qubit0), the vector kernels that differ between the forms of complex products in both
// (products:four|three, see DenseProducts); BM_ApplyAt is the 1-, 4- and 5-qubit dense gate
// and the 4- and 5-qubit diagonal one on qubits first .. first + k - 1, at several heights, on
// the default instruction set;
// BM_NamedGate is a named gate on the highest qubit on the default instruction set: phase gates
// (Z, P, CZ, CP, CCZ), which touch only the amplitudes whose entry is not 1, H, RY, RX and
// SX, and SWAP on the highest two (which moves only half the amplitudes), with its time in
// passes over the state (`rmw_passes`); BM_ApplySkewed the dense 2- and 3-qubit gates and the
// 2- to 6-qubit permutations (a cycle) on qubits first .. first + k - 1 near the top with the
// skewed and strip kernels forced on or off (kernels.hpp's kSkewedBytes, kStripBytes).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <numbers>
#include <optional>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "kernels.hpp"
#include "kettle/kettle.hpp"
#include "fma_peak.hpp"
#include "qubit_range.hpp"

namespace {

using namespace kettle;

template <class T>
void memory_rmw(benchmark::State& st, unsigned n) {
    StateVector<T> s(n);
    auto* p = reinterpret_cast<T*>(s.data());
    const std::size_t count = 2 * s.size();
    for (auto _ : st) {
        // Threads as the kernels use them: the same blocked ranges.
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 14), [&](const auto& r) {
            for (std::size_t i = r.begin(); i < r.end(); ++i) p[i] = p[i] * T(0.999999) + T(1e-9);
        });
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(2 * count * sizeof(T)));
}

/// One buffer of `bytes` mapped twice (Linux: a memfd), the second view bytes + 2 MiB above
/// the first, on huge pages where shared memory has them: an amplitude read or written through
/// the second view lies at another virtual address but the same memory.
class TwoViews {
public:
    explicit TwoViews(std::size_t bytes) {
#ifdef __linux__
        const int fd = ::memfd_create("kettle-bench", 0);
        if (fd < 0) return;
        constexpr std::size_t huge = std::size_t{2} << 20;
        reserved_ = 2 * bytes + 3 * huge;
        void* r = ::mmap(nullptr, reserved_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (r != MAP_FAILED && ::ftruncate(fd, off_t(bytes)) == 0) {
            reservation_ = r;
            char* a = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(r) + huge - 1) & ~(huge - 1));
            char* b = a + bytes + huge;
            if (::mmap(a, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED &&
                ::mmap(b, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED) {
                (void)::madvise(a, bytes, MADV_HUGEPAGE);
                (void)::madvise(b, bytes, MADV_HUGEPAGE);
                first_ = a, second_ = b;
            }
        } else if (r != MAP_FAILED) {
            ::munmap(r, reserved_);
        }
        ::close(fd);
#endif
    }
    ~TwoViews() {
        if (reservation_ != nullptr) ::munmap(reservation_, reserved_);
    }
    TwoViews(const TwoViews&) = delete;
    TwoViews& operator=(const TwoViews&) = delete;
    /// The two views, or null where the buffer could not be mapped twice.
    [[nodiscard]] char* first() const { return first_; }
    [[nodiscard]] char* second() const { return second_; }

private:
    std::size_t reserved_ = 0;
    void* reservation_ = nullptr;
    char* first_ = nullptr;
    char* second_ = nullptr;
};

/// The read-modify-write pass in the order of a 1-qubit gate on qubit q: a line of the lower
/// and of the upper half of each block of 2^(q+1) amplitudes in turn, unprefetched. On some
/// machines two such streams run slower than one (on the Zen 4 machine: halves 512 B-8 KiB
/// apart, and a power of two of 64 MiB or more; see kernels.hpp), so on the highest qubit this
/// is the pass a plainly written gate can at best match there. With `view` the upper halves
/// are read and written through a second mapping of the same memory (TwoViews): on the Zen 4
/// machine that ran the highest qubit's pass at the rate of BM_MemoryRMW, without it at
/// about half, so what slows it is the two streams' virtual addresses a power of two apart,
/// not where they lie in memory (the state's huge pages lie scattered in physical memory).
template <class T>
void memory_rmw_pairs(benchmark::State& st, unsigned n, unsigned q, bool view) {
    const std::size_t amplitudes = std::size_t{1} << n, bytes = amplitudes * sizeof(std::complex<T>);
    std::optional<StateVector<T>> s;
    std::optional<TwoViews> views;
    T *p = nullptr, *upper = nullptr;
    if (view) {
        views.emplace(bytes);
        if (views->first() == nullptr) {
            st.SkipWithError("this system cannot map a buffer twice");
            return;
        }
        p = reinterpret_cast<T*>(views->first());
        upper = reinterpret_cast<T*>(views->second());
        std::memset(views->first(), 0, bytes);
        p[0] = 1;
        if (upper[0] != T(1)) {
            st.SkipWithError("the two views are not the same memory");
            return;
        }
    } else {
        s.emplace(n);
        p = upper = reinterpret_cast<T*>(s->data());
    }
    const std::size_t half = amplitudes;            // reals in half the state: 2 per amplitude
    const std::size_t apart = std::size_t{2} << q;  // reals between the halves of a block
    constexpr std::size_t line = 64 / sizeof(T);
    for (auto _ : st) {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, half / line, 1 << 10), [&](const auto& r) {
            for (std::size_t l = r.begin(); l < r.end(); ++l) {
                const std::size_t i = l * line, lower = (i / apart) * 2 * apart + i % apart;
                for (T* x : {p + lower, upper + lower + apart})
                    for (std::size_t j = 0; j < line; ++j) x[j] = x[j] * T(0.999999) + T(1e-9);
            }
        });
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(4 * half * sizeof(T)));
}

/// The read-modify-write pass over four streams a quarter of the state apart, plus `pad` bytes
/// between one and the next: a line of each in turn, as a 2-qubit gate on the two highest
/// qubits reads and writes them. On the Zen 4 machine the streams ran at half the rate of
/// BM_MemoryRMW or less without the pad and at its rate with 512 bytes (kSkewedBytes in
/// simulator/kernels.hpp, the reason for skewed_rows).
template <class T>
void memory_rmw_streams(benchmark::State& st, unsigned n, std::size_t pad) {
    StateVector<T> s(n);
    auto* p = reinterpret_cast<T*>(s.data());
    const std::size_t quarter = s.size() / 2, step = quarter + pad / sizeof(T);  // reals
    constexpr std::size_t line = 64 / sizeof(T);
    const std::size_t lines = (quarter - 3 * pad / sizeof(T)) / line;  // each stream's, in the state
    for (auto _ : st) {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lines, 1 << 10), [&](const auto& r) {
            for (std::size_t l = r.begin(); l < r.end(); ++l)
                for (std::size_t k = 0; k < 4; ++k) {
                    T* x = p + k * step + l * line;
                    for (std::size_t j = 0; j < line; ++j) x[j] = x[j] * T(0.999999) + T(1e-9);
                }
        });
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(8 * lines * line * sizeof(T)));
}

template <class T>
void memory_copy(benchmark::State& st, unsigned n) {
    StateVector<T> a(n), b(n);
    const std::size_t bytes = a.size() * sizeof(std::complex<T>);
    for (auto _ : st) {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, bytes, 1 << 18), [&](const auto& r) {
            std::memcpy(reinterpret_cast<char*>(b.data()) + r.begin(), reinterpret_cast<const char*>(a.data()) + r.begin(),
                        r.size());
        });
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(2 * bytes));
}

Matrix shaped_matrix(unsigned k, MatrixShape shape) {
    const std::size_t d = std::size_t{1} << k;
    Matrix m(d * d, 0.0);
    const double r = 1.0 / std::sqrt(double(d));
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j) {
            // The DFT with a phase on each row: no entry real or imaginary only (those take
            // their own kernels, BM_NamedGate).
            if (shape == MatrixShape::dense)
                m[i * d + j] = std::polar(r, 2 * std::numbers::pi * double(i * j) / double(d) + 0.1 * double(i + 1));
            // No entry exactly 1: the diagonal kernel skips those amplitudes (BM_NamedGate).
            if (shape == MatrixShape::diagonal && i == j) m[i * d + j] = std::polar(1.0, 0.1 * double(i + 1));
            if (shape == MatrixShape::permutation && i == (j + 1) % d) m[i * d + j] = 1.0;
        }
    return m;
}

/// Where a benchmark's gate acts: on the highest qubits (controls just below), with its last
/// target on qubit 0 (inside a register), on qubits 3 .. k + 2 (just above a register of any
/// instruction set: each group of amplitudes one contiguous block, one stream per thread), or
/// on qubits first .. first + k - 1 (`at`).
enum class Sites { high, qubit0, low, at };

/// The FMA ceiling as complex multiply-adds per second, from `fma_per_second` FMAs per second
/// on registers of `isa`: each FMA makes one real product per real element of a register, and a
/// complex multiply-add takes three of them in the 4- and 5-qubit kernels (dense_gauss_kernel in
/// simulator/kernels_impl.hpp, targets inside the register exchanged with free ones above it),
/// four in the others.
double cmac_ceiling(double fma_per_second, Isa isa, bool single, unsigned k, DenseProducts form = dense_products()) {
    const double reals = 2.0 * bench::complex_lanes(isa, single);
    const bool gauss = isa != Isa::scalar && ((k >= 4 && k <= 5) || (form == DenseProducts::three && k >= 2 && k <= 3));
    const double products = gauss ? 3 : 4;
    return fma_per_second * reals / products;
}

/// Times `op` on a state of n qubits (`touched`: the share of amplitudes it reads and writes)
/// against an in-place read-modify-write pass over the same state; `k` and `shape` are the
/// kernel's, for the arithmetic counters of dense gates.
template <class T>
void time_against_rmw(benchmark::State& st, unsigned n, const Operation& op, double touched_share, unsigned k,
                      MatrixShape shape, Isa isa) {
    set_isa(isa);
    StateVector<T> s(n);
    // The machine is shared: an in-place read-modify-write pass over the same state, timed
    // between the gate passes, gives the ceiling at the same moment (counter of_rmw).
    auto* p = reinterpret_cast<T*>(s.data());
    const std::size_t count = 2 * s.size();
    double rmw_seconds = 0, gate_seconds = 0, fma_rate_sum = 0, fma_sum = 0;
    const bool arithmetic = shape == MatrixShape::dense && bench::complex_lanes(isa, false) > 0;
    const std::int64_t fma_iterations = std::int64_t{4096} << std::min(n > 16 ? n - 16 : 0u, 10u);
    for (auto _ : st) {
        st.PauseTiming();
        // The FMA ceiling at the same moment: a burst of about the gate's length (a fixed short
        // one, some 25 us, measured mostly the threads' wake-up on large states: shares above 1).
        if (arithmetic) fma_rate_sum += bench::fma_per_second(isa, std::is_same_v<T, float>, fma_iterations, fma_sum);
        const auto t0 = std::chrono::steady_clock::now();
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 14), [&](const auto& r) {
            for (std::size_t i = r.begin(); i < r.end(); ++i) p[i] = p[i] * T(0.999999) + T(1e-9);
        });
        const auto t1 = std::chrono::steady_clock::now();
        st.ResumeTiming();
        apply_gate(s, op);
        benchmark::ClobberMemory();
        gate_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
        rmw_seconds += std::chrono::duration<double>(t1 - t0).count();
    }
    const double touched = double(s.size()) * touched_share;
    st.SetBytesProcessed(std::int64_t(double(st.iterations()) * touched * 2 * sizeof(std::complex<T>)));
    st.counters["of_rmw"] = (touched / gate_seconds) / (double(s.size()) / rmw_seconds);
    // The gate's time in read-modify-write passes over the whole state.
    st.counters["rmw_passes"] = gate_seconds / rmw_seconds;
    if (shape == MatrixShape::dense) {
        // 2^k complex multiply-adds per amplitude touched.
        const double cmac_per_s = touched * double(1u << k) / (gate_seconds / double(st.iterations()));
        st.counters["cmac_per_s"] = cmac_per_s;
        if (arithmetic) {
            benchmark::DoNotOptimize(fma_sum);
            const double peak = cmac_ceiling(fma_rate_sum / double(st.iterations()), isa, std::is_same_v<T, float>, k);
            st.counters["of_fma_peak"] = cmac_per_s / peak;
        }
    }
}

template <class T>
void kernel(benchmark::State& st, unsigned n, unsigned k, MatrixShape shape, unsigned controls, Isa isa,
            Sites sites = Sites::high, unsigned first = 0) {
    std::vector<unsigned> targets, ctrl;
    for (unsigned j = 0; j < k; ++j)
        targets.push_back(sites == Sites::low ? k + 2 - j : sites == Sites::at ? first + k - 1 - j : n - 1 - j);
    if (sites == Sites::qubit0) targets.back() = 0;
    for (unsigned j = 0; j < controls; ++j) ctrl.push_back(n - 1 - k - j);
    Circuit c(n);
    c.unitary(shaped_matrix(k, shape), targets);
    Operation op = c.operations()[0];
    op.controls = ctrl;
    op.control_values.assign(controls, 1);
    // Controlled gates count the bytes they touch.
    time_against_rmw<T>(st, n, op, 1.0 / double(std::uint64_t{1} << controls), k, shape, isa);
}

/// A named 1-qubit gate on the highest qubit, with its controls just below, or a SWAP of the
/// highest two (half the amplitudes move; the kernel leaves the others alone). A phase gate's
/// kernel reads and writes only the amplitudes whose entry is not 1: half of its control part for
/// Z, S, T or P, a quarter of the state for CZ or CP, an eighth for CCZ; H, RY (real entries) and
/// RX (imaginary off the diagonal) take one FMA per entry instead of two, SX the general kernel.
/// `rmw_passes` is the gate's time in passes over the whole state; `of_rmw` counts the bytes it
/// touches.
template <class T>
void named_gate(benchmark::State& st, unsigned n, GateKind kind, unsigned controls, Isa isa) {
    std::vector<unsigned> ctrl;
    for (unsigned j = 0; j < controls; ++j) ctrl.push_back(n - 2 - j);
    std::vector<ParamExpr> params;
    if (gate_info(kind).num_params == 1) params.emplace_back(0.3);
    Circuit c(n);
    if (kind == GateKind::swap) {  // on the highest two qubits: it moves half the amplitudes
        c.add(kind, {n - 1, n - 2}, params, {});
        time_against_rmw<T>(st, n, c.operations()[0], 0.5, 2, MatrixShape::permutation, isa);
        return;
    }
    c.add(kind, {n - 1}, params, ctrl);
    const Operation& op = c.operations()[0];
    const Matrix m = gate_matrix(kind, std::vector<double>(params.size(), 0.3));
    const bool diagonal = m[1] == 0.0 && m[2] == 0.0;
    const double changed = !diagonal ? 1.0 : (m[0] != 1.0 ? 0.5 : 0.0) + (m[3] != 1.0 ? 0.5 : 0.0);
    time_against_rmw<T>(st, n, op, changed / double(std::uint64_t{1} << controls), 1,
                        diagonal ? MatrixShape::diagonal : MatrixShape::dense, isa);
}

/// One dense gate, one thread, a state of 2^14 amplitudes (256 KiB in double): the kernel's own
/// arithmetic rate, with no threads to wake and no memory to wait on (the blocks of a
/// cache-blocked circuit run this way, on chunks in L2). Batches of 64 gates alternate with FMA
/// bursts of about their length on the same thread.
template <class T>
void kernel_in_cache(benchmark::State& st, unsigned k, Isa isa, Sites sites, DenseProducts products) {
    set_isa(isa);
    const DenseProducts saved = dense_products();
    set_dense_products(products);
    tbb::task_arena one_thread(1);
    constexpr unsigned n = 14;
    constexpr int batch = 64;
    StateVector<T> s(n);
    std::vector<unsigned> targets;
    for (unsigned j = 0; j < k; ++j) targets.push_back(n - 1 - j);
    if (sites == Sites::qubit0) targets.back() = 0;
    Circuit c(n);
    c.unitary(shaped_matrix(k, MatrixShape::dense), targets);
    const Operation op = c.operations()[0];
    double gate_seconds = 0, fma_rate_sum = 0, fma_sum = 0;
    one_thread.execute([&] {
        for (auto _ : st) {
            st.PauseTiming();
            fma_rate_sum += bench::fma_per_second(isa, std::is_same_v<T, float>, std::int64_t{1} << (k + 9), fma_sum);
            st.ResumeTiming();
            const auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < batch; ++i) apply_gate(s, op);
            benchmark::ClobberMemory();
            gate_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
    });
    benchmark::DoNotOptimize(fma_sum);
    const double cmac = double(st.iterations()) * batch * double(s.size()) * double(1u << k);
    st.counters["cmac_per_s"] = cmac / gate_seconds;
    const double peak = cmac_ceiling(fma_rate_sum / double(st.iterations()), isa, std::is_same_v<T, float>, k, products);
    st.counters["of_fma_peak"] = cmac / gate_seconds / peak;
    set_dense_products(saved);
}

/// The FMA ceiling of one instruction set, as complex multiply-adds per second.
void fma_peak(benchmark::State& st, Isa isa, bool single) {
    double sum = 0, fma = 0;
    for (auto _ : st) fma = bench::fma_per_second(isa, single, 2'000'000, sum);
    benchmark::DoNotOptimize(sum);
    st.counters["fma_per_s"] = fma;
    st.counters["cmac_per_s"] = fma * bench::complex_lanes(isa, single) / 2;
}

template <class T>
void register_precision(const char* prec, unsigned min_n, unsigned max_n) {
    for (unsigned n = min_n; n <= max_n; n += 2) {
        benchmark::RegisterBenchmark(fmt::format("BM_MemoryRMW/prec:{}/n:{}", prec, n).c_str(),
                                     [n](benchmark::State& st) { memory_rmw<T>(st, n); })
            ->UseRealTime()->Unit(benchmark::kMillisecond);
        // On the highest qubit, and on qubit 6 (the halves 1 KiB apart in double), where on the
        // Zen 4 machine this order ran memory at about half the rate (see Lookahead).
        for (unsigned q : {n - 1, 6u})
            if (q < n && (std::size_t{1} << q) * sizeof(std::complex<T>) >= 64)
                for (bool view : {false, true}) {
                    if (view && q != n - 1) continue;  // a second view matters only for far halves
                    benchmark::RegisterBenchmark(
                        fmt::format("BM_MemoryRMWPairs/q:{}/view:{}/prec:{}/n:{}", q, int(view), prec, n).c_str(),
                        [n, q, view](benchmark::State& st) { memory_rmw_pairs<T>(st, n, q, view); })
                        ->UseRealTime()->Unit(benchmark::kMillisecond);
                }
        for (std::size_t pad : {0, 512})
            benchmark::RegisterBenchmark(fmt::format("BM_MemoryRMWStreams/pad:{}/prec:{}/n:{}", pad, prec, n).c_str(),
                                         [n, pad](benchmark::State& st) { memory_rmw_streams<T>(st, n, pad); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("BM_MemoryCopy/prec:{}/n:{}", prec, n).c_str(),
                                     [n](benchmark::State& st) { memory_copy<T>(st, n); })
            ->UseRealTime()->Unit(benchmark::kMillisecond);
        for (Isa isa : supported_isas())
            if (n == min_n && bench::complex_lanes(isa, false) > 0)
                benchmark::RegisterBenchmark(fmt::format("BM_FmaPeak/isa:{}/prec:{}", isa_name(isa), prec).c_str(),
                                             [isa](benchmark::State& st) {
                                                 fma_peak(st, isa, std::is_same_v<T, float>);
                                             })
                    ->UseRealTime()->Iterations(3);
        for (Isa isa : supported_isas())
            for (auto [shape, name] : {std::pair{MatrixShape::dense, "dense"}, std::pair{MatrixShape::diagonal, "diagonal"},
                                       std::pair{MatrixShape::permutation, "permutation"}})
                for (unsigned k = 1; k <= 5; ++k)
                    for (unsigned controls : {0u, 1u}) {
                        if (k + controls > n) continue;
                        benchmark::RegisterBenchmark(
                            fmt::format("BM_Apply/class:{}/k:{}/controls:{}/isa:{}/prec:{}/n:{}", name, k, controls,
                                        isa_name(isa), prec, n).c_str(),
                            [=](benchmark::State& st) { kernel<T>(st, n, k, shape, controls, isa); })
                            ->UseRealTime()->Unit(benchmark::kMillisecond);
                    }
        for (auto [kind, controls, name] :
             {std::tuple{GateKind::z, 0u, "z"}, std::tuple{GateKind::p, 0u, "p"}, std::tuple{GateKind::z, 1u, "cz"},
              std::tuple{GateKind::p, 1u, "cp"}, std::tuple{GateKind::z, 2u, "ccz"}, std::tuple{GateKind::h, 0u, "h"},
              std::tuple{GateKind::ry, 0u, "ry"}, std::tuple{GateKind::rx, 0u, "rx"}, std::tuple{GateKind::sx, 0u, "sx"},
              std::tuple{GateKind::swap, 0u, "swap"}}) {
            const Isa isa = supported_isas().back();
            benchmark::RegisterBenchmark(
                fmt::format("BM_NamedGate/gate:{}/isa:{}/prec:{}/n:{}", name, isa_name(isa), prec, n).c_str(),
                [=](benchmark::State& st) { named_gate<T>(st, n, kind, controls, isa); })
                ->UseRealTime()->Unit(benchmark::kMillisecond);
        }
        for (Isa isa : supported_isas())
            for (unsigned k = 1; k <= 5 && n == min_n && bench::complex_lanes(isa, false) > 0; ++k)
                for (auto [sites, where] : {std::pair{Sites::high, "high"}, std::pair{Sites::qubit0, "qubit0"}})
                    for (DenseProducts products : {DenseProducts::four, DenseProducts::three}) {
                        // The forms differ in the vector 2- and 3-qubit kernels and, on AVX-512,
                        // in the 4- and 5-qubit ones' rows at a time.
                        const bool choice = isa != Isa::scalar && (k == 2 || k == 3 || (isa == Isa::avx512 && k >= 4));
                        if (!choice && products != dense_products()) continue;
                        benchmark::RegisterBenchmark(
                            fmt::format("BM_ApplyInCache/class:dense/k:{}/sites:{}/isa:{}/prec:{}/n:14/threads:1{}", k,
                                        where, isa_name(isa), prec,
                                        choice ? fmt::format("/products:{}", dense_products_name(products)) : "")
                                .c_str(),
                            [=](benchmark::State& st) { kernel_in_cache<T>(st, k, isa, sites, products); })
                            ->UseRealTime()
                            ->Unit(benchmark::kMicrosecond);
                    }
        // The 4- and 5-qubit dense gates (bound by arithmetic and memory together) on the
        // instruction set in use by default, at several heights: at n = 28 the highest five
        // qubits ran slower than any lower five. The 1-qubit gate at more heights: on the Zen 4
        // machine its two streams ran the memory slower for some distances apart (qubits 5-10
        // and the highest two), see Lookahead.
        // The 4- and 5-qubit diagonal gates at the same heights: below kOneStreamBytes they
        // make one pass in address order (diagonal_sweep_kernel).
        for (auto [cls, shape, k] : {std::tuple{"dense", MatrixShape::dense, 1u}, std::tuple{"dense", MatrixShape::dense, 4u},
                                     std::tuple{"dense", MatrixShape::dense, 5u},
                                     std::tuple{"diagonal", MatrixShape::diagonal, 4u},
                                     std::tuple{"diagonal", MatrixShape::diagonal, 5u}}) {
            std::vector<unsigned> firsts;
            const std::vector<unsigned> heights =
                k == 1 ? std::vector<unsigned>{3u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, n / 2, n - 3, n - 2, n - 1}
                       : std::vector<unsigned>{3u, 9u, n / 2, n - k - 2, n - k};
            for (unsigned first : heights)
                if (first >= 3 && first + k <= n) firsts.push_back(first);
            std::sort(firsts.begin(), firsts.end());
            firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
            for (unsigned first : firsts) {
                const Isa isa = supported_isas().back();
                benchmark::RegisterBenchmark(fmt::format("BM_ApplyAt/class:{}/k:{}/first:{}/isa:{}/prec:{}/n:{}", cls, k,
                                                         first, isa_name(isa), prec, n)
                                                 .c_str(),
                                             [=, shape = shape, k = k](benchmark::State& st) {
                                                 kernel<T>(st, n, k, shape, 0, isa, Sites::at, first);
                                             })
                    ->UseRealTime()->Unit(benchmark::kMillisecond);
            }
        }
        // The skewed and strip kernels (kernels.hpp's kSkewedBytes, kStripBytes) forced on
        // (skew:1) or off (skew:0) for gates on qubits first .. first + k - 1 near the top: the
        // comparison behind their thresholds and the 2..3 (dense) and 2..6 (permutation) qubits
        // they take.
        for (auto [cls, shape, ks] : {std::tuple{"dense", MatrixShape::dense, std::vector<unsigned>{2, 3}},
                                      std::tuple{"permutation", MatrixShape::permutation, std::vector<unsigned>{2, 3, 4, 5, 6}}})
            for (unsigned k : ks)
                for (unsigned first = n >= k + 2 ? n - k - 2 : n; first + k <= n; ++first)
                    for (int skew : {0, 1}) {
                        const Isa isa = supported_isas().back();
                        benchmark::RegisterBenchmark(
                            fmt::format("BM_ApplySkewed/class:{}/k:{}/first:{}/skew:{}/isa:{}/prec:{}/n:{}", cls, k,
                                        first, skew, isa_name(isa), prec, n)
                                .c_str(),
                            [=](benchmark::State& st) {
                                const detail::FarDistances saved = detail::far_distances();
                                detail::FarDistances forced = saved;
                                forced.skewed = forced.strips = skew ? 0 : ~std::size_t{0};
                                detail::set_far_distances(forced);
                                kernel<T>(st, n, k, shape, 0, isa, Sites::at, first);
                                detail::set_far_distances(saved);
                            })
                            ->UseRealTime()->Unit(benchmark::kMillisecond);
                    }
        for (Isa isa : supported_isas())
            for (unsigned k = 1; k <= 5 && bench::complex_lanes(isa, false) > 0; ++k)
                benchmark::RegisterBenchmark(
                    fmt::format("BM_ApplyLow/class:dense/k:{}/isa:{}/prec:{}/n:{}", k, isa_name(isa), prec, n).c_str(),
                    [=](benchmark::State& st) { kernel<T>(st, n, k, MatrixShape::dense, 0, isa, Sites::qubit0); })
                    ->UseRealTime()->Unit(benchmark::kMillisecond);
        for (Isa isa : supported_isas())
            for (auto [shape, name] : {std::pair{MatrixShape::dense, "dense"}, std::pair{MatrixShape::diagonal, "diagonal"},
                                       std::pair{MatrixShape::permutation, "permutation"}})
                for (unsigned k = 1; k <= 5 && k + 3 <= n; ++k)
                    benchmark::RegisterBenchmark(
                        fmt::format("BM_ApplyLowQubits/class:{}/k:{}/isa:{}/prec:{}/n:{}", name, k, isa_name(isa), prec, n)
                            .c_str(),
                        [=](benchmark::State& st) { kernel<T>(st, n, k, shape, 0, isa, Sites::low); })
                        ->UseRealTime()->Unit(benchmark::kMillisecond);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const auto [min_n, max_n] = kettle::bench::init_with_qubit_range(argc, argv, {20, 24});
    register_precision<double>("double", min_n, max_n);
    register_precision<float>("single", min_n, max_n);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
