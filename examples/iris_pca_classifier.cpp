// Iris with a classical feature pipeline in front of a three-class quantum classifier:
// standardise, reduce to 3 principal components (one per qubit), map to angles, train, and
// compare with logistic regression on exactly the same features.
//
//     ./build/examples/example_iris_pca_classifier

#include <fmt/format.h>

#include <cstdint>
#include <numbers>

#include "kettle/kettle.hpp"

int main() {
    constexpr std::uint64_t seed = 11;
    constexpr double min_accuracy = 0.85;

    const kettle::Dataset iris = kettle::load_builtin_dataset("iris");
    const auto [train, test] = kettle::train_test_split(iris, 0.3, seed);

    // Every step is fitted on the training rows and then applied unchanged to the test rows.
    // Standardising first matters: PCA is not scale-free, and petal and sepal widths differ in
    // range.
    kettle::StandardScaler standard;
    standard.fit(train.x);
    kettle::PCA pca(3);
    const kettle::FeatureMatrix z_train = pca.fit_transform(standard.transform(train.x));
    const kettle::FeatureMatrix z_test = pca.transform(standard.transform(test.x));
    const double kept = pca.explained_variance_ratio().sum();

    kettle::MinMaxScaler angles(0.0, std::numbers::pi);
    angles.fit(z_train);
    const kettle::FeatureMatrix x_train = angles.transform(z_train);
    const kettle::FeatureMatrix x_test = angles.transform(z_test);

    // Three classes read out as <Z0>, <Z1>, <Z2> (the largest wins), so three qubits.
    kettle::ClassifierOptions options;
    options.num_qubits = 3;
    options.num_classes = iris.num_classes();
    options.layers = 4;
    kettle::VariationalClassifier model = kettle::make_classifier(pca.num_components(), options);
    model.initialize(seed, 3.0);

    kettle::CrossEntropy loss;
    kettle::Adam adam(0.05);
    kettle::TrainerOptions training;
    training.epochs = 60;
    training.batch_size = 8;
    training.seed = seed;
    (void)kettle::Trainer(loss, adam, training).fit(model, x_train, train.y);
    const double quantum = kettle::evaluate(model, x_test, test.y, loss).accuracy;

    // The classical baseline sees the same angles, so the comparison is about the models only.
    kettle::LogisticRegression baseline;
    baseline.fit(x_train, train.y, iris.num_classes());
    const double classical = kettle::accuracy(test.y, baseline.predict(x_test));

    fmt::print("iris: {} training rows, {} test rows; {} components keep {:.1f}% of the variance\n",
               train.num_samples(), test.num_samples(), pca.num_components(), 100 * kept);
    fmt::print("test accuracy: quantum classifier {:.3f}, logistic regression {:.3f}\n", quantum, classical);

    if (quantum < min_accuracy) {
        fmt::print("unexpected: quantum test accuracy below {}\n", min_accuracy);
        return 1;
    }
    return 0;
}
