#pragma once
// A damaged HDF5 file can crash libhdf5 itself (1.10.8 segfaults, divides by zero or allocates
// terabytes on inputs that fuzzing finds within seconds), before kettle sees any of the file.
// No check kettle can make from outside the library covers every such path, so every reader
// first lets a child process read the whole file and only opens it in-process if the child
// lived. Internal to kettle's file readers.

#include <filesystem>
#include <string>

#include "hdf5_support.hpp"

namespace kettle::detail {

/// What every reader checks before libhdf5 opens `file` in-process. First the global heap
/// collections (scan_global_heaps in hdf5_support.hpp, with a precise message). Then a forked
/// child opens the file and reads every object in it with libhdf5: each group's and dataset's
/// attributes, each dataset in slabs of at most 16 MiB, and before any variable-length value
/// its raw global heap references, which must name an object of the collection exactly as long
/// as the value (libhdf5 1.10.8 sizes its buffers from the stored length and copies what the
/// reference names into them: past their end, or after allocating gigabytes for a 16 KiB file).
///
/// Returns the problem if the child found a bad reference, died of a signal or a sanitizer
/// report, used more memory than reading such a file can need (1 GiB plus twice its size,
/// beyond what it inherited), or ran longer than 3 s plus 1 s per 50 MB. Returns an empty
/// string otherwise, also when libhdf5 reported an error in the child: the in-process read
/// reports that one, in kettle's words. Leaves the scan in `heaps`: the child reaches only what
/// it can walk to (a damaged group's members may still be found by name), so the in-process
/// readers check each variable-length value they read against it as well
/// (check_variable_length_references in hdf5_heap_references.hpp).
///
/// Preconditions: the caller holds hdf5_mutex(), so that no thread of this process is inside
/// libhdf5 while it forks. Cost: one fork and two reads of the file (a third, in-process, then
/// comes from the page cache). The fork copies the process's page tables: loading a 4-qubit
/// state took 3 ms in a small process, 55 ms holding 1 GiB and 109 ms holding 4 GiB (bench_io,
/// idle 2-core machine); under AddressSanitizer, whose reserved shadow memory the kernel walks,
/// the HDF5 fuzz targets run at 5-40 inputs per second. Without fork (not a POSIX system) only
/// the heap scan is made.
[[nodiscard]] std::string damaged_hdf5_problem(const std::filesystem::path& file, GlobalHeaps& heaps);

}  // namespace kettle::detail
