#include "hdf5_support.hpp"

#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <string_view>

namespace kettle::detail {

void silence_hdf5() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::mutex& hdf5_mutex() noexcept {
    static std::mutex m;
    return m;
}

namespace {

std::uint64_t little_endian(const char* p, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = bytes; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

/// The superblock's "size of lengths" (0 if there is no superblock at the usual places).
std::size_t length_size(std::string_view bytes) {
    constexpr std::string_view signature("\x89HDF\r\n\x1a\n", 8);
    for (std::size_t at = 0; at + 16 <= bytes.size(); at = at == 0 ? 512 : at * 2) {
        if (bytes.substr(at, 8) != signature) continue;
        const auto version = static_cast<unsigned char>(bytes[at + 8]);
        return static_cast<unsigned char>(bytes[at + (version >= 2 ? 10 : 14)]);
    }
    return 0;
}

}  // namespace

std::string global_heap_problem(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    if (length_size(bytes) != 8) return {};
    // Collection: "GCOL", version 1, 3 reserved bytes, its size (8) including this header of 16;
    // then objects: index (2), references (2), reserved (4), size (8), data padded to 8 bytes;
    // index 0 is free space, whose size includes its header. The walk is libhdf5's own (which
    // goes on past free space): an object past the end makes it copy past the collection, a
    // free space of size 0 makes it loop for ever.
    constexpr std::size_t header = 16;
    for (std::size_t at = bytes.find("GCOL"); at != std::string::npos; at = bytes.find("GCOL", at + 4)) {
        if (at + header > bytes.size() || bytes[at + 4] != 1) continue;
        const std::uint64_t size = little_endian(bytes.data() + at + 8, 8);
        if (size < header || size > bytes.size() - at)
            return fmt::format("has a global heap collection at byte {} of {} bytes, past the end of the file", at,
                               size);
        for (std::uint64_t pos = header; pos + header <= size;) {
            const char* object = bytes.data() + at + pos;
            const std::uint64_t object_size = little_endian(object + 8, 8), room = size - pos;
            const bool free_space = little_endian(object, 2) == 0;
            if (object_size > room || (!free_space && ((object_size + 7) & ~std::uint64_t{7}) > room - header))
                return fmt::format("has a corrupt global heap collection at byte {} (an object of {} bytes in {})", at,
                                   object_size, room);
            if (free_space && object_size == 0)
                return fmt::format("has a corrupt global heap collection at byte {} (free space of 0 bytes)", at);
            pos += free_space ? object_size : header + ((object_size + 7) & ~std::uint64_t{7});
        }
    }
    return {};
}

H5Handle utf8_string_type() {
    H5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    return type;
}

void reclaim_variable_length(hid_t type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

}  // namespace kettle::detail
