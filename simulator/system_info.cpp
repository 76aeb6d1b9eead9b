#include "kettle/system_info.hpp"

#include <fstream>
#include <thread>

#include "kettle/isa.hpp"
#include "kettle/resources.hpp"
#include "kettle/version.hpp"

#ifndef KETTLE_BUILD_TYPE
#define KETTLE_BUILD_TYPE "unknown"
#endif

namespace kettle {

SystemInfo system_info() {
    SystemInfo info;
    info.version = std::string(version);
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (info.cpu_model.empty() && line.rfind("model name", 0) == 0) {
            info.cpu_model = line.substr(line.find(':') + 2);
        }
        if (line.rfind("flags", 0) == 0) break;
    }
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) info.cpu_features.emplace_back("sse4.2");
    if (__builtin_cpu_supports("avx")) info.cpu_features.emplace_back("avx");
    if (__builtin_cpu_supports("avx2")) info.cpu_features.emplace_back("avx2");
    if (__builtin_cpu_supports("fma")) info.cpu_features.emplace_back("fma");
    if (__builtin_cpu_supports("avx512f")) info.cpu_features.emplace_back("avx512f");
    if (__builtin_cpu_supports("avx512dq")) info.cpu_features.emplace_back("avx512dq");
    info.kernel_isa = std::string(isa_name(current_isa()));
    info.dense_products = std::string(dense_products_name(dense_products()));
    info.hardware_threads = std::thread::hardware_concurrency();
    info.threads = static_cast<unsigned>(num_threads());
    info.memory_available = available_memory();
#if defined(__clang__)
    info.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
    info.compiler = "g++ " __VERSION__;
#endif
    info.build_type = KETTLE_BUILD_TYPE;
    return info;
}

}  // namespace kettle
