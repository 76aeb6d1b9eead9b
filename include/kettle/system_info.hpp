#pragma once
// What machine kettle runs on and what it chose to run with.

#include <string>
#include <vector>

namespace kettle {

struct SystemInfo {
    std::string version;
    std::string cpu_model;
    std::vector<std::string> cpu_features;  ///< of those kettle's kernels can use: avx2, fma, avx512f, ...
    std::string kernel_isa;                 ///< the kernel table in use: scalar, avx2 or avx512
    std::string dense_products;             ///< the dense kernels' complex products: four or three (DenseProducts)
    unsigned hardware_threads = 0;
    unsigned threads = 0;                   ///< threads kettle's parallel parts use now
    std::size_t memory_available = 0;       ///< bytes
    std::string compiler;
    std::string build_type;
};

/// Describes this machine and build. Cost: reads /proc/cpuinfo and /proc/meminfo.
[[nodiscard]] SystemInfo system_info();

}  // namespace kettle
