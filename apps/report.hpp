#pragma once
// `kettle train --report DIR`: CSV and JSON files of a run, and PNG plots drawn from them by
// scripts/plot_report.py (matplotlib).

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "kettle/dataset.hpp"
#include "kettle/metrics.hpp"
#include "kettle/trainer.hpp"
#include "output.hpp"

namespace kettle::cli {

struct ReportInput {
    std::vector<EpochRecord> history;
    Json metrics;                       ///< written as metrics.json
    ConfusionMatrix confusion;          ///< test rows: true class x predicted class
    std::vector<std::string> class_names;
    /// For a model of two features: the training and test points (model features) and a
    /// function giving the predicted class of a point; empty otherwise.
    FeatureMatrix train_x, test_x;
    std::vector<std::size_t> train_y, test_y;
    std::function<std::size_t(double, double)> classify;
};

/// Writes history.csv, metrics.json, confusion_matrix.csv (and, for two features,
/// decision_boundary.csv and points.csv) into `dir` (created if needed), then runs the plot
/// script. Throws Error(invalid_input) if the folder cannot be written; a failed plot only
/// warns on stderr, keeping the data files.
void write_report(const std::string& dir, const ReportInput& input);

}  // namespace kettle::cli
