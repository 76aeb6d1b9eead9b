#include <gtest/gtest.h>

#include <cmath>

#include "kettle/kettle.hpp"

namespace kettle {
namespace {

TEST(Smoke, BellState) {
    Circuit c(2);
    c.h(0).cx(0, 1);
    const auto state = simulate<double>(c);
    EXPECT_NEAR(std::abs(state[0]), 1 / std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(std::abs(state[3]), 1 / std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(std::abs(state[1]), 0, 1e-12);
    EXPECT_NEAR(expectation(state, PauliSum::parse("Z0 Z1")), 1.0, 1e-12);
    EXPECT_NEAR(expectation(state, PauliSum::parse("X0 X1 - 0.5*Z0")), 1.0, 1e-12);
    EXPECT_NEAR(expectation(state, PauliSum::parse("Y0 Y1")), -1.0, 1e-12);
}

}  // namespace
}  // namespace kettle
