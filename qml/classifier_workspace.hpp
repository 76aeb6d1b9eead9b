#pragma once
// The classifier's own workspace behind a Model::Workspace, shared by the per-sample and the
// batched entry points.

#include <fmt/format.h>

#include "kettle/classifier.hpp"
#include "kettle/error.hpp"

namespace kettle::qml_detail {

/// Throws Error(invalid_input), naming `where`, for a workspace another kind of model made.
inline VariationalClassifier::Workspace& classifier_workspace(Model::Workspace& ws, const char* where) {
    auto* mine = dynamic_cast<VariationalClassifier::Workspace*>(&ws);
    if (mine == nullptr)
        throw Error(ErrorCode::invalid_input, fmt::format("{}: the workspace was made by another kind of model", where));
    return *mine;
}

}  // namespace kettle::qml_detail
