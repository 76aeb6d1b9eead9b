#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "../classical/lbfgs.hpp"
#include "kettle/builtin_datasets.hpp"
#include "kettle/error.hpp"
#include "kettle/logistic_regression.hpp"
#include "kettle/metrics.hpp"
#include "kettle/scaler.hpp"
#include "kettle/split.hpp"
#include "kettle/synthetic.hpp"

namespace kettle {
namespace {

void expect_invalid(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected Error(invalid_input) containing \"" << text << "\", nothing was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << e.what();
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

TEST(Lbfgs, MinimisesTheRosenbrockFunction) {
    const detail::Objective rosenbrock = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
        const double a = 1 - x(0), b = x(1) - x(0) * x(0);
        g(0) = -2 * a - 400 * x(0) * b;
        g(1) = 200 * b;
        return a * a + 100 * b * b;
    };
    detail::LbfgsOptions options;
    options.gradient_tolerance = 1e-9;
    const auto result = detail::minimize_lbfgs(rosenbrock, Eigen::Vector2d(-1.2, 1.0), options);
    EXPECT_TRUE(result.converged);
    EXPECT_NEAR(result.x(0), 1.0, 1e-6);
    EXPECT_NEAR(result.x(1), 1.0, 1e-6);
    EXPECT_LT(result.iterations, 100);
}

// Standardised train and test features of a bundled data set, split with a fixed seed.
struct Prepared {
    TrainTest data;
    FeatureMatrix train_x, test_x;
};
Prepared prepare(const char* name) {
    Prepared p{train_test_split(load_builtin_dataset(name), 0.2, 0), {}, {}};
    StandardScaler scaler;
    scaler.fit(p.data.train.x);
    p.train_x = scaler.transform(p.data.train.x);
    p.test_x = scaler.transform(p.data.test.x);
    return p;
}

double test_accuracy(const char* name) {
    const Prepared p = prepare(name);
    LogisticRegression model;
    model.fit(p.train_x, p.data.train.y, p.data.train.num_classes());
    EXPECT_TRUE(model.converged()) << name;
    return accuracy(p.data.test.y, model.predict(p.test_x));
}

TEST(LogisticRegression, ReachesTheBaselineTargetsOnTheBundledData) {
    EXPECT_GE(test_accuracy("iris"), 0.93);
    EXPECT_GE(test_accuracy("breast_cancer"), 0.95);
    EXPECT_GE(test_accuracy("digits"), 0.93);
}

TEST(LogisticRegression, TheFitIsAStationaryPointOfThePenalisedLoss) {
    const Prepared p = prepare("iris");
    LogisticRegressionOptions options;
    options.l2 = 0.01;
    options.tolerance = 1e-8;
    LogisticRegression model(options);
    model.fit(p.train_x, p.data.train.y, 3);
    ASSERT_TRUE(model.converged());
    // Gradient of mean cross-entropy + (l2/2)||W||^2, computed here from the public results.
    const FeatureMatrix prob = model.predict_proba(p.train_x);
    Eigen::MatrixXd residual = prob;
    for (std::size_t i = 0; i < p.data.train.y.size(); ++i)
        residual(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(p.data.train.y[i])) -= 1.0;
    residual /= static_cast<double>(residual.rows());
    const Eigen::MatrixXd grad_w = p.train_x.transpose() * residual + options.l2 * model.weights();
    EXPECT_LT(grad_w.cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_LT(residual.colwise().sum().cwiseAbs().maxCoeff(), 1e-8);
    // The reported objective is the loss at these weights.
    const double loss = log_loss(p.data.train.y, prob) + 0.5 * options.l2 * model.weights().squaredNorm();
    EXPECT_NEAR(model.objective(), loss, 1e-12);
    // A stronger penalty gives smaller weights.
    options.l2 = 1.0;
    LogisticRegression strong(options);
    strong.fit(p.train_x, p.data.train.y, 3);
    EXPECT_LT(strong.weights().norm(), model.weights().norm());
}

TEST(LogisticRegression, DeterministicAndConsistentPredictions) {
    const Dataset d = make_blobs(300, 4, 12, 3, 1.5);
    LogisticRegression a, b;
    a.fit(d);
    b.fit(d);
    EXPECT_EQ(a.weights(), b.weights());
    EXPECT_EQ(a.bias(), b.bias());
    EXPECT_EQ(a.iterations(), b.iterations());
    const FeatureMatrix prob = a.predict_proba(d.x);
    ASSERT_EQ(prob.cols(), 4);
    EXPECT_TRUE(prob.rowwise().sum().isOnes(1e-12));
    const auto pred = a.predict(d.x);
    for (Eigen::Index r = 0; r < prob.rows(); ++r) {
        Eigen::Index best;
        prob.row(r).maxCoeff(&best);
        EXPECT_EQ(pred[static_cast<std::size_t>(r)], static_cast<std::size_t>(best));
    }
    EXPECT_GT(accuracy(d.y, pred), 0.9);
    EXPECT_TRUE(a.decision_function(d.x).isApprox((d.x * a.weights()).rowwise() + a.bias()));
}

TEST(LogisticRegression, ALinearModelOnMoonsIsGoodButNotPerfect) {
    // A linear model on moons gets about 85-90% (the arcs interlock): a sanity bound both ways.
    const Dataset d = make_moons(400, 0.1, 5);
    LogisticRegression model;
    model.fit(d);
    const double acc = accuracy(d.y, model.predict(d.x));
    EXPECT_GT(acc, 0.8);
    EXPECT_LT(acc, 0.95);
}

TEST(LogisticRegression, Validation) {
    LogisticRegressionOptions bad;
    bad.l2 = -1;
    expect_invalid([&] { LogisticRegression m(bad); }, "l2 -1 must be finite and >= 0");
    bad = {};
    bad.tolerance = 0;
    expect_invalid([&] { LogisticRegression m(bad); }, "tolerance 0 must be > 0");
    LogisticRegression m;
    expect_invalid([&] { (void)m.predict(FeatureMatrix::Zero(1, 2)); }, "not fitted");
    const FeatureMatrix x = FeatureMatrix::Random(4, 2);
    const std::vector<std::size_t> y{0, 1, 0, 1}, short_y{0, 1}, absent{0, 2, 0, 2}, big{0, 1, 5, 1};
    expect_invalid([&] { m.fit(x, short_y, 2); }, "4 rows but 2 labels");
    expect_invalid([&] { m.fit(x, y, 1); }, "1 class(es), at least 2");
    expect_invalid([&] { m.fit(x, absent, 3); }, "class 1 has no rows");
    expect_invalid([&] { m.fit(x, big, 2); }, "label 5 at row 2 is not a class index (valid 0..1)");
    m.fit(x, y, 2);
    expect_invalid([&] { (void)m.predict_proba(FeatureMatrix::Zero(1, 3)); }, "3 columns, the model was fitted on 2");
}

}  // namespace
}  // namespace kettle
