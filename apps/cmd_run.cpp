// `kettle run`: simulate an OpenQASM 2.0 file and print what was asked for.

#include <chrono>
#include <cmath>
#include <complex>
#include <fmt/format.h>
#include <map>
#include <utility>

#include "commands.hpp"
#include "kettle/fusion.hpp"
#include "kettle/error.hpp"
#include "kettle/measurement.hpp"
#include "kettle/pauli.hpp"
#include "kettle/qasm.hpp"
#include "kettle/resources.hpp"
#include "kettle/simulator.hpp"
#include "kettle/state_io.hpp"
#include "output.hpp"

namespace kettle::cli {
namespace {

/// Smallest probability a table lists; JSON always lists every entry.
constexpr double kTableCutoff = 1e-12;

struct Observable {
    std::string text;
    PauliSum sum;
};

/// What a run produced; only the parts that were asked for are filled.
struct Results {
    std::vector<double> probabilities;
    std::vector<std::complex<double>> amplitudes;
    std::map<std::string, std::size_t> counts;
    std::vector<double> expectations;
    double seconds = 0;
};

struct Plan {
    bool probs = false;
    bool amplitudes = false;
    bool need_state = false;
    unsigned fusion = 0;  ///< resolved from --fusion
};

std::vector<Observable> parse_observables(const std::vector<std::string>& texts, unsigned num_qubits) {
    std::vector<Observable> observables;
    for (const std::string& text : texts) {
        PauliSum sum;
        try {
            sum = PauliSum::parse(text);
        } catch (const Error& e) {
            throw Error(e.code(), fmt::format("--expect '{}': {}", text, e.what()));
        }
        if (sum.min_qubits() > num_qubits)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("--expect '{}': names qubit {}, but the circuit has {} qubits (valid 0..{})", text,
                                    sum.min_qubits() - 1, num_qubits, num_qubits == 0 ? 0 : num_qubits - 1));
        observables.push_back({text, std::move(sum)});
    }
    return observables;
}

template <Precision T>
Results simulate_and_measure(const Circuit& circuit, const RunArgs& args, const Plan& plan,
                             const std::vector<Observable>& observables) {
    Results results;
    const auto start = std::chrono::steady_clock::now();
    // The seed also drives collapsing measurements, so --probs and --shots agree on one run.
    const RunOptions options{args.seed, plan.fusion};
    std::optional<StateVector<T>> state;
    RunResult run_result;
    if (plan.need_state) {
        state.emplace(circuit.num_qubits());
        run_result = run(circuit, *state, {}, options);
    }
    // The counts are those sample_counts gives for the same seed: from the state just computed
    // when one pass serves every shot, else from one simulation per shot.
    if (args.shots)
        results.counts = state && !needs_per_shot_simulation(circuit)
                             ? counts_from_state(circuit, *state, run_result, *args.shots, args.seed)
                             : sample_counts<T>(circuit, *args.shots, args.seed, {}, plan.fusion);
    if (plan.probs) results.probabilities = probabilities(*state);
    if (plan.amplitudes) results.amplitudes.assign(state->amplitudes().begin(), state->amplitudes().end());
    for (const Observable& o : observables) results.expectations.push_back(expectation(*state, o.sum));
    results.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!args.save_state.empty()) save_state(args.save_state, *state);
    return results;
}

Json to_json(const RunArgs& args, const Circuit& circuit, const Plan& plan, const Results& r) {
    Json out;
    out["num_qubits"] = circuit.num_qubits();
    out["precision"] = args.precision;
    out["threads"] = num_threads();
    out["fusion"] = plan.fusion;
    if (plan.probs) out["probabilities"] = r.probabilities;
    if (plan.amplitudes) {
        Json amplitudes = Json::array();
        for (const auto& a : r.amplitudes) amplitudes.push_back({a.real(), a.imag()});
        out["amplitudes"] = std::move(amplitudes);
    }
    if (args.shots) {
        out["shots"] = *args.shots;
        out["seed"] = args.seed;
        Json counts = Json::object();
        for (const auto& [bits, count] : r.counts) counts[bits] = count;
        out["counts"] = std::move(counts);
    }
    if (!args.expect.empty()) {
        out["observables"] = args.expect;
        out["expectations"] = r.expectations;
    }
    if (!args.save_state.empty()) out["state_file"] = args.save_state;
    out["seconds"] = r.seconds;
    return out;
}

