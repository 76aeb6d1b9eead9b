#pragma once
// Decimal numbers in text, as every kettle reader of labels and values parses them. Internal to
// kettle::classical.

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kettle::classical_detail {

enum class NumberStatus { ok, not_a_number, not_finite };

/// Parses the whole of `s` as a decimal floating-point number (locale-independent; a leading '+'
/// allowed). An overflowing number is not_finite, an underflowing one a fine (tiny) number.
inline NumberStatus parse_number(std::string_view v, double& value) {
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    if (v.empty() || v.front() == '+') return NumberStatus::not_a_number;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value, std::chars_format::general);
    if (end != v.data() + v.size()) return NumberStatus::not_a_number;
    if (ec == std::errc::result_out_of_range) {
        // from_chars reports both overflow and underflow; strtod tells them apart (HUGE_VAL on
        // overflow, a tiny or zero value on underflow).
        const std::string copy(v);
        value = std::strtod(copy.c_str(), nullptr);
    } else if (ec != std::errc()) {
        return NumberStatus::not_a_number;
    }
    return std::isfinite(value) ? NumberStatus::ok : NumberStatus::not_finite;
}

}  // namespace kettle::classical_detail
