#include "kettle/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <random>

#include "kettle/detail/parallel.hpp"
#include "kettle/error.hpp"
#include "kettle/resources.hpp"

namespace kettle {
namespace {

using Workspaces = detail::ThreadLocal<std::unique_ptr<Model::Workspace>>;

/// Each worker thread makes a Workspace. Each state is checked when made, but together they
/// may not fit: checked here as a whole, first.
Workspaces make_workspaces(const Model& model, const char* where) {
    const std::size_t threads = std::max<std::size_t>(1, num_threads());
    const std::size_t bytes = model.workspace_bytes();
    if (bytes > 0)
        check_memory(bytes > SIZE_MAX / threads ? SIZE_MAX : threads * bytes,
                     fmt::format("{}: the states of {} worker threads", where, threads));
    return Workspaces([&model] { return model.make_workspace(); });
}

/// Samples per task. Fixed, so that which samples are summed together, and in which order,
/// does not depend on the thread count; a multiple of the batched models' 8 lanes.
constexpr std::size_t kChunk = 16;

/// Per-worker buffers: the features (row after row), labels, scores and score gradients of
/// one chunk, so that nothing is allocated per sample.
struct ChunkBuffers {
    std::vector<double> xs, scores, score_grad;
    std::vector<std::size_t> labels;
};
using ChunkLocal = detail::ThreadLocal<ChunkBuffers>;

void check_data(const Model& model, const FeatureMatrix& x, std::span<const std::size_t> y,
                const char* where) {
    if (std::size_t(x.cols()) != model.num_features() || std::size_t(x.rows()) != y.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} rows of {} features with {} labels; the model takes {} features, one label "
                                "per row", where, x.rows(), x.cols(), y.size(), model.num_features()));
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] >= model.num_classes())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: label {} of row {} is out of range for {} classes (valid 0..{})", where, y[i],
                                    i, model.num_classes(), model.num_classes() - 1));
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            if (!std::isfinite(x(r, c)))
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: the feature at row {}, column {} is {} (features must be finite numbers)",
                                        where, r, c, x(r, c)));
}

/// Copies rows[begin, end) of x (and their labels) into the worker's chunk buffers.
ChunkBuffers& gather(const FeatureMatrix& x, std::span<const std::size_t> y, std::span<const std::size_t> rows,
                     std::size_t begin, std::size_t end, ChunkLocal& local) {
    ChunkBuffers& b = local.local();
    const auto f = std::size_t(x.cols());
    b.xs.resize((end - begin) * f);
    b.labels.resize(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        const std::size_t r = rows.empty() ? i : rows[i];
        for (std::size_t c = 0; c < f; ++c) b.xs[(i - begin) * f + c] = x(Eigen::Index(r), Eigen::Index(c));
        b.labels[i - begin] = y[r];
    }
    return b;
}

/// Per-sample losses (and whether each is classified correctly) of rows[begin, end), from the
/// model's batch scores.
void chunk_losses(const Model& model, Model::Workspace& w, const Loss& loss, ChunkBuffers& b, double* losses,
                  std::uint8_t* correct) {
    const std::size_t s = model.num_scores(), count = b.labels.size();
    b.scores.resize(count * s);
    b.score_grad.resize(s);
    model.scores_batch(w, b.xs, b.scores);
    for (std::size_t i = 0; i < count; ++i) {
        const std::span<const double> si(b.scores.data() + i * s, s);
        losses[i] = loss.evaluate(si, b.labels[i], b.score_grad);
        if (correct != nullptr) correct[i] = predicted_class(si) == b.labels[i];
    }
}

Evaluation evaluate_with(const Model& model, const FeatureMatrix& x, std::span<const std::size_t> y,
                         const Loss& loss, std::span<const std::size_t> rows, Workspaces& ws) {
    const std::size_t n = rows.empty() ? y.size() : rows.size();
    std::vector<double> losses(n);
    std::vector<std::uint8_t> correct(n);
    ChunkLocal local;
    // isolate: a worker waiting inside a large state's kernels must not pick up another chunk,
    // which would reuse its workspace mid-computation.
    detail::parallel_each((n + kChunk - 1) / kChunk, [&](std::size_t c) { detail::isolate([&] {
        const std::size_t begin = c * kChunk, end = std::min(n, begin + kChunk);
        ChunkBuffers& b = gather(x, y, rows, begin, end, local);
        chunk_losses(model, *ws.local(), loss, b, losses.data() + begin, correct.data() + begin);
    }); });
    Evaluation e;
    for (std::size_t i = 0; i < n; ++i) {
        e.loss += losses[i];
        e.accuracy += correct[i];
    }
    if (n > 0) {
        e.loss /= double(n);
        e.accuracy /= double(n);
    }
    return e;
}

}  // namespace

Evaluation evaluate(const Model& model, const FeatureMatrix& x, std::span<const std::size_t> y,
                    const Loss& loss, std::span<const std::size_t> rows) {
    check_data(model, x, y, "evaluate");
    Workspaces ws = make_workspaces(model, "evaluate");
    return evaluate_with(model, x, y, loss, rows, ws);
}

Trainer::Trainer(const Loss& loss, Optimizer& optimizer, TrainerOptions options)
    : loss_(&loss), optimizer_(&optimizer), options_(std::move(options)) {
    if (options_.epochs == 0 || options_.batch_size == 0 || !(options_.validation_fraction >= 0) ||
        !(options_.validation_fraction < 1))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Trainer: epochs {} and batch size {} must be >= 1 and the validation fraction {} "
                                "in [0, 1)", options_.epochs, options_.batch_size, options_.validation_fraction));
}

