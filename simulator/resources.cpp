#include "kettle/resources.hpp"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include "kettle/error.hpp"

namespace kettle {
namespace {

std::atomic<std::size_t> g_memory_limit{0};

std::size_t meminfo_available() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::size_t value = 0;
    std::string unit;
    while (in >> key >> value) {
        std::getline(in, unit);
        if (key == "MemAvailable:") return value * 1024;
    }
    return std::numeric_limits<std::size_t>::max();
}

std::size_t read_number(const char* path) {
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text == "max") return std::numeric_limits<std::size_t>::max();
    try {
        return std::stoull(text);
    } catch (const std::exception&) {
        return std::numeric_limits<std::size_t>::max();
    }
}

std::size_t cgroup_available() {
    const std::size_t limit = read_number("/sys/fs/cgroup/memory.max");
    if (limit == std::numeric_limits<std::size_t>::max()) return limit;
    const std::size_t used = read_number("/sys/fs/cgroup/memory.current");
    return used == std::numeric_limits<std::size_t>::max() || used > limit ? 0 : limit - used;
}

std::string human(std::size_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 6) v /= 1024, ++u;
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::mutex g_threads_mutex;
std::unique_ptr<tbb::global_control> g_threads;

}  // namespace

std::size_t available_memory() {
    std::size_t a = std::min(meminfo_available(), cgroup_available());
    if (const std::size_t cap = g_memory_limit.load(); cap != 0) a = std::min(a, cap);
    return a;
}

void set_memory_limit(std::size_t bytes) noexcept { g_memory_limit.store(bytes); }
std::size_t memory_limit() noexcept { return g_memory_limit.load(); }

void check_memory(std::size_t bytes, std::string_view what) {
    const std::size_t available = available_memory();
    if (bytes > available)
        throw Error(ErrorCode::resource_limit,
                    fmt::format("{} needs {} bytes ({}), but only {} bytes ({}) are available{}", what, bytes,
                                human(bytes), available, human(available),
                                memory_limit() != 0 ? " under the memory limit set" : ""));
}

void set_num_threads(std::size_t threads) {
    std::lock_guard lock(g_threads_mutex);
    g_threads.reset();
    if (threads != 0)
        g_threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
}

std::size_t num_threads() {
    return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
}

}  // namespace kettle
