#pragma once
// The one place kettle's parallel loops meet a threading library (internal; not for users).
//
// The default backend is oneTBB. Configured with -DKETTLE_PARALLEL_BACKEND=std (the
// ThreadSanitizer build, scripts/sanitizers.sh), the same loops run on plain std::threads with
// a static partition: ThreadSanitizer cannot see through an uninstrumented libtbb, so only
// then does it check the kernels' and the trainer's own memory accesses. Slower (threads are
// started per loop); never for production.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "kettle/resources.hpp"

#ifdef KETTLE_PARALLEL_STD
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>
#else
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace kettle::detail {

#ifdef KETTLE_PARALLEL_STD

/// Index of the calling thread within the parallel loop that started it (0 outside loops).
inline thread_local std::size_t t_worker = 0;

/// Calls body(begin, end) over disjoint sub-ranges covering [0, count), each at least `grain`
/// long but the last: one contiguous block per thread, the first on the calling thread. The
/// first exception a block throws is rethrown after every thread has joined.
template <class Body>
void parallel_range(std::uint64_t count, std::uint64_t grain, Body&& body) {
    grain = std::max<std::uint64_t>(1, grain);
    const std::uint64_t workers =
        std::min<std::uint64_t>((count + grain - 1) / grain, std::max<std::size_t>(1, num_threads()));
    if (workers <= 1) {
        if (count > 0) body(std::uint64_t{0}, count);
        return;
    }
    auto begin_of = [&](std::uint64_t w) { return count / workers * w + std::min(w, count % workers); };
    std::exception_ptr first;
    std::mutex first_mutex;
    auto run = [&](std::uint64_t w) {
        try {
            body(begin_of(w), begin_of(w + 1));
        } catch (...) {
            const std::lock_guard lock(first_mutex);
            if (!first) first = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(workers - 1);
    for (std::uint64_t w = 1; w < workers; ++w)
        threads.emplace_back([&run, w] {
            t_worker = w;
            run(w);
        });
    run(0);
    for (std::thread& t : threads) t.join();
    if (first) std::rethrow_exception(first);
}

/// One T per worker of the parallel loop in progress, made on first use by `make` and kept for
/// later loops (tbb::enumerable_thread_specific's role). Only the loop's own workers may call
/// local(), not threads their bodies start.
template <class T>
class ThreadLocal {
public:
    ThreadLocal() : make_([] { return T(); }) {}
    explicit ThreadLocal(std::function<T()> make) : make_(std::move(make)) {}

    T& local() {
        const std::lock_guard lock(mutex_);
        std::unique_ptr<T>& slot = slots_[t_worker];
        if (!slot) slot = std::make_unique<T>(make_());
        return *slot;
    }

private:
    std::function<T()> make_;
    std::mutex mutex_;
    std::map<std::size_t, std::unique_ptr<T>> slots_;
};

/// Runs f so that the calling thread takes on no other work of an enclosing loop meanwhile
/// (automatic here: a worker runs only its own block).
template <class F>
void isolate(F&& f) {
    f();
}

#else

template <class Body>
void parallel_range(std::uint64_t count, std::uint64_t grain, Body&& body) {
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, count, std::max<std::uint64_t>(1, grain)),
                      [&](const tbb::blocked_range<std::uint64_t>& r) { body(r.begin(), r.end()); });
}

template <class T>
class ThreadLocal {
public:
    ThreadLocal() = default;
    explicit ThreadLocal(std::function<T()> make) : values_(std::move(make)) {}
    T& local() { return values_.local(); }

private:
    tbb::enumerable_thread_specific<T> values_;
};

template <class F>
void isolate(F&& f) {
    tbb::this_task_arena::isolate(std::forward<F>(f));
}

#endif

/// Calls body(i) for every i in [0, count), in parallel: one task per index (for loops whose
/// iterations are large, such as the trainer's samples).
template <class Body>
void parallel_each(std::size_t count, Body&& body) {
    parallel_range(count, 1, [&](std::uint64_t b, std::uint64_t e) {
        for (std::uint64_t i = b; i < e; ++i) body(std::size_t(i));
    });
}

}  // namespace kettle::detail