void print_table(const RunArgs& args, const Circuit& circuit, const Plan& plan, const Results& r) {
    const unsigned n = circuit.num_qubits();
    fmt::print("{:<12}{}\n", "file", args.file);
    fmt::print("{:<12}{}\n{:<12}{}\n", "qubits", n, "precision", args.precision);
    fmt::print("{:<12}{}\n{:<12}{}{}\n", "threads", num_threads(), "fusion", plan.fusion,
               plan.fusion == 0 ? " (off)" : "");
    fmt::print("{:<12}{:.6f}\n", "seconds", r.seconds);
    const std::size_t width = std::max<std::size_t>(n, 8) + 2;
    if (plan.probs) {
        fmt::print("\nprobabilities (of at least {:g})\n", kTableCutoff);
        for (std::size_t i = 0; i < r.probabilities.size(); ++i)
            if (r.probabilities[i] >= kTableCutoff) fmt::print("  {:<{}}{:.10g}\n", bitstring(i, n), width, r.probabilities[i]);
    }
    if (plan.amplitudes) {
        fmt::print("\namplitudes (of probability at least {:g})\n", kTableCutoff);
        for (std::size_t i = 0; i < r.amplitudes.size(); ++i) {
            const auto a = r.amplitudes[i];
            if (std::norm(a) >= kTableCutoff)
                fmt::print("  {:<{}}{:+.10f} {:+.10f}i\n", bitstring(i, n), width, a.real(), a.imag());
        }
    }
    if (args.shots) {
        fmt::print("\ncounts ({} shots, seed {})\n", *args.shots, args.seed);
        for (const auto& [bits, count] : r.counts) fmt::print("  {:<{}}{}\n", bits, width, count);
    }
    if (!args.expect.empty()) {
        fmt::print("\nexpectations\n");
        std::size_t text_width = 0;
        for (const std::string& text : args.expect) text_width = std::max(text_width, text.size());
        for (std::size_t k = 0; k < args.expect.size(); ++k)
            fmt::print("  {:<{}}  {:+.10f}\n", args.expect[k], text_width, r.expectations[k]);
    }
    if (!args.save_state.empty()) fmt::print("\nstate saved to {}\n", args.save_state);
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunArgs& args) {
    CLI::App* run = app.add_subcommand("run", "Simulate an OpenQASM 2.0 circuit from |0...0>");
    run->footer(fmt::format(
        "Without --probs, --amplitudes, --shots, --expect or --save-state, the probabilities are\n"
        "printed for circuits of at most {} qubits (otherwise only num_qubits and seconds).\n"
        "Terminal measurements do not collapse the state: --probs and --amplitudes show the state\n"
        "before them and --shots samples it. Bitstrings put qubit (or bit) 0 rightmost.",
        kDefaultProbsMaxQubits));
    run->add_option("FILE", args.file, "OpenQASM 2.0 file")->required();
    run->add_option("--precision", args.precision, "Amplitude precision (default double)")
        ->type_name("single|double")
        ->check(one_of("single", "double"));
    add_threads_option(*run, args.threads);
    run->add_option("--fusion", args.fusion,
                    "Fuse neighbouring gates into blocks of up to K qubits, 0 (off) to 6, or auto (default): "
                    "off below 17 qubits, else 3")
        ->type_name("K|auto")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string {
                if (v == "auto") return {};
                const auto k = parse_unsigned(v);
                return k && *k <= 6 ? std::string() : "expected auto or an integer in 0..6, got '" + v + "'";
            },
            "K|auto"));
    run->add_flag("--probs", args.probs, "Print the probability of every basis state");
    run->add_flag("--amplitudes", args.amplitudes, "Print every amplitude as [re, im]");
    run->add_option_function<std::size_t>(
           "--shots", [&args](const std::size_t& n) { args.shots = n; }, "Sample N measurement outcomes")
        ->type_name("N")
        ->check(unsigned_integer());
    run->add_option("--seed", args.seed, "Seed of every random draw (default 0)")
        ->type_name("S")
        ->check(unsigned_integer());
    run->add_option("--expect", args.expect, "Expectation of a Pauli sum, e.g. \"Z0 Z1\" or \"0.5*X0 - Y1\" (repeatable)")
        ->type_name("PAULIS")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    run->add_option("--save-state", args.save_state, "Save the final state to an HDF5 file")->type_name("FILE.h5");
    add_format_option(*run, args.format);
    return run;
}

int run_command(const RunArgs& args) {
    // Resolved first so that a closed or redirected stdout does not change what gets computed.
    const Format format = resolve_format(args.format);
    const Circuit circuit = read_qasm_file(args.file);
    const unsigned n = circuit.num_qubits();
    const std::vector<Observable> observables = parse_observables(args.expect, n);

    Plan plan;
    const bool asked = args.probs || args.amplitudes || args.shots || !args.expect.empty() || !args.save_state.empty();
    plan.probs = args.probs || (!asked && n <= kDefaultProbsMaxQubits);
    plan.amplitudes = args.amplitudes;
    // Only --shots alone can do without the final state: sample_counts simulates by itself.
    plan.need_state = !args.shots || plan.probs || plan.amplitudes || !observables.empty() || !args.save_state.empty();

    if (args.threads) set_num_threads(*args.threads);
    if (args.fusion != "auto")
        plan.fusion = unsigned(*parse_unsigned(args.fusion));
    else if (n >= kAutoFusionMinQubits)
        plan.fusion = kAutoFusionQubits;
    const Results results = args.precision == "single" ? simulate_and_measure<float>(circuit, args, plan, observables)
                                                       : simulate_and_measure<double>(circuit, args, plan, observables);
    if (format == Format::json)
        print_json(to_json(args, circuit, plan, results));
    else
        print_table(args, circuit, plan, results);
    return 0;
}

}  // namespace kettle::cli
