// Hybrid models: dense -> quantum -> dense, gradients through the adjoint sweep, learning.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kettle/error.hpp"
#include "kettle/logistic_regression.hpp"
#include "kettle/metrics.hpp"
#include "kettle/model_spec.hpp"
#include "kettle/optimizer.hpp"
#include "kettle/scaler.hpp"
#include "kettle/split.hpp"
#include "kettle/synthetic.hpp"
#include "kettle/trainer.hpp"

namespace kettle {
namespace {

/// d loss / d (trainable, inputs) of the whole model against central differences, to 1e-6
/// relative (absolute near zero).
void check_gradient(HybridModel& model, const Loss& loss, std::vector<double> x, std::size_t label) {
    const auto ws = model.make_workspace();
    std::vector<double> gw(model.num_trainable()), gx(model.num_features()), unused(model.num_trainable());
    (void)model.loss_and_gradient(*ws, x, label, loss, gw, gx);
    const double h = 1e-6;
    auto close = [](double analytic, double numeric) {
        return std::abs(analytic - numeric) <= 1e-6 * std::max(1.0, std::abs(numeric));
    };
    std::vector<double> w(model.trainable().begin(), model.trainable().end());
    auto loss_at = [&] {
        model.set_trainable(w);
        return model.loss_and_gradient(*ws, x, label, loss, unused, {});
    };
    for (std::size_t k = 0; k < w.size(); ++k) {
        const double v = w[k];
        w[k] = v + h;
        const double up = loss_at();
        w[k] = v - h;
        const double down = loss_at();
        w[k] = v;
        const double numeric = (up - down) / (2 * h);
        EXPECT_PRED2(close, gw[k], numeric) << loss.name() << " trainable " << k << " of " << w.size();
    }
    model.set_trainable(w);
    for (std::size_t f = 0; f < x.size(); ++f) {
        const double v = x[f];
        x[f] = v + h;
        const double up = model.loss_and_gradient(*ws, x, label, loss, unused, {});
        x[f] = v - h;
        const double down = model.loss_and_gradient(*ws, x, label, loss, unused, {});
        x[f] = v;
        EXPECT_PRED2(close, gx[f], (up - down) / (2 * h)) << loss.name() << " input " << f;
    }
}

ModelSpec spec(std::size_t features, std::size_t classes, unsigned qubits, bool in, bool out) {
    ModelSpec s;
    s.num_features = features;
    s.num_classes = classes;
    s.num_qubits = qubits;
    s.layers = 2;
    s.input_layer = in;
    s.output_layer = out;
    return s;
}

TEST(Hybrid, GradientsMatchCentralDifferences) {
    const std::vector<double> x5{0.3, -1.2, 0.8, 0.1, -0.5};
    for (bool in : {false, true})
        for (bool out : {false, true}) {
            SCOPED_TRACE(testing::Message() << "input layer " << in << ", output layer " << out);
            // Binary: one score.
            HybridModel binary = build_model(spec(in ? 5 : 3, 2, 3, in, out));
            binary.initialize(5, 1.5);
            const std::vector<double> xb(x5.begin(), x5.begin() + std::ptrdiff_t(binary.num_features()));
            for (std::size_t label = 0; label < 2; ++label) check_gradient(binary, BinaryCrossEntropy(), xb, label);
            // Four classes on three qubits needs the output layer; without it, three classes.
            const std::size_t classes = out ? 4 : 3;
            HybridModel multi = build_model(spec(in ? 5 : 3, classes, 3, in, out));
            multi.initialize(6, 2.0);
            for (std::size_t label = 0; label < classes; ++label) check_gradient(multi, CrossEntropy(), xb, label);
            check_gradient(multi, MeanSquaredError(), xb, 1);
        }
    // The plain affine input layer and the angle encoding with several observables.
    ModelSpec s = spec(4, 3, 2, true, true);
    // (Assigned as std::string: GCC 12 warns falsely (-Wrestrict) on assigning short literals.)
    s.encoding = std::string("angle");
    s.rotation = std::string("x");
    s.input_activation = std::string("none");
    s.observables = {"Z0", "X1", "Z0 Z1", "0.5*Y0 - X1"};
    HybridModel m = build_model(s);
    m.initialize(3);
    check_gradient(m, CrossEntropy(), {0.2, -0.4, 1.3, 0.7}, 2);
}

TEST(Hybrid, EveryEncodingAndAnsatzDifferentiates) {
    // ZZ products and amplitude normalisation chain into the input gradient; every ansatz.
    const char* ansatze[] = {"hardware_efficient", "strongly_entangling", "real_amplitudes", "efficient_su2"};
    for (const char* encoding : {"angle", "zz", "amplitude"})
        for (const char* ansatz : ansatze)
            for (bool in : {false, true}) {
                SCOPED_TRACE(testing::Message() << encoding << " + " << ansatz << ", input layer " << in);
                ModelSpec s = spec(std::string(encoding) == "amplitude" && !in ? 5 : 3, 3, 3, in, true);
                s.encoding = std::string(encoding);
                s.ansatz = std::string(ansatz);
                HybridModel m = build_model(s);
                m.initialize(12);
                const std::vector<double> x5{0.9, -0.4, 1.3, 0.2, 0.7};
                check_gradient(m, CrossEntropy(), std::vector<double>(x5.begin(), x5.begin() + std::ptrdiff_t(m.num_features())), 1);
            }
    ModelSpec bad = spec(3, 2, 3, false, false);
    bad.ansatz = std::string("real_amplitudes");
    EXPECT_THROW((void)build_model(bad), Error);  // reupload interleaves its own layers
}

TEST(Hybrid, ParameterShiftGivesTheAdjointGradient) {
    HybridModel m = build_model(spec(4, 3, 3, true, true));
    m.initialize(8);
    const std::vector<double> x{0.5, -0.3, 1.1, 0.2};
    const auto ws = m.make_workspace();
    std::vector<double> adjoint(m.num_trainable()), shift(m.num_trainable()), ax(4), sx(4);
    const double a = m.loss_and_gradient(*ws, x, 2, CrossEntropy(), adjoint, ax);
    m.set_gradient_method(GradientMethod::parameter_shift);
    const double s = m.loss_and_gradient(*ws, x, 2, CrossEntropy(), shift, sx);
    EXPECT_EQ(a, s);
    for (std::size_t k = 0; k < adjoint.size(); ++k) EXPECT_NEAR(adjoint[k], shift[k], 1e-9) << k;
    for (std::size_t f = 0; f < 4; ++f) EXPECT_NEAR(ax[f], sx[f], 1e-9) << f;
}

TEST(Hybrid, ComposesAsDescribed) {
    HybridModel m = build_model(spec(6, 10, 4, true, true));
    EXPECT_EQ(m.num_features(), 6u);
    EXPECT_EQ(m.num_classes(), 10u);
    EXPECT_EQ(m.num_scores(), 10u);
    // input 6 -> 4 (28), circuit 2 layers x 4 qubits x 2 (16), output 4 -> 10 (50)
    EXPECT_EQ(m.num_trainable(), 28u + 16u + 50u);
    EXPECT_EQ(m.quantum_layer().num_outputs(), 4u);  // Z0..Z3 by default with an output layer
    HybridModel plain = build_model(spec(2, 2, 2, false, false));
    EXPECT_EQ(plain.num_trainable(), 8u + 2u);      // circuit, then one scale and one bias
    EXPECT_EQ(plain.num_scores(), 1u);

    try {
        (void)build_model(spec(3, 5, 3, false, false));
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "model spec: 5 classes need an output layer or at least 5 qubits (one readout per "
                               "class), got 3");
    }
    ModelSpec bad = spec(3, 2, 3, false, false);
    bad.encoding = std::string("zz_map");
    try {
        (void)build_model(bad);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "model spec: encoding `zz_map` is unknown (valid: angle, reupload, zz, amplitude)");
    }
    bad = spec(3, 2, 3, false, false);
    bad.observables = {"Z7"};
    EXPECT_THROW((void)build_model(bad), Error);
    const auto other = plain.make_workspace();
    std::vector<double> out(10);
    EXPECT_THROW(m.scores(*other, std::vector<double>(6), out), Error);  // another model's workspace
    EXPECT_THROW((void)m.scores(std::vector<double>(5)), Error);        // wrong width
    EXPECT_THROW(DenseLayer(0, 3), Error);
}

