#include "kettle/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kettle/error.hpp"
#include "number_text.hpp"

namespace kettle {

LabelIndex index_labels(std::span<const std::string> labels) {
    using classical_detail::NumberStatus;
    std::vector<double> numeric(labels.size());
    bool all_numeric = true;
    for (std::size_t i = 0; i < labels.size() && all_numeric; ++i)
        all_numeric = classical_detail::parse_number(labels[i], numeric[i]) == NumberStatus::ok;
    LabelIndex out;
    out.y.resize(labels.size());
    if (all_numeric) {
        // -0 and 0 are one class: the key is the value with its sign of zero dropped.
        auto key = [&](std::size_t i) { return numeric[i] == 0.0 ? 0.0 : numeric[i]; };
        std::map<double, std::size_t> index;
        std::map<double, std::string> names;  // value -> text where it first appears
        for (std::size_t i = 0; i < labels.size(); ++i) names.emplace(key(i), labels[i]);
        for (const auto& [value, name] : names) {
            index.emplace(value, out.class_names.size());
            out.class_names.push_back(name);
        }
        for (std::size_t i = 0; i < labels.size(); ++i) out.y[i] = index.at(key(i));
    } else {
        std::map<std::string, std::size_t> index;
        for (const std::string& label : labels) index.emplace(label, 0);
        for (auto& [name, k] : index) {
            k = out.class_names.size();
            out.class_names.push_back(name);
        }
        for (std::size_t i = 0; i < labels.size(); ++i) out.y[i] = index.at(labels[i]);
    }
    return out;
}

void validate_dataset(const Dataset& d, const char* where) {
    auto fail = [&](const std::string& what) { throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", where, what)); };
    if (d.y.size() != d.num_samples())
        fail(fmt::format("the data set has {} rows but {} labels", d.num_samples(), d.y.size()));
    if (d.feature_names.size() != d.num_features())
        fail(fmt::format("the data set has {} columns but {} feature names", d.num_features(), d.feature_names.size()));
    for (std::size_t i = 0; i < d.y.size(); ++i)
        if (d.y[i] >= d.num_classes())
            fail(fmt::format("row {} has class index {}, but there are {} classes (valid 0..{})", i, d.y[i],
                             d.num_classes(), d.num_classes() == 0 ? 0 : d.num_classes() - 1));
    for (Eigen::Index r = 0; r < d.x.rows(); ++r)
        for (Eigen::Index c = 0; c < d.x.cols(); ++c)
            if (!std::isfinite(d.x(r, c))) fail(fmt::format("the value at row {}, column {} is NaN or infinite", r, c));
}

std::vector<std::size_t> class_counts(std::span<const std::size_t> y, std::size_t num_classes) {
    std::vector<std::size_t> counts(num_classes, 0);
    for (const std::size_t label : y) ++counts.at(label);
    return counts;
}

Dataset subset(const Dataset& d, std::span<const std::size_t> rows) {
    Dataset out;
    out.x.resize(static_cast<Eigen::Index>(rows.size()), d.x.cols());
    out.y.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] >= d.num_samples())
            throw Error(ErrorCode::invalid_input, fmt::format("subset: row index {} is out of range (the data set has {} rows)",
                                                              rows[i], d.num_samples()));
        out.x.row(static_cast<Eigen::Index>(i)) = d.x.row(static_cast<Eigen::Index>(rows[i]));
        out.y.push_back(d.y[rows[i]]);
    }
    out.class_names = d.class_names;
    out.feature_names = d.feature_names;
    return out;
}

Dataset select_classes(const Dataset& d, std::span<const std::string> classes) {
    if (classes.size() < 2)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("select_classes: {} class(es) requested, at least 2 are needed", classes.size()));
    constexpr std::size_t unused = static_cast<std::size_t>(-1);
    std::vector<std::size_t> new_index(d.num_classes(), unused);
    for (std::size_t k = 0; k < classes.size(); ++k) {
        const auto it = std::find(d.class_names.begin(), d.class_names.end(), classes[k]);
        if (it == d.class_names.end())
            throw Error(ErrorCode::invalid_input, fmt::format("select_classes: no class named \"{}\" (classes: {})", classes[k],
                                                              fmt::join(d.class_names, ", ")));
        const auto old = static_cast<std::size_t>(it - d.class_names.begin());
        if (new_index[old] != unused)
            throw Error(ErrorCode::invalid_input, fmt::format("select_classes: class \"{}\" is named twice", classes[k]));
        new_index[old] = k;
    }
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < d.y.size(); ++i)
        if (new_index.at(d.y[i]) != unused) rows.push_back(i);
    Dataset out = subset(d, rows);
    for (std::size_t& label : out.y) label = new_index[label];
    out.class_names.assign(classes.begin(), classes.end());
    return out;
}

}  // namespace kettle
