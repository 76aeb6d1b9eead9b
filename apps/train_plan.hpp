#pragma once
// What `kettle train` runs: the data split, the fitted feature pipeline, the model and the
// settings, worked out from the command line (with defaults) or from a checkpoint to resume.

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kettle/dataset.hpp"
#include "kettle/model_io.hpp"
#include "output.hpp"

namespace kettle::cli {

/// Defaults chosen so that the bundled sets reach their targets in well under a minute.
inline constexpr std::size_t kMaxDefaultQubits = 8;
inline constexpr std::size_t kDefaultEpochs = 30;
inline constexpr double kDefaultLearningRate = 0.05;
inline constexpr std::size_t kDefaultLayers = 3;

struct TrainPlan {
    Dataset train, test;
    FeaturePipeline pipeline;
    FeatureMatrix train_x, test_x;  ///< model features
    ModelSpec spec;
    HybridModel model;
    double learning_rate = 0;
    std::size_t epochs = 0, start_epoch = 0;
    std::vector<EpochRecord> history;     ///< of the epochs a checkpoint already holds
    std::optional<ModelFile> resumed;
    std::vector<std::pair<std::string, std::string>> metadata;
    std::uint64_t seed = 0;

    /// The model file (or checkpoint) after `epochs_done` epochs.
    [[nodiscard]] ModelFile file(const Optimizer& optimizer, std::size_t epochs_done,
                                 const std::vector<EpochRecord>& history) const;
};

/// Reads the data, splits it, fits the pipeline and builds the model (or restores all of it
/// from --resume, after checking that the command line asks for the same run). Throws
/// Error(invalid_input) for bad data or a checkpoint of another run.
[[nodiscard]] TrainPlan make_plan(const TrainArgs& args);

/// The model part of the JSON output.
[[nodiscard]] Json spec_json(const ModelSpec& spec, const HybridModel& model);

}  // namespace kettle::cli
