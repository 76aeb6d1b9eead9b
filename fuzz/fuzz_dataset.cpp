// Fuzz harness: load_dataset and load_features on arbitrary bytes written to a file (HDF5 reads
// files). A data set that loads must be consistent and survive save_dataset and a second load
// unchanged.

#include <cmath>
#include <filesystem>
#include <string>

#include "fuzz_support.hpp"
#include "kettle/dataset_io.hpp"

namespace kettle::fuzz {
namespace {

/// The promises of a Dataset that load_dataset returns.
void check_dataset(const Dataset& d) {
    check(d.y.size() == d.num_samples(), "one label per row");
    check(d.feature_names.size() == d.num_features(), "one name per feature column");
    check(d.num_samples() >= 2 && d.num_features() > 0, "a data set with too few rows or no features");
    check(d.num_classes() >= 2, "a data set with fewer than two classes");
    for (std::size_t label : d.y) check(label < d.num_classes(), "a label index past the classes");
    for (Eigen::Index r = 0; r < d.x.rows(); ++r)
        for (Eigen::Index c = 0; c < d.x.cols(); ++c) check(std::isfinite(d.x(r, c)), "a NaN or infinite feature");
}

}  // namespace

void dataset_input(std::span<const std::uint8_t> data) {
    const std::filesystem::path file = write_scratch_file("dataset", data);
    Dataset d;
    Dataset features;
    const bool loaded = succeeds([&] { d = load_dataset(file); });
    const bool features_loaded = succeeds([&] { features = load_features(file); });
    if (!loaded) return;
    check(features_loaded && features.x == d.x, "load_features fails or differs where load_dataset succeeds");
    check_dataset(d);
    // What loads must save (save_dataset refuses what load_dataset would) and load back equal.
    std::filesystem::path copy = file;
    copy += ".copy.h5";
    Dataset back;
    check(succeeds([&] { save_dataset(copy, d); }), "save_dataset refuses a data set load_dataset returned");
    check(succeeds([&] { back = load_dataset(copy); }), "load_dataset refuses what save_dataset wrote");
    std::error_code ignored;
    std::filesystem::remove(copy, ignored);
    check(back.x == d.x && back.y == d.y && back.class_names == d.class_names && back.feature_names == d.feature_names,
          "a data set changes through save_dataset and load_dataset");
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(dataset_input)
