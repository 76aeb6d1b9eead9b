// `kettle train`: data in, a trained hybrid classifier out, with its test accuracy printed
// beside a classical baseline's.

#include <chrono>
#include <cmath>
#include <fmt/format.h>

#include "commands.hpp"
#include "data_input.hpp"
#include "kettle/error.hpp"
#include "kettle/logistic_regression.hpp"
#include "kettle/model_io.hpp"
#include "kettle/resources.hpp"
#include "kettle/split.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "train_plan.hpp"

namespace kettle::cli {
namespace {

struct Predictions {
    std::vector<std::size_t> classes;
    double accuracy = 0;
};

Predictions predict_rows(const Model& model, const FeatureMatrix& x, std::span<const std::size_t> y) {
    Predictions p;
    const auto ws = model.make_workspace();
    std::vector<double> row(std::size_t(x.cols())), scores(model.num_scores());
    std::size_t hits = 0;
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        for (Eigen::Index c = 0; c < x.cols(); ++c) row[std::size_t(c)] = x(r, c);
        model.scores(*ws, row, scores);
        p.classes.push_back(predicted_class(scores));
        hits += p.classes.back() == y[std::size_t(r)];
    }
    p.accuracy = x.rows() > 0 ? double(hits) / double(x.rows()) : 0.0;
    return p;
}

Json history_json(const std::vector<EpochRecord>& history) {
    Json out = Json::array();
    for (const EpochRecord& r : history) {
        Json e;
        e["epoch"] = r.epoch + 1;
        e["learning_rate"] = r.learning_rate;
        e["loss"] = r.loss;
        e["accuracy"] = r.accuracy;
        out.push_back(std::move(e));
    }
    return out;
}

Json confusion_json(const ConfusionMatrix& m) {
    Json out = Json::array();
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        Json row = Json::array();
        for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
        out.push_back(std::move(row));
    }
    return out;
}

void print_table(const Json& j) {
    fmt::print("{:<26}{}\n", "data", j["data"].get<std::string>());
    fmt::print("{:<26}{} train, {} test, {} features -> {} on {} qubits\n", "rows", j["num_train"].get<std::size_t>(),
               j["num_test"].get<std::size_t>(), j["num_features"].get<std::size_t>(),
               j["num_model_features"].get<std::size_t>(), j["num_qubits"].get<unsigned>());
    fmt::print("{:<26}{} epochs, {} trainable values\n", "training", j["epochs"].get<std::size_t>(),
               j["model"]["num_trainable"].get<std::size_t>());
    fmt::print("{:<26}{:.4f}\n", "train accuracy", j["train_accuracy"].get<double>());
    fmt::print("{:<26}{:.4f}\n", "test accuracy", j["test_accuracy"].get<double>());
    fmt::print("{:<26}{:.4f}\n", "baseline test accuracy", j["baseline_test_accuracy"].get<double>());
    fmt::print("{:<26}{:.2f}\n", "seconds", j["seconds"].get<double>());
    fmt::print("\nconfusion matrix (rows: true, columns: predicted)\n");
    const auto& classes = j["classes"];
    std::size_t width = 6;
    for (const auto& c : classes) width = std::max(width, c.get<std::string>().size() + 2);
    fmt::print("  {:<{}}", "", width);
    for (const auto& c : classes) fmt::print("{:>{}}", c.get<std::string>(), width);
    fmt::print("\n");
    for (std::size_t r = 0; r < classes.size(); ++r) {
        fmt::print("  {:<{}}", classes[r].get<std::string>(), width);
        for (const auto& v : j["confusion_matrix"][r]) fmt::print("{:>{}}", v.get<long long>(), width);
        fmt::print("\n");
    }
}

}  // namespace

