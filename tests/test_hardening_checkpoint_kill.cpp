// No training lost: `kettle train --checkpoint` killed (SIGKILL) at random points, again and
// again, each time resumed with --resume, always leaves a checkpoint that loads, never one older
// than the last; the run finished from it ends with the weights of a run never interrupted,
// bit for bit. tests/test_hardening_save_kill.cpp does the same for state files.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <random>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "kettle/kettle.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;

/// Starts the `kettle` program with `args`, its output thrown away.
pid_t spawn_kettle(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    std::string program = KETTLE_PROGRAM;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return child;
}

/// Waits for `child`; its wait status.
int wait_for(pid_t child) {
    int status = 0;
    if (::waitpid(child, &status, 0) != child) return -1;
    return status;
}

/// Runs `kettle args` to the end; true if it exits 0.
bool run_kettle(const std::vector<std::string>& args) {
    const int status = wait_for(spawn_kettle(args));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
    return args;
}

TEST(NoTrainingLost, SigkillDuringCheckpointedTrainingLeavesALoadableCheckpoint) {
    const fs::path dir = fs::path(KETTLE_BINARY_DIR) / "test_scratch" / fmt::format("checkpoint_kill_{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path ckpt = dir / "ckpt.h5";
    constexpr std::size_t kEpochs = 30;
    const std::vector<std::string> run = {"train", "--data", "iris", "--seed", "7", "--batch", "16", "--layers", "1",
                                          "--epochs", std::to_string(kEpochs), "--format", "json"};

    // The run never interrupted; its length sets the range of the kill points.
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(run_kettle(with(run, {"--save", (dir / "straight.h5").string()})));
    const auto whole_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);

    // Kill points anywhere in such a run: a resumed run skips the epochs done, so most kills
    // land after some epochs, and some inside a checkpoint's save.
    std::mt19937_64 rng(20240611);
    std::uniform_int_distribution<long long> delay_us(0, std::max<long long>(1000, whole_us.count()));
    std::size_t done = 0;  // epochs in the last checkpoint seen
    int rounds = 0;
    for (; rounds < 40 && done < kEpochs; ++rounds) {
        // --resume continues the checkpoint and keeps writing into it.
        const pid_t child = spawn_kettle(fs::exists(ckpt) ? with(run, {"--resume", ckpt.string()})
                                                          : with(run, {"--checkpoint", ckpt.string()}));
        ASSERT_GT(child, 0) << "fork failed";
        // On a loaded machine start-up alone can outlast the timed run: once ten kills in a row
        // came before the first epoch, wait longer each round, so that some epochs get done.
        const long long delay = done == 0 && rounds >= 10 ? whole_us.count() * (rounds - 8) / 2 : delay_us(rng);
        ::usleep(static_cast<useconds_t>(delay));
        ::kill(child, SIGKILL);
        const int status = wait_for(child);
        ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
            << "round " << rounds << ": kettle train failed by itself (status " << status << ")";
        if (!fs::exists(ckpt)) continue;  // killed before its first epoch ended
        ModelFile file;
        ASSERT_NO_THROW(file = load_model(ckpt)) << "round " << rounds;
        ASSERT_TRUE(file.training.has_value() && file.optimizer.has_value()) << "round " << rounds;
        const std::size_t now = file.training->epochs_done;
        EXPECT_GE(now, done) << "round " << rounds << ": the checkpoint went back to an older epoch";
        EXPECT_LE(now, kEpochs);
        EXPECT_EQ(file.training->history.size(), now) << "round " << rounds;
        EXPECT_NO_THROW((void)restore_model(file)) << "round " << rounds;
        done = now;
    }
    std::printf("%d runs killed within %lld ms each; the checkpoint reached epoch %zu of %zu\n", rounds,
                static_cast<long long>(whole_us.count() / 1000), done, kEpochs);
    EXPECT_GT(done, 0u) << "no run lived through an epoch: the kills tested nothing";

    // Finished from whatever the kills left: the same weights as the run never interrupted.
    const fs::path finished = dir / "resumed.h5";
    ASSERT_TRUE(run_kettle(fs::exists(ckpt) ? with(run, {"--resume", ckpt.string(), "--save", finished.string()})
                                            : with(run, {"--checkpoint", ckpt.string(), "--save", finished.string()})));
    const ModelFile straight = load_model(dir / "straight.h5"), resumed = load_model(finished);
    EXPECT_EQ(resumed.weights, straight.weights);
    ASSERT_TRUE(resumed.training.has_value());
    EXPECT_EQ(resumed.training->epochs_done, kEpochs);

    // Only the files of the runs and, at most, temporary files of interrupted saves are left.
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(name == "ckpt.h5" || name == "straight.h5" || name == "resumed.h5" ||
                    name.rfind(".ckpt.h5.tmp-", 0) == 0)
            << name;
    }
}

}  // namespace
}  // namespace kettle
