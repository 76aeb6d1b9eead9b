#pragma once
// The one exception type of kettle, and the exit codes the `kettle` program maps it to.

#include <stdexcept>
#include <string>

namespace kettle {

/// What kind of failure an Error reports. The values are the exit codes of the `kettle` program.
enum class ErrorCode : int {
    internal = 1,        ///< a bug in kettle
    usage = 2,           ///< bad command-line usage
    invalid_input = 3,   ///< bad file, circuit, parameter or data
    resource_limit = 4,  ///< not enough memory (checked before allocating) or a size limit
};

/// Every error kettle reports. `what()` is one line that names the operation, the bad value and
/// the valid range; parse errors start with `file:line:column:`.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

    [[nodiscard]] ErrorCode code() const noexcept { return code_; }
    [[nodiscard]] int exit_code() const noexcept { return static_cast<int>(code_); }

private:
    ErrorCode code_;
};

}  // namespace kettle