CLI::App* add_train_command(CLI::App& app, TrainArgs& args) {
    CLI::App* t = app.add_subcommand("train", "Train a hybrid quantum classifier on a data set");
    t->footer(
        "Defaults: standardise, PCA to at most 8 components, min-max to [0, pi]; one qubit per\n"
        "component; 3 blocks of data re-uploading with hardware-efficient layers; <Z> of every\n"
        "qubit (and <Z Z> of every pair when there are more classes than qubits) into a dense\n"
        "output layer; Adam, learning rate 0.05, 30 epochs, batches of 16; a stratified 25% test\n"
        "split. The baseline is multinomial logistic regression on the same features.");
    t->add_option("--data", args.data, "iris, breast_cancer, digits, a CSV file, or an HDF5 data set (.h5)")->required()->type_name("DATA");
    t->add_option("--label", args.label, "Label column of a CSV file (default: the last; not for .h5)")->type_name("COLUMN");
    t->add_option("--classes", args.classes, "Keep only these classes, e.g. 0,1")->type_name("A,B,...");
    t->add_option_function<unsigned>(
         "--qubits", [&args](const unsigned& n) { args.qubits = n; }, "Qubits (default: one per model feature)")
        ->type_name("N")
        ->check(unsigned_integer(20));
    t->add_option_function<std::size_t>(
         "--pca", [&args](const std::size_t& k) { args.pca = k; }, "PCA to at most K components (0: no PCA)")
        ->type_name("K")
        ->check(unsigned_integer(1u << 20));
    t->add_option("--downsample", args.downsample, "Square images: average F x F pixel blocks first (default 1)")
        ->type_name("F")
        ->check(unsigned_integer(64));
    t->add_option("--encoding", args.encoding, "Feature encoding (default reupload)")
        ->type_name("angle|zz|reupload|amplitude")
        ->check(one_of(std::vector<std::string>{"angle", "zz", "reupload", "amplitude"}));
    t->add_option("--ansatz", args.ansatz,
                  "Trainable layers after an angle, zz or amplitude encoding (default hardware_efficient)")
        ->type_name("hardware_efficient|strongly_entangling|real_amplitudes|efficient_su2")
        ->check(one_of(std::vector<std::string>{"hardware_efficient", "strongly_entangling", "real_amplitudes",
                                                "efficient_su2"}));
    t->add_option_function<std::size_t>(
         "--layers", [&args](const std::size_t& l) { args.layers = l; }, "Ansatz layers")
        ->type_name("L")
        ->check(unsigned_integer(1000));
    t->add_flag("--input-layer", args.input_layer, "A trainable dense layer features -> angles before the circuit");
    t->add_flag("--output-layer,!--no-output-layer", args.output_layer,
                "A trainable dense layer expectations -> scores after the circuit (default on; with\n"
                "--no-output-layer each class reads one qubit's <Z> with a trainable scale and bias)");
    t->add_option("--optimizer", args.optimizer, "Optimizer (default adam)")
        ->type_name("adam|sgd|spsa")
        ->check(one_of(std::vector<std::string>{"adam", "sgd", "spsa"}));
    t->add_option_function<double>(
         "--lr", [&args](const double& lr) { args.lr = lr; }, "Learning rate")
        ->type_name("X")
        ->check(number_in(0, 1e6, false));
    t->add_option_function<std::size_t>(
         "--epochs", [&args](const std::size_t& e) { args.epochs = e; }, "Epochs")
        ->type_name("E")
        ->check(unsigned_integer(1000000));
    t->add_option("--batch", args.batch, "Mini-batch size (default 16)")->type_name("B")->check(unsigned_integer(1u << 20));
    t->add_option("--gradient", args.gradient, "Circuit gradients (default adjoint)")
        ->type_name("adjoint|parameter-shift")
        ->check(one_of("adjoint", "parameter-shift"));
    t->add_option("--test-size", args.test_size, "Share of rows held out for testing (default 0.25)")
        ->type_name("F")
        ->check(number_in(0, 1, false));
    t->add_option("--seed", args.seed, "Seed of the split, initial weights and shuffling (default 0)")
        ->type_name("S")
        ->check(unsigned_integer());
    t->add_option("--save", args.save, "Save the trained model")->type_name("FILE.h5");
    auto* checkpoint =
        t->add_option("--checkpoint", args.checkpoint, "Write a checkpoint after every epoch")->type_name("FILE.h5");
    t->add_option("--resume", args.resume, "Continue the run a checkpoint holds (and keep checkpointing into it)")
        ->type_name("FILE.h5")
        ->excludes(checkpoint);
    t->add_option("--report", args.report, "Write CSV/JSON files and PNG plots into DIR")->type_name("DIR");
    add_threads_option(*t, args.threads);
    add_format_option(*t, args.format);
    return t;
}

