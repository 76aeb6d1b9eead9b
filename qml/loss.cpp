#include "kettle/loss.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "kettle/error.hpp"

namespace kettle {
namespace {

void check(std::span<const double> scores, std::size_t label, std::span<double> gradient, std::string_view loss,
           bool binary_only, bool multi_only) {
    const std::size_t k = scores.size();
    if (k == 0 || (binary_only && k != 1) || (multi_only && k < 2))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: got {} scores, expected {}", loss, k,
                                binary_only ? "1" : multi_only ? "2 or more" : "1 (binary) or 2 or more"));
    const std::size_t classes = k == 1 ? 2 : k;
    if (label >= classes)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: label {} is out of range for {} classes (valid 0..{})", loss, label, classes,
                                classes - 1));
    if (gradient.size() != k)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: gradient has {} entries for {} scores", loss, gradient.size(), k));
}

/// log(1 + e^s) without overflow.
double softplus(double s) { return s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s)); }
double sigmoid(double s) { return s >= 0 ? 1 / (1 + std::exp(-s)) : std::exp(s) / (1 + std::exp(s)); }

void softmax(std::span<const double> s, std::span<double> p) {
    const double top = *std::max_element(s.begin(), s.end());
    double sum = 0;
    for (std::size_t j = 0; j < s.size(); ++j) sum += p[j] = std::exp(s[j] - top);
    for (double& x : p) x /= sum;
}

}  // namespace

double BinaryCrossEntropy::evaluate(std::span<const double> s, std::size_t y, std::span<double> g) const {
    check(s, y, g, "binary cross-entropy", true, false);
    g[0] = sigmoid(s[0]) - double(y);
    return softplus(s[0]) - double(y) * s[0];
}

double CrossEntropy::evaluate(std::span<const double> s, std::size_t y, std::span<double> g) const {
    check(s, y, g, "cross-entropy", false, true);
    softmax(s, g);
    const double top = *std::max_element(s.begin(), s.end());
    double sum = 0;
    for (double x : s) sum += std::exp(x - top);
    g[y] -= 1.0;
    return top + std::log(sum) - s[y];
}

double Hinge::evaluate(std::span<const double> s, std::size_t y, std::span<double> g) const {
    check(s, y, g, "hinge", false, false);
    std::fill(g.begin(), g.end(), 0.0);
    if (s.size() == 1) {
        const double t = y == 1 ? 1.0 : -1.0;
        const double margin = 1 - t * s[0];
        if (margin > 0) g[0] = -t;
        return std::max(0.0, margin);
    }
    std::size_t rival = y == 0 ? 1 : 0;
    for (std::size_t j = 0; j < s.size(); ++j)
        if (j != y && s[j] > s[rival]) rival = j;
    const double margin = 1 + s[rival] - s[y];
    if (margin > 0) {
        g[rival] = 1;
        g[y] = -1;
    }
    return std::max(0.0, margin);
}

double MeanSquaredError::evaluate(std::span<const double> s, std::size_t y, std::span<double> g) const {
    check(s, y, g, "mean squared error", false, false);
    const double k = double(s.size());
    double loss = 0;
    for (std::size_t j = 0; j < s.size(); ++j) {
        const bool positive = s.size() == 1 ? y == 1 : j == y;
        const double r = s[j] - (positive ? 1.0 : -1.0);
        loss += r * r / k;
        g[j] = 2 * r / k;
    }
    return loss;
}

std::unique_ptr<Loss> make_loss(std::string_view name) {
    if (name == "binary_cross_entropy") return std::make_unique<BinaryCrossEntropy>();
    if (name == "cross_entropy") return std::make_unique<CrossEntropy>();
    if (name == "hinge") return std::make_unique<Hinge>();
    if (name == "mse") return std::make_unique<MeanSquaredError>();
    throw Error(ErrorCode::invalid_input,
                fmt::format("make_loss: unknown loss `{}` (valid: binary_cross_entropy, cross_entropy, hinge, mse)", name));
}

std::vector<double> class_probabilities(std::span<const double> scores) {
    if (scores.empty()) throw Error(ErrorCode::invalid_input, "class_probabilities: no scores given (need 1 or more)");
    if (scores.size() == 1) {
        const double p = sigmoid(scores[0]);
        return {1 - p, p};
    }
    std::vector<double> p(scores.size());
    softmax(scores, p);
    return p;
}

std::size_t predicted_class(std::span<const double> scores) {
    if (scores.empty()) throw Error(ErrorCode::invalid_input, "predicted_class: no scores given (need 1 or more)");
    if (scores.size() == 1) return scores[0] > 0 ? 1 : 0;
    return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace kettle
