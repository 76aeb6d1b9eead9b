// StateVector: construction, basis states, setting amplitudes, the memory check made before
// allocating, copies, and alignment.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kettle/kettle.hpp"
#include "support/expect_error.hpp"
#include "support/precision.hpp"

namespace kettle {
namespace {

using test::expect_error;
using test::expect_invalid;

/// Sets a memory limit for one scope and removes it afterwards, even when a check fails.
class MemoryLimit {
public:
    explicit MemoryLimit(std::size_t bytes) { set_memory_limit(bytes); }
    ~MemoryLimit() { set_memory_limit(0); }
    MemoryLimit(const MemoryLimit&) = delete;
    MemoryLimit& operator=(const MemoryLimit&) = delete;
};

template <class T>
class StateVectorTest : public ::testing::Test {};
TYPED_TEST_SUITE(StateVectorTest, test::Precisions, test::PrecisionName);

TYPED_TEST(StateVectorTest, StartsInAllZeros) {
    using C = std::complex<TypeParam>;
    for (unsigned n = 0; n <= 16; ++n) {
        const StateVector<TypeParam> state(n);
        EXPECT_EQ(state.num_qubits(), n);
        ASSERT_EQ(state.size(), std::size_t{1} << n);
        EXPECT_EQ(state.amplitudes().size(), state.size());
        EXPECT_EQ(state[0], C(1));
        std::size_t nonzero = 0;
        for (const C& a : state.amplitudes()) nonzero += a != C(0);
        EXPECT_EQ(nonzero, 1u) << n;
        EXPECT_EQ(state.norm_squared(), 1.0);
    }
}

TYPED_TEST(StateVectorTest, SetBasisState) {
    using C = std::complex<TypeParam>;
    StateVector<TypeParam> state(3);
    for (std::uint64_t index = 0; index < 8; ++index) {
        state.set_basis_state(index);
        for (std::uint64_t i = 0; i < 8; ++i) EXPECT_EQ(state[i], C(i == index ? 1 : 0));
    }
    expect_invalid([&] { state.set_basis_state(8); },
                   "StateVector::set_basis_state: index 8 is out of range for 3 qubits (valid 0..7)");
    EXPECT_EQ(state[7], C(1));  // unchanged by the failed call
}

TYPED_TEST(StateVectorTest, SetAmplitudes) {
    using C = std::complex<TypeParam>;
    StateVector<TypeParam> state(2);
    const TypeParam h = TypeParam(0.5);
    const std::vector<C> good = {C(h, 0), C(0, h), C(-h, 0), C(0, -h)};
    state.set_amplitudes(good);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(state[i], good[i]);

    const std::vector<C> three = {C(1), C(0), C(0)};
    expect_invalid([&] { state.set_amplitudes(three); },
                   "StateVector::set_amplitudes: 3 amplitudes given for 2 qubits, which need 4");
    const std::vector<C> nan = {C(1), C(std::numeric_limits<TypeParam>::quiet_NaN()), C(0), C(0)};
    expect_invalid([&] { state.set_amplitudes(nan); }, "StateVector::set_amplitudes: amplitude 1 is NaN or infinite");
    const std::vector<C> inf = {C(0), C(0), C(0), C(0, -std::numeric_limits<TypeParam>::infinity())};
    expect_invalid([&] { state.set_amplitudes(inf); }, "StateVector::set_amplitudes: amplitude 3 is NaN or infinite");
    const std::vector<C> two = {C(1), C(1), C(0), C(0)};
    expect_invalid([&] { state.set_amplitudes(two); }, "StateVector::set_amplitudes: the amplitudes have norm^2 2, not 1");
    const std::vector<C> zero(4, C(0));
    expect_invalid([&] { state.set_amplitudes(zero); }, "StateVector::set_amplitudes: the amplitudes have norm^2 0, not 1");
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(state[i], good[i]);  // failed calls change nothing

    // Within 1e-6 of norm 1 is accepted as given, not renormalised.
    const TypeParam a = TypeParam(std::sqrt(1 + 8e-7));
    const std::vector<C> close = {C(a), C(0), C(0), C(0)};
    state.set_amplitudes(close);
    EXPECT_EQ(state[0], C(a));
}

TYPED_TEST(StateVectorTest, CopiesAreDeepAndAligned) {
    using C = std::complex<TypeParam>;
    StateVector<TypeParam> original(5);
    original.set_basis_state(9);
    StateVector<TypeParam> copy(original);
    EXPECT_NE(copy.data(), original.data());
    original.set_basis_state(3);
    EXPECT_EQ(copy[9], C(1));
    EXPECT_EQ(copy[3], C(0));
    StateVector<TypeParam> assigned(2);
    assigned = original;
    EXPECT_EQ(assigned.num_qubits(), 5u);
    EXPECT_EQ(assigned[3], C(1));
    const StateVector<TypeParam>& alias = assigned;
    assigned = alias;  // self-assignment keeps the state
    EXPECT_EQ(assigned[3], C(1));
    const StateVector<TypeParam> moved(std::move(assigned));
    EXPECT_EQ(moved[3], C(1));
    for (const StateVector<TypeParam>* state : std::array<const StateVector<TypeParam>*, 3>{&original, &copy, &moved})
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(state->data()) % 64, 0u);
}

TYPED_TEST(StateVectorTest, AmplitudesAre64ByteAligned) {
    for (unsigned n = 0; n <= 14; ++n) {
        const StateVector<TypeParam> state(n);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(state.data()) % 64, 0u) << n;
        const StateVector<TypeParam> copy = state;
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(copy.data()) % 64, 0u) << n;
    }
}

