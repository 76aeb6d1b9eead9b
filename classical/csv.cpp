#include "kettle/csv.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kettle/error.hpp"
#include "number_text.hpp"

namespace kettle {
namespace {

using classical_detail::NumberStatus;
using classical_detail::parse_number;

struct Field {
    std::string text;
    bool quoted = false;
};

struct Record {
    std::size_t line = 0;  // physical line on which the record starts
    std::vector<Field> fields;
};

class CsvError {
public:
    explicit CsvError(std::string_view source) : source_(source) {}
    [[noreturn]] void operator()(std::size_t line, std::size_t column, const std::string& what) const {
        throw Error(ErrorCode::invalid_input, fmt::format("{}:{}:{}: read_csv: {}", source_, line, column, what));
    }

private:
    std::string source_;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_blank(s[b])) ++b;
    while (e > b && is_blank(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

// Splits the text into records. A line break is "\n" or "\r\n"; inside quotes it belongs to the
// field. A record that is one empty unquoted field (a blank line) is dropped.
std::vector<Record> tokenize(std::string_view text, char delimiter, const CsvError& fail) {
    std::vector<Record> records;
    std::size_t pos = 0, line = 1;
    const std::size_t n = text.size();
    auto at_line_end = [&](std::size_t p) { return p >= n || text[p] == '\n' || (text[p] == '\r' && (p + 1 >= n || text[p + 1] == '\n')); };
    auto skip_line_end = [&] {
        if (pos < n && text[pos] == '\r') ++pos;
        if (pos < n && text[pos] == '\n') ++pos;
        ++line;
    };
    while (pos < n) {
        Record record{line, {}};
        for (;;) {
            Field field;
            std::size_t p = pos;
            while (p < n && is_blank(text[p])) ++p;
            if (p < n && text[p] == '"') {
                const std::size_t start_line = line;
                field.quoted = true;
                ++p;
                for (;;) {
                    if (p >= n) fail(start_line, record.fields.size() + 1, "a quoted field is not closed");
                    if (text[p] == '"') {
                        if (p + 1 < n && text[p + 1] == '"') {
                            field.text += '"';
                            p += 2;
                            continue;
                        }
                        ++p;
                        break;
                    }
                    if (text[p] == '\n') ++line;
                    field.text += text[p++];
                }
                while (p < n && is_blank(text[p])) ++p;
                if (!at_line_end(p) && text[p] != delimiter)
                    fail(line, record.fields.size() + 1,
                         fmt::format("unexpected character '{}' after a closing quote (expected '{}' or a line end)", text[p], delimiter));
            } else {
                const std::size_t start = pos;
                while (!at_line_end(p) && text[p] != delimiter) ++p;
                field.text = trim(text.substr(start, p - start));
            }
            record.fields.push_back(std::move(field));
            pos = p;
            if (pos < n && text[pos] == delimiter) {
                ++pos;
                continue;
            }
            skip_line_end();
            break;
        }
        const bool blank = record.fields.size() == 1 && !record.fields[0].quoted && record.fields[0].text.empty();
        if (!blank) records.push_back(std::move(record));
    }
    return records;
}

bool is_missing(const Field& f) {
    if (f.text.empty()) return true;
    std::string lower = f.text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower == "na" || lower == "n/a" || lower == "nan" || lower == "?";
}

std::string describe_missing(const Field& f) {
    return f.text.empty() ? std::string("an empty field") : fmt::format("\"{}\"", f.text);
}

}  // namespace

Dataset parse_csv(std::string_view text, std::string_view source_name, const CsvOptions& options) {
    const CsvError fail(source_name);
    if (options.delimiter == '"' || options.delimiter == '\r' || options.delimiter == '\n')
        throw Error(ErrorCode::invalid_input, fmt::format("read_csv: the delimiter must not be a quote or a line break"));
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const std::vector<Record> records = tokenize(text, options.delimiter, fail);
    if (records.empty()) fail(1, 1, "the file is empty (expected a header row and data rows)");

    const Record& header = records.front();
    std::vector<std::string> names;
    for (const Field& f : header.fields) names.push_back(f.text);
    const std::size_t width = names.size();
    if (width < 2)
        fail(header.line, 1, fmt::format("the header has {} column, at least 2 are needed (features and a label)", width));
    if (records.size() == 1) fail(header.line, 1, "the file has a header but no data rows");

    std::size_t label_col = width - 1;
    if (!options.label.empty()) {
        const auto count = std::count(names.begin(), names.end(), options.label);
        if (count == 0)
            fail(header.line, 1, fmt::format("no label column named \"{}\" (columns: {})", options.label, fmt::join(names, ", ")));
        if (count > 1) fail(header.line, 1, fmt::format("the label column name \"{}\" appears {} times in the header", options.label, count));
        label_col = static_cast<std::size_t>(std::find(names.begin(), names.end(), options.label) - names.begin());
    }
    auto column_name = [&](std::size_t c) { return fmt::format("column {} ({})", c + 1, names[c]); };

    Dataset d;
    for (std::size_t c = 0; c < width; ++c)
        if (c != label_col) d.feature_names.push_back(names[c]);
    const std::size_t rows = records.size() - 1;
    d.x.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(width - 1));
    std::vector<std::string> labels;
    labels.reserve(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        const Record& record = records[r + 1];
        const std::size_t got = record.fields.size();
        if (got != width)
            fail(record.line, std::min(got, width) + 1,
                 fmt::format("the row has {} fields, the header has {}", got, width));
        Eigen::Index out_col = 0;
        for (std::size_t c = 0; c < width; ++c) {
            const Field& f = record.fields[c];
            if (is_missing(f)) fail(record.line, c + 1, fmt::format("missing value ({}) in {}", describe_missing(f), column_name(c)));
            if (c == label_col) {
                labels.push_back(f.text);
                continue;
            }
            double value = 0.0;
            switch (parse_number(f.text, value)) {
                case NumberStatus::ok: break;
                case NumberStatus::not_a_number:
                    fail(record.line, c + 1, fmt::format("\"{}\" in {} is not a number", f.text, column_name(c)));
                case NumberStatus::not_finite:
                    fail(record.line, c + 1, fmt::format("\"{}\" in {} is not a finite number", f.text, column_name(c)));
            }
            d.x(static_cast<Eigen::Index>(r), out_col++) = value;
        }
    }
    LabelIndex classes = index_labels(labels);
    d.y = std::move(classes.y);
    d.class_names = std::move(classes.class_names);
    if (d.num_classes() < 2)
        fail(header.line, label_col + 1,
             fmt::format("the label {} has a single class (\"{}\"); classification needs at least two", column_name(label_col),
                         d.class_names.front()));
    return d;
}

Dataset read_csv(const std::filesystem::path& file, const CsvOptions& options) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorCode::invalid_input, fmt::format("read_csv: cannot open {}: {}", file.string(), std::strerror(errno)));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw Error(ErrorCode::invalid_input, fmt::format("read_csv: cannot read {}", file.string()));
    return parse_csv(buffer.str(), file.string(), options);
}

}  // namespace kettle
