#include "hdf5_heap_references.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace kettle::detail {

namespace {

constexpr const char* kRawTag = "kettle: global heap references as stored";

/// libhdf5 hands a conversion the raw elements; this one lets them through unread.
herr_t keep_references(hid_t source, hid_t target, H5T_cdata_t* cdata, size_t, size_t, size_t, void*, void*, hid_t) {
    if (cdata->command != H5T_CONV_INIT) return 0;
    char* tag = H5Tget_tag(target);
    const bool ours = tag != nullptr && std::strcmp(tag, kRawTag) == 0;
    H5free_memory(tag);
    return ours && H5Tget_size(source) == kHeapReferenceBytes ? 0 : -1;
}

hid_t register_raw_type() {
    const hid_t raw = H5Tcreate(H5T_OPAQUE, kHeapReferenceBytes);
    const H5Handle variable = utf8_string_type();
    if (raw < 0 || H5Tset_tag(raw, kRawTag) < 0 ||
        H5Tregister(H5T_PERS_SOFT, "kettle_keep_heap_references", variable.get(), raw, keep_references) < 0) {
        if (raw >= 0) H5Tclose(raw);
        return -1;
    }
    return raw;
}

}  // namespace

hid_t raw_heap_reference_type() {
    // Registered once: libhdf5 keeps every registration in its table of conversions.
    static hid_t raw = -1;
    if (raw < 0 || H5Iis_valid(raw) <= 0) raw = register_raw_type();
    return raw;
}

std::size_t variable_length_element_bytes(hid_t stored) {
    if (H5Tis_variable_str(stored) > 0) return 1;
    const H5Handle base(H5Tget_super(stored), H5Tclose);
    if (!base.valid() || H5Tdetect_class(base.get(), H5T_VLEN) != 0 || H5Tis_variable_str(base.get()) != 0) return 0;
    return std::max<std::size_t>(H5Tget_size(base.get()), 1);
}

bool heap_references_hold(const GlobalHeaps& heaps, const unsigned char* raw, std::size_t count,
                          std::size_t element_bytes) {
    for (std::size_t i = 0; i < count; ++i, raw += kHeapReferenceBytes) {
        const std::uint64_t length = little_endian(raw, 4), address = little_endian(raw + 4, 8);
        const auto index = little_endian(raw + 12, 4);
        if (length == 0 || element_bytes == 0) continue;
        const std::uint64_t bytes = length * element_bytes;
        const auto collection = heaps.collections.find(address);
        if (collection == heaps.collections.end()) {
            if (bytes > heaps.file_size) return false;
            continue;
        }
        const auto object = index <= 0xffff ? collection->second.find(static_cast<std::uint16_t>(index))
                                            : collection->second.end();
        if (object == collection->second.end() || object->second != bytes) return false;
    }
    return true;
}

References check_variable_length_references(hid_t object, bool attribute, const GlobalHeaps& heaps) {
    if (!heaps.checked) return References::unchecked;
    const hid_t raw = raw_heap_reference_type();
    const H5Handle stored(attribute ? H5Aget_type(object) : H5Dget_type(object), H5Tclose);
    const H5Handle space(attribute ? H5Aget_space(object) : H5Dget_space(object), H5Sclose);
    if (raw < 0 || !stored.valid() || !space.valid()) return References::unchecked;
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    if (points <= 0 || std::uint64_t(points) > SIZE_MAX / kHeapReferenceBytes) return References::unchecked;
    const auto count = static_cast<std::size_t>(points);
    std::vector<unsigned char> references(count * kHeapReferenceBytes);
    const herr_t read = attribute ? H5Aread(object, raw, references.data())
                                  : H5Dread(object, raw, H5S_ALL, H5S_ALL, H5P_DEFAULT, references.data());
    if (read < 0) return References::unchecked;
    return heap_references_hold(heaps, references.data(), count, variable_length_element_bytes(stored.get()))
               ? References::hold
               : References::broken;
}

}  // namespace kettle::detail
