#include "kettle/builtin_datasets.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kettle/csv.hpp"
#include "kettle/error.hpp"

#ifndef KETTLE_DATA_DIR
#error "KETTLE_DATA_DIR must name the source tree's data/ folder (classical/CMakeLists.txt sets it)"
#endif
#ifndef KETTLE_INSTALL_DATA_DIR
#error "KETTLE_INSTALL_DATA_DIR must name the installed data folder (classical/CMakeLists.txt sets it)"
#endif

namespace kettle {

std::vector<std::string> builtin_dataset_names() { return {"iris", "breast_cancer", "digits"}; }

std::filesystem::path builtin_data_dir() {
    // The source tree first, so that a build directory always reads the data it was built with.
    const std::filesystem::path candidates[] = {KETTLE_DATA_DIR, KETTLE_INSTALL_DATA_DIR};
    for (const auto& dir : candidates) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(dir / "iris.csv", ec)) return dir;
    }
    throw Error(ErrorCode::invalid_input, fmt::format("builtin_data_dir: the bundled data sets are neither in {} nor in {}",
                                                      candidates[0].string(), candidates[1].string()));
}

Dataset load_builtin_dataset(std::string_view name) {
    const auto names = builtin_dataset_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("load_builtin_dataset: no bundled data set named \"{}\" (valid: {})", name, fmt::join(names, ", ")));
    return read_csv(builtin_data_dir() / fmt::format("{}.csv", name), CsvOptions{.label = "label"});
}

}  // namespace kettle
