#include "hdf5_support.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <string_view>

namespace kettle::detail {

void silence_hdf5() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::mutex& hdf5_mutex() noexcept {
    static std::mutex m;
    return m;
}

namespace {

/// `count` bytes at `at`, or fewer at the end of the file.
std::string bytes_at(std::ifstream& in, std::uint64_t at, std::size_t count) {
    std::string out(count, '\0');
    in.clear();
    in.seekg(static_cast<std::streamoff>(at));
    in.read(out.data(), static_cast<std::streamsize>(count));
    out.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return out;
}

struct Superblock {
    std::uint64_t at;
    std::size_t offsets, lengths;  // the file's sizes of addresses and of lengths, in bytes
};

/// Where the superblock is (0, 512, 1024, ...) and its sizes; nothing if none is.
std::optional<Superblock> superblock(std::ifstream& in, std::uint64_t file_size) {
    constexpr std::string_view signature("\x89HDF\r\n\x1a\n", 8);
    for (std::uint64_t at = 0; at + 16 <= file_size; at = at == 0 ? 512 : at * 2) {
        const std::string head = bytes_at(in, at, 16);
        if (head.size() < 16 || std::string_view(head).substr(0, 8) != signature) continue;
        const bool v2 = static_cast<unsigned char>(head[8]) >= 2;
        return Superblock{at, static_cast<unsigned char>(head[v2 ? 9 : 13]), static_cast<unsigned char>(head[v2 ? 10 : 14])};
    }
    return std::nullopt;
}

/// Walks the collection at `at` (its bytes in `c`) into `heaps`; the problem, if it has one.
std::string walk_collection(std::string_view c, std::uint64_t at, GlobalHeaps& heaps) {
    // Collection: "GCOL", version 1, 3 reserved bytes, its size (8) including this header of 16;
    // then objects: index (2), references (2), reserved (4), size (8), data padded to 8 bytes;
    // index 0 is free space, whose size includes its header. The walk is libhdf5's own (which
    // goes on past free space): an object past the end makes it copy past the collection, a
    // free space of size 0 makes it loop for ever.
    constexpr std::size_t header = 16;
    const std::uint64_t size = c.size();
    auto& objects = heaps.collections[at - heaps.base];
    for (std::uint64_t pos = header; pos + header <= size;) {
        const char* object = c.data() + pos;
        const std::uint64_t object_size = little_endian(object + 8, 8), room = size - pos;
        const auto index = static_cast<std::uint16_t>(little_endian(object, 2));
        const bool free_space = index == 0;
        if (object_size > room || (!free_space && ((object_size + 7) & ~std::uint64_t{7}) > room - header))
            return fmt::format("has a corrupt global heap collection at byte {} (an object of {} bytes in {})", at,
                               object_size, room);
        if (free_space && object_size == 0)
            return fmt::format("has a corrupt global heap collection at byte {} (free space of 0 bytes)", at);
        if (!free_space) objects[index] = object_size;
        pos += free_space ? object_size : header + ((object_size + 7) & ~std::uint64_t{7});
    }
    return {};
}

}  // namespace

std::uint64_t little_endian(const void* bytes, std::size_t count) noexcept {
    const auto* p = static_cast<const unsigned char*>(bytes);
    std::uint64_t v = 0;
    for (std::size_t i = count; i-- > 0;) v = (v << 8) | p[i];
    return v;
}

GlobalHeaps scan_global_heaps(const std::filesystem::path& file) {
    GlobalHeaps heaps;
    std::error_code ec;
    const std::uint64_t file_size = std::filesystem::file_size(file, ec);
    std::ifstream in(file, std::ios::binary);
    if (ec || !in) return heaps;
    // Collections are walked with 8-byte lengths, references read with 8-byte addresses.
    const auto found = superblock(in, file_size);
    if (!found || found->offsets != 8 || found->lengths != 8) return heaps;
    heaps.base = found->at;
    heaps.file_size = file_size;
    heaps.checked = true;
    // The file is read in blocks, overlapping by the 3 bytes a "GCOL" can straddle, so that a
    // state file of gigabytes is not held in memory for the scan.
    constexpr std::size_t block = std::size_t{1} << 20;
    for (std::uint64_t offset = 0; offset < file_size; offset += block) {
        const std::string chunk = bytes_at(in, offset, block + 3);
        for (std::size_t i = chunk.find("GCOL"); i != std::string::npos && i < block; i = chunk.find("GCOL", i + 4)) {
            const std::uint64_t at = offset + i;
            const std::string head = bytes_at(in, at, 16);
            if (head.size() < 16 || head[4] != 1) continue;
            const std::uint64_t size = little_endian(head.data() + 8, 8);
            if (size < 16 || size > file_size - at) {
                heaps.problem = fmt::format(
                    "has a global heap collection at byte {} of {} bytes, past the end of the file", at, size);
                return heaps;
            }
            heaps.problem = walk_collection(bytes_at(in, at, static_cast<std::size_t>(size)), at, heaps);
            if (!heaps.problem.empty()) return heaps;
        }
    }
    return heaps;
}

H5Handle utf8_string_type() {
    H5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    return type;
}

H5Handle untimed_creation(hid_t property_class) {
    H5Handle properties(H5Pcreate(property_class), H5Pclose);
    // Failing, an invalid handle: the create call it goes to fails and reports it.
    if (properties.valid() && H5Pset_obj_track_times(properties.get(), false) < 0) return H5Handle(-1, H5Pclose);
    return properties;
}

void reclaim_variable_length(hid_t type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

}  // namespace kettle::detail
