#pragma once
// The memory-bandwidth ceilings a simulator is measured against, measured in-process.

#include <cstddef>

namespace kettle {

struct Bandwidth {
    double read_modify_write;  ///< bytes/s of an in-place pass (read and write counted)
    double copy;               ///< bytes/s of a copy between two buffers (read and write counted)
};

/// Times an in-place read-modify-write pass and a copy over `bytes` of memory with the current
/// thread count (best of `repeats`), the ceilings of one gate pass over a state of that size.
/// Checks memory first (Error(resource_limit)). Cost: allocates 2 * bytes; 2 * repeats passes.
[[nodiscard]] Bandwidth measure_bandwidth(std::size_t bytes, unsigned repeats = 3);

}  // namespace kettle
