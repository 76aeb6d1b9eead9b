// Train a small model, save it (with its feature pipeline) to a model file, load it back, and
// check that the loaded model predicts exactly what the trained one did on the test rows.
//
//     ./build/examples/example_save_load_predict

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "kettle/kettle.hpp"
#include "kettle/feature_pipeline.hpp"
#include "kettle/hybrid.hpp"
#include "kettle/model_io.hpp"
#include "kettle/model_spec.hpp"

namespace {

// Row i of x as a contiguous vector (FeatureMatrix is column-major, models take one row).
std::vector<double> row(const kettle::FeatureMatrix& x, Eigen::Index i) {
    std::vector<double> out(static_cast<std::size_t>(x.cols()));
    for (Eigen::Index j = 0; j < x.cols(); ++j) out[static_cast<std::size_t>(j)] = x(i, j);
    return out;
}

}  // namespace

int main() {
    constexpr std::uint64_t seed = 5;

    const kettle::Dataset moons = kettle::make_moons(120, 0.1, seed);
    const auto [train, test] = kettle::train_test_split(moons, 0.25, seed);

    // The pipeline (here: standardise, then map onto [0, π]) is part of the model file, so a
    // loaded model can take raw rows; it is fitted on the training rows.
    const kettle::FeaturePipeline pipeline = kettle::FeaturePipeline::fit(train.x, kettle::PipelineOptions{});

    // Files store a ModelSpec, not the circuit: build_model rebuilds the same model from it.
    kettle::ModelSpec spec;
    spec.num_features = 2;
    spec.num_qubits = 2;
    spec.layers = 3;
    spec.encoding = "reupload";
    kettle::HybridModel model = kettle::build_model(spec);
    model.initialize(seed, 2.0);

    kettle::BinaryCrossEntropy loss;
    kettle::Adam adam(0.05);
    kettle::TrainerOptions training;
    training.epochs = 10;
    training.batch_size = 10;
    training.seed = seed;
    const auto history = kettle::Trainer(loss, adam, training).fit(model, pipeline.transform(train.x), train.y);

    kettle::ModelFile file;
    file.spec = spec;
    file.weights.assign(model.trainable().begin(), model.trainable().end());
    file.class_names = moons.class_names;
    file.feature_names = moons.feature_names;
    file.pipeline = pipeline;
    // The pid keeps concurrent runs (ctest -j) from sharing a file.
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("kettle_example_model_" + std::to_string(::getpid()) + ".h5");
    kettle::save_model(path, file);

    const kettle::ModelFile loaded = kettle::load_model(path);
    const kettle::HybridModel restored = kettle::restore_model(loaded);
    std::filesystem::remove(path);

    // Each model goes through its own pipeline copy: the loaded one must reproduce the raw-row
    // transform too. Bit-for-bit equality is expected, as the same numbers go through the same
    // code, so the scores are compared exactly, not within a tolerance.
    const kettle::FeatureMatrix x_original = pipeline.transform(test.x);
    const kettle::FeatureMatrix x_loaded = loaded.pipeline.transform(test.x);
    std::size_t same_class = 0, same_scores = 0, correct = 0;
    for (Eigen::Index i = 0; i < test.x.rows(); ++i) {
        const std::vector<double> a = row(x_original, i), b = row(x_loaded, i);
        same_class += model.predict(a) == restored.predict(b);
        same_scores += model.scores(a) == restored.scores(b);
        correct += restored.predict(b) == test.y[static_cast<std::size_t>(i)];
    }

    const std::size_t n = test.num_samples();
    fmt::print("trained {} epochs (training accuracy {:.3f}); saved and reloaded {} weights\n", history.size(),
               history.back().accuracy, loaded.weights.size());
    fmt::print("test rows: {}; same class {}, identical scores {}; loaded model correct on {}\n", n, same_class,
               same_scores, correct);

    if (same_class != n || same_scores != n) {
        fmt::print("unexpected: the loaded model disagrees with the trained one\n");
        return 1;
    }
    return 0;
}