TEST(StateVectorMemory, CheckedAgainstTheLimitBeforeAllocating) {
    MemoryLimit limit(std::size_t{1} << 20);
    EXPECT_EQ(memory_limit(), std::size_t{1} << 20);
    EXPECT_LE(available_memory(), std::size_t{1} << 20);
    expect_error([] { StateVector<double> state(20); }, ErrorCode::resource_limit,
                 "a 20-qubit state in double precision needs 16777216 bytes (16.0 MiB), but only 1048576 bytes "
                 "(1.0 MiB) are available under the memory limit set");
    expect_error([] { StateVector<float> state(18); }, ErrorCode::resource_limit,
                 "a 18-qubit state in single precision needs 2097152 bytes (2.0 MiB), but only 1048576 bytes "
                 "(1.0 MiB) are available under the memory limit set");
    {
        // Exactly at the limit is allowed: 2^17 amplitudes of 8 bytes. While it lives the limit
        // is used up (tests/test_hardening_resources.cpp checks the sum in detail).
        const StateVector<float> fits(17);
        EXPECT_EQ(fits.size(), std::size_t{1} << 17);
        EXPECT_THROW({ StateVector<float> more(1); }, Error);
    }
    // Copies and simulations are checked too.
    const StateVector<double> big(16);  // 1 MiB
    set_memory_limit(std::size_t{1} << 19);
    EXPECT_THROW({ StateVector<double> copy(big); }, Error);
    Circuit c(24);
    c.h(0);
    try {
        (void)simulate<double>(c);
        ADD_FAILURE() << "a 24-qubit simulation under a 512 KiB limit";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::resource_limit);
    }
}

TEST(StateVectorMemory, LimitIsRemovedAfterwards) {
    { MemoryLimit limit(1024); }
    EXPECT_EQ(memory_limit(), 0u);
    EXPECT_GT(available_memory(), std::size_t{1} << 20);
    const StateVector<double> state(16);
    EXPECT_EQ(state.norm_squared(), 1.0);
}

TEST(StateVectorMemory, TooManyQubitsToCount) {
    expect_error([] { StateVector<double> state(57); }, ErrorCode::resource_limit,
                 "a 57-qubit state in double precision needs 2^57 amplitudes of 16 bytes, far more than any memory "
                 "(at most 56 qubits can even be counted)");
    expect_error([] { StateVector<float> state(64); }, ErrorCode::resource_limit,
                 "a 64-qubit state in single precision needs 2^64 amplitudes of 8 bytes, far more than any memory "
                 "(at most 56 qubits can even be counted)");
    // 56 qubits can be counted but not held.
    try {
        StateVector<float> state(56);
        ADD_FAILURE() << "allocated a 56-qubit state";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::resource_limit);
        EXPECT_EQ(std::string(e.what()).rfind("a 56-qubit state in single precision needs 576460752303423488 bytes", 0), 0u)
            << e.what();
    }
}

}  // namespace
}  // namespace kettle
