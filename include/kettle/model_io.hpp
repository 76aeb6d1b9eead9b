#pragma once
// Model files and checkpoints (HDF5): what rebuilds a trained hybrid model and its feature
// pipeline, and what continues an interrupted training run exactly.
//
// Layout (every object is plain HDF5, readable with h5py):
//   /                 attributes format_version, kettle_version, kind ("kettle-model")
//   /model            attributes of the ModelSpec (names and sizes); datasets observables
//                     (Pauli text), weights (the trainable vector)
//   /classes, /features   class names, raw input column names
//   /pipeline         attributes num_inputs, image_side, image_factor, min_max_low/high;
//                     datasets of the steps present (standard_mean, standard_scale, pca_mean,
//                     pca_components (components x inputs), min_max_min, min_max_max)
//   /optimizer        (optional) attributes name, learning_rate, steps, rng; datasets
//                     setting_names, setting_values, buffer_names, buffer0, buffer1, ...
//   /training         (optional) attributes seed, epochs_done; dataset history (epochs x 6:
//                     epoch, learning rate, loss, accuracy, validation loss and accuracy)
//   /metadata         string attributes (free key/value pairs, e.g. the command line's settings)

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kettle/feature_pipeline.hpp"
#include "kettle/model_spec.hpp"
#include "kettle/optimizer.hpp"
#include "kettle/trainer.hpp"

namespace kettle {

/// Where a training run stands. The Trainer's shuffling generator is a function of its seed
/// and the epochs done (TrainerOptions::start_epoch replays it), so these two numbers are its
/// state.
struct TrainingProgress {
    std::uint64_t seed = 0;
    std::size_t epochs_done = 0;
    std::vector<EpochRecord> history;
};

/// Everything a model file holds.
struct ModelFile {
    ModelSpec spec;                          ///< rebuilds the model (build_model)
    std::vector<double> weights;             ///< HybridModel::trainable()
    std::vector<std::string> class_names;    ///< one per class, in class-index order
    std::vector<std::string> feature_names;  ///< the raw columns the pipeline takes
    FeaturePipeline pipeline;
    std::optional<OptimizerState> optimizer;
    std::optional<TrainingProgress> training;
    std::vector<std::pair<std::string, std::string>> metadata;
};

/// Writes `file` to `path` atomically (a temporary file beside it, flushed, then renamed), so
/// an interrupted save leaves the previous file intact. Throws Error(invalid_input) if the
/// contents are inconsistent (see load_model) or the folder is not writable.
void save_model(const std::filesystem::path& path, const ModelFile& file);

/// Reads and checks a model file: the spec must rebuild a model whose trainable count is the
/// number of weights, the class names must match its classes, the pipeline must be
/// consistent and give the model's features. Throws Error(invalid_input) with one line naming
/// the file and the problem for a missing, truncated, corrupt, foreign (not written by kettle)
/// or newer-format file.
[[nodiscard]] ModelFile load_model(const std::filesystem::path& path);

/// build_model(file.spec) with file.weights set. Throws as build_model and set_trainable.
[[nodiscard]] HybridModel restore_model(const ModelFile& file);

}  // namespace kettle
