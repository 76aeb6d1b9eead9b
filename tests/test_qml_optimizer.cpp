// Losses against finite differences and known values; optimizers against hand-computed steps.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kettle/error.hpp"
#include "kettle/loss.hpp"
#include "kettle/optimizer.hpp"

namespace kettle {
namespace {

void check_gradient(const Loss& loss, std::vector<double> s, std::size_t label) {
    std::vector<double> g(s.size()), unused(s.size());
    (void)loss.evaluate(s, label, g);
    const double h = 1e-6;
    for (std::size_t j = 0; j < s.size(); ++j) {
        const double x = s[j];
        s[j] = x + h;
        const double up = loss.evaluate(s, label, unused);
        s[j] = x - h;
        const double down = loss.evaluate(s, label, unused);
        s[j] = x;
        EXPECT_NEAR(g[j], (up - down) / (2 * h), 1e-7) << loss.name() << " score " << j << " label " << label;
    }
}

TEST(Loss, GradientsMatchFiniteDifferences) {
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> u(-3, 3);
    for (int trial = 0; trial < 20; ++trial) {
        const double s = u(rng);
        for (std::size_t y = 0; y < 2; ++y) {
            check_gradient(BinaryCrossEntropy(), {s}, y);
            check_gradient(MeanSquaredError(), {s}, y);
            if (std::abs(1 - std::abs(s)) > 1e-3) check_gradient(Hinge(), {s}, y);
        }
        std::vector<double> k(4);
        for (double& x : k) x = u(rng);
        for (std::size_t y = 0; y < 4; ++y) {
            check_gradient(CrossEntropy(), k, y);
            check_gradient(MeanSquaredError(), k, y);
            check_gradient(Hinge(), k, y);  // random scores are almost surely off the kink
        }
    }
}

TEST(Loss, KnownValues) {
    std::vector<double> g(1);
    EXPECT_NEAR(BinaryCrossEntropy().evaluate(std::vector{0.0}, 1, g), std::log(2.0), 1e-15);
    EXPECT_NEAR(g[0], -0.5, 1e-15);
    EXPECT_NEAR(BinaryCrossEntropy().evaluate(std::vector{800.0}, 0, g), 800.0, 1e-9);  // no overflow
    EXPECT_NEAR(g[0], 1.0, 1e-15);
    EXPECT_DOUBLE_EQ(Hinge().evaluate(std::vector{0.25}, 0, g), 1.25);
    EXPECT_DOUBLE_EQ(g[0], 1.0);
    EXPECT_DOUBLE_EQ(Hinge().evaluate(std::vector{2.0}, 1, g), 0.0);
    EXPECT_DOUBLE_EQ(g[0], 0.0);
    EXPECT_DOUBLE_EQ(MeanSquaredError().evaluate(std::vector{0.5}, 0, g), 2.25);
    std::vector<double> g3(3);
    EXPECT_NEAR(CrossEntropy().evaluate(std::vector{1.0, 1.0, 1.0}, 2, g3), std::log(3.0), 1e-15);
    EXPECT_NEAR(g3[2], 1.0 / 3 - 1, 1e-15);
    EXPECT_DOUBLE_EQ(Hinge().evaluate(std::vector{0.0, 2.0, 1.5}, 1, g3), 0.5);
    EXPECT_EQ(g3, (std::vector{0.0, -1.0, 1.0}));
    const auto p = class_probabilities(std::vector{0.0, std::log(3.0)});
    EXPECT_NEAR(p[1], 0.75, 1e-15);
    EXPECT_EQ(predicted_class(std::vector{-0.1}), 0u);
    EXPECT_EQ(predicted_class(std::vector{0.1, 0.3, 0.2}), 1u);
}

TEST(Loss, Validation) {
    std::vector<double> g(1), g2(2);
    try {
        (void)CrossEntropy().evaluate(std::vector{1.0}, 0, g);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "cross-entropy: got 1 scores, expected 2 or more");
    }
    try {
        (void)BinaryCrossEntropy().evaluate(std::vector{1.0}, 2, g);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "binary cross-entropy: label 2 is out of range for 2 classes (valid 0..1)");
    }
    EXPECT_THROW((void)Hinge().evaluate(std::vector{1.0, 2.0}, 0, g), Error);
    EXPECT_THROW((void)make_loss("l1"), Error);
    EXPECT_EQ(make_loss("hinge")->name(), "hinge");
}

