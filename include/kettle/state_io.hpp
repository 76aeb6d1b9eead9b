#pragma once
// Saving and loading statevectors in HDF5.

#include <filesystem>

#include "kettle/state_vector.hpp"

namespace kettle {

// Thread safety: saves and loads may be called from several threads at once (calls into HDF5 are
// serialised). Two saves to one path, from threads or processes, leave one of them whole.

/// Writes `state` to an HDF5 file: dataset `/state` of 2^n compound {r, i} values (float or
/// double as the state), attributes `format_version` (1), `kettle_version`, `num_qubits` and
/// `precision` ("single" or "double"). The save is atomic: a temporary file in the same folder,
/// flushed, then renamed over `path`. Throws Error(invalid_input) if the file cannot be written.
template <Precision T>
void save_state(const std::filesystem::path& path, const StateVector<T>& state);

/// Reads a state written by save_state (or any file of that layout, e.g. from h5py), converting
/// precision if needed. Throws Error(invalid_input) with the file name for a missing, truncated
/// or malformed file, and Error(resource_limit) if the state does not fit in memory.
template <Precision T>
[[nodiscard]] StateVector<T> load_state(const std::filesystem::path& path);

}  // namespace kettle
