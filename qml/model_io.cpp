#include "kettle/model_io.hpp"

#include <cmath>
#include <fmt/format.h>

#include "hdf5_io.hpp"
#include "kettle/detail/atomic_file.hpp"
#include "kettle/error.hpp"
#include "kettle/version.hpp"

namespace kettle {
namespace {

using qml_detail::H5Handle;
using qml_detail::H5Reader;
using qml_detail::H5Writer;

constexpr long long kFormatVersion = 1;
constexpr const char* kKind = "kettle-model";
constexpr std::size_t kHistoryColumns = 6;

/// The checks load_model applies, also run before saving so that no file is written that
/// could not be read back. Returns the problem, or an empty string.
std::string consistency_problem(const ModelFile& f) {
    try {
        const HybridModel m = build_model(f.spec);
        if (f.weights.size() != m.num_trainable())
            return fmt::format("holds {} weights, but its model has {} trainable values", f.weights.size(),
                               m.num_trainable());
        for (double w : f.weights)
            if (!std::isfinite(w)) return "holds a NaN or infinite weight";
        if (f.class_names.size() != m.num_classes())
            return fmt::format("names {} classes, but its model has {}", f.class_names.size(), m.num_classes());
        f.pipeline.validate("model file");
        if (f.pipeline.num_outputs() != m.num_features())
            return fmt::format("has a feature pipeline giving {} features, but its model takes {}",
                               f.pipeline.num_outputs(), m.num_features());
        if (!f.feature_names.empty() && f.feature_names.size() != f.pipeline.num_inputs)
            return fmt::format("names {} input columns, but its pipeline takes {}", f.feature_names.size(),
                               f.pipeline.num_inputs);
    } catch (const Error& e) {
        return fmt::format("is inconsistent: {}", e.what());
    }
    return {};
}

void write_row_vector(const H5Writer& w, hid_t g, const char* name, const Eigen::RowVectorXd& v) {
    if (v.size() > 0) w.doubles(g, name, v.data(), std::size_t(v.size()));
}

void write_spec(const H5Writer& w, hid_t g, const ModelSpec& s) {
    w.attribute(g, "num_features", static_cast<long long>(s.num_features));
    w.attribute(g, "num_classes", static_cast<long long>(s.num_classes));
    w.attribute(g, "num_qubits", static_cast<long long>(s.num_qubits));
    w.attribute(g, "encoding", s.encoding);
    w.attribute(g, "rotation", s.rotation);
    w.attribute(g, "input_scale", s.input_scale);
    w.attribute(g, "ansatz", s.ansatz);
    w.attribute(g, "layers", static_cast<long long>(s.layers));
    w.attribute(g, "entangler", s.entangler);
    w.attribute(g, "encoding_reps", static_cast<long long>(s.encoding_reps));
    w.attribute(g, "input_layer", static_cast<long long>(s.input_layer));
    w.attribute(g, "input_activation", s.input_activation);
    w.attribute(g, "output_layer", static_cast<long long>(s.output_layer));
    w.attribute(g, "output_gain", s.output_gain);
    w.strings(g, "observables", s.observables);
}

void write_pipeline(const H5Writer& w, hid_t g, const FeaturePipeline& p) {
    w.attribute(g, "num_inputs", static_cast<long long>(p.num_inputs));
    w.attribute(g, "image_side", static_cast<long long>(p.image_side));
    w.attribute(g, "image_factor", static_cast<long long>(p.image_factor));
    w.attribute(g, "min_max_low", p.min_max_low);
    w.attribute(g, "min_max_high", p.min_max_high);
    write_row_vector(w, g, "standard_mean", p.standard_mean);
    write_row_vector(w, g, "standard_scale", p.standard_scale);
    write_row_vector(w, g, "pca_mean", p.pca_mean);
    if (p.pca_components.size() > 0) {
        // Row-major on disk, as numpy reads it; Eigen's default storage is column-major.
        const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = p.pca_components;
        w.doubles(g, "pca_components", rows.data(), std::size_t(rows.rows()), std::size_t(rows.cols()));
    }
    write_row_vector(w, g, "min_max_min", p.min_max_min);
    write_row_vector(w, g, "min_max_max", p.min_max_max);
}

void write_optimizer(const H5Writer& w, hid_t g, const OptimizerState& s) {
    w.attribute(g, "name", s.name);
    w.attribute(g, "learning_rate", s.learning_rate);
    w.attribute(g, "steps", static_cast<long long>(s.steps));
    w.attribute(g, "rng", s.rng);
    std::vector<std::string> names;
    std::vector<double> values;
    for (const auto& [name, value] : s.settings) {
        names.push_back(name);
        values.push_back(value);
    }
    w.strings(g, "setting_names", names);
    w.doubles(g, "setting_values", values.data(), values.size());
    names.clear();
    for (std::size_t i = 0; i < s.buffers.size(); ++i) {
        names.push_back(s.buffers[i].first);
        const std::vector<double>& b = s.buffers[i].second;
        w.doubles(g, fmt::format("buffer{}", i).c_str(), b.data(), b.size());
    }
    w.strings(g, "buffer_names", names);
}

void write_training(const H5Writer& w, hid_t g, const TrainingProgress& t) {
    w.attribute(g, "seed", static_cast<long long>(t.seed));
    w.attribute(g, "epochs_done", static_cast<long long>(t.epochs_done));
    std::vector<double> table;
    for (const EpochRecord& r : t.history)
        table.insert(table.end(), {double(r.epoch), r.learning_rate, r.loss, r.accuracy, r.validation_loss,
                                   r.validation_accuracy});
    w.doubles(g, "history", table.data(), t.history.size(), kHistoryColumns);
}

// ---------------------------------------------------------------------------------------------

std::size_t count_attribute(const H5Reader& r, hid_t g, const char* name, long long max) {
    const long long v = r.int_attribute(g, name);
    if (v < 0 || v > max) r.fail(fmt::format("has {} = {}, outside 0..{}", name, v, max));
    return std::size_t(v);
}

ModelSpec read_spec(const H5Reader& r, hid_t g) {
    ModelSpec s;
    s.num_features = count_attribute(r, g, "num_features", 1 << 24);
    s.num_classes = count_attribute(r, g, "num_classes", 1 << 24);
    s.num_qubits = unsigned(count_attribute(r, g, "num_qubits", 64));
    s.encoding = r.string_attribute(g, "encoding");
    s.rotation = r.string_attribute(g, "rotation");
    s.input_scale = r.double_attribute(g, "input_scale");
    s.ansatz = r.string_attribute(g, "ansatz");
    s.layers = count_attribute(r, g, "layers", 1 << 16);
    s.entangler = r.string_attribute(g, "entangler");
    s.encoding_reps = count_attribute(r, g, "encoding_reps", 1 << 16);
    s.input_layer = count_attribute(r, g, "input_layer", 1) == 1;
    s.input_activation = r.string_attribute(g, "input_activation");
    s.output_layer = count_attribute(r, g, "output_layer", 1) == 1;
    s.output_gain = r.double_attribute(g, "output_gain");
    s.observables = r.strings(g, "observables");
    return s;
}

Eigen::RowVectorXd read_row_vector(const H5Reader& r, hid_t g, const char* name) {
    if (!r.has(g, name)) return {};
    const std::vector<double> v = r.doubles(g, name);
    return Eigen::Map<const Eigen::RowVectorXd>(v.data(), Eigen::Index(v.size()));
}

FeaturePipeline read_pipeline(const H5Reader& r, hid_t g) {
    FeaturePipeline p;
    p.num_inputs = count_attribute(r, g, "num_inputs", 1 << 24);
    p.image_side = count_attribute(r, g, "image_side", 1 << 12);
    p.image_factor = count_attribute(r, g, "image_factor", 1 << 12);
    p.min_max_low = r.double_attribute(g, "min_max_low");
    p.min_max_high = r.double_attribute(g, "min_max_high");
    p.standard_mean = read_row_vector(r, g, "standard_mean");
    p.standard_scale = read_row_vector(r, g, "standard_scale");
    p.pca_mean = read_row_vector(r, g, "pca_mean");
    if (r.has(g, "pca_components")) {
        std::size_t rows = 0, cols = 0;
        const std::vector<double> v = r.doubles(g, "pca_components", rows, cols);
        if (cols == 0) r.fail("has a one-dimensional 'pca_components', expected components x inputs");
        p.pca_components = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            v.data(), Eigen::Index(rows), Eigen::Index(cols));
    }
    p.min_max_min = read_row_vector(r, g, "min_max_min");
    p.min_max_max = read_row_vector(r, g, "min_max_max");
    return p;
}

OptimizerState read_optimizer(const H5Reader& r, hid_t g) {
    OptimizerState s;
    s.name = r.string_attribute(g, "name");
    s.learning_rate = r.double_attribute(g, "learning_rate");
    const long long steps = r.int_attribute(g, "steps");
    if (steps < 0) r.fail(fmt::format("has an optimizer step count {} < 0", steps));
    s.steps = std::uint64_t(steps);
    s.rng = r.string_attribute(g, "rng");
    const std::vector<std::string> names = r.strings(g, "setting_names");
    const std::vector<double> values = r.doubles(g, "setting_values");
    if (names.size() != values.size())
        r.fail(fmt::format("has {} optimizer setting names for {} values", names.size(), values.size()));
    for (std::size_t i = 0; i < names.size(); ++i) s.settings.emplace_back(names[i], values[i]);
    const std::vector<std::string> buffers = r.strings(g, "buffer_names");
    for (std::size_t i = 0; i < buffers.size(); ++i)
        s.buffers.emplace_back(buffers[i], r.doubles(g, fmt::format("buffer{}", i).c_str()));
    return s;
}

TrainingProgress read_training(const H5Reader& r, hid_t g) {
    TrainingProgress t;
    t.seed = std::uint64_t(r.int_attribute(g, "seed"));
    t.epochs_done = count_attribute(r, g, "epochs_done", 1LL << 40);
    std::size_t rows = 0, cols = 0;
    const std::vector<double> table = r.doubles(g, "history", rows, cols);
    if (cols != kHistoryColumns)
        r.fail(fmt::format("has a training history of {} columns, expected {}", cols, kHistoryColumns));
    for (std::size_t i = 0; i < rows; ++i) {
        const double* row = table.data() + i * kHistoryColumns;
        // The epoch is stored as a double beside the losses: a whole number in range, or the
        // conversion is undefined.
        if (!(row[0] >= 0 && row[0] <= double(1LL << 40) && row[0] == std::floor(row[0])))
            r.fail(fmt::format("has a training history whose row {} names epoch {}, not a whole number in 0..2^40", i,
                               row[0]));
        t.history.push_back({std::size_t(row[0]), row[1], row[2], row[3], row[4], row[5]});
    }
    return t;
}

}  // namespace

