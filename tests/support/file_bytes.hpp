#pragma once
// A whole file's bytes, for the tests that compare saved files or damage them.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace kettle::test {

/// The bytes of the file at `path`; empty if it cannot be read.
inline std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace kettle::test
