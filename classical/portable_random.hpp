#pragma once
// Random draws that give the same numbers with every standard library. std::mt19937_64 is fully
// specified by the standard, but the distributions (uniform_real, normal, shuffle) are not, so
// kettle's classical layer turns raw 64-bit words into numbers itself.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <utility>

namespace kettle::detail {

/// Uniform on [0, 1): the top 53 bits of one word, exactly representable.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Uniform on [low, high).
inline double uniform(std::mt19937_64& rng, double low, double high) { return low + (high - low) * uniform01(rng); }

/// Uniform integer in [0, n), n > 0, without modulo bias: words below 2^64 mod n are rejected so
/// that the rest split evenly into n residues.
inline std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t r = rng();
        if (r >= threshold) return r % n;
    }
}

/// Fisher-Yates shuffle with uniform_below, so the permutation is the same everywhere.
template <typename T>
void shuffle(std::span<T> items, std::mt19937_64& rng) {
    for (std::size_t i = items.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(uniform_below(rng, i));
        std::swap(items[i - 1], items[j]);
    }
}

/// Standard normal draws by the Box-Muller transform; each pair of uniforms gives two normals,
/// the second kept for the next call. Identical across standard libraries up to the rounding of
/// log, sqrt, cos and sin in the C math library.
class NormalSource {
public:
    explicit NormalSource(std::mt19937_64& rng) : rng_(rng) {}

    double operator()() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        // u1 in (0, 1] keeps the logarithm finite.
        const double u1 = static_cast<double>((rng_() >> 11) + 1) * 0x1.0p-53;
        const double u2 = uniform01(rng_);
        const double radius = std::sqrt(-2.0 * std::log(u1));
        const double angle = 2.0 * std::numbers::pi * u2;
        spare_ = radius * std::sin(angle);
        has_spare_ = true;
        return radius * std::cos(angle);
    }

private:
    std::mt19937_64& rng_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace kettle::detail
