#include "train_plan.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "data_input.hpp"
#include "kettle/builtin_datasets.hpp"
#include "kettle/error.hpp"
#include "kettle/split.hpp"

namespace kettle::cli {
namespace {

/// The header's last column: the label read_csv takes by default.
std::string label_column(const std::string& data, const std::string& label) {
    if (!label.empty() || is_hdf5_path(data)) return label;  // HDF5 files have no label column
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::exists(data, ec) ? std::filesystem::path(data)
                                                                          : builtin_data_dir() / (data + ".csv");
    std::ifstream in(file);
    std::string header;
    std::getline(in, header);
    while (!header.empty() && (header.back() == '\r' || header.back() == ' ')) header.pop_back();
    std::string last = header.substr(header.find_last_of(',') + 1);
    if (last.size() >= 2 && last.front() == '"' && last.back() == '"') last = last.substr(1, last.size() - 2);
    return last;
}

/// The settings that make a run what it is; a resumed run must repeat them.
Json settings_of(const TrainArgs& a, const ModelSpec& spec, double lr, std::size_t pca) {
    Json s;
    s["data"] = a.data;
    s["label"] = a.label;
    s["classes"] = a.classes;
    s["downsample"] = a.downsample;
    s["pca"] = pca;
    s["qubits"] = spec.num_qubits;
    s["encoding"] = spec.encoding;
    s["ansatz"] = spec.ansatz;
    s["layers"] = spec.layers;
    s["input_layer"] = spec.input_layer;
    s["output_layer"] = spec.output_layer;
    s["observables"] = spec.observables;
    s["output_gain"] = spec.output_gain;
    s["optimizer"] = a.optimizer;
    s["lr"] = lr;
    s["batch"] = a.batch;
    s["gradient"] = a.gradient;
    s["test_size"] = a.test_size;
    s["seed"] = a.seed;
    return s;
}

std::string find_metadata(const ModelFile& f, const std::string& key) {
    for (const auto& [k, v] : f.metadata)
        if (k == key) return v;
    return {};
}

void check_same_run(const Json& now, const ModelFile& saved, const std::string& path) {
    const std::string text = find_metadata(saved, "settings");
    Json before;
    try {
        before = Json::parse(text);
    } catch (const std::exception&) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--resume '{}': the file holds no training settings (not a checkpoint of kettle "
                                "train)", path));
    }
    if (!saved.optimizer || !saved.training)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--resume '{}': the file holds no optimizer state or training progress", path));
    for (const auto& [key, value] : now.items())
        if (!before.contains(key) || before[key] != value)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("--resume '{}': the checkpoint's run had {} = {}, this command asks for {}; "
                                    "repeat the interrupted command's settings", path, key,
                                    before.contains(key) ? before[key].dump() : std::string("nothing"), value.dump()));
}

}  // namespace

ModelFile TrainPlan::file(const Optimizer& optimizer, std::size_t epochs_done,
                          const std::vector<EpochRecord>& records) const {
    ModelFile f;
    f.spec = spec;
    f.weights.assign(model.trainable().begin(), model.trainable().end());
    f.class_names = train.class_names;
    f.feature_names = train.feature_names;
    f.pipeline = pipeline;
    f.optimizer = optimizer.state();
    f.training = TrainingProgress{seed, epochs_done, records};
    f.metadata = metadata;
    return f;
}

