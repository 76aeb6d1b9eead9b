#pragma once
// Reading labelled CSV files into a Dataset. Thread safety: read_csv and parse_csv keep no
// state between calls; threads may call them at once.

#include <filesystem>
#include <string>
#include <string_view>

#include "kettle/dataset.hpp"

namespace kettle {

/// How to read a CSV file.
struct CsvOptions {
    /// Name of the label column, as written in the header; empty: the last column.
    std::string label;
    /// Field separator. Must not be '"', '\r' or '\n'.
    char delimiter = ',';
};

/// Reads a CSV file with a header row, numeric feature columns and one label column of numbers
/// or names. Every column except the label is a feature, in file order.
///
/// Accepted: RFC 4180 quoting ("a,b" and "" for a quote, line breaks inside quotes), LF or CRLF
/// line ends, a trailing line end, a UTF-8 byte-order mark, blank lines (skipped), spaces and
/// tabs around unquoted fields (trimmed). Class order is that of Dataset: numeric when every
/// label is a number (a class is named by the label's text where it first appears), otherwise
/// sorted by bytes.
///
/// Throws Error(invalid_input) with a message starting `file:line:column:` (column is the 1-based
/// field number, followed by the column's header name) for: an unreadable or empty file, a header
/// only, fewer than two columns, a ragged row, a value that is not a number, a missing value
/// (empty field, NA, N/A, NaN in any case, or ?), an infinite or overflowing number, an
/// unterminated quote, an unknown or ambiguous label column (the message lists the columns), or a
/// single class. Cost: O(file size) time and memory.
[[nodiscard]] Dataset read_csv(const std::filesystem::path& file, const CsvOptions& options = {});

/// As read_csv, on text already in memory; `source_name` stands for the file name in messages.
[[nodiscard]] Dataset parse_csv(std::string_view text, std::string_view source_name, const CsvOptions& options = {});

}  // namespace kettle
