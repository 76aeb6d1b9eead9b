#include "output.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

namespace kettle::cli {

Format resolve_format(const std::string& requested) {
    if (requested == "json") return Format::json;
    if (requested == "table") return Format::table;
    return ::isatty(STDOUT_FILENO) ? Format::table : Format::json;
}

void add_threads_option(CLI::App& command, std::optional<std::size_t>& threads) {
    command
        .add_option_function<std::size_t>(
            "--threads", [&threads](const std::size_t& n) { threads = n; }, "Worker threads (0: all cores)")
        ->type_name("T")
        ->check(unsigned_integer(4096));
}

void add_format_option(CLI::App& command, std::string& format) {
    command.add_option("--format", format, "Output format (default: table on a terminal, JSON otherwise)")
        ->type_name("json|table")
        ->check(one_of("json", "table"));
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::size_t> parse_bytes(std::string_view text) {
    double number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || ec != std::errc() || !std::isfinite(number) || number < 0) return std::nullopt;
    std::string unit(end, text.data() + text.size());
    for (char& ch : unit) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (unit.size() >= 2 && unit.ends_with("IB")) unit.resize(unit.size() - 2);
    else if (unit.size() >= 1 && unit.back() == 'B') unit.pop_back();
    constexpr std::string_view units = "KMGTPE";
    double scale = 1;
    if (unit.size() > 1) return std::nullopt;
    if (unit.size() == 1) {
        const auto at = units.find(unit[0]);
        if (at == std::string_view::npos) return std::nullopt;
        scale = std::ldexp(1.0, 10 * static_cast<int>(at + 1));
    }
    const double bytes = std::floor(number * scale);
    if (bytes >= 0x1p64) return std::nullopt;
    return static_cast<std::size_t>(bytes);
}

CLI::Validator unsigned_integer(std::uint64_t max) {
    const std::string expected = max == UINT64_MAX ? std::string("a non-negative integer")
                                                   : fmt::format("an integer from 0 to {}", max);
    return CLI::Validator(
        [expected, max](std::string& text) -> std::string {
            const auto value = parse_unsigned(text);
            if (!value || *value > max) return fmt::format("expected {}, got '{}'", expected, text);
            return {};
        },
        "", "unsigned");
}

CLI::Validator byte_count() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (!parse_bytes(text))
                return fmt::format("expected a byte count such as 1048576, 512M or 4G, got '{}'", text);
            return {};
        },
        "", "bytes");
}

CLI::Validator one_of(std::string first, std::string second) {
    return CLI::Validator(
        [first, second](std::string& text) -> std::string {
            if (text != first && text != second) return fmt::format("expected {} or {}, got '{}'", first, second, text);
            return {};
        },
        "", "one_of");
}

CLI::Validator one_of(std::vector<std::string> names) {
    return CLI::Validator(
        [names](std::string& text) -> std::string {
            for (const std::string& n : names)
                if (text == n) return {};
            std::string list;
            for (std::size_t i = 0; i < names.size(); ++i)
                list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
            return fmt::format("expected {}, got '{}'", list, text);
        },
        "", "one_of");
}

CLI::Validator number_in(double low, double high, bool closed) {
    return CLI::Validator(
        [low, high, closed](std::string& text) -> std::string {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            const bool inside = closed ? (v >= low && v <= high) : (v > low && v < high);
            if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || !inside)
                return fmt::format("expected a number in {}{:g}, {:g}{}, got '{}'", closed ? '[' : '(', low, high,
                                   closed ? ']' : ')', text);
            return {};
        },
        "", "number");
}

std::string bitstring(std::uint64_t value, unsigned width) {
    std::string s(width, '0');
    for (unsigned b = 0; b < width && b < 64; ++b)
        if (value >> b & 1) s[width - 1 - b] = '1';
    return s;
}

void print_json(const Json& json) {
    // Invalid UTF-8 in strings (a file name, say) is replaced rather than thrown on.
    fmt::print("{}\n", json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void print_error(std::string_view prefix, std::string_view message) {
    std::string line(message);
    for (char& ch : line)
        if (ch == '\n' || ch == '\r') ch = ' ';
    fmt::print(stderr, "{}{}\n", prefix, line);
}

}  // namespace kettle::cli
