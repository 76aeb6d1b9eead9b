// `kettle info`: what machine and build kettle runs on, and what it chose to run with.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "kettle/resources.hpp"
#include "kettle/system_info.hpp"
#include "output.hpp"

namespace kettle::cli {
namespace {

std::string human_bytes(std::size_t bytes) {
    constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

}  // namespace

CLI::App* add_info_command(CLI::App& app, InfoArgs& args) {
    CLI::App* info = app.add_subcommand("info", "Show version, CPU features, kernel ISA, threads, memory and build");
    add_format_option(*info, args.format);
    return info;
}

int info_command(const InfoArgs& args) {
    const Format format = resolve_format(args.format);
    const SystemInfo info = system_info();
    const std::size_t limit = memory_limit();
    if (format == Format::json) {
        Json out;
        out["version"] = info.version;
        out["cpu_model"] = info.cpu_model;
        out["cpu_features"] = info.cpu_features;
        out["kernel_isa"] = info.kernel_isa;
        out["dense_products"] = info.dense_products;
        out["hardware_threads"] = info.hardware_threads;
        out["threads"] = info.threads;
        out["memory_available"] = info.memory_available;
        out["memory_limit"] = limit;
        out["compiler"] = info.compiler;
        out["build_type"] = info.build_type;
        print_json(out);
        return 0;
    }
    fmt::print("{:<18}{}\n", "kettle", info.version);
    fmt::print("{:<18}{}\n", "cpu", info.cpu_model.empty() ? "unknown" : info.cpu_model);
    fmt::print("{:<18}{}\n", "cpu features",
               info.cpu_features.empty() ? std::string("none") : fmt::format("{}", fmt::join(info.cpu_features, " ")));
    fmt::print("{:<18}{}\n", "kernel isa", info.kernel_isa);
    fmt::print("{:<18}{}\n", "dense products", info.dense_products);
    fmt::print("{:<18}{} of {} hardware threads\n", "threads", info.threads, info.hardware_threads);
    fmt::print("{:<18}{}\n", "memory available", human_bytes(info.memory_available));
    fmt::print("{:<18}{}\n", "memory limit", limit == 0 ? std::string("none") : human_bytes(limit));
    fmt::print("{:<18}{}\n", "compiler", info.compiler);
    fmt::print("{:<18}{}\n", "build type", info.build_type);
    return 0;
}

}  // namespace kettle::cli
