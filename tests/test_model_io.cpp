// Model files: a loaded model predicts bit for bit what the saved one did; a resumed run ends
// with the weights of an uninterrupted one; damaged and foreign files give one clear error.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <hdf5.h>
#include <random>
#include <string>
#include <unistd.h>

#include "support/file_bytes.hpp"
#include "kettle/error.hpp"
#include "kettle/model_io.hpp"
#include "kettle/split.hpp"
#include "kettle/state_io.hpp"
#include "kettle/synthetic.hpp"

namespace kettle {
namespace {

std::filesystem::path temp_dir() {
    const auto dir = std::filesystem::temp_directory_path() / ("kettle_model_io_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

struct Fixture {
    Dataset data = make_moons(120, 0.1, 3);
    FeaturePipeline pipeline;
    FeatureMatrix features;
    ModelSpec spec;

    Fixture() {
        // Three raw columns (the third a mix of the two), so that PCA has something to drop.
        FeatureMatrix raw(data.x.rows(), 3);
        raw << data.x, data.x.col(0) * 0.5 - data.x.col(1);
        data.x = raw;
        data.feature_names = {"a", "b", "c"};
        PipelineOptions o;
        o.pca_components = 2;
        pipeline = FeaturePipeline::fit(data.x, o);
        features = pipeline.transform(data.x);
        spec.num_features = 2;
        spec.num_qubits = 2;
        spec.layers = 2;
        spec.output_layer = true;
        spec.input_layer = true;
    }

    ModelFile file_of(const HybridModel& m, const Optimizer& opt, std::size_t epochs, std::uint64_t seed,
                      const std::vector<EpochRecord>& history) const {
        ModelFile f;
        f.spec = spec;
        f.weights.assign(m.trainable().begin(), m.trainable().end());
        f.class_names = data.class_names;
        f.feature_names = data.feature_names;
        f.pipeline = pipeline;
        f.optimizer = opt.state();
        f.training = TrainingProgress{seed, epochs, history};
        f.metadata = {{"loss", "binary_cross_entropy"}, {"note", "written by test_model_io"}};
        return f;
    }
};

TEST(ModelIo, LoadedModelPredictsBitForBit) {
    const Fixture fx;
    HybridModel model = build_model(fx.spec);
    model.initialize(4);
    BinaryCrossEntropy loss;
    Adam adam(0.05);
    TrainerOptions t;
    t.epochs = 3;
    t.seed = 5;
    const auto history = Trainer(loss, adam, t).fit(model, fx.features, fx.data.y);
    const auto path = temp_dir() / "model.h5";
    save_model(path, fx.file_of(model, adam, 3, 5, history));

    const ModelFile loaded = load_model(path);
    const HybridModel back = restore_model(loaded);
    // The pipeline is restored number for number, so new raw rows map to the same features.
    const FeatureMatrix again = loaded.pipeline.transform(fx.data.x);
    ASSERT_EQ(again.rows(), fx.features.rows());
    for (Eigen::Index r = 0; r < again.rows(); ++r) {
        const std::vector<double> x0{fx.features(r, 0), fx.features(r, 1)}, x1{again(r, 0), again(r, 1)};
        EXPECT_EQ(x0, x1);
        EXPECT_EQ(model.scores(x0), back.scores(x1)) << "row " << r;
    }
    EXPECT_EQ(loaded.class_names, fx.data.class_names);
    EXPECT_EQ(loaded.feature_names, fx.data.feature_names);
    EXPECT_EQ(loaded.spec.observables, std::vector<std::string>({"Z0", "Z1"}));
    ASSERT_TRUE(loaded.optimizer && loaded.training);
    EXPECT_EQ(loaded.optimizer->steps, adam.state().steps);
    EXPECT_EQ(loaded.optimizer->buffers, adam.state().buffers);
    EXPECT_EQ(loaded.training->epochs_done, 3u);
    ASSERT_EQ(loaded.training->history.size(), 3u);
    EXPECT_EQ(loaded.training->history[2].loss, history[2].loss);
    EXPECT_EQ(loaded.metadata.size(), 2u);
    std::filesystem::remove(path);
}

// HDF5 stamps each object with the time of the save unless told not to; kettle's files carry
// none, so saves of the same model a second apart are the same bytes.
TEST(ModelIo, SavesOfTheSameModelAreTheSameBytes) {
    const Fixture fx;
    HybridModel model = build_model(fx.spec);
    model.initialize(4);
    Adam adam(0.05);
    const ModelFile file = fx.file_of(model, adam, 0, 5, {});
    const auto first = temp_dir() / "first.h5", second = temp_dir() / "second.h5";
    save_model(first, file);
    ::usleep(1'100'000);
    save_model(second, file);
    EXPECT_EQ(test::file_bytes(first), test::file_bytes(second));
    std::filesystem::remove(first);
    std::filesystem::remove(second);
}

std::vector<double> run(const Fixture& fx, std::size_t epochs, const char* optimizer, const ModelFile* resume,
                        ModelFile* checkpoint) {
    HybridModel model = build_model(fx.spec);
    model.initialize(4);
    auto opt = make_optimizer(optimizer, 0.05, 7);
    TrainerOptions t;
    t.epochs = epochs;
    t.seed = 9;
    t.batch_size = 8;
    t.validation_fraction = 0.2;
    if (resume) {
        model.set_trainable(resume->weights);
        opt->restore(*resume->optimizer);
        t.start_epoch = resume->training->epochs_done;
    }
    BinaryCrossEntropy loss;
    const auto history = Trainer(loss, *opt, t).fit(model, fx.features, fx.data.y);
    if (checkpoint) *checkpoint = fx.file_of(model, *opt, epochs, 9, history);
    return {model.trainable().begin(), model.trainable().end()};
}

TEST(ModelIo, ResumedRunEndsWithTheUninterruptedWeights) {
    const Fixture fx;
    for (const char* optimizer : {"adam", "sgd", "spsa"}) {
        const std::vector<double> straight = run(fx, 4, optimizer, nullptr, nullptr);
        ModelFile half;
        (void)run(fx, 2, optimizer, nullptr, &half);
        const auto path = temp_dir() / "checkpoint.h5";
        save_model(path, half);
        const ModelFile loaded = load_model(path);
        const std::vector<double> resumed = run(fx, 4, optimizer, &loaded, nullptr);
        EXPECT_EQ(straight, resumed) << optimizer;
        EXPECT_NE(straight, half.weights) << optimizer;  // the last two epochs did move the weights
        std::filesystem::remove(path);
    }
}

TEST(ModelIo, OptimizerStateChecks) {
    Adam adam(0.1);
    Sgd sgd(0.1, 0.9);
    EXPECT_THROW(sgd.restore(adam.state()), Error);
    Adam other(0.1, 0.8);
    try {
        other.restore(adam.state());
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "adam::restore: the state was saved with other settings than this optimizer's");
    }
    OptimizerState bad = Spsa(0.1).state();
    bad.rng = "not numbers";
    EXPECT_THROW(Spsa(0.1).restore(bad), Error);
}

void expect_load_error(const std::filesystem::path& path, const std::string& fragment) {
    try {
        (void)load_model(path);
        FAIL() << "no error for " << path;
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        const std::string what = e.what();
        EXPECT_NE(what.find(fragment), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_EQ(what.rfind("load_model: '", 0), 0u) << what;
    }
}

TEST(ModelIo, DamagedAndForeignFiles) {
    const Fixture fx;
    HybridModel model = build_model(fx.spec);
    model.initialize(1);
    Adam adam(0.1);
    const auto dir = temp_dir();
    const auto good = dir / "good.h5";
    save_model(good, fx.file_of(model, adam, 0, 0, {}));
    const std::string bytes = test::file_bytes(good);

    expect_load_error(dir / "missing.h5", "does not exist");
    for (std::size_t keep : {std::size_t{100}, bytes.size() / 2, bytes.size() - 1}) {
        const auto cut = dir / "cut.h5";
        std::ofstream(cut, std::ios::binary).write(bytes.data(), std::streamsize(keep));
        expect_load_error(cut, "");
    }
    const auto text = dir / "text.h5";
    std::ofstream(text) << "a,b\n1,2\n";
    expect_load_error(text, "is not an HDF5 file");
    const auto state = dir / "state.h5";
    save_state(state, StateVector<double>(2));
    expect_load_error(state, "is not a kettle model file");
    // Flipped bytes in the middle of the data: either the HDF5 layer or the checks object.
    std::string damaged = bytes;
    std::mt19937_64 rng(1);
    for (int i = 0; i < 64; ++i) damaged[bytes.size() / 4 + rng() % (bytes.size() / 2)] ^= char(0x5a);
    const auto flipped = dir / "flipped.h5";
    std::ofstream(flipped, std::ios::binary) << damaged;
    try {
        const ModelFile f = load_model(flipped);
        // Damage the checks cannot see (inside a number) still gives a consistent, usable model.
        EXPECT_NO_THROW((void)restore_model(f));
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    }

    // A list of strings where one string belongs (an h5py user's attrs['tags'] = ['a', 'b']):
    // refused, not read into room for one.
    const auto listed = dir / "listed.h5";
    std::filesystem::copy_file(good, listed, std::filesystem::copy_options::overwrite_existing);
    {
        const hid_t file = H5Fopen(listed.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hid_t group = H5Gopen2(file, "metadata", H5P_DEFAULT);
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, H5T_VARIABLE);
        const hsize_t two = 2;
        const hid_t space = H5Screate_simple(1, &two, nullptr);
        const hid_t attribute = H5Acreate2(group, "tags", type, space, H5P_DEFAULT, H5P_DEFAULT);
        const char* values[2] = {"a", "b"};
        EXPECT_GE(H5Awrite(attribute, type, values), 0);
        H5Aclose(attribute);
        H5Sclose(space);
        H5Tclose(type);
        H5Gclose(group);
        H5Fclose(file);
    }
    expect_load_error(listed, "has an attribute 'tags' of 2 values, expected one");

    // Inconsistent contents are refused before anything is written.
    ModelFile f = fx.file_of(model, adam, 0, 0, {});
    f.weights.pop_back();
    try {
        save_model(dir / "bad.h5", f);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("save_model: the model holds", 0), 0u) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5"));
    f = fx.file_of(model, adam, 0, 0, {});
    f.class_names.push_back("extra");
    EXPECT_THROW(save_model(dir / "bad.h5", f), Error);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kettle
