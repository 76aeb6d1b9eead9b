// The variational classifier and its trainer: gradients, thread-count independence, learning.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "kettle/classifier.hpp"
#include "kettle/error.hpp"
#include "kettle/resources.hpp"
#include "kettle/trainer.hpp"

namespace kettle {
namespace {

struct Data {
    FeatureMatrix x;
    std::vector<std::size_t> y;
};

/// Two interleaving half circles (as scikit-learn's make_moons), Gaussian noise.
Data moons(std::size_t n, double noise, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> t(0, std::numbers::pi);
    std::normal_distribution<double> e(0, noise);
    Data d{FeatureMatrix(Eigen::Index(n), 2), std::vector<std::size_t>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double a = t(rng);
        const bool lower = i % 2;
        d.x(Eigen::Index(i), 0) = (lower ? 1 - std::cos(a) : std::cos(a)) + e(rng);
        d.x(Eigen::Index(i), 1) = (lower ? 0.5 - std::sin(a) : std::sin(a)) + e(rng);
        d.y[i] = lower;
    }
    return d;
}

/// Two concentric circles, radii 1 and `inner`, Gaussian noise.
Data circles(std::size_t n, double inner, double noise, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> t(0, 2 * std::numbers::pi);
    std::normal_distribution<double> e(0, noise);
    Data d{FeatureMatrix(Eigen::Index(n), 2), std::vector<std::size_t>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double a = t(rng), r = i % 2 ? inner : 1.0;
        d.x(Eigen::Index(i), 0) = r * std::cos(a) + e(rng);
        d.x(Eigen::Index(i), 1) = r * std::sin(a) + e(rng);
        d.y[i] = i % 2;
    }
    return d;
}

/// Points uniform in [-1, 1]^2 at least `margin` from both axes, labelled by the sign of x0 x1.
Data xor_data(std::size_t n, double margin, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(margin, 1.0);
    Data d{FeatureMatrix(Eigen::Index(n), 2), std::vector<std::size_t>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double a = (rng() % 2 ? 1 : -1) * u(rng), b = (rng() % 2 ? 1 : -1) * u(rng);
        d.x(Eigen::Index(i), 0) = a;
        d.x(Eigen::Index(i), 1) = b;
        d.y[i] = a * b > 0;
    }
    return d;
}

/// x0 - c0 and x1 - c1, times `scale`.
Data shifted(Data d, double c0, double c1, double scale) {
    d.x.col(0).array() -= c0;
    d.x.col(1).array() -= c1;
    d.x *= scale;
    return d;
}

/// Trains on `d` and returns the accuracy on the fresh rows `test`.
double train_and_score(const char* name, const Data& d, const Data& test, std::size_t layers, double input_scale, std::size_t epochs,
                       double lr) {
    ClassifierOptions o;
    o.num_qubits = 2;
    o.layers = layers;
    o.input_scale = input_scale;
    VariationalClassifier model = make_classifier(2, o);
    model.initialize(1, 2.0);
    BinaryCrossEntropy loss;
    Adam adam(lr);
    TrainerOptions t;
    t.epochs = epochs;
    t.batch_size = 10;
    t.seed = 3;
    const auto start = std::chrono::steady_clock::now();
    const auto history = Trainer(loss, adam, t).fit(model, d.x, d.y);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double acc = evaluate(model, test.x, test.y, loss).accuracy;
    std::printf("%s: training accuracy %.3f, test accuracy %.3f after %zu epochs, %.2f s\n", name,
                history.back().accuracy, acc, history.size(), seconds);
    return acc;
}

TEST(Classifier, LearnsXorMoonsAndCircles) {
    // Moons and circles are centred and scaled by fixed constants (what a scaler fitted on
    // the training rows gives, rounded), so training and test rows are mapped alike.
    EXPECT_GE(train_and_score("xor", xor_data(200, 0.1, 1), xor_data(200, 0.1, 11), 3, 1.5, 40, 0.05), 0.95);
    EXPECT_GE(train_and_score("moons", shifted(moons(200, 0.1, 2), 0.5, 0.25, 1.5), shifted(moons(200, 0.1, 12), 0.5, 0.25, 1.5), 4, 1.0, 40, 0.05), 0.95);
    EXPECT_GE(train_and_score("circles", shifted(circles(200, 0.5, 0.05, 3), 0, 0, 1.2), shifted(circles(200, 0.5, 0.05, 13), 0, 0, 1.2), 3, 1.0, 40, 0.05), 0.95);
}


/// d loss / d (trainable, inputs) against central differences, for a loss and a readout width.
void check_model_gradient(VariationalClassifier& model, const Loss& loss, std::vector<double> x, std::size_t label) {
    VariationalClassifier::Workspace ws(model);
    std::vector<double> gw(model.num_trainable()), gx(model.num_features()), unused(model.num_trainable());
    (void)model.loss_and_gradient(ws, x, label, loss, gw, gx);
    const double h = 1e-5;
    std::vector<double> w(model.trainable().begin(), model.trainable().end());
    auto at = [&] {
        model.set_trainable(w);
        return model.loss_and_gradient(ws, x, label, loss, unused);
    };
    for (std::size_t k = 0; k < w.size(); ++k) {
        const double v = w[k];
        w[k] = v + h;
        const double up = at();
        w[k] = v - h;
        const double down = at();
        w[k] = v;
        EXPECT_NEAR(gw[k], (up - down) / (2 * h), 1e-7) << loss.name() << " trainable " << k;
    }
    model.set_trainable(w);
    for (std::size_t f = 0; f < x.size(); ++f) {
        const double v = x[f];
        x[f] = v + h;
        const double up = model.loss_and_gradient(ws, x, label, loss, unused);
        x[f] = v - h;
        const double down = model.loss_and_gradient(ws, x, label, loss, unused);
        x[f] = v;
        EXPECT_NEAR(gx[f], (up - down) / (2 * h), 1e-7) << loss.name() << " input " << f;
    }
}

TEST(Classifier, GradientsMatchFiniteDifferences) {
    ClassifierOptions o;
    o.num_qubits = 3;
    o.layers = 2;
    o.input_scale = 0.7;
    VariationalClassifier binary = make_classifier(3, o);
    binary.initialize(5, 1.7);
    for (const char* name : {"binary_cross_entropy", "hinge", "mse"})
        for (std::size_t label = 0; label < 2; ++label) check_model_gradient(binary, *make_loss(name), {0.3, -1.2, 0.8}, label);
    o.num_classes = 3;
    VariationalClassifier multi = make_classifier(2, o);
    multi.initialize(6, 2.5);
    for (const char* name : {"cross_entropy", "hinge", "mse"})
        for (std::size_t label = 0; label < 3; ++label) check_model_gradient(multi, *make_loss(name), {0.4, 1.1}, label);
}

TEST(Classifier, Validation) {
    Circuit c(2);
    const Parameter a = c.parameter("a"), b = c.parameter("b");
    c.ry(0, a).ry(1, b);
    const std::vector<PauliSum> z{PauliSum::parse("Z0")};
    try {
        VariationalClassifier m(c, {a}, {}, z);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "VariationalClassifier: circuit parameter `b` is named 0 times among inputs and "
                               "weights (must be exactly once)");
    }
    EXPECT_THROW(VariationalClassifier(c, {a}, {b}, {PauliSum::parse("Z2")}), Error);
    EXPECT_THROW(VariationalClassifier(c, {a}, {b}, {}), Error);
    VariationalClassifier m(c, {a}, {b}, z);
    EXPECT_EQ(m.num_classes(), 2u);
    EXPECT_EQ(m.num_trainable(), 3u);
    EXPECT_THROW((void)m.scores(std::vector{1.0, 2.0}), Error);
    ClassifierOptions o;
    o.num_classes = 3;  // more classes than the 2 qubits can read out
    EXPECT_THROW((void)make_classifier(2, o), Error);
    const Data d = xor_data(10, 0.1, 1);
    BinaryCrossEntropy loss;
    Sgd sgd(0.1);
    std::vector<std::size_t> bad = d.y;
    bad[3] = 2;
    VariationalClassifier two = make_classifier(2, ClassifierOptions{});
    try {
        (void)Trainer(loss, sgd, TrainerOptions{}).fit(two, d.x, bad);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "Trainer::fit: label 2 of row 3 is out of range for 2 classes (valid 0..1)");
    }
    TrainerOptions zero;
    zero.batch_size = 0;
    EXPECT_THROW(Trainer(loss, sgd, zero), Error);
}

