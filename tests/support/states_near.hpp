#pragma once
// Comparing two kettle states amplitude by amplitude.

#include <gtest/gtest.h>

#include <complex>

#include "kettle/state_vector.hpp"

namespace kettle::test {

/// Asserts that `a` and `b` have the same size and every amplitude within `tol` (in modulus of
/// the difference); a failure names the first index that differs.
template <class T>
void expect_states_near(const StateVector<T>& a, const StateVector<T>& b, double tol) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        ASSERT_NEAR(std::abs(std::complex<double>(a[i]) - std::complex<double>(b[i])), 0.0, tol) << "i=" << i;
}

}  // namespace kettle::test
