#pragma once
// Memory and thread limits: every allocation that scales with qubits is checked against them
// before it is made, so that the operating system never has to stop the process.

#include <cstddef>
#include <string_view>

namespace kettle {

/// Bytes this process may still allocate: the least of the system's available memory
/// (MemAvailable in /proc/meminfo), the cgroup's remaining limit, and the limit set with
/// set_memory_limit. Cost: reads two small files.
[[nodiscard]] std::size_t available_memory();

/// Caps what kettle allocates for states (0 removes the cap). Thread-safe.
void set_memory_limit(std::size_t bytes) noexcept;
[[nodiscard]] std::size_t memory_limit() noexcept;

/// Throws Error(resource_limit) naming `what`, the bytes needed and the bytes available if
/// `bytes` exceeds available_memory().
void check_memory(std::size_t bytes, std::string_view what);

/// Sets the number of worker threads kettle's parallel parts use (0: all cores). It lasts until
/// the next call; it applies process-wide (a tbb::global_control). Not for concurrent callers.
void set_num_threads(std::size_t threads);
/// The number of threads parallel parts may use now.
[[nodiscard]] std::size_t num_threads();

}  // namespace kettle