std::vector<double> seeded_run(std::size_t threads, const char* optimizer) {
    set_num_threads(threads);
    ClassifierOptions o;
    o.num_qubits = 3;
    o.num_classes = 3;
    o.layers = 2;
    VariationalClassifier model = make_classifier(2, o);
    model.initialize(9, 2.0);
    const Data d = moons(60, 0.1, 4);
    std::vector<std::size_t> y = d.y;
    for (std::size_t i = 0; i < y.size(); i += 5) y[i] = 2;  // a third class, so the softmax path runs
    CrossEntropy loss;
    auto opt = make_optimizer(optimizer, 0.05, 8);
    TrainerOptions t;
    t.epochs = 3;
    t.batch_size = 16;
    t.seed = 21;
    t.validation_fraction = 0.2;
    (void)Trainer(loss, *opt, t).fit(model, d.x, y);
    set_num_threads(0);
    return {model.trainable().begin(), model.trainable().end()};
}

TEST(Trainer, SeededRunIsBitIdenticalWithOneAndTwoThreads) {
    for (const char* optimizer : {"adam", "spsa"}) {
        const std::vector<double> one = seeded_run(1, optimizer), two = seeded_run(2, optimizer);
        ASSERT_EQ(one.size(), two.size());
        for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i], two[i]) << optimizer << " weight " << i;
        EXPECT_NE(one, seeded_run(1, optimizer == std::string("adam") ? "sgd" : "adam"));  // the weights did move
    }
}

