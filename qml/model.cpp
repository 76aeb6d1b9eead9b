#include "kettle/model.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {

std::vector<double> Model::scores(std::span<const double> x) const {
    const std::unique_ptr<Workspace> ws = make_workspace();
    std::vector<double> out(num_scores());
    scores(*ws, x, out);
    return out;
}

std::size_t Model::predict(std::span<const double> x) const { return predicted_class(scores(x)); }

double Model::loss_and_gradient_batch(Workspace& ws, std::span<const double> xs, std::span<const std::size_t> labels,
                                      const Loss& loss, std::span<double> grad_sum,
                                      std::span<double> grad_inputs) const {
    const std::size_t f = num_features(), p = num_trainable(), count = labels.size();
    if (xs.size() != count * f || grad_sum.size() != p || (!grad_inputs.empty() && grad_inputs.size() != count * f))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Model::loss_and_gradient_batch: {} features, {} gradient slots and {} input-gradient "
                                "slots for {} samples; need {}, {} and 0 or {}", xs.size(), grad_sum.size(),
                                grad_inputs.size(), count, count * f, p, count * f));
    ws.batch_scratch.resize(p);
    std::fill(grad_sum.begin(), grad_sum.end(), 0.0);
    double total = 0;
    for (std::size_t i = 0; i < count; ++i) {
        total += loss_and_gradient(ws, xs.subspan(i * f, f), labels[i], loss, ws.batch_scratch,
                                   grad_inputs.empty() ? std::span<double>() : grad_inputs.subspan(i * f, f));
        for (std::size_t k = 0; k < p; ++k) grad_sum[k] += ws.batch_scratch[k];
    }
    return total;
}

void Model::scores_batch(Workspace& ws, std::span<const double> xs, std::span<double> out) const {
    const std::size_t f = num_features(), s = num_scores();
    const std::size_t count = f == 0 ? 0 : xs.size() / f;
    if (f == 0 || xs.size() != count * f || out.size() != count * s)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Model::scores_batch: {} features and {} score slots; need a multiple of {} features "
                                "and {} scores per sample", xs.size(), out.size(), f, s));
    for (std::size_t i = 0; i < count; ++i) scores(ws, xs.subspan(i * f, f), out.subspan(i * s, s));
}

}  // namespace kettle
