#pragma once
// Moving every qubit to another place in one pass: the amplitude at index i goes to the index
// whose bit to[q] is bit q of i. SWAP relabelling (swap_relabelling.hpp) ends with one such
// permutation instead of swaps, which the cache-blocked executor runs as chunk moves.

#include <cstdint>
#include <span>
#include <vector>

#include "kettle/state_vector.hpp"

namespace kettle::detail {

/// Whether `to` leaves every qubit in place.
[[nodiscard]] bool is_identity(std::span<const unsigned> to);

/// The fewest swaps of two places that carry out `to` (place p's content goes to place to[p]):
/// n minus the number of its cycles. Cost: O(n).
[[nodiscard]] std::vector<std::pair<unsigned, unsigned>> permutation_swaps(std::span<const unsigned> to);

/// Moves the content of every qubit q of `state` to qubit to[q] (`to` a permutation of
/// 0..n-1). A state of chunk + 2 qubits or more takes one pass of 2^chunk-amplitude chunks
/// where the cycles of `to` through qubits 0..2 fit a chunk together (each chunk permuted in a
/// buffer and written to its image), else one swap pass per permutation_swaps entry; a smaller
/// state takes one pass that rotates each cycle of indices in place. Allocates nothing on
/// states below chunk + 2 qubits (a buffer pair per thread, kept, above). Cost: about one
/// read and one write of the state.
template <class T>
void permute_qubits(StateVector<T>& state, std::span<const unsigned> to, unsigned chunk);

/// The passes permute_qubits makes for `to` with chunks of 2^chunk amplitudes: none for the
/// identity, one, or where the cycles through qubits 0..2 do not fit a chunk on a large state,
/// one per permutation_swaps entry. Cost: O(n).
[[nodiscard]] std::size_t permutation_passes(std::span<const unsigned> to, unsigned chunk);

}  // namespace kettle::detail
