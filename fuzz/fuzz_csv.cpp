// Fuzz harness: parse_csv (read_csv on text in memory) with the default options, a ';'
// delimiter and a named label column.

#include <cmath>
#include <string>

#include "fuzz_support.hpp"
#include "kettle/csv.hpp"

namespace kettle::fuzz {
namespace {

/// The promises of a Dataset that parse_csv returns.
void check_dataset(const Dataset& d) {
    check(d.y.size() == d.num_samples(), "one label per row");
    check(d.feature_names.size() == d.num_features(), "one name per feature column");
    check(d.num_samples() > 0 && d.num_features() > 0, "a data set with no rows or no features");
    check(d.num_classes() >= 2, "a data set with fewer than two classes");
    for (std::size_t label : d.y) check(label < d.num_classes(), "a label index past the classes");
    for (Eigen::Index r = 0; r < d.x.rows(); ++r)
        for (Eigen::Index c = 0; c < d.x.cols(); ++c) check(std::isfinite(d.x(r, c)), "a NaN or infinite feature");
}

/// The text up to the first delimiter or line end, tried as a label column name.
std::string first_field(std::string_view text, char delimiter) {
    return std::string(text.substr(0, text.find_first_of(std::string{delimiter, '\n', '\r'})));
}

}  // namespace

void csv_input(std::span<const std::uint8_t> data) {
    const std::string_view text = as_text(data);
    for (const char delimiter : {',', ';'}) {
        if (delimiter != ',' && text.find(delimiter) == std::string_view::npos) continue;
        for (const bool named_label : {false, true}) {
            CsvOptions options;
            options.delimiter = delimiter;
            if (named_label) options.label = first_field(text, delimiter);
            Dataset d;
            if (succeeds([&] { d = parse_csv(text, "fuzz.csv", options); })) check_dataset(d);
        }
    }
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(csv_input)
