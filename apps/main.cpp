// The `kettle` program: parses the command line, calls the library, prints, and maps every
// failure to one line on stderr and a documented exit code (see kettle::ErrorCode).

#include <CLI/CLI.hpp>
#include <cstring>
#include <fmt/format.h>
#include <new>
#include <string>

#include "commands.hpp"
#include "kettle/error.hpp"
#include "kettle/resources.hpp"
#include "kettle/version.hpp"
#include "output.hpp"

namespace {

/// "kettle run: " when the command line names a subcommand, else "kettle: ". Found by scanning,
/// because a parse error can stop CLI11 before it records which subcommand it saw.
std::string error_prefix(int argc, char** argv, std::initializer_list<const char*> subcommands) {
    for (int i = 1; i < argc; ++i)
        for (const char* name : subcommands)
            if (std::strcmp(argv[i], name) == 0) return fmt::format("kettle {}: ", name);
    return "kettle: ";
}

/// The first word that is neither an option nor the value of --max-memory: where the
/// subcommand should be.
std::string first_word(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--max-memory") == 0) {
            ++i;
            continue;
        }
        if (argv[i][0] != '-') return argv[i];
    }
    return {};
}

/// A memory check's message (it names the bytes needed and available) plus what the user can
/// change; other errors as they are.
std::string with_memory_hint(const kettle::Error& e) {
    std::string message = e.what();
    if (e.code() != kettle::ErrorCode::resource_limit || message.find(" are available") == std::string::npos)
        return message;
    return message + (kettle::memory_limit() != 0
                          ? "; use fewer qubits (or shots), --precision single, or raise --max-memory"
                          : "; use fewer qubits (or shots) or --precision single (this is the memory the machine "
                            "has available)");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace kettle::cli;
    CLI::App app("kettle: a statevector quantum-circuit simulator", "kettle");
    app.require_subcommand(1);
    // Global options such as --max-memory may also follow the subcommand's own options.
    app.fallthrough();
    app.footer("Exit codes: 0 success, 1 internal error, 2 usage error, 3 invalid input, 4 resource limit.");
    app.set_version_flag("--version", std::string(kettle::version));
    std::string max_memory;
    app.add_option("--max-memory", max_memory, "Cap on the memory for states, e.g. 512M or 4G (binary units)")
        ->type_name("BYTES")
        ->check(byte_count());

    RunArgs run_args;
    InfoArgs info_args;
    BenchArgs bench_args;
    TrainArgs train_args;
    PredictArgs predict_args;
    const CLI::App* run = add_run_command(app, run_args);
    const CLI::App* bench = add_bench_command(app, bench_args);
    add_info_command(app, info_args);
    const CLI::App* train = add_train_command(app, train_args);
    const CLI::App* predict = add_predict_command(app, predict_args);

    const std::string prefix = error_prefix(argc, argv, {"run", "info", "bench", "train", "predict"});
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);  // --help, --version
        const std::string word = first_word(argc, argv);
        if (prefix == "kettle: " && !word.empty())
            print_error(prefix,
                        fmt::format("unknown subcommand '{}' (expected train, predict, run, bench or info)", word));
        else
            print_error(prefix, e.what());
        return static_cast<int>(kettle::ErrorCode::usage);
    }

    try {
        if (!max_memory.empty()) kettle::set_memory_limit(*parse_bytes(max_memory));
        if (run->parsed()) return run_command(run_args);
        if (bench->parsed()) return bench_command(bench_args);
        if (train->parsed()) return train_command(train_args);
        if (predict->parsed()) return predict_command(predict_args);
        return info_command(info_args);
    } catch (const kettle::Error& e) {
        print_error(prefix, with_memory_hint(e));
        return e.exit_code();
    } catch (const std::bad_alloc&) {
        print_error(prefix, "out of memory");
        return static_cast<int>(kettle::ErrorCode::resource_limit);
    } catch (const std::exception& e) {
        print_error("kettle: internal error: ", e.what());
        return static_cast<int>(kettle::ErrorCode::internal);
    } catch (...) {
        print_error("kettle: internal error: ", "an unknown exception");
        return static_cast<int>(kettle::ErrorCode::internal);
    }
}
