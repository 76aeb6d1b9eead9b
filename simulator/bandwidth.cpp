#include "kettle/bandwidth.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "kettle/resources.hpp"
#include "large_allocation.hpp"

namespace kettle {
namespace {

struct Free {
    void operator()(void* p) const noexcept { std::free(p); }
};

template <class Pass>
double best_seconds(unsigned repeats, Pass&& pass) {
    double best = 1e300;
    for (unsigned r = 0; r < std::max(1u, repeats); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        pass();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

}  // namespace

Bandwidth measure_bandwidth(std::size_t bytes, unsigned repeats) {
    bytes = std::max<std::size_t>(bytes / 64 * 64, 64);
    check_memory(2 * bytes, "measure_bandwidth");
    std::unique_ptr<double[], Free> a(static_cast<double*>(detail::allocate_large(bytes)));
    std::unique_ptr<double[], Free> b(static_cast<double*>(detail::allocate_large(bytes)));
    const std::size_t count = bytes / sizeof(double);
    // Blocks as the kernels use them, touched first by the threads that will use them.
    const std::size_t grain = std::size_t{1} << 15;
    double* pa = a.get();
    double* pb = b.get();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, grain), [&](const auto& r) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) pa[i] = pb[i] = 1.0;
    });
    const double rmw = best_seconds(repeats, [&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, grain), [&](const auto& r) {
            for (std::size_t i = r.begin(); i < r.end(); ++i) pa[i] = pa[i] * 0.999999 + 1e-9;
        });
    });
    const double copy = best_seconds(repeats, [&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, grain), [&](const auto& r) {
            std::memcpy(pb + r.begin(), pa + r.begin(), r.size() * sizeof(double));
        });
    });
    return {2.0 * double(bytes) / rmw, 2.0 * double(bytes) / copy};
}

}  // namespace kettle
