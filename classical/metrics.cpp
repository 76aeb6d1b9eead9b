#include "kettle/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {
namespace {

[[noreturn]] void fail(const char* where, const std::string& what) {
    throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", where, what));
}

void check_lengths(std::size_t a, std::size_t b, const char* where) {
    if (a == 0) fail(where, "no samples");
    if (a != b) fail(where, fmt::format("{} true labels but {} predictions", a, b));
}

void check_labels(std::span<const std::size_t> y, std::size_t num_classes, const char* where, const char* which) {
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] >= num_classes)
            fail(where, fmt::format("{} label {} at row {} is not a class index (valid 0..{})", which, y[i], i,
                                    num_classes == 0 ? 0 : num_classes - 1));
}

double ratio(std::int64_t num, std::int64_t den) { return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den); }

}  // namespace

ConfusionMatrix confusion_matrix(std::span<const std::size_t> y_true, std::span<const std::size_t> y_pred, std::size_t num_classes) {
    check_lengths(y_true.size(), y_pred.size(), "confusion_matrix");
    check_labels(y_true, num_classes, "confusion_matrix", "true");
    check_labels(y_pred, num_classes, "confusion_matrix", "predicted");
    const auto k = static_cast<Eigen::Index>(num_classes);
    ConfusionMatrix m = ConfusionMatrix::Zero(k, k);
    for (std::size_t i = 0; i < y_true.size(); ++i) ++m(static_cast<Eigen::Index>(y_true[i]), static_cast<Eigen::Index>(y_pred[i]));
    return m;
}

double accuracy(std::span<const std::size_t> y_true, std::span<const std::size_t> y_pred) {
    check_lengths(y_true.size(), y_pred.size(), "accuracy");
    std::size_t right = 0;
    for (std::size_t i = 0; i < y_true.size(); ++i) right += y_true[i] == y_pred[i];
    return static_cast<double>(right) / static_cast<double>(y_true.size());
}

ClassificationReport classification_report(std::span<const std::size_t> y_true, std::span<const std::size_t> y_pred,
                                           std::size_t num_classes) {
    const ConfusionMatrix m = confusion_matrix(y_true, y_pred, num_classes);
    ClassificationReport report;
    const auto n = static_cast<double>(y_true.size());
    for (Eigen::Index c = 0; c < m.rows(); ++c) {
        ClassMetrics cm;
        cm.precision = ratio(m(c, c), m.col(c).sum());
        cm.recall = ratio(m(c, c), m.row(c).sum());
        cm.f1 = cm.precision + cm.recall == 0.0 ? 0.0 : 2 * cm.precision * cm.recall / (cm.precision + cm.recall);
        cm.support = static_cast<std::size_t>(m.row(c).sum());
        report.per_class.push_back(cm);
        const double k = static_cast<double>(num_classes), w = static_cast<double>(cm.support) / n;
        report.macro.precision += cm.precision / k;
        report.macro.recall += cm.recall / k;
        report.macro.f1 += cm.f1 / k;
        report.weighted.precision += cm.precision * w;
        report.weighted.recall += cm.recall * w;
        report.weighted.f1 += cm.f1 * w;
    }
    report.macro.support = report.weighted.support = y_true.size();
    return report;
}

double log_loss(std::span<const std::size_t> y_true, const FeatureMatrix& probabilities) {
    check_lengths(y_true.size(), static_cast<std::size_t>(probabilities.rows()), "log_loss");
    check_labels(y_true, static_cast<std::size_t>(probabilities.cols()), "log_loss", "true");
    constexpr double clip = 1e-15;
    double total = 0.0;
    for (Eigen::Index r = 0; r < probabilities.rows(); ++r) {
        const auto row = probabilities.row(r);
        if (!row.allFinite() || row.minCoeff() < 0.0 || row.maxCoeff() > 1.0)
            fail("log_loss", fmt::format("row {} holds a probability outside [0, 1]", r));
        if (std::abs(row.sum() - 1.0) > 1e-6)
            fail("log_loss", fmt::format("the probabilities of row {} sum to {}, not 1 (tolerance 1e-6)", r, row.sum()));
        total -= std::log(std::max(row(static_cast<Eigen::Index>(y_true[static_cast<std::size_t>(r)])), clip));
    }
    return total / static_cast<double>(probabilities.rows());
}

double roc_auc(std::span<const std::size_t> y_true, std::span<const double> scores) {
    check_lengths(y_true.size(), scores.size(), "roc_auc");
    check_labels(y_true, 2, "roc_auc", "true");
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (!std::isfinite(scores[i])) fail("roc_auc", fmt::format("score {} at row {} is not finite", scores[i], i));
    const std::size_t n = y_true.size();
    const auto positives = static_cast<double>(std::count(y_true.begin(), y_true.end(), std::size_t{1}));
    const double negatives = static_cast<double>(n) - positives;
    if (positives == 0 || negatives == 0)
        fail("roc_auc", fmt::format("only one class is present ({} positive, {} negative rows); both are needed", positives, negatives));

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    // Sum of the 1-based ranks of the positives, each run of tied scores sharing its mean rank.
    double positive_rank_sum = 0.0;
    for (std::size_t start = 0; start < n;) {
        std::size_t end = start;
        while (end < n && scores[order[end]] == scores[order[start]]) ++end;
        const double mid_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
        for (std::size_t j = start; j < end; ++j)
            if (y_true[order[j]] == 1) positive_rank_sum += mid_rank;
        start = end;
    }
    const double u = positive_rank_sum - positives * (positives + 1.0) / 2.0;
    return u / (positives * negatives);
}

}  // namespace kettle
