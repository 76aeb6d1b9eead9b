#include "data_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <sstream>

#include "kettle/builtin_datasets.hpp"
#include "kettle/csv.hpp"
#include "kettle/dataset_io.hpp"
#include "kettle/error.hpp"

namespace kettle::cli {
namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        out.push_back(item);
    }
    return out;
}

/// Splits CSV text into rows of fields with the line where each row starts.
struct Row {
    std::size_t line;
    std::vector<std::string> fields;
};

std::vector<Row> parse_rows(const std::string& text, const std::string& file) {
    std::vector<Row> rows;
    std::size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0, line = 1;
    while (i < text.size()) {
        Row row{line, {}};
        std::string field;
        bool quoted = false, any = false;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (quoted) {
                if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') ++line;
                    field += c;
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.fields.push_back(field);
                field.clear();
            } else if (c == '\n') {
                ++i;
                break;
            } else if (c != '\r') {
                field += c;
                any = any || (c != ' ' && c != '\t');
            }
        }
        if (quoted) throw Error(ErrorCode::invalid_input, fmt::format("{}:{}:1: unterminated quote", file, row.line));
        ++line;
        row.fields.push_back(field);
        if (row.fields.size() == 1 && !any) continue;  // blank line
        for (std::string& f : row.fields) {
            f.erase(0, f.find_first_not_of(" \t"));
            f.erase(f.find_last_not_of(" \t") + 1);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

bool is_hdf5_path(const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    return ext == ".h5" || ext == ".hdf5";
}

Dataset load_training_data(const std::string& name, const std::string& label, const std::string& classes) {
    Dataset d;
    const std::vector<std::string> builtin = builtin_dataset_names();
    std::error_code ec;
    if (std::find(builtin.begin(), builtin.end(), name) != builtin.end() && !std::filesystem::exists(name, ec)) {
        d = label.empty() ? load_builtin_dataset(name)
                          : read_csv(builtin_data_dir() / (name + ".csv"), CsvOptions{label, ','});
    } else if (is_hdf5_path(name)) {
        // An HDF5 file names its label dataset itself (labels, y or target).
        if (!label.empty())
            throw Error(ErrorCode::usage,
                        fmt::format("--label '{}': --label picks a CSV column; an HDF5 data set's labels are its "
                                    "'labels', 'y' or 'target' dataset", label));
        d = load_dataset(name);
    } else if (!std::filesystem::exists(name, ec)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--data '{}': no such file, and not a bundled data set ({})", name,
                                fmt::join(builtin, ", ")));
    } else {
        d = read_csv(name, CsvOptions{label, ','});
    }
    if (!classes.empty()) {
        const std::vector<std::string> keep = split_list(classes);
        try {
            d = select_classes(d, keep);
        } catch (const Error& e) {
            throw Error(e.code(), fmt::format("--classes '{}': {} (classes: {})", classes, e.what(),
                                              fmt::join(d.class_names, ", ")));
        }
    }
    return d;
}

namespace {

/// The columns `features` of an HDF5 data set, by name where it names them all, otherwise by
/// position when the widths agree; its labels as class-name text where it has labels.
FeatureTable read_hdf5_table(const std::string& path, const std::vector<std::string>& features) {
    const Dataset d = load_features(path);
    FeatureTable t;
    std::vector<Eigen::Index> columns;
    for (const std::string& f : features) {
        const auto it = std::find(d.feature_names.begin(), d.feature_names.end(), f);
        if (it == d.feature_names.end()) break;
        columns.push_back(Eigen::Index(it - d.feature_names.begin()));
    }
    if (columns.size() != features.size()) {
        if (d.num_features() != features.size())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: the model takes {} features ({}), the file has {} columns named {}", path,
                                    features.size(), fmt::join(features, ", "), d.num_features(),
                                    fmt::join(d.feature_names, ", ")));
        columns.clear();
        for (std::size_t c = 0; c < features.size(); ++c) columns.push_back(Eigen::Index(c));
    }
    t.x.resize(d.x.rows(), Eigen::Index(columns.size()));
    for (std::size_t k = 0; k < columns.size(); ++k) t.x.col(Eigen::Index(k)) = d.x.col(columns[k]);
    if (!d.y.empty()) {
        t.labels.emplace();
        for (const std::size_t y : d.y) t.labels->push_back(d.class_names[y]);
    }
    return t;
}

}  // namespace

FeatureTable read_feature_table(const std::string& path, const std::vector<std::string>& features,
                                const std::string& label) {
    if (is_hdf5_path(path)) return read_hdf5_table(path, features);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot be read (no such file?)", path));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::vector<Row> rows = parse_rows(buffer.str(), path);
    if (rows.empty()) throw Error(ErrorCode::invalid_input, fmt::format("{}:1:1: the file is empty", path));
    const std::vector<std::string>& header = rows[0].fields;
    std::vector<std::size_t> columns;
    for (const std::string& f : features) {
        const auto it = std::find(header.begin(), header.end(), f);
        if (it == header.end())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}:{}:1: the model needs column '{}', which the header lacks (columns: {})", path,
                                    rows[0].line, f, fmt::join(header, ", ")));
        columns.push_back(std::size_t(it - header.begin()));
    }
    const auto label_it = label.empty() ? header.end() : std::find(header.begin(), header.end(), label);
    FeatureTable t;
    t.x.resize(Eigen::Index(rows.size() - 1), Eigen::Index(features.size()));
    if (label_it != header.end()) t.labels.emplace();
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        if (row.fields.size() != header.size())
            throw Error(ErrorCode::invalid_input, fmt::format("{}:{}:1: {} fields, the header has {}", path, row.line,
                                                              row.fields.size(), header.size()));
        for (std::size_t k = 0; k < columns.size(); ++k) {
            const std::string& text = row.fields[columns[k]];
            char* end = nullptr;
            errno = 0;
            const double v = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v))
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}:{}:{}: column '{}': '{}' is not a finite number", path, row.line,
                                        columns[k] + 1, features[k], text));
            t.x(Eigen::Index(r - 1), Eigen::Index(k)) = v;
        }
        if (t.labels) t.labels->push_back(row.fields[std::size_t(label_it - header.begin())]);
    }
    if (t.x.rows() == 0) throw Error(ErrorCode::invalid_input, fmt::format("{}: a header but no rows", path));
    return t;
}

}  // namespace kettle::cli
