// A variational quantum classifier on the two-moons toy data: generate, split, scale the
// features to rotation angles, train with Adam, and check the test accuracy.
//
//     ./build/examples/example_moons_classifier

#include <fmt/format.h>

#include <cstdint>
#include <numbers>

#include "kettle/kettle.hpp"

int main() {
    constexpr std::uint64_t seed = 7;
    constexpr double min_accuracy = 0.9;

    // 200 noisy points; the split is stratified, so both halves keep the 50/50 class balance.
    const kettle::Dataset moons = kettle::make_moons(200, 0.1, seed);
    const auto [train, test] = kettle::train_test_split(moons, 0.25, seed);

    // Features become rotation angles, so [0, π] uses the full half-turn of RY without
    // wrapping around. The scaler learns its range from the training rows only, as it must
    // when the test rows stand for unseen data.
    kettle::MinMaxScaler scaler(0.0, std::numbers::pi);
    scaler.fit(train.x);
    const kettle::FeatureMatrix x_train = scaler.transform(train.x);
    const kettle::FeatureMatrix x_test = scaler.transform(test.x);

    // Data re-uploading: the features are encoded again before each of the 4 trainable
    // layers, which lets two qubits draw the curved boundary the moons need.
    kettle::ClassifierOptions options;
    options.num_qubits = 2;
    options.layers = 4;
    options.encoding = kettle::EncodingKind::reupload;
    kettle::VariationalClassifier model = kettle::make_classifier(2, options);
    // A readout scale above 1 lets the score (a scaled <Z0>) reach confident logits.
    model.initialize(seed, 2.0);

    kettle::BinaryCrossEntropy loss;
    kettle::Adam adam(0.05);
    kettle::TrainerOptions training;
    training.epochs = 40;
    training.batch_size = 10;
    training.seed = seed;
    const auto history = kettle::Trainer(loss, adam, training).fit(model, x_train, train.y);

    const kettle::Evaluation result = kettle::evaluate(model, x_test, test.y, loss);
    fmt::print("moons: {} training rows, {} test rows, {} trainable values\n", train.num_samples(),
               test.num_samples(), model.num_trainable());
    fmt::print("after {} epochs: training accuracy {:.3f}, test accuracy {:.3f} (loss {:.4f})\n",
               history.size(), history.back().accuracy, result.accuracy, result.loss);

    if (result.accuracy < min_accuracy) {
        fmt::print("unexpected: test accuracy below {}\n", min_accuracy);
        return 1;
    }
    return 0;
}
