#pragma once
// The subcommands of the `kettle` program: each registers its options on the CLI11 app and
// runs from the values parsed into its arguments struct.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kettle::cli {

struct RunArgs {
    std::string file;
    std::string precision = "double";
    std::optional<std::size_t> threads;
    std::string fusion = "auto";  ///< "auto" or 0..6
    bool probs = false;
    bool amplitudes = false;
    std::optional<std::size_t> shots;
    std::uint64_t seed = 0;
    std::vector<std::string> expect;
    std::string save_state;
    std::string format;
};

/// `--fusion auto` leaves circuits of fewer qubits unfused: on small states building block
/// matrices costs more than the passes it saves (docs/scaling: at 16 qubits the fused QFT and
/// ansatz runs were still slower, at 18 faster).
inline constexpr unsigned kAutoFusionMinQubits = 17;
/// ... and fuses larger ones into blocks of up to 3 qubits: with cache blocking the passes are
/// cheap and the blocks' arithmetic decides. Since 1-qubit gates wait for the next gate on their
/// qubit (FusionPlan), 3-qubit blocks carry enough gates to pay for their 8x8 matrices
/// (bench_circuits, 2 threads, double: the random circuit 15% faster than with 2-qubit blocks
/// from 18 qubits, QFT 10-15% from 20, 5% slower at 18).
inline constexpr unsigned kAutoFusionQubits = 3;

/// Without --probs, --amplitudes, --shots, --expect or --save-state, `kettle run` prints the
/// probabilities of circuits of at most this many qubits.
inline constexpr unsigned kDefaultProbsMaxQubits = 16;

CLI::App* add_run_command(CLI::App& app, RunArgs& args);
/// Runs `kettle run`; returns the exit code. Throws kettle::Error for bad input or resources.
int run_command(const RunArgs& args);

struct InfoArgs {
    std::string format;
};

CLI::App* add_info_command(CLI::App& app, InfoArgs& args);
int info_command(const InfoArgs& args);

struct BenchArgs {
    unsigned min_qubits = 16;
    unsigned max_qubits = 24;
    unsigned step = 2;
    std::string threads;
    std::string precision = "single,double";
    std::string fusion = "0,3";
    std::string circuits = "qft,random,hea";
    unsigned repeats = 1;
    std::string out = "bench-results";
    std::string format;
};

CLI::App* add_bench_command(CLI::App& app, BenchArgs& args);
int bench_command(const BenchArgs& args);

struct TrainArgs {
    std::string data;
    std::string label;
    std::string classes;  ///< comma-separated class names to keep, e.g. "0,1"
    std::optional<unsigned> qubits;
    std::optional<std::size_t> pca;
    std::size_t downsample = 1;  ///< square images: average f x f pixel blocks
    std::string encoding = "reupload";
    std::string ansatz = "hardware_efficient";
    std::optional<std::size_t> layers;
    bool input_layer = false;
    bool output_layer = true;
    std::string optimizer = "adam";
    std::optional<double> lr;
    std::optional<std::size_t> epochs;
    std::size_t batch = 16;
    std::string gradient = "adjoint";
    double test_size = 0.25;
    std::uint64_t seed = 0;
    std::string save;
    std::string checkpoint;
    std::string resume;
    std::string report;
    std::optional<std::size_t> threads;
    std::string format;
};

CLI::App* add_train_command(CLI::App& app, TrainArgs& args);
int train_command(const TrainArgs& args);

struct PredictArgs {
    std::string model;
    std::string data;
    std::string output;
    std::optional<std::size_t> threads;
    std::string format;
};

CLI::App* add_predict_command(CLI::App& app, PredictArgs& args);
int predict_command(const PredictArgs& args);

}  // namespace kettle::cli
