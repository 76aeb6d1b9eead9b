// `kettle predict`: class predictions and probabilities of a saved model on a CSV file.

#include <fmt/format.h>
#include <fstream>

#include "commands.hpp"
#include "data_input.hpp"
#include "kettle/error.hpp"
#include "kettle/model_io.hpp"
#include "kettle/resources.hpp"
#include "output.hpp"

namespace kettle::cli {
namespace {

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string metadata(const ModelFile& f, const std::string& key) {
    for (const auto& [k, v] : f.metadata)
        if (k == key) return v;
    return {};
}

void write_predictions(const std::string& path, const std::vector<std::string>& classes,
                       const std::vector<std::string>& predictions, const std::vector<std::vector<double>>& probs) {
    std::ofstream out(path);
    if (!out) throw Error(ErrorCode::invalid_input, fmt::format("--output: cannot write '{}'", path));
    out.precision(17);
    out << "prediction";
    for (const std::string& c : classes) out << ',' << csv_field("p_" + c);
    out << '\n';
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        out << csv_field(predictions[i]);
        for (double p : probs[i]) out << ',' << p;
        out << '\n';
    }
    out.close();
    if (!out) throw Error(ErrorCode::invalid_input, fmt::format("--output: cannot write '{}'", path));
}

}  // namespace

CLI::App* add_predict_command(CLI::App& app, PredictArgs& args) {
    CLI::App* p = app.add_subcommand("predict", "Predict classes with a model saved by `kettle train --save`");
    p->footer("The CSV file needs the columns the model was trained on (by header name); others are ignored.\n"
              "An HDF5 file's columns are matched by feature_names when it names them all, else by position.\n"
              "When the file also holds the labels, the accuracy is printed too.");
    p->add_option("--model", args.model, "Model file")->required()->type_name("FILE.h5");
    p->add_option("--data", args.data, "CSV file with a header row, or an HDF5 data set (.h5)")
        ->required()
        ->type_name("FILE.csv|FILE.h5");
    p->add_option("--output", args.output, "Also write the predictions as CSV")->type_name("FILE.csv");
    add_threads_option(*p, args.threads);
    add_format_option(*p, args.format);
    return p;
}

int predict_command(const PredictArgs& args) {
    const Format format = resolve_format(args.format);
    if (args.threads) set_num_threads(*args.threads);
    const ModelFile file = load_model(args.model);
    const HybridModel model = restore_model(file);
    const FeatureTable table = read_feature_table(args.data, file.feature_names, metadata(file, "label_column"));
    const FeatureMatrix x = file.pipeline.transform(table.x);

    std::vector<std::string> predictions;
    std::vector<std::vector<double>> probabilities;
    const auto ws = model.make_workspace();
    std::vector<double> row(std::size_t(x.cols())), scores(model.num_scores());
    std::size_t hits = 0;
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        for (Eigen::Index c = 0; c < x.cols(); ++c) row[std::size_t(c)] = x(r, c);
        model.scores(*ws, row, scores);
        predictions.push_back(file.class_names[predicted_class(scores)]);
        probabilities.push_back(class_probabilities(scores));
        if (table.labels) hits += (*table.labels)[std::size_t(r)] == predictions.back();
    }
    if (!args.output.empty()) write_predictions(args.output, file.class_names, predictions, probabilities);

    if (format == Format::json) {
        Json out;
        out["predictions"] = predictions;
        out["probabilities"] = probabilities;
        out["classes"] = file.class_names;
        if (table.labels) out["accuracy"] = double(hits) / double(predictions.size());
        print_json(out);
        return 0;
    }
    std::size_t width = 10;
    for (const std::string& c : file.class_names) width = std::max(width, c.size() + 4);
    fmt::print("{:<6}{:<{}}", "row", "prediction", width);
    for (const std::string& c : file.class_names) fmt::print("{:>{}}", "p_" + c, width);
    fmt::print("\n");
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        fmt::print("{:<6}{:<{}}", i + 1, predictions[i], width);
        for (double p : probabilities[i]) fmt::print("{:>{}.4f}", p, width);
        fmt::print("\n");
    }
    if (table.labels) fmt::print("\naccuracy {:.4f}\n", double(hits) / double(predictions.size()));
    return 0;
}

}  // namespace kettle::cli
