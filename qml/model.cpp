#include "kettle/model.hpp"

namespace kettle {

std::vector<double> Model::scores(std::span<const double> x) const {
    const std::unique_ptr<Workspace> ws = make_workspace();
    std::vector<double> out(num_scores());
    scores(*ws, x, out);
    return out;
}

std::size_t Model::predict(std::span<const double> x) const { return predicted_class(scores(x)); }

}  // namespace kettle
