#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "kettle/error.hpp"
#include "kettle/metrics.hpp"

namespace kettle {
namespace {

using Labels = std::vector<std::size_t>;

void expect_invalid(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected Error(invalid_input) containing \"" << text << "\", nothing was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << e.what();
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

TEST(Metrics, ConfusionMatrixAndAccuracy) {
    // scikit-learn's confusion_matrix documentation example.
    const Labels t{2, 0, 2, 2, 0, 1}, p{0, 0, 2, 2, 0, 2};
    ConfusionMatrix expected(3, 3);
    expected << 2, 0, 0, 0, 0, 1, 1, 0, 2;
    EXPECT_EQ(confusion_matrix(t, p, 3), expected);
    EXPECT_DOUBLE_EQ(accuracy(t, p), 4.0 / 6.0);
    EXPECT_EQ(confusion_matrix(t, p, 4).rows(), 4);
}

TEST(Metrics, ClassificationReportMatchesScikitLearn) {
    // scikit-learn's classification_report documentation example.
    const Labels t{0, 1, 2, 2, 2}, p{0, 0, 2, 2, 1};
    const ClassificationReport r = classification_report(t, p, 3);
    ASSERT_EQ(r.per_class.size(), 3u);
    EXPECT_DOUBLE_EQ(r.per_class[0].precision, 0.5);
    EXPECT_DOUBLE_EQ(r.per_class[0].recall, 1.0);
    EXPECT_NEAR(r.per_class[0].f1, 2.0 / 3.0, 1e-15);
    EXPECT_EQ(r.per_class[0].support, 1u);
    EXPECT_DOUBLE_EQ(r.per_class[1].precision, 0.0);
    EXPECT_DOUBLE_EQ(r.per_class[1].f1, 0.0);
    EXPECT_DOUBLE_EQ(r.per_class[2].precision, 1.0);
    EXPECT_NEAR(r.per_class[2].recall, 2.0 / 3.0, 1e-15);
    EXPECT_NEAR(r.per_class[2].f1, 0.8, 1e-15);
    EXPECT_EQ(r.per_class[2].support, 3u);
    EXPECT_NEAR(r.macro.precision, 0.5, 1e-15);
    EXPECT_NEAR(r.macro.recall, 5.0 / 9.0, 1e-15);
    EXPECT_NEAR(r.macro.f1, (2.0 / 3.0 + 0.8) / 3.0, 1e-15);
    EXPECT_NEAR(r.weighted.precision, 0.7, 1e-15);
    EXPECT_NEAR(r.weighted.recall, 0.6, 1e-15);
    EXPECT_NEAR(r.weighted.f1, (2.0 / 3.0 + 3 * 0.8) / 5.0, 1e-15);
    EXPECT_EQ(r.macro.support, 5u);
}

TEST(Metrics, ClassNeverPredictedOrAbsentScoresZero) {
    const Labels t{0, 0, 1}, p{0, 0, 0};
    const ClassificationReport r = classification_report(t, p, 3);
    EXPECT_DOUBLE_EQ(r.per_class[1].precision, 0.0);
    EXPECT_DOUBLE_EQ(r.per_class[1].recall, 0.0);
    EXPECT_EQ(r.per_class[2].support, 0u);
    EXPECT_DOUBLE_EQ(r.per_class[2].f1, 0.0);
}

TEST(Metrics, LogLossMatchesScikitLearnAndClips) {
    // scikit-learn's log_loss documentation example (ham = 0, spam = 1): 0.21616...
    FeatureMatrix prob(4, 2);
    prob << 0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65;
    const Labels t{1, 0, 0, 1};
    const double expected = -(std::log(0.9) + std::log(0.9) + std::log(0.8) + std::log(0.65)) / 4.0;
    EXPECT_NEAR(log_loss(t, prob), expected, 1e-15);
    EXPECT_NEAR(log_loss(t, prob), 0.21616187468057912, 1e-12);
    FeatureMatrix certain(1, 2);
    certain << 1.0, 0.0;
    const Labels wrong{1};
    EXPECT_NEAR(log_loss(wrong, certain), -std::log(1e-15), 1e-9);
}

TEST(Metrics, RocAucMatchesTheDefinitionWithTies) {
    // scikit-learn's roc_auc_score documentation example.
    const Labels t{0, 0, 1, 1};
    const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
    EXPECT_DOUBLE_EQ(roc_auc(t, s), 0.75);
    const Labels two{0, 1};
    const std::vector<double> tied{0.5, 0.5};
    EXPECT_DOUBLE_EQ(roc_auc(two, tied), 0.5);

    // Against the pairwise definition on random data with many ties.
    std::mt19937_64 rng(2);
    Labels y(300);
    std::vector<double> scores(300);
    for (std::size_t i = 0; i < y.size(); ++i) {
        y[i] = rng() % 3 == 0 ? 1 : 0;
        scores[i] = static_cast<double>(rng() % 20) + (y[i] == 1 ? 3.0 : 0.0);
    }
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        for (std::size_t j = 0; j < y.size(); ++j)
            if (y[i] == 1 && y[j] == 0) {
                pairs += 1;
                wins += scores[i] > scores[j] ? 1.0 : (scores[i] == scores[j] ? 0.5 : 0.0);
            }
    EXPECT_NEAR(roc_auc(y, scores), wins / pairs, 1e-12);
}

TEST(Metrics, Validation) {
    const Labels a{0, 1}, b{0}, empty, big{0, 3};
    expect_invalid([&] { (void)accuracy(a, b); }, "accuracy: 2 true labels but 1 predictions");
    expect_invalid([&] { (void)accuracy(empty, empty); }, "accuracy: no samples");
    expect_invalid([&] { (void)confusion_matrix(a, big, 3); }, "predicted label 3 at row 1 is not a class index (valid 0..2)");
    FeatureMatrix prob(2, 2);
    prob << 0.5, 0.6, 0.5, 0.5;
    expect_invalid([&] { (void)log_loss(a, prob); }, "row 0 sum to 1.1");
    prob(0, 1) = -0.1;
    prob(0, 0) = 1.1;
    expect_invalid([&] { (void)log_loss(a, prob); }, "outside [0, 1]");
    const Labels ones{1, 1};
    const std::vector<double> s{0.1, 0.2};
    expect_invalid([&] { (void)roc_auc(ones, s); }, "only one class is present");
    const Labels three{0, 2};
    expect_invalid([&] { (void)roc_auc(three, s); }, "true label 2 at row 1");
    const std::vector<double> nan{0.1, std::nan("")};
    expect_invalid([&] { (void)roc_auc(a, nan); }, "not finite");
}

}  // namespace
}  // namespace kettle
