#include "progress.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

namespace kettle::cli {
namespace {

constexpr std::size_t kBarWidth = 24;

std::string clock(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    return s >= 3600 ? fmt::format("{}h{:02}m", s / 3600, s / 60 % 60) : fmt::format("{}m{:02}s", s / 60, s % 60);
}

}  // namespace

Progress::Progress(std::size_t epochs, std::size_t first_epoch)
    : epochs_(epochs), first_(first_epoch), terminal_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

std::string Progress::time_left(std::size_t epoch, double fraction_of_epoch) const {
    const double done = double(epoch - first_) + fraction_of_epoch;
    if (done <= 0) return "?";
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return clock(elapsed / done * (double(epochs_ - first_) - done));
}

void Progress::batch(std::size_t epoch, std::size_t batch, std::size_t num_batches, double loss) {
    if (!terminal_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && batch + 1 < num_batches) return;
    last_draw_ = now;
    const double fraction = double(batch + 1) / double(num_batches);
    const double overall = (double(epoch) + fraction) / double(epochs_);
    const auto filled = static_cast<std::size_t>(overall * kBarWidth);
    const std::string bar = std::string(filled, '#') + std::string(kBarWidth - filled, '.');
    const std::string accuracy = have_epoch_ ? fmt::format("{:.3f}", last_accuracy_) : std::string("-");
    std::fprintf(stderr, "\r\033[Kepoch %zu/%zu [%s] batch %zu/%zu  loss %.4f  acc %s  left %s", epoch + 1,
                 epochs_, bar.c_str(), batch + 1, num_batches, loss, accuracy.c_str(),
                 time_left(epoch, fraction).c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void Progress::epoch(std::size_t epoch, double loss, double accuracy) {
    last_loss_ = loss;
    last_accuracy_ = accuracy;
    have_epoch_ = true;
    if (terminal_) return;  // the bar shows it on the next batch
    std::fprintf(stderr, "kettle train: epoch %zu/%zu  loss %.4f  accuracy %.4f  left %s\n", epoch + 1, epochs_, loss,
                 accuracy, time_left(epoch, 1.0).c_str());
    std::fflush(stderr);
}

void Progress::finish() {
    if (terminal_ && drawn_) {
        std::fprintf(stderr, "\r\033[Kkettle train: %zu epochs, loss %.4f, accuracy %.4f\n", epochs_, last_loss_,
                     last_accuracy_);
        std::fflush(stderr);
    }
}

}  // namespace kettle::cli
