// VariationalClassifier as a Model: the virtual entry points check the workspace's kind and
// forward to the classifier's own members.

#include <fmt/format.h>

#include "kettle/classifier.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

VariationalClassifier::Workspace& own(Model::Workspace& ws, const char* where) {
    auto* mine = dynamic_cast<VariationalClassifier::Workspace*>(&ws);
    if (mine == nullptr)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the workspace was made by another kind of model", where));
    return *mine;
}

}  // namespace

std::unique_ptr<Model::Workspace> VariationalClassifier::make_workspace() const {
    return std::make_unique<Workspace>(*this);
}

void VariationalClassifier::scores(Model::Workspace& ws, std::span<const double> x, std::span<double> out) const {
    scores(own(ws, "VariationalClassifier::scores"), x, out);
}

double VariationalClassifier::loss_and_gradient(Model::Workspace& ws, std::span<const double> x, std::size_t label,
                                                const Loss& loss, std::span<double> grad_trainable,
                                                std::span<double> grad_inputs) const {
    return loss_and_gradient(own(ws, "VariationalClassifier::loss_and_gradient"), x, label, loss, grad_trainable,
                             grad_inputs);
}

}  // namespace kettle