TEST(Trainer, HistoryCallbacksScheduleAndEarlyStopping) {
    const Data d = xor_data(80, 0.1, 5);
    VariationalClassifier model = make_classifier(2, ClassifierOptions{});
    model.initialize(2, 2.0);
    BinaryCrossEntropy loss;
    Adam adam(0.05);
    TrainerOptions t;
    t.epochs = 30;
    t.batch_size = 8;
    t.validation_fraction = 0.25;
    t.learning_rate_schedule = [](std::size_t epoch) { return 0.05 / double(1 + epoch); };
    Trainer trainer(loss, adam, t);
    std::size_t calls = 0;
    trainer.add_callback([&](const EpochRecord& r, const Model&) {
        ++calls;
        return r.epoch < 4;  // stop after the fifth epoch
    });
    const auto history = trainer.fit(model, d.x, d.y);
    ASSERT_EQ(history.size(), 5u);
    EXPECT_EQ(calls, 5u);
    EXPECT_DOUBLE_EQ(history[2].learning_rate, 0.05 / 3);
    EXPECT_FALSE(std::isnan(history[0].validation_loss));
    EXPECT_LT(history.back().loss, history.front().loss);
    const Evaluation all = evaluate(model, d.x, d.y, loss);
    double sum = 0, hits = 0;
    std::vector<double> g(1);
    for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
        const std::vector<double> x{d.x(r, 0), d.x(r, 1)};
        const std::vector<double> s = model.scores(x);
        sum += loss.evaluate(s, d.y[std::size_t(r)], g);
        hits += model.predict(x) == d.y[std::size_t(r)];
    }
    EXPECT_NEAR(all.loss, sum / double(d.x.rows()), 1e-12);
    EXPECT_NEAR(all.accuracy, hits / double(d.x.rows()), 1e-12);

    // A learning rate too small to improve the loss by min_delta: early stopping after `patience`
    // epochs, back at the best weights.
    VariationalClassifier still = make_classifier(2, ClassifierOptions{});
    still.initialize(2, 2.0);
    Sgd tiny(1e-9);
    TrainerOptions p;
    p.epochs = 50;
    p.patience = 3;
    p.min_delta = 1e-3;
    const std::vector<double> start(still.trainable().begin(), still.trainable().end());
    const auto stopped = Trainer(loss, tiny, p).fit(still, d.x, d.y);
    EXPECT_EQ(stopped.size(), 4u);  // epoch 0 sets the best, three more without improvement
    std::vector<double> end(still.trainable().begin(), still.trainable().end());
    for (std::size_t i = 0; i < end.size(); ++i) EXPECT_NEAR(end[i], start[i], 1e-6);
}

}  // namespace
}  // namespace kettle