void save_model(const std::filesystem::path& path, const ModelFile& file) {
    if (const std::string problem = consistency_problem(file); !problem.empty())
        throw Error(ErrorCode::invalid_input, fmt::format("save_model: the model {}", problem));
    const std::lock_guard lock(detail::hdf5_mutex());
    detail::AtomicFile out(path, "save_model");
    {
        H5Writer w(out.temp_path(), "save_model", path.string());
        w.attribute(w.root(), "format_version", kFormatVersion);
        w.attribute(w.root(), "kettle_version", std::string(version));
        w.attribute(w.root(), "kind", std::string(kKind));
        {
            const H5Handle g = w.group(w.root(), "model");
            write_spec(w, g.get(), resolve(file.spec));  // observables written out, not left to defaults
            w.doubles(g.get(), "weights", file.weights.data(), file.weights.size());
        }
        w.strings(w.root(), "classes", file.class_names);
        w.strings(w.root(), "features", file.feature_names);
        write_pipeline(w, w.group(w.root(), "pipeline").get(), file.pipeline);
        if (file.optimizer) write_optimizer(w, w.group(w.root(), "optimizer").get(), *file.optimizer);
        if (file.training) write_training(w, w.group(w.root(), "training").get(), *file.training);
        {
            const H5Handle g = w.group(w.root(), "metadata");
            for (const auto& [key, value] : file.metadata) w.attribute(g.get(), key.c_str(), value);
        }
        w.finish();
    }
    out.commit();
}

