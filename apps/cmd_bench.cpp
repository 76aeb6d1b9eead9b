// `kettle bench`: a scaling sweep (circuits x qubits x threads x precision x fusion) against the
// machine's in-process memory bandwidth, written as CSV and JSON for bench/plot_scaling.py.

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "kettle/bandwidth.hpp"
#include "kettle/circuit_library.hpp"
#include "kettle/encoding.hpp"
#include "kettle/error.hpp"
#include "kettle/fusion.hpp"
#include "kettle/resources.hpp"
#include "kettle/system_info.hpp"
#include "output.hpp"

namespace kettle::cli {
namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::vector<unsigned> unsigned_list(const std::string& text, const char* option, unsigned max) {
    std::vector<unsigned> out;
    for (const std::string& item : split_list(text)) {
        const auto v = parse_unsigned(item);
        if (!v || *v > max)
            throw Error(ErrorCode::usage, fmt::format("{}: expected a comma-separated list of integers in 0..{}, got '{}'",
                                                      option, max, text));
        out.push_back(unsigned(*v));
    }
    if (out.empty()) throw Error(ErrorCode::usage, fmt::format("{}: the list is empty", option));
    return out;
}

Circuit make_circuit(const std::string& name, unsigned n) {
    if (name == "qft") return qft(n);
    if (name == "random") return random_supremacy_circuit(n, 20, 1);
    if (name == "swapnet") return qaoa_swap_network(n, 1, 1);
    Circuit c(n);
    (void)hardware_efficient_ansatz(c, 4, Entangler::ring);
    return c;
}

std::vector<double> bound_values(const Circuit& c) {
    std::vector<double> v(c.num_parameters());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.1 * double(i % 31) - 1.3;
    return v;
}

struct Row {
    std::string circuit, precision;
    unsigned qubits, threads, fusion;
    std::size_t passes;
    double seconds, gbps, rmw_gbps;
};

template <class T>
double time_run(const Circuit& c, unsigned fusion, unsigned repeats, std::size_t& passes) {
    const std::vector<double> values = bound_values(c);
    const FusionPlan plan(c, FusionOptions{fusion == 0 ? 1u : fusion});
    passes = fusion == 0 ? gate_passes(c) : plan.blocks().size();
    StateVector<T> state(c.num_qubits());
    double best = 1e300;
    for (unsigned r = 0; r < repeats; ++r) {
        state.set_basis_state(0);
        const auto t0 = std::chrono::steady_clock::now();
        if (fusion == 0)
            (void)run(c, state, values);
        else
            (void)plan.run(state, values);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

}  // namespace

CLI::App* add_bench_command(CLI::App& app, BenchArgs& args) {
    CLI::App* bench = app.add_subcommand("bench", "Scaling sweep: time against qubits, threads, precision and fusion");
    bench->add_option("--min-qubits", args.min_qubits, "Smallest state (default 16)")->check(unsigned_integer(30));
    bench->add_option("--max-qubits", args.max_qubits, "Largest state (default 24; 28 takes 4 GiB in double)")
        ->check(unsigned_integer(30));
    bench->add_option("--step", args.step, "Qubits between sizes (default 2)")->check(unsigned_integer(30));
    bench->add_option("--threads", args.threads, "Thread counts, e.g. 1,2 (default: 1 and all)");
    bench->add_option("--precision", args.precision, "single, double or both (default single,double)");
    bench->add_option("--fusion", args.fusion, "Fusion limits, 0 = off (default 0,3)");
    bench->add_option("--circuits", args.circuits, "qft, random (20 cycles), hea (4 layers), swapnet (one QAOA layer by a swap network) "
                      "(default qft,random,hea)");
    bench->add_option("--repeats", args.repeats, "Runs per point, best kept (default 1)")->check(unsigned_integer(100));
    bench->add_option("--out", args.out, "Folder for scaling.csv and scaling.json (default bench-results)");
    add_format_option(*bench, args.format);
    return bench;
}

int bench_command(const BenchArgs& args) {
    if (args.min_qubits < 1 || args.min_qubits > args.max_qubits || args.step == 0)
        throw Error(ErrorCode::usage, fmt::format("--min-qubits {} and --max-qubits {} (step {}) give no sizes",
                                                  args.min_qubits, args.max_qubits, args.step));
    const unsigned hw = unsigned(system_info().hardware_threads);
    const std::vector<unsigned> threads =
        args.threads.empty() ? (hw > 1 ? std::vector<unsigned>{1, hw} : std::vector<unsigned>{1})
                             : unsigned_list(args.threads, "--threads", 1024);
    const std::vector<unsigned> fusions = unsigned_list(args.fusion, "--fusion", 6);
    const std::vector<std::string> precisions = split_list(args.precision), circuits = split_list(args.circuits);
    for (const std::string& p : precisions)
        if (p != "single" && p != "double")
            throw Error(ErrorCode::usage, fmt::format("--precision: expected single and/or double, got '{}'", p));
    for (const std::string& c : circuits)
        if (c != "qft" && c != "random" && c != "hea" && c != "swapnet")
            throw Error(ErrorCode::usage, fmt::format("--circuits: expected qft, random, hea or swapnet, got '{}'", c));
    for (unsigned t : threads)
        if (t == 0) throw Error(ErrorCode::usage, "--threads: thread counts must be at least 1");

    std::vector<Row> rows;
    for (unsigned n = args.min_qubits; n <= args.max_qubits; n += args.step)
        for (const std::string& precision : precisions)
            for (unsigned t : threads) {
                set_num_threads(t);
                const std::size_t bytes = (std::size_t{1} << n) * (precision == "single" ? 8 : 16);
                const double rmw = measure_bandwidth(bytes).read_modify_write;
                for (const std::string& name : circuits) {
                    const Circuit c = make_circuit(name, n);
                    for (unsigned fusion : fusions) {
                        std::size_t passes = 0;
                        const double s = precision == "single" ? time_run<float>(c, fusion, args.repeats, passes)
                                                               : time_run<double>(c, fusion, args.repeats, passes);
                        // Each pass reads and writes the state once (controlled passes touch
                        // less, so this slightly flatters unfused runs).
                        const double gbps = 2.0 * double(bytes) * double(passes) / s / 1e9;
                        rows.push_back({name, precision, n, t, fusion, passes, s, gbps, rmw / 1e9});
                        fmt::print(stderr, "kettle bench: {} n={} {} threads={} fusion={}: {:.4f} s ({:.1f} GB/s, {:.0f}% of memory)\n",
                                   name, n, precision, t, fusion, s, gbps, 100 * gbps / (rmw / 1e9));
                    }
                }
            }
    set_num_threads(0);

    const SystemInfo info = system_info();
    Json machine;
    machine["cpu_model"] = info.cpu_model;
    machine["cpu_features"] = info.cpu_features;
    machine["kernel_isa"] = info.kernel_isa;
    machine["dense_products"] = info.dense_products;
    machine["hardware_threads"] = info.hardware_threads;
    machine["memory_available"] = info.memory_available;
    machine["compiler"] = info.compiler;
    machine["kettle_version"] = info.version;
    Json results = Json::array();
    std::ostringstream csv;
    csv << "circuit,qubits,precision,threads,fusion,passes,seconds,gbps,rmw_gbps,bandwidth_ratio\n";
    for (const Row& r : rows) {
        results.push_back(Json{{"circuit", r.circuit}, {"qubits", r.qubits}, {"precision", r.precision},
                               {"threads", r.threads}, {"fusion", r.fusion}, {"passes", r.passes},
                               {"seconds", r.seconds}, {"gbps", r.gbps}, {"rmw_gbps", r.rmw_gbps},
                               {"bandwidth_ratio", r.gbps / r.rmw_gbps}});
        csv << fmt::format("{},{},{},{},{},{},{:.6g},{:.4g},{:.4g},{:.4g}\n", r.circuit, r.qubits, r.precision, r.threads,
                           r.fusion, r.passes, r.seconds, r.gbps, r.rmw_gbps, r.gbps / r.rmw_gbps);
    }
    const Json out{{"machine", machine}, {"results", results}};
    std::error_code ec;
    std::filesystem::create_directories(args.out, ec);
    if (ec) throw Error(ErrorCode::invalid_input, fmt::format("cannot create '{}': {}", args.out, ec.message()));
    for (const auto& [file, text] : {std::pair{std::string("scaling.csv"), csv.str()},
                                     std::pair{std::string("scaling.json"), out.dump(2) + "\n"}}) {
        const std::filesystem::path path = std::filesystem::path(args.out) / file;
        std::ofstream f(path);
        f << text;
        if (!f.flush()) throw Error(ErrorCode::invalid_input, fmt::format("cannot write '{}'", path.string()));
    }
    if (resolve_format(args.format) == Format::json) {
        print_json(out);
        return 0;
    }
    fmt::print("{:<8}{:>7}{:>8}{:>9}{:>8}{:>8}{:>12}{:>9}{:>8}\n", "circuit", "qubits", "prec", "threads", "fusion",
               "passes", "seconds", "GB/s", "of mem");
    for (const Row& r : rows)
        fmt::print("{:<8}{:>7}{:>8}{:>9}{:>8}{:>8}{:>12.4f}{:>9.1f}{:>7.0f}%\n", r.circuit, r.qubits, r.precision, r.threads,
                   r.fusion, r.passes, r.seconds, r.gbps, 100 * r.gbps / r.rmw_gbps);
    fmt::print("written: {}/scaling.csv, {}/scaling.json\n", args.out, args.out);
    return 0;
}

}  // namespace kettle::cli