int train_command(const TrainArgs& args) {
    const Format format = resolve_format(args.format);
    if (args.threads) set_num_threads(*args.threads);
    const auto start = std::chrono::steady_clock::now();
    TrainPlan plan = make_plan(args);
    HybridModel& model = plan.model;

    const std::unique_ptr<Loss> loss = make_loss(model.num_scores() == 1 ? "binary_cross_entropy" : "cross_entropy");
    const std::unique_ptr<Optimizer> optimizer = make_optimizer(args.optimizer, plan.learning_rate, args.seed);
    if (plan.resumed) optimizer->restore(*plan.resumed->optimizer);

    TrainerOptions options;
    options.epochs = plan.epochs;
    options.batch_size = args.batch;
    options.seed = args.seed;
    options.start_epoch = plan.start_epoch;
    Progress progress(plan.epochs, plan.start_epoch);
    options.on_batch = [&](std::size_t e, std::size_t b, std::size_t n, double l) { progress.batch(e, b, n, l); };
    Trainer trainer(*loss, *optimizer, options);
    std::vector<EpochRecord> history = plan.history;
    const std::string checkpoint = args.resume.empty() ? args.checkpoint : args.resume;
    trainer.add_callback([&](const EpochRecord& r, const Model&) {
        progress.epoch(r.epoch, r.loss, r.accuracy);
        history.push_back(r);
        if (!checkpoint.empty()) save_model(checkpoint, plan.file(*optimizer, r.epoch + 1, history));
        return true;
    });
    if (plan.start_epoch < plan.epochs) (void)trainer.fit(model, plan.train_x, plan.train.y);
    progress.finish();

    const Predictions train = predict_rows(model, plan.train_x, plan.train.y);
    const Predictions test = predict_rows(model, plan.test_x, plan.test.y);
    const std::size_t classes = plan.train.num_classes();
    const ConfusionMatrix confusion = confusion_matrix(plan.test.y, test.classes, classes);
    LogisticRegression baseline;
    baseline.fit(plan.train_x, plan.train.y, classes);
    const double baseline_accuracy = accuracy(plan.test.y, baseline.predict(plan.test_x));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    Json out;
    out["data"] = args.data;
    out["num_train"] = plan.train.num_samples();
    out["num_test"] = plan.test.num_samples();
    out["num_features"] = plan.train.num_features();
    out["num_model_features"] = plan.spec.num_features;
    out["num_qubits"] = plan.spec.num_qubits;
    out["model"] = spec_json(plan.spec, model);
    out["optimizer"] = args.optimizer;
    out["learning_rate"] = plan.learning_rate;
    out["epochs"] = plan.epochs;
    out["batch"] = args.batch;
    out["seed"] = args.seed;
    if (plan.resumed) out["resumed_from_epoch"] = plan.start_epoch;
    out["history"] = history_json(history);
    out["train_accuracy"] = train.accuracy;
    out["test_accuracy"] = test.accuracy;
    out["baseline_test_accuracy"] = baseline_accuracy;
    out["confusion_matrix"] = confusion_json(confusion);
    out["classes"] = plan.train.class_names;
    out["seconds"] = seconds;
    if (!args.save.empty()) {
        save_model(args.save, plan.file(*optimizer, std::max(plan.start_epoch, plan.epochs), history));
        out["model_file"] = args.save;
    }
    if (!args.report.empty()) {
        ReportInput report;
        report.history = history;
        report.metrics = out;
        const ClassificationReport per_class = classification_report(plan.test.y, test.classes, classes);
        Json scores = Json::object();
        for (std::size_t c = 0; c < classes; ++c)
            scores[plan.train.class_names[c]] = {{"precision", per_class.per_class[c].precision},
                                                 {"recall", per_class.per_class[c].recall},
                                                 {"f1", per_class.per_class[c].f1},
                                                 {"support", per_class.per_class[c].support}};
        report.metrics["per_class"] = std::move(scores);
        report.confusion = confusion;
        report.class_names = plan.train.class_names;
        const auto ws = model.make_workspace();
        // Outlives the if: report.classify captures it and runs inside write_report.
        std::vector<double> s(model.num_scores());
        if (plan.spec.num_features == 2) {
            report.train_x = plan.train_x;
            report.test_x = plan.test_x;
            report.train_y = plan.train.y;
            report.test_y = plan.test.y;
            report.classify = [&](double a, double b) {
                model.scores(*ws, std::vector<double>{a, b}, s);
                return predicted_class(s);
            };
        }
        write_report(args.report, report);
        out["report"] = args.report;
    }
    if (format == Format::json)
        print_json(out);
    else
        print_table(out);
    return 0;
}

}  // namespace kettle::cli