/// f(w) = sum_i (i+1) (w_i - 1)^2.
Objective quadratic() {
    Objective f;
    f.loss = [](std::span<const double> w) {
        double s = 0;
        for (std::size_t i = 0; i < w.size(); ++i) s += double(i + 1) * (w[i] - 1) * (w[i] - 1);
        return s;
    };
    f.loss_and_gradient = [loss = f.loss](std::span<const double> w, std::span<double> g) {
        for (std::size_t i = 0; i < w.size(); ++i) g[i] = 2 * double(i + 1) * (w[i] - 1);
        return loss(w);
    };
    return f;
}

TEST(Optimizer, SgdMomentumKnownSteps) {
    Objective f;
    f.loss_and_gradient = [](std::span<const double>, std::span<double> g) {
        g[0] = 0.5;
        g[1] = -1.0;
        return 3.0;
    };
    Sgd sgd(0.1, 0.9);
    std::vector<double> w{1.0, 2.0};
    EXPECT_EQ(sgd.step(w, f), 3.0);
    EXPECT_NEAR(w[0], 0.95, 1e-15);
    EXPECT_NEAR(w[1], 2.1, 1e-15);
    (void)sgd.step(w, f);  // v = 1.9 g
    EXPECT_NEAR(w[0], 0.855, 1e-15);
    EXPECT_NEAR(w[1], 2.29, 1e-15);
    std::vector<double> three{0, 0, 0};
    EXPECT_THROW((void)sgd.step(three, f), Error);
    sgd.reset();
    Objective no_gradient;
    no_gradient.loss = [](std::span<const double>) { return 0.0; };
    EXPECT_THROW((void)sgd.step(w, no_gradient), Error);
}

TEST(Optimizer, AdamKnownSteps) {
    Objective f;
    f.loss_and_gradient = [](std::span<const double> w, std::span<double> g) {
        g[0] = 2 * w[0];
        return w[0] * w[0];
    };
    Adam adam(0.1);
    std::vector<double> w{1.0};
    (void)adam.step(w, f);  // m̂ = g, v̂ = g²: a step of lr * sign(g), less epsilon's share
    EXPECT_NEAR(w[0], 0.9, 1e-9);
    // By hand: g1 = 2, g2 = 2 w1.
    const double w1 = w[0], g2 = 2 * w1;
    const double m = 0.9 * 0.1 * 2 + 0.1 * g2, v = 0.999 * 0.001 * 4 + 0.001 * g2 * g2;
    const double expected = w1 - 0.1 * (m / (1 - 0.81)) / (std::sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
    (void)adam.step(w, f);
    EXPECT_NEAR(w[0], expected, 1e-14);
}

TEST(Optimizer, AllMinimiseAQuadratic) {
    for (const char* name : {"sgd", "adam", "spsa"}) {
        const double lr = std::string(name) == "adam" ? 0.1 : std::string(name) == "sgd" ? 0.02 : 0.05;
        auto opt = make_optimizer(name, lr, 11);
        std::vector<double> w{3.0, -2.0, 0.5};
        const Objective f = quadratic();
        for (int i = 0; i < 2000; ++i) (void)opt->step(w, f);
        EXPECT_LT(f.loss(w), 1e-3) << name;
    }
}

TEST(Optimizer, SpsaIsSeededAndStepsAlongThePerturbation) {
    const Objective f = quadratic();
    auto run = [&](std::uint64_t seed) {
        Spsa spsa(0.05, 0.1, seed);
        std::vector<double> w{3.0, -2.0, 0.5, 1.5};
        for (int i = 0; i < 10; ++i) (void)spsa.step(w, f);
        return w;
    };
    EXPECT_EQ(run(5), run(5));
    EXPECT_NE(run(5), run(6));
    Spsa spsa(0.05, 0.1, 1);
    std::vector<double> w{3.0, -2.0, 0.5, 1.5}, before = w;
    int evaluations = 0;
    Objective counted;
    counted.loss = [&](std::span<const double> x) { ++evaluations; return f.loss(x); };
    (void)spsa.step(w, counted);
    EXPECT_EQ(evaluations, 2);
    for (std::size_t i = 1; i < w.size(); ++i)  // every weight moves by the same ±a_0 * slope
        EXPECT_NEAR(std::abs(w[i] - before[i]), std::abs(w[0] - before[0]), 1e-12);
}

}  // namespace
}  // namespace kettle
