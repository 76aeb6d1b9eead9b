#pragma once
// The statevector: 2^n complex amplitudes, contiguous and 64-byte aligned.

#include <complex>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace kettle {

/// Amplitude precision: float or double.
template <class T>
concept Precision = std::same_as<T, float> || std::same_as<T, double>;

namespace detail {
/// Frees amplitudes and takes their bytes out of memory_held().
struct AlignedFree {
    std::size_t bytes = 0;
    void operator()(void* p) const noexcept;
};
/// 64-byte aligned storage for 2^num_qubits amplitudes of `bytes_each` bytes, counted in
/// memory_held() (reserve_memory) until `deleter` frees it. Throws Error(resource_limit) when the
/// bytes are not available or n is too large to index.
void* allocate_amplitudes(unsigned num_qubits, std::size_t bytes_each, AlignedFree& deleter);
}  // namespace detail

/// A pure state of n qubits. Basis index bit q is qubit q (little-endian). Amplitudes are
/// contiguous and 64-byte aligned for SIMD kernels.
///
/// Construction checks the bytes needed against available memory, and against the memory limit
/// less what kettle already holds, first and throws Error(resource_limit) naming the numbers;
/// the state counts in memory_held() while it lives. Thread safety: distinct states may be used from
/// distinct threads; one state must not be modified concurrently.
template <Precision T>
class StateVector {
public:
    using value_type = std::complex<T>;

    /// |0...0> on `num_qubits` qubits. Cost: one parallel pass writing 2^n amplitudes.
    explicit StateVector(unsigned num_qubits);
    StateVector(const StateVector& other);
    StateVector& operator=(const StateVector& other);
    StateVector(StateVector&&) noexcept = default;
    StateVector& operator=(StateVector&&) noexcept = default;

    [[nodiscard]] unsigned num_qubits() const noexcept { return num_qubits_; }
    [[nodiscard]] std::size_t size() const noexcept { return std::size_t{1} << num_qubits_; }
    [[nodiscard]] value_type* data() noexcept { return data_.get(); }
    [[nodiscard]] const value_type* data() const noexcept { return data_.get(); }
    [[nodiscard]] std::span<value_type> amplitudes() noexcept { return {data(), size()}; }
    [[nodiscard]] std::span<const value_type> amplitudes() const noexcept { return {data(), size()}; }
    [[nodiscard]] value_type operator[](std::size_t i) const noexcept { return data_.get()[i]; }

    /// Sets the computational basis state |index>. Throws Error(invalid_input) if out of range.
    void set_basis_state(std::uint64_t index);
    /// Copies `amplitudes` (exactly 2^n of them, with norm 1 to 1e-6 relative; not renormalised).
    void set_amplitudes(std::span<const value_type> amplitudes);
    /// Sum of |a_i|^2, accumulated in double.
    [[nodiscard]] double norm_squared() const;

private:
    unsigned num_qubits_;
    std::unique_ptr<value_type[], detail::AlignedFree> data_;
};

extern template class StateVector<float>;
extern template class StateVector<double>;

}  // namespace kettle
