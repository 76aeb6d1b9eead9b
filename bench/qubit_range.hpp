#pragma once
// The --min-qubits / --max-qubits options the benchmark programs share; the other arguments go
// on to Google Benchmark.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace kettle::bench {

struct QubitRange {
    unsigned min, max;
};

/// Takes --min-qubits A and --max-qubits B out of argv (defaults as given) and initialises
/// Google Benchmark with the rest.
inline QubitRange init_with_qubit_range(int argc, char** argv, QubitRange range) {
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--min-qubits" && i + 1 < argc)
            range.min = unsigned(std::stoul(argv[++i]));
        else if (a == "--max-qubits" && i + 1 < argc)
            range.max = unsigned(std::stoul(argv[++i]));
        else
            rest.push_back(argv[i]);
    }
    int rest_argc = int(rest.size());
    benchmark::Initialize(&rest_argc, rest.data());
    return range;
}

}  // namespace kettle::bench
