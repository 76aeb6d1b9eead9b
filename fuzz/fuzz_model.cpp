// Fuzz harness: load_model on arbitrary bytes written to a file (HDF5 reads files). A model file
// that loads must restore to a model, survive save_model and a second load unchanged, and, when
// small enough to simulate quickly, give finite class probabilities that sum to 1.

#include <cmath>
#include <filesystem>
#include <optional>
#include <vector>

#include "fuzz_support.hpp"
#include "kettle/loss.hpp"
#include "kettle/model_io.hpp"

namespace kettle::fuzz {

void model_input(std::span<const std::uint8_t> data) {
    const std::filesystem::path file = write_scratch_file("model", data);
    ModelFile f;
    if (!succeeds([&] { f = load_model(file); })) return;
    std::optional<HybridModel> restored;
    check(succeeds([&] { restored.emplace(restore_model(f)); }), "restore_model refuses a file load_model accepted");
    const HybridModel& model = *restored;

    std::filesystem::path copy = file;
    copy += ".copy.h5";
    ModelFile back;
    check(succeeds([&] { save_model(copy, f); }), "save_model refuses a model load_model returned");
    check(succeeds([&] { back = load_model(copy); }), "load_model refuses what save_model wrote");
    std::error_code ignored;
    std::filesystem::remove(copy, ignored);
    check(back.weights == f.weights && back.class_names == f.class_names && back.feature_names == f.feature_names,
          "a model changes through save_model and load_model");

    // Simulate only small models: a 20-qubit circuit of many layers is valid but slow.
    if (model.quantum_layer().circuit().num_qubits() > 8 || model.quantum_layer().circuit().operations().size() > 400) return;
    std::vector<double> row(model.num_features(), 0.5);
    std::vector<double> probabilities;
    if (!succeeds([&] { probabilities = class_probabilities(model.scores(row)); })) return;
    double sum = 0;
    for (double p : probabilities) {
        check(std::isfinite(p) && p >= 0, "a class probability that is negative or not finite");
        sum += p;
    }
    check(std::abs(sum - 1) < 1e-9, "class probabilities that do not sum to 1");
}

}  // namespace kettle::fuzz

KETTLE_FUZZ_ENTRY(model_input)
