#pragma once
// What every subcommand shares: output format choice, option validators, and printing helpers.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kettle::cli {

/// JSON keeps its keys in insertion order so that the output reads in a sensible order.
using Json = nlohmann::ordered_json;

enum class Format { json, table };

/// `--format` as given ("json", "table" or empty): empty means JSON unless stdout is a terminal.
[[nodiscard]] Format resolve_format(const std::string& requested);

/// Adds `--format json|table` to a subcommand.
void add_format_option(CLI::App& command, std::string& format);

/// Adds `--threads T` (worker threads, 0: all cores) to a subcommand.
void add_threads_option(CLI::App& command, std::optional<std::size_t>& threads);

/// Parses a non-negative decimal integer that fits in 64 bits.
[[nodiscard]] std::optional<std::uint64_t> parse_unsigned(std::string_view text);

/// Parses a byte count such as 1048576, 512M, 4G or 1.5GiB (binary multiples).
[[nodiscard]] std::optional<std::size_t> parse_bytes(std::string_view text);

/// Validators whose messages read "expected ..., got '...'" after CLI11's "--option: ".
[[nodiscard]] CLI::Validator unsigned_integer(std::uint64_t max = UINT64_MAX);
[[nodiscard]] CLI::Validator byte_count();
[[nodiscard]] CLI::Validator one_of(std::string first, std::string second);
[[nodiscard]] CLI::Validator one_of(std::vector<std::string> names);
/// A finite number in (low, high) (open) or [low, high] (closed), e.g. a learning rate > 0.
[[nodiscard]] CLI::Validator number_in(double low, double high, bool closed);

/// `value` as a string of `width` bits, qubit (or bit) 0 rightmost.
[[nodiscard]] std::string bitstring(std::uint64_t value, unsigned width);

/// Prints `json` on one line to stdout.
void print_json(const Json& json);

/// Prints one error line to stderr: `prefix` then `message` with any line breaks flattened.
void print_error(std::string_view prefix, std::string_view message);

}  // namespace kettle::cli