std::vector<EpochRecord> Trainer::fit(Model& model, const FeatureMatrix& x,
                                      std::span<const std::size_t> y) {
    check_data(model, x, y, "Trainer::fit");
    std::mt19937_64 rng(options_.seed);
    std::vector<std::size_t> order(y.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    const auto held_out = std::size_t(std::floor(options_.validation_fraction * double(y.size())));
    if (held_out >= y.size())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Trainer::fit: {} rows leave no training rows after holding out {} for validation",
                                y.size(), held_out));
    std::vector<std::size_t> validation(order.end() - std::ptrdiff_t(held_out), order.end());
    std::vector<std::size_t> train(order.begin(), order.end() - std::ptrdiff_t(held_out));

    const std::size_t p = model.num_trainable();
    Workspaces ws = make_workspaces(model, "Trainer::fit");
    ChunkLocal local;
    const std::size_t max_chunks = (options_.batch_size + kChunk - 1) / kChunk;
    std::vector<double> per_chunk(max_chunks * p), per_loss(std::max(max_chunks, options_.batch_size));
    std::span<const std::size_t> batch;

    // The mean loss (and gradient) of the current batch at weights w: fixed chunks of samples
    // in parallel, each into its own slot, then summed in chunk order, so that the result does
    // not depend on the thread count.
    auto batch_objective = [&](std::span<const double> w, std::span<double> gradient) {
        model.set_trainable(w);
        const bool with_gradient = !gradient.empty();
        const std::size_t chunks = (batch.size() + kChunk - 1) / kChunk;
        detail::parallel_each(chunks, [&](std::size_t c) { detail::isolate([&] {
            Model::Workspace& mine = *ws.local();
            const std::size_t begin = c * kChunk, end = std::min(batch.size(), begin + kChunk);
            ChunkBuffers& b = gather(x, y, batch, begin, end, local);
            if (with_gradient)
                per_loss[c] = model.loss_and_gradient_batch(mine, b.xs, b.labels, *loss_,
                                                            std::span<double>(per_chunk.data() + c * p, p));
            else
                chunk_losses(model, mine, *loss_, b, per_loss.data() + begin, nullptr);
        }); });
        double total = 0;
        if (with_gradient) {
            std::fill(gradient.begin(), gradient.end(), 0.0);
            for (std::size_t c = 0; c < chunks; ++c) {
                total += per_loss[c];
                for (std::size_t k = 0; k < p; ++k) gradient[k] += per_chunk[c * p + k];
            }
        } else {
            for (std::size_t i = 0; i < batch.size(); ++i) total += per_loss[i];
        }
        const double scale = 1.0 / double(batch.size());
        for (double& g : gradient) g *= scale;
        return total * scale;
    };
    Objective objective;
    objective.loss = [&](std::span<const double> w) { return batch_objective(w, {}); };
    objective.loss_and_gradient = batch_objective;

    std::vector<EpochRecord> history;
    std::vector<double> weights(model.trainable().begin(), model.trainable().end()), best = weights;
    double best_monitored = std::numeric_limits<double>::infinity();
    std::size_t since_best = 0;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // The shuffling draws of the epochs a checkpoint already holds, so that the generator and
    // the order of `train` continue where the interrupted run left them.
    for (std::size_t epoch = 0; epoch < std::min(options_.start_epoch, options_.epochs); ++epoch)
        std::shuffle(train.begin(), train.end(), rng);
    for (std::size_t epoch = options_.start_epoch; epoch < options_.epochs; ++epoch) {
        if (options_.learning_rate_schedule) optimizer_->set_learning_rate(options_.learning_rate_schedule(epoch));
        std::shuffle(train.begin(), train.end(), rng);
        const std::size_t num_batches = (train.size() + options_.batch_size - 1) / options_.batch_size;
        for (std::size_t b = 0; b < train.size(); b += options_.batch_size) {
            batch = std::span<const std::size_t>(train).subspan(b, std::min(options_.batch_size, train.size() - b));
            const double batch_loss = optimizer_->step(weights, objective);
            if (options_.on_batch) options_.on_batch(epoch, b / options_.batch_size, num_batches, batch_loss);
        }
        model.set_trainable(weights);
        EpochRecord rec;
        rec.epoch = epoch;
        rec.learning_rate = optimizer_->learning_rate();
        const Evaluation t = evaluate_with(model, x, y, *loss_, train, ws);
        rec.loss = t.loss;
        rec.accuracy = t.accuracy;
        rec.validation_loss = rec.validation_accuracy = nan;
        if (!validation.empty()) {
            const Evaluation v = evaluate_with(model, x, y, *loss_, validation, ws);
            rec.validation_loss = v.loss;
            rec.validation_accuracy = v.accuracy;
        }
        history.push_back(rec);
        bool keep_going = true;
        for (const Callback& cb : callbacks_) keep_going = cb(rec, model) && keep_going;
        const double monitored = validation.empty() ? rec.loss : rec.validation_loss;
        if (monitored < best_monitored - options_.min_delta) {
            best_monitored = monitored;
            best = weights;
            since_best = 0;
        } else if (options_.patience > 0 && ++since_best >= options_.patience) {
            if (options_.restore_best) model.set_trainable(best);
            break;
        }
        if (!keep_going) break;
    }
    return history;
}

}  // namespace kettle
