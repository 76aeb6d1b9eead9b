#pragma once
// Memory and thread limits: every allocation that scales with qubits is checked against them
// before it is made, so that the operating system never has to stop the process.

#include <cstddef>
#include <string_view>

namespace kettle {

/// Bytes this process may still allocate: the least of the system's available memory
/// (MemAvailable in /proc/meminfo), the cgroup's remaining limit, and what the limit set with
/// set_memory_limit leaves beside memory_held(). Cost: reads two small files.
[[nodiscard]] std::size_t available_memory();

/// Caps what kettle holds at once in states and other large buffers, all threads together
/// (0 removes the cap). Lowering it below memory_held() frees nothing; later allocations fail.
/// Thread-safe.
void set_memory_limit(std::size_t bytes) noexcept;
[[nodiscard]] std::size_t memory_limit() noexcept;

/// Bytes of the states and reserved buffers (MemoryReservation) alive now, process-wide.
[[nodiscard]] std::size_t memory_held() noexcept;

/// Throws Error(resource_limit) naming `what`, the bytes needed and the bytes available if
/// `bytes` exceeds available_memory(); with a limit set, the message also gives the limit and
/// memory_held(). Checks only: for a buffer that lives on, use MemoryReservation.
void check_memory(std::size_t bytes, std::string_view what);

/// Counts `bytes` in memory_held() for its lifetime, after the check of check_memory; the check
/// and the count are one atomic step, so threads reserving at once cannot together pass the
/// limit. Movable (the moved-from object holds nothing), not copyable.
class MemoryReservation {
public:
    MemoryReservation() noexcept = default;
    MemoryReservation(std::size_t bytes, std::string_view what);
    MemoryReservation(MemoryReservation&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = 0; }
    MemoryReservation& operator=(MemoryReservation&& other) noexcept;
    MemoryReservation(const MemoryReservation&) = delete;
    MemoryReservation& operator=(const MemoryReservation&) = delete;
    ~MemoryReservation();

    [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

private:
    std::size_t bytes_ = 0;
};

namespace detail {
/// MemoryReservation without the object, for owners that keep the byte count themselves
/// (StateVector's deleter): every reserve_memory is matched by one release_memory.
void reserve_memory(std::size_t bytes, std::string_view what);
void release_memory(std::size_t bytes) noexcept;
}  // namespace detail

/// Sets the number of worker threads kettle's parallel parts use (0: all cores). It lasts until
/// the next call; it applies process-wide (a tbb::global_control). Not for concurrent callers.
void set_num_threads(std::size_t threads);
/// The number of threads parallel parts may use now.
[[nodiscard]] std::size_t num_threads();

}  // namespace kettle