TEST(Hybrid, LearnsBlobsThroughBothDenseLayers) {
    // Four classes in 3-D on two qubits: only reachable with the output layer; the input layer
    // maps the three features onto the two angles.
    Dataset d = make_blobs(240, 4, 7, 3, 1.0);
    const TrainTest split = train_test_split(d, 0.25, 1);
    StandardScaler scaler;
    scaler.fit(split.train.x);
    const FeatureMatrix train = scaler.transform(split.train.x), test = scaler.transform(split.test.x);
    ModelSpec s = spec(3, 4, 2, true, true);
    s.output_gain = 1.0;
    HybridModel model = build_model(s);
    model.initialize(11);
    CrossEntropy loss;
    Adam adam(0.1);
    TrainerOptions t;
    t.epochs = 30;
    t.batch_size = 16;
    t.seed = 2;
    const auto history = Trainer(loss, adam, t).fit(model, train, split.train.y);
    EXPECT_LT(history.back().loss, history.front().loss);
    const double accuracy = evaluate(model, test, split.test.y, loss).accuracy;
    LogisticRegression baseline;
    baseline.fit(train, split.train.y, 4);
    const double classical = kettle::accuracy(split.test.y, baseline.predict(test));
    std::printf("blobs (4 classes, 2 qubits, hybrid): train %.3f, test %.3f (logistic regression %.3f)\n",
                history.back().accuracy, accuracy, classical);
    EXPECT_GE(accuracy, 0.95);
}

}  // namespace
}  // namespace kettle
