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
std::atomic<std::size_t> g_memory_held{0};

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

/// What the limit leaves beside `held` bytes; the system's figure already counts what the
/// process holds, so only the limit is reduced by it.
std::size_t available_beside(std::size_t system, std::size_t limit, std::size_t held) {
    if (limit == 0) return system;
    return std::min(system, held >= limit ? 0 : limit - held);
}

[[noreturn]] void refuse(std::size_t bytes, std::string_view what, std::size_t available, std::size_t limit,
                         std::size_t held) {
    std::string under;
    if (limit != 0 && held != 0)
        under = fmt::format(" under the memory limit set ({} bytes ({}), of which kettle's live states and buffers "
                            "hold {} bytes ({}))", limit, human(limit), held, human(held));
    else if (limit != 0)
        under = " under the memory limit set";
    throw Error(ErrorCode::resource_limit, fmt::format("{} needs {} bytes ({}), but only {} bytes ({}) are available{}",
                                                       what, bytes, human(bytes), available, human(available), under));
}

}  // namespace

std::size_t available_memory() {
    return available_beside(std::min(meminfo_available(), cgroup_available()), g_memory_limit.load(),
                            g_memory_held.load());
}

void set_memory_limit(std::size_t bytes) noexcept { g_memory_limit.store(bytes); }
std::size_t memory_limit() noexcept { return g_memory_limit.load(); }
std::size_t memory_held() noexcept { return g_memory_held.load(); }

void check_memory(std::size_t bytes, std::string_view what) {
    const std::size_t system = std::min(meminfo_available(), cgroup_available());
    const std::size_t limit = g_memory_limit.load(), held = g_memory_held.load();
    const std::size_t available = available_beside(system, limit, held);
    if (bytes > available) refuse(bytes, what, available, limit, held);
}

namespace detail {

void reserve_memory(std::size_t bytes, std::string_view what) {
    const std::size_t system = std::min(meminfo_available(), cgroup_available());
    const std::size_t limit = g_memory_limit.load();
    std::size_t held = g_memory_held.load();
    // Check and count in one step: another thread's reservation between the two would retry.
    do {
        const std::size_t available = available_beside(system, limit, held);
        if (bytes > available) refuse(bytes, what, available, limit, held);
    } while (!g_memory_held.compare_exchange_weak(held, held + bytes));
}

void release_memory(std::size_t bytes) noexcept { g_memory_held.fetch_sub(bytes); }

}  // namespace detail

MemoryReservation::MemoryReservation(std::size_t bytes, std::string_view what) {
    detail::reserve_memory(bytes, what);
    bytes_ = bytes;
}

MemoryReservation& MemoryReservation::operator=(MemoryReservation&& other) noexcept {
    if (this != &other) {
        detail::release_memory(bytes_);
        bytes_ = other.bytes_;
        other.bytes_ = 0;
    }
    return *this;
}

MemoryReservation::~MemoryReservation() { detail::release_memory(bytes_); }

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
