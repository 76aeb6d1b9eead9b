#include "hdf5_support.hpp"

namespace kettle::detail {

void silence_hdf5() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::mutex& hdf5_mutex() noexcept {
    static std::mutex m;
    return m;
}

}  // namespace kettle::detail
