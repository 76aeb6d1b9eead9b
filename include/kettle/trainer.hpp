#pragma once
// Training a Model (a VariationalClassifier, a HybridModel, ...): mini-batches, seeded shuffling,
// epochs, a validation split, early stopping, a learning-rate schedule, a per-epoch history and
// callbacks.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "kettle/model.hpp"
#include "kettle/loss.hpp"
#include "kettle/optimizer.hpp"
#include "kettle/scaler.hpp"

namespace kettle {

struct TrainerOptions {
    std::size_t epochs = 50;
    std::size_t batch_size = 16;
    std::uint64_t seed = 0;              ///< shuffling and the validation split
    double validation_fraction = 0.0;    ///< in [0, 1): the share of rows held out, drawn once
    /// Stop after this many epochs without the monitored loss (validation loss if there is a
    /// validation set, else training loss) improving by more than min_delta; 0: never.
    std::size_t patience = 0;
    double min_delta = 0.0;
    bool restore_best = true;            ///< with early stopping: end at the best epoch's weights
    /// Learning rate for each epoch (from 0); empty: the optimizer's own rate throughout.
    std::function<double(std::size_t epoch)> learning_rate_schedule;
    /// Resuming: the epochs already done (0 for a fresh run). fit replays the seeded shuffles of
    /// those epochs (cheap: no model is evaluated) and runs epochs start_epoch..epochs-1, so a
    /// model and optimizer restored from a checkpoint written after epoch start_epoch - 1 end
    /// with exactly the weights of an uninterrupted run. Early stopping counts from the resume.
    std::size_t start_epoch = 0;
    /// Called after every optimizer step with the epoch, the batch index, the number of
    /// batches per epoch and the batch loss the step evaluated (for progress displays).
    std::function<void(std::size_t epoch, std::size_t batch, std::size_t num_batches, double loss)> on_batch;
};

/// One epoch's record; validation fields are NaN without a validation set.
struct EpochRecord {
    std::size_t epoch = 0;
    double learning_rate = 0;
    double loss = 0;                 ///< mean loss on the training rows after the epoch
    double accuracy = 0;
    double validation_loss = 0;
    double validation_accuracy = 0;
};

/// Mean loss and accuracy of a model on rows of x (rows: samples) with labels y.
struct Evaluation {
    double loss = 0;
    double accuracy = 0;
};

/// Evaluates `rows` of (x, y) (all rows if empty) in parallel, summing in row order so the
/// result does not depend on the thread count. Cost: one simulation per row.
[[nodiscard]] Evaluation evaluate(const Model& model, const FeatureMatrix& x,
                                  std::span<const std::size_t> y, const Loss& loss,
                                  std::span<const std::size_t> rows = {});

/// Trains a model. The samples of a mini-batch run in parallel on oneTBB's workers (see
/// set_num_threads), one Workspace per worker, whose memory is checked as a whole before the
/// first is made; per-sample gradients are summed in sample order, so a run with a given seed
/// gives bit-identical weights for any thread count.
///
/// Thread safety: one fit at a time per Trainer (its optimizer has state). Distinct trainers,
/// each with its own optimizer and model, may fit at once from several threads, with the same
/// results as one after another.
class Trainer {
public:
    /// Called after every epoch with its record; returning false stops training.
    using Callback = std::function<bool(const EpochRecord&, const Model&)>;

    /// The loss and optimizer must outlive the trainer. Throws Error(invalid_input) for
    /// epochs or batch_size 0 or a validation fraction outside [0, 1).
    Trainer(const Loss& loss, Optimizer& optimizer, TrainerOptions options);

    void add_callback(Callback callback) { callbacks_.push_back(std::move(callback)); }

    /// Trains `model` on the rows of x (features in columns, num_features() of them) with
    /// class labels y (< num_classes()), from the model's current weights, and returns the
    /// history. Throws Error(invalid_input) for mismatched sizes, labels out of range, or too
    /// few rows to leave a training set. Cost per epoch: one forward and backward sweep per
    /// training row plus one forward per row for the records.
    std::vector<EpochRecord> fit(Model& model, const FeatureMatrix& x, std::span<const std::size_t> y);

private:
    const Loss* loss_;
    Optimizer* optimizer_;
    TrainerOptions options_;
    std::vector<Callback> callbacks_;
};

}  // namespace kettle
