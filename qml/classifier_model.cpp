// VariationalClassifier as a Model: the virtual entry points check the workspace's kind and
// forward to the classifier's own members.

#include <fmt/format.h>

#include "classifier_workspace.hpp"
#include "kettle/classifier.hpp"
#include "kettle/error.hpp"

namespace kettle {

std::unique_ptr<Model::Workspace> VariationalClassifier::make_workspace() const {
    return std::make_unique<Workspace>(*this);
}

void VariationalClassifier::scores(Model::Workspace& ws, std::span<const double> x, std::span<double> out) const {
    scores(qml_detail::classifier_workspace(ws, "VariationalClassifier::scores"), x, out);
}

double VariationalClassifier::loss_and_gradient(Model::Workspace& ws, std::span<const double> x, std::size_t label,
                                                const Loss& loss, std::span<double> grad_trainable,
                                                std::span<double> grad_inputs) const {
    return loss_and_gradient(qml_detail::classifier_workspace(ws, "VariationalClassifier::loss_and_gradient"), x, label, loss, grad_trainable,
                             grad_inputs);
}

}  // namespace kettle
