#pragma once
// What typed tests share about the two precisions.

#include <gtest/gtest.h>
#include <string>
#include <type_traits>

namespace kettle::test {

using Precisions = ::testing::Types<float, double>;

/// How far kettle's amplitudes may be from the reference's after a few gates.
template <class T>
inline constexpr double kTolerance = std::is_same_v<T, double> ? 1e-12 : 1e-5;

/// The same for sums of many terms and circuits of many gates, where rounding accumulates.
template <class T>
inline constexpr double kLooseTolerance = std::is_same_v<T, double> ? 1e-10 : 1e-4;

/// Names the precision in test names: ".../float", ".../double".
struct PrecisionName {
    template <class T>
    static std::string GetName(int) {
        return std::is_same_v<T, double> ? "double" : "float";
    }
};

}  // namespace kettle::test
