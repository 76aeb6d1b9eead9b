#pragma once
// Goodness-of-fit checks for sampled counts.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kettle::test {

/// The basis index of a bitstring written with bit 0 rightmost.
[[nodiscard]] inline std::uint64_t bitstring_index(const std::string& bits) {
    std::uint64_t v = 0;
    for (char c : bits) v = (v << 1) | std::uint64_t(c == '1');
    return v;
}

/// Counts keyed by bitstring as counts per outcome index (2^width outcomes).
[[nodiscard]] inline std::vector<std::size_t> counts_by_index(const std::map<std::string, std::size_t>& counts,
                                                              unsigned width) {
    std::vector<std::size_t> out(std::size_t{1} << width, 0);
    for (const auto& [bits, n] : counts) out.at(bitstring_index(bits)) += n;
    return out;
}

/// The 99.9% quantile of the chi-square distribution with `df` degrees of freedom: the
/// tabulated values for df <= 10 (as in any statistics table), beyond that the Wilson–Hilferty
/// approximation, which is within 0.6% there (it gives 103.51 for df = 63, tabulated 103.44).
[[nodiscard]] inline double chi_square_critical_999(std::size_t df) {
    static constexpr double table[] = {10.828, 13.816, 16.266, 18.467, 20.515,
                                       22.458, 24.322, 26.124, 27.877, 29.588};
    if (df >= 1 && df <= 10) return table[df - 1];
    const double z = 3.090232306;  // the standard normal's 99.9% quantile
    const double k = double(df);
    const double a = 2.0 / (9.0 * k);
    return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

struct ChiSquare {
    double statistic = 0;
    std::size_t df = 0;
    [[nodiscard]] bool passes() const { return df > 0 && statistic < chi_square_critical_999(df); }
};

/// Pearson's statistic of `observed` against `probabilities` times the total count. Outcomes
/// expected fewer than 5 times are pooled into one bin (the usual validity rule); an outcome
/// of probability 0 that was observed makes the statistic infinite.
[[nodiscard]] inline ChiSquare chi_square(const std::vector<std::size_t>& observed, const std::vector<double>& probabilities) {
    double total = 0;
    for (std::size_t n : observed) total += double(n);
    ChiSquare result;
    double pooled_expected = 0, pooled_observed = 0;
    std::size_t bins = 0;
    for (std::size_t i = 0; i < observed.size(); ++i) {
        const double expected = probabilities.at(i) * total;
        if (expected == 0 && observed[i] > 0) result.statistic = INFINITY;
        if (expected < 5) {
            pooled_expected += expected;
            pooled_observed += double(observed[i]);
            continue;
        }
        const double d = double(observed[i]) - expected;
        result.statistic += d * d / expected;
        ++bins;
    }
    if (pooled_expected > 0) {
        const double d = pooled_observed - pooled_expected;
        result.statistic += d * d / pooled_expected;
        ++bins;
    }
    result.df = bins > 0 ? bins - 1 : 0;
    return result;
}

}  // namespace kettle::test
