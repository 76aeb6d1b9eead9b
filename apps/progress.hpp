#pragma once
// Training progress on stderr: a bar redrawn in place when stderr is a terminal, one plain
// line per epoch otherwise (logs, CI).

#include <chrono>
#include <cstddef>
#include <string>

namespace kettle::cli {

class Progress {
public:
    /// `first_epoch` > 0 when resuming: the time left counts only the epochs still to run.
    Progress(std::size_t epochs, std::size_t first_epoch);
    /// After each batch (epoch from 0). Redraws at most ten times a second.
    void batch(std::size_t epoch, std::size_t batch, std::size_t num_batches, double loss);
    /// After each epoch, with its training loss and accuracy.
    void epoch(std::size_t epoch, double loss, double accuracy);
    /// Ends the bar's line, if any.
    void finish();

private:
    [[nodiscard]] std::string time_left(std::size_t epoch, double fraction_of_epoch) const;

    std::size_t epochs_, first_;
    bool terminal_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
    double last_loss_ = 0, last_accuracy_ = 0;
    bool have_epoch_ = false;
};

}  // namespace kettle::cli