TrainPlan make_plan(const TrainArgs& args) {
    const Dataset data = load_training_data(args.data, args.label, args.classes);
    std::optional<ModelFile> resumed;
    if (!args.resume.empty()) resumed = load_model(args.resume);

    const SplitIndices split = stratified_split(data.y, args.test_size, args.seed);
    Dataset train = subset(data, split.train), test = subset(data, split.test);

    // Features: [downsample] -> standardise -> PCA to at most 8 (one qubit each) -> min-max to
    // [0, π], the range of one turn of an RY angle; an input layer takes standardised values.
    PipelineOptions po;
    std::size_t width = data.num_features();
    if (args.downsample > 1) {
        const auto side = std::size_t(std::lround(std::sqrt(double(width))));
        if (side * side != width || side % args.downsample != 0)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("--downsample {}: the data's {} features are not square images whose side "
                                    "divides by {}", args.downsample, width, args.downsample));
        po.image_side = side;
        po.image_factor = args.downsample;
        width = (side / args.downsample) * (side / args.downsample);
    }
    // One feature per qubit, except amplitude encoding: up to 2^n features on n qubits.
    const bool amplitude = args.encoding == "amplitude";
    const std::size_t most = amplitude ? std::size_t{1} << args.qubits.value_or(kMaxDefaultQubits)
                                       : std::min<std::size_t>(args.qubits.value_or(kMaxDefaultQubits), kMaxDefaultQubits);
    const std::size_t cap = args.pca ? *args.pca : most;
    po.pca_components = cap > 0 && cap < width ? cap : 0;
    po.min_max = !args.input_layer;
    const std::size_t features = po.pca_components > 0 ? std::min({po.pca_components, width, train.num_samples()}) : width;

    ModelSpec spec;
    spec.num_features = features;
    spec.num_classes = data.num_classes();
    unsigned needed = 1;
    while (amplitude && (std::size_t{1} << needed) < features) ++needed;
    spec.num_qubits = args.qubits.value_or(amplitude ? needed : unsigned(std::min<std::size_t>(features, 20)));
    spec.encoding = args.encoding;
    spec.ansatz = args.ansatz;
    spec.layers = args.layers.value_or(kDefaultLayers);
    spec.input_layer = args.input_layer;
    // The expectations -> scores layer is on by default: with it every qubit's readout counts
    // (breast_cancer: 0.96 against 0.90 from Z0 alone), and more classes than qubits need it.
    const bool few_qubits = spec.num_classes > 2 && spec.num_classes > spec.num_qubits;
    spec.output_layer = args.output_layer;
    if (!args.output_layer && few_qubits)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--no-output-layer: {} classes need at least {} qubits (one readout each), got {}",
                                spec.num_classes, spec.num_classes, spec.num_qubits));
    if (few_qubits) {
        // Ten classes from eight expectation values are too few features for a linear readout:
        // read the pairs Z_i Z_j too, with gain 1 so the logits grow fast enough.
        for (unsigned q = 0; q < spec.num_qubits; ++q) spec.observables.push_back(fmt::format("Z{}", q));
        for (unsigned q = 0; q < spec.num_qubits; ++q)
            for (unsigned r = q + 1; r < spec.num_qubits; ++r) spec.observables.push_back(fmt::format("Z{} Z{}", q, r));
        spec.output_gain = 1.0;
    }
    if ((spec.encoding == "angle" || spec.encoding == "zz") && !spec.input_layer && spec.num_qubits != features)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--encoding {} takes one feature per qubit: {} features for {} qubits (use "
                                "--pca {}, or --input-layer)", spec.encoding, features, spec.num_qubits,
                                spec.num_qubits));
    if (spec.encoding == "reupload" && spec.ansatz != "hardware_efficient")
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--ansatz {} needs --encoding angle, zz or amplitude (reupload interleaves "
                                "hardware-efficient layers)", spec.ansatz));
    const double lr = args.lr.value_or(args.optimizer == "spsa" ? 0.1 : kDefaultLearningRate);
    const Json settings = settings_of(args, spec, lr, po.pca_components);

    TrainPlan plan{std::move(train), std::move(test), {}, {}, {}, spec, build_model(spec), lr,
                   args.epochs.value_or(kDefaultEpochs), 0, {}, {}, {}, args.seed};
    if (resumed) {
        check_same_run(settings, *resumed, args.resume);
        plan.pipeline = resumed->pipeline;
        plan.spec = resumed->spec;
        plan.model = restore_model(*resumed);
        plan.start_epoch = resumed->training->epochs_done;
        plan.history = resumed->training->history;
        if (plan.train.class_names != resumed->class_names)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("--resume '{}': the checkpoint's classes differ from the data's", args.resume));
        plan.resumed = std::move(resumed);
    } else {
        plan.pipeline = FeaturePipeline::fit(plan.train.x, po);
        plan.model.initialize(args.seed);
    }
    plan.model.set_gradient_method(args.gradient == "adjoint" ? GradientMethod::adjoint
                                                              : GradientMethod::parameter_shift);
    plan.train_x = plan.pipeline.transform(plan.train.x);
    plan.test_x = plan.pipeline.transform(plan.test.x);
    plan.metadata = {{"settings", settings.dump()},
                     {"label_column", label_column(args.data, args.label)},
                     {"data", args.data}};
    return plan;
}

Json spec_json(const ModelSpec& spec, const HybridModel& model) {
    const ModelSpec s = resolve(spec);
    Json j;
    j["encoding"] = s.encoding;
    j["ansatz"] = s.ansatz;
    j["layers"] = s.layers;
    j["entangler"] = s.entangler;
    j["input_layer"] = s.input_layer;
    j["output_layer"] = s.output_layer;
    j["observables"] = s.observables;
    j["num_trainable"] = model.num_trainable();
    return j;
}

}  // namespace kettle::cli
