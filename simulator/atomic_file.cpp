#include "kettle/detail/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "kettle/error.hpp"

namespace kettle::detail {
namespace {

std::filesystem::path folder_of(const std::filesystem::path& target) {
    const std::filesystem::path parent = target.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

/// fsync on a path opened read-only: enough for both regular files and folders on Linux.
bool sync_path(const std::filesystem::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    return ::close(fd) == 0 && ok;
}

/// The process's umask, read without changing it (umask() would race with other threads).
mode_t current_umask() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
    return 022;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target, std::string_view what)
    : target_(std::move(target)), what_(what) {
    // A hidden name in the same folder: rename() is only atomic within one file system.
    std::string pattern = (folder_of(target_) / fmt::format(".{}.tmp-XXXXXX", target_.filename().string())).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot create a temporary file beside '{}': {}", what_,
                                                          target_.string(), std::strerror(errno)));
    // mkstemp makes the file private (0600); a saved file should get the usual permissions.
    ::fchmod(fd, 0666 & ~current_umask());
    ::close(fd);
    temp_ = pattern;
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        std::error_code ignored;
        std::filesystem::remove(temp_, ignored);
    }
}

void AtomicFile::commit() {
    if (!sync_path(temp_, O_RDONLY))
        throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot flush '{}' to disk: {}", what_, temp_.string(),
                                                          std::strerror(errno)));
    if (std::rename(temp_.c_str(), target_.c_str()) != 0)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot write '{}': {}", what_, target_.string(),
                                                          std::strerror(errno)));
    committed_ = true;
    // Make the rename itself durable; a failure here cannot undo the save, so it is not an error.
    sync_path(folder_of(target_), O_RDONLY | O_DIRECTORY);
}

}  // namespace kettle::detail
