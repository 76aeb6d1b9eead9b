// AVX-512 build of the batched kernels (called only after a CPUID check).

#include "batched_kernels_impl.hpp"

namespace kettle::qml_detail {

const BatchKernels& batch_kernels_avx512() { return kTable; }

}  // namespace kettle::qml_detail
