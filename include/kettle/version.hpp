#pragma once

#include <string_view>

namespace kettle {

/// kettle's version, as the files it writes record it.
inline constexpr std::string_view version = "0.1.0";

}  // namespace kettle
