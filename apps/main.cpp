#include <fmt/format.h>

#include "kettle/kettle.hpp"

int main() {
    const kettle::SystemInfo info = kettle::system_info();
    fmt::print("kettle {}\n", info.version);
    return 0;
}
