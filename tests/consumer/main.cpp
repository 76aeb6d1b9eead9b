// Builds a Bell pair with an installed kettle and prints its probabilities, one per line as
// "<bitstring> <probability>", then the hardware-efficient ansatz's weight count (from kettle::qml).

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "kettle/kettle.hpp"

int main() {
    kettle::Circuit bell(2);
    bell.h(0).cx(0, 1);
    const std::vector<double> p = kettle::probabilities(kettle::simulate<double>(bell));
    for (std::size_t i = 0; i < p.size(); ++i) {
        const std::string bits{char('0' + (i >> 1 & 1)), char('0' + (i & 1))};
        std::printf("%s %.6f\n", bits.c_str(), p[i]);
    }

    kettle::Circuit model(3);
    const auto weights = kettle::hardware_efficient_ansatz(model, 2, kettle::Entangler::ring);
    std::printf("weights %zu\n", weights.size());
    return 0;
}
