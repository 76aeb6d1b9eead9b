#pragma once
// Atomic saves: write a temporary file beside the target, make it durable, then rename it over
// the target, so that an interrupted save leaves either the old file or the new one, never half.

#include <filesystem>
#include <string_view>

namespace kettle::detail {

class AtomicFile {
public:
    /// Reserves a fresh temporary file in `target`'s folder. `what` names the operation in error
    /// messages (e.g. "save_state"). Throws Error(invalid_input) if the folder is not writable.
    AtomicFile(std::filesystem::path target, std::string_view what);
    /// Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Where to write the contents; the caller must have closed it before commit().
    [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return temp_; }
    [[nodiscard]] const std::filesystem::path& target() const noexcept { return target_; }

    /// Flushes the temporary file to disk, renames it over the target and flushes the folder.
    /// Throws Error(invalid_input) on failure (the target is then untouched).
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path temp_;
    std::string what_;
    bool committed_ = false;
};

}  // namespace kettle::detail
