#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>

#include "kettle/error.hpp"
#include "kettle/qasm.hpp"
#include "qasm_parser.hpp"
#include "qasm_program.hpp"

namespace kettle {
namespace {

/// Files past this size are refused before reading: no real circuit needs more, and reading a
/// mistaken multi-gigabyte path should fail fast.
constexpr std::uintmax_t max_file_bytes = std::uintmax_t{256} << 20;

/// A byte that no OpenQASM text holds (white space aside, control characters mean binary data).
bool is_binary_byte(unsigned char c) {
    if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return false;
    return c < 0x20 || c == 0x7f;
}

}  // namespace

Circuit read_qasm(std::string_view source, std::string_view filename) {
    qasm::Program program(filename);
    qasm::Parser parser(program, source, filename);
    parser.parse_program();
    return program.take_circuit();
}

Circuit read_qasm_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::invalid_input, fmt::format("cannot read '{}': it is a directory", name));
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot open '{}': {}", name, errno ? std::strerror(errno) : "it cannot be opened"));
    if (const std::uintmax_t size = std::filesystem::file_size(path, ec); !ec && size > max_file_bytes)
        throw Error(ErrorCode::resource_limit,
                    fmt::format("cannot read '{}': it has {} bytes, more than the limit of {} (256 MiB)", name, size,
                                max_file_bytes));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(ErrorCode::invalid_input, fmt::format("cannot read '{}': {}", name, std::strerror(errno)));
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_binary_byte(c))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("'{}' is not a text file (byte 0x{:02x} at offset {})", name, c, i));
    }
    return read_qasm(text, name);
}

}  // namespace kettle
