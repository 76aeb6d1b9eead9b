#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sys/wait.h>

#include "kettle/error.hpp"

#ifndef KETTLE_SCRIPTS_DIR
#define KETTLE_SCRIPTS_DIR ""
#endif
#ifndef KETTLE_INSTALL_SCRIPTS_DIR
#define KETTLE_INSTALL_SCRIPTS_DIR ""
#endif

namespace kettle::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kGridSteps = 60;

std::ofstream open_for_writing(const fs::path& path) {
    std::ofstream out(path);
    if (!out) throw Error(ErrorCode::invalid_input, fmt::format("--report: cannot write '{}'", path.string()));
    out.precision(17);
    return out;
}

void close_checked(std::ofstream& out, const fs::path& path) {
    out.close();
    if (!out) throw Error(ErrorCode::invalid_input, fmt::format("--report: cannot write '{}'", path.string()));
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string number(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

void write_points(const fs::path& path, const FeatureMatrix& train, std::span<const std::size_t> train_y,
                  const FeatureMatrix& test, std::span<const std::size_t> test_y) {
    std::ofstream out = open_for_writing(path);
    out << "split,x0,x1,label\n";
    for (Eigen::Index r = 0; r < train.rows(); ++r)
        out << "train," << number(train(r, 0)) << ',' << number(train(r, 1)) << ',' << train_y[std::size_t(r)] << '\n';
    for (Eigen::Index r = 0; r < test.rows(); ++r)
        out << "test," << number(test(r, 0)) << ',' << number(test(r, 1)) << ',' << test_y[std::size_t(r)] << '\n';
    close_checked(out, path);
}

void write_grid(const fs::path& path, const ReportInput& in) {
    // The box around every point, with a margin of a tenth of its size.
    Eigen::RowVector2d low = in.train_x.colwise().minCoeff(), high = in.train_x.colwise().maxCoeff();
    if (in.test_x.rows() > 0) {
        low = low.cwiseMin(in.test_x.colwise().minCoeff());
        high = high.cwiseMax(in.test_x.colwise().maxCoeff());
    }
    const Eigen::RowVector2d margin = ((high - low) * 0.1).cwiseMax(1e-3);
    low -= margin;
    high += margin;
    std::ofstream out = open_for_writing(path);
    out << "x0,x1,predicted\n";
    for (int i = 0; i <= kGridSteps; ++i)
        for (int j = 0; j <= kGridSteps; ++j) {
            const double a = low(0) + (high(0) - low(0)) * i / kGridSteps;
            const double b = low(1) + (high(1) - low(1)) * j / kGridSteps;
            out << number(a) << ',' << number(b) << ',' << in.classify(a, b) << '\n';
        }
    close_checked(out, path);
}

fs::path plot_script() {
    for (const char* dir : {KETTLE_SCRIPTS_DIR, KETTLE_INSTALL_SCRIPTS_DIR}) {
        const fs::path p = fs::path(dir) / "plot_report.py";
        std::error_code ec;
        if (*dir != '\0' && fs::exists(p, ec)) return p;
    }
    return {};
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs the plot script with Debian's python (matplotlib comes from python3-matplotlib, which a
/// python first on PATH, e.g. pyenv's, may lack). Warns instead of failing.
void plot(const fs::path& dir) {
    const fs::path script = plot_script();
    if (script.empty()) {
        std::fprintf(stderr, "kettle train: warning: scripts/plot_report.py not found; the report has no plots\n");
        return;
    }
    std::error_code ec;
    const std::string python = fs::exists("/usr/bin/python3", ec) ? "/usr/bin/python3" : "python3";
    const std::string command = fmt::format("{} {} {} 2>&1", python, shell_quote(script.string()),
                                            shell_quote(dir.string()));
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        std::fprintf(stderr, "kettle train: warning: cannot run %s; the report has no plots\n", python.c_str());
        return;
    }
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    const int status = ::pclose(pipe);
    if (status != 0) {
        // The script's last line says why (e.g. no matplotlib).
        while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
        const std::string reason = output.substr(output.find_last_of('\n') + 1);
        std::fprintf(stderr, "kettle train: warning: plotting failed (%s); the CSV and JSON files are written\n",
                     reason.empty() ? "no message" : reason.c_str());
    }
}

}  // namespace

void write_report(const std::string& folder, const ReportInput& in) {
    const fs::path dir(folder);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::invalid_input, fmt::format("--report: cannot create the folder '{}'", folder));

    {
        const fs::path p = dir / "history.csv";
        std::ofstream out = open_for_writing(p);
        out << "epoch,learning_rate,loss,accuracy,validation_loss,validation_accuracy\n";
        for (const EpochRecord& r : in.history)
            out << r.epoch + 1 << ',' << number(r.learning_rate) << ',' << number(r.loss) << ',' << number(r.accuracy)
                << ',' << number(r.validation_loss) << ',' << number(r.validation_accuracy) << '\n';
        close_checked(out, p);
    }
    {
        const fs::path p = dir / "metrics.json";
        std::ofstream out = open_for_writing(p);
        out << in.metrics.dump(2) << '\n';
        close_checked(out, p);
    }
    {
        const fs::path p = dir / "confusion_matrix.csv";
        std::ofstream out = open_for_writing(p);
        out << "true\\predicted";
        for (const std::string& c : in.class_names) out << ',' << field(c);
        out << '\n';
        for (Eigen::Index r = 0; r < in.confusion.rows(); ++r) {
            out << field(in.class_names[std::size_t(r)]);
            for (Eigen::Index c = 0; c < in.confusion.cols(); ++c) out << ',' << in.confusion(r, c);
            out << '\n';
        }
        close_checked(out, p);
    }
    if (in.classify) {
        write_points(dir / "points.csv", in.train_x, in.train_y, in.test_x, in.test_y);
        write_grid(dir / "decision_boundary.csv", in);
    }
    plot(dir);
}

}  // namespace kettle::cli
