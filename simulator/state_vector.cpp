#include "kettle/state_vector.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

#include "kettle/error.hpp"
#include "kettle/resources.hpp"
#include "large_allocation.hpp"
#include "parallel.hpp"

namespace kettle {
namespace detail {

void AlignedFree::operator()(void* p) const noexcept {
    std::free(p);
    release_memory(bytes);
}

void* allocate_amplitudes(unsigned num_qubits, std::size_t bytes_each, AlignedFree& deleter) {
    const std::string what = fmt::format("a {}-qubit state in {} precision", num_qubits,
                                         bytes_each == 8 ? "single" : "double");
    // Past 2^57 amplitudes the byte count overflows 64 bits; no machine holds that anyway.
    if (num_qubits > 56)
        throw Error(ErrorCode::resource_limit,
                    fmt::format("{} needs 2^{} amplitudes of {} bytes, far more than any memory "
                                "(at most 56 qubits can even be counted)", what, num_qubits, bytes_each));
    const std::size_t bytes = std::max<std::size_t>(64, (std::size_t{1} << num_qubits) * bytes_each);
    reserve_memory(bytes, what);
    void* p = allocate_large(bytes);
    if (p == nullptr) {
        release_memory(bytes);
        throw Error(ErrorCode::resource_limit, fmt::format("{}: allocating {} bytes failed", what, bytes));
    }
    deleter.bytes = bytes;
    return p;
}

}  // namespace detail

template <Precision T>
StateVector<T>::StateVector(unsigned num_qubits) : num_qubits_(num_qubits) {
    detail::AlignedFree deleter;
    void* p = detail::allocate_amplitudes(num_qubits, sizeof(value_type), deleter);
    data_ = decltype(data_)(static_cast<value_type*>(p), deleter);
    // Written in parallel so that pages are first touched by the threads that will use them.
    value_type* psi = data();
    detail::parallel_for(size(), [psi](std::uint64_t b, std::uint64_t e) {
        std::memset(static_cast<void*>(psi + b), 0, (e - b) * sizeof(value_type));
    });
    psi[0] = 1;
}

template <Precision T>
StateVector<T>::StateVector(const StateVector& other) : num_qubits_(other.num_qubits_) {
    detail::AlignedFree deleter;
    void* p = detail::allocate_amplitudes(num_qubits_, sizeof(value_type), deleter);
    data_ = decltype(data_)(static_cast<value_type*>(p), deleter);
    std::memcpy(static_cast<void*>(data()), other.data(), size() * sizeof(value_type));
}

template <Precision T>
StateVector<T>& StateVector<T>::operator=(const StateVector& other) {
    if (this != &other) *this = StateVector(other);
    return *this;
}

template <Precision T>
void StateVector<T>::set_basis_state(std::uint64_t index) {
    if (index >= size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("StateVector::set_basis_state: index {} is out of range for {} qubits (valid 0..{})",
                                index, num_qubits_, size() - 1));
    value_type* psi = data();
    detail::parallel_for(size(), [psi](std::uint64_t b, std::uint64_t e) {
        std::memset(static_cast<void*>(psi + b), 0, (e - b) * sizeof(value_type));
    });
    psi[index] = 1;
}

template <Precision T>
void StateVector<T>::set_amplitudes(std::span<const value_type> amplitudes) {
    if (amplitudes.size() != size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("StateVector::set_amplitudes: {} amplitudes given for {} qubits, which need {}",
                                amplitudes.size(), num_qubits_, size()));
    double norm = 0;
    for (std::size_t i = 0; i < amplitudes.size(); ++i) {
        const value_type a = amplitudes[i];
        if (!std::isfinite(a.real()) || !std::isfinite(a.imag()))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("StateVector::set_amplitudes: amplitude {} is NaN or infinite", i));
        norm += std::norm(std::complex<double>(a));
    }
    if (std::abs(norm - 1.0) > 1e-6)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("StateVector::set_amplitudes: the amplitudes have norm^2 {:.9g}, not 1", norm));
    std::memcpy(static_cast<void*>(data()), amplitudes.data(), size() * sizeof(value_type));
}

template <Precision T>
double StateVector<T>::norm_squared() const {
    const value_type* psi = data();
    return detail::parallel_sum(size(), [psi](std::uint64_t b, std::uint64_t e) {
        double s = 0;
        for (std::uint64_t i = b; i < e; ++i) s += std::norm(std::complex<double>(psi[i]));
        return s;
    });
}

template class StateVector<float>;
template class StateVector<double>;

}  // namespace kettle
