#pragma once
// Checks the global heap references of variable-length values (strings in kettle's files)
// against the collections scan_global_heaps found, before libhdf5 follows them. libhdf5 1.10.8
// trusts a stored reference: it sizes its buffers from the stored length (allocating and
// clearing up to 4 G elements per value) and copies the object named into them (past their end
// when the object is longer). Used by the probe's child (hdf5_probe.cpp) on every value it
// reaches, and by the in-process readers on every value they read: a damaged group can hide
// datasets from the child's walk that a lookup by name still finds. Internal.

#include <cstddef>
#include <hdf5.h>

#include "hdf5_support.hpp"

namespace kettle::detail {

/// Bytes of one stored reference: the value's length (4), its collection's address (8) and the
/// object's index there (4).
inline constexpr std::size_t kHeapReferenceBytes = 16;

/// An opaque type that libhdf5 converts variable-length data to by leaving the stored references
/// as they are (a pass-through conversion, registered on the first call, and again if libhdf5
/// was closed and reopened since). Reading a dataset or attribute of variable-length type as
/// this type reads kHeapReferenceBytes per value and follows none. Negative if the conversion
/// cannot be registered. The type is the process's: never close it. Preconditions: the caller
/// holds hdf5_mutex().
[[nodiscard]] hid_t raw_heap_reference_type();

/// The stored size of one element of a value of the variable-length type `stored` (1 for a
/// string), or 0 when it cannot be told from the type: elements that are variable-length
/// themselves take a reference each on disk but a pointer in memory.
[[nodiscard]] std::size_t variable_length_element_bytes(hid_t stored);

/// Whether `count` raw references at `raw`, of values whose elements take `element_bytes` (0:
/// unknown, every reference holds), hold: each nonzero length names an object of the scanned
/// collections exactly that long, or, at an address where the scan found no collection
/// (libhdf5 refuses it there, but only after it has allocated the length), claims no more bytes
/// than the file has.
[[nodiscard]] bool heap_references_hold(const GlobalHeaps& heaps, const unsigned char* raw, std::size_t count,
                                        std::size_t element_bytes);

enum class References { hold, broken, unchecked };

/// Reads the references of every value of `object` (a dataset, or an attribute when
/// `attribute`), of variable-length type, and checks them as above: broken if any does not
/// hold; unchecked when there is nothing to check against (the scan could not be made) or they
/// cannot be read, which leaves the verdict to libhdf5's own read. Preconditions: the caller
/// holds hdf5_mutex() and has bounded the number of values (the check allocates 16 bytes each).
/// Cost: one read of 16 bytes per value.
[[nodiscard]] References check_variable_length_references(hid_t object, bool attribute, const GlobalHeaps& heaps);

}  // namespace kettle::detail
