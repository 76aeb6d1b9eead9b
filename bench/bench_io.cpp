// Loading files: what the damaged-file probe (simulator/hdf5_probe.hpp) costs. Every HDF5 load
// forks a child that reads the file first; the fork copies the process's page tables, so its
// cost grows with the memory the process holds.
//
//   build/bench/bench_io [benchmark flags]
//
// BM_LoadSmallState/held_mib:N loads a 4-qubit state file while the process holds N MiB of
// touched memory besides.

#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>
#include <vector>

#include "kettle/kettle.hpp"

namespace {

using namespace kettle;

void load_small_state(benchmark::State& st, std::size_t held_mib) {
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() / fmt::format("kettle_bench_io_{}.h5", ::getpid());
    save_state(file, StateVector<double>(4));
    std::vector<char> held(held_mib << 20);
    std::memset(held.data(), 1, held.size());  // resident, so the fork copies its page tables
    for (auto _ : st) benchmark::DoNotOptimize(load_state<double>(file));
    benchmark::DoNotOptimize(held.data());
    std::filesystem::remove(file);
}

}  // namespace

int main(int argc, char** argv) {
    for (std::size_t held : {0, 1024, 4096})
        benchmark::RegisterBenchmark(fmt::format("BM_LoadSmallState/held_mib:{}", held).c_str(),
                                     [held](benchmark::State& st) { load_small_state(st, held); })
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