ModelFile load_model(const std::filesystem::path& path) {
    const std::lock_guard lock(detail::hdf5_mutex());
    const H5Reader r(path, "load_model");
    if (!r.has_attribute(r.root(), "kind") || r.string_attribute(r.root(), "kind") != kKind)
        r.fail("is not a kettle model file (no attribute kind = \"kettle-model\")");
    const long long format = r.int_attribute(r.root(), "format_version");
    if (format < 1 || format > kFormatVersion)
        r.fail(fmt::format("has format_version {}, but this kettle reads format_version 1 to {}", format,
                           kFormatVersion));
    ModelFile f;
    {
        const H5Handle g = r.group(r.root(), "model");
        f.spec = read_spec(r, g.get());
        f.weights = r.doubles(g.get(), "weights");
    }
    f.class_names = r.strings(r.root(), "classes");
    f.feature_names = r.strings(r.root(), "features");
    f.pipeline = read_pipeline(r, r.group(r.root(), "pipeline").get());
    if (r.has(r.root(), "optimizer")) f.optimizer = read_optimizer(r, r.group(r.root(), "optimizer").get());
    if (r.has(r.root(), "training")) f.training = read_training(r, r.group(r.root(), "training").get());
    if (r.has(r.root(), "metadata")) {
        const H5Handle g = r.group(r.root(), "metadata");
        H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
        H5Oget_info3(g.get(), &info, H5O_INFO_NUM_ATTRS);
#else
        H5Oget_info2(g.get(), &info, H5O_INFO_NUM_ATTRS);
#endif
        for (hsize_t i = 0; i < info.num_attrs; ++i) {
            char name[256] = {};
            if (H5Aget_name_by_idx(g.get(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0 &&
                H5Aget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0)
                r.fail("has an unreadable metadata attribute");
            f.metadata.emplace_back(name, r.string_attribute(g.get(), name));
        }
    }
    if (const std::string problem = consistency_problem(f); !problem.empty()) r.fail(problem);
    return f;
}

HybridModel restore_model(const ModelFile& file) {
    HybridModel m = build_model(file.spec);
    m.set_trainable(file.weights);
    return m;
}

}  // namespace kettle
