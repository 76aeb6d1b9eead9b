// Baseline x86-64 (SSE2) build of the batched kernels.

#include "batched_kernels_impl.hpp"

namespace kettle::qml_detail {

const BatchKernels& batch_kernels_scalar() { return kTable; }

}  // namespace kettle::qml_detail
