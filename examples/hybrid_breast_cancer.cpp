// Breast cancer (569 tumours, 30 features) with a hybrid model, dense -> quantum -> dense:
// a trainable dense layer maps all 30 standardised features to 8 rotation angles, a data
// re-uploading circuit on 8 qubits turns them into <Z> of every qubit, and a dense layer reads
// those out as the class score. Printed beside logistic regression on the same features. The
// same model as `kettle train --data breast_cancer --input-layer --pca 0 --qubits 8`.
//
//     ./build/examples/example_hybrid_breast_cancer        # 30 epochs, the full result
//     ./build/examples/example_hybrid_breast_cancer 8      # a quick run (what the tests do)

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kettle/kettle.hpp"

int main(int argc, char** argv) {
    constexpr std::uint64_t seed = 0;
    const std::size_t epochs = argc > 1 ? std::stoul(argv[1]) : 30;
    // The full run must reach the target; a quick run only has to learn something.
    const double min_accuracy = epochs >= 30 ? 0.94 : 0.85;
    const auto start = std::chrono::steady_clock::now();

    const kettle::Dataset data = kettle::load_builtin_dataset("breast_cancer");
    const auto [train, test] = kettle::train_test_split(data, 0.25, seed);

    // Only standardise: the input layer learns which mix of the 30 features each qubit sees
    // (where PCA would fix it beforehand), and its pi*tanh keeps every angle within one turn.
    kettle::PipelineOptions steps;
    steps.min_max = false;
    const kettle::FeaturePipeline pipeline = kettle::FeaturePipeline::fit(train.x, steps);
    const kettle::FeatureMatrix x_train = pipeline.transform(train.x);
    const kettle::FeatureMatrix x_test = pipeline.transform(test.x);

    kettle::ModelSpec spec;
    spec.num_features = data.num_features();
    spec.num_classes = 2;
    spec.num_qubits = 8;
    spec.encoding = "reupload";  // 3 blocks: angles in, a hardware-efficient layer, repeated
    spec.layers = 3;
    spec.input_layer = true;     // dense: 30 features -> 8 angles
    spec.output_layer = true;    // dense: 8 expectations -> 1 score (two classes)
    kettle::HybridModel model = kettle::build_model(spec);
    model.initialize(seed);

    // One score means two classes: binary cross-entropy on its sigmoid.
    kettle::BinaryCrossEntropy loss;
    kettle::Adam adam(0.05);
    kettle::TrainerOptions training;
    training.epochs = epochs;
    training.batch_size = 16;
    training.seed = seed;
    (void)kettle::Trainer(loss, adam, training).fit(model, x_train, train.y);
    const double quantum = kettle::evaluate(model, x_test, test.y, loss).accuracy;

    kettle::LogisticRegression baseline;
    baseline.fit(x_train, train.y, data.num_classes());
    const double classical = kettle::accuracy(test.y, baseline.predict(x_test));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    fmt::print("breast_cancer: {} training rows, {} test rows, {} trainable values, {} epochs, {:.1f} s\n",
               train.num_samples(), test.num_samples(), model.num_trainable(), epochs, seconds);
    fmt::print("test accuracy: hybrid model {:.3f}, logistic regression {:.3f}\n", quantum, classical);

    if (quantum < min_accuracy) {
        fmt::print("unexpected: hybrid test accuracy below {}\n", min_accuracy);
        return 1;
    }
    return 0;
}
