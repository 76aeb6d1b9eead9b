#pragma once
// Which instruction set the gate kernels use. The choice is made at run time: the best the CPU
// supports, unless the environment variable KETTLE_ISA (scalar, avx2 or avx512) or set_isa says
// otherwise. One binary runs on any x86-64.

#include <string_view>
#include <vector>

namespace kettle {

enum class Isa { scalar, avx2, avx512 };

[[nodiscard]] std::string_view isa_name(Isa isa) noexcept;
/// Parses "scalar", "avx2" or "avx512"; throws Error(invalid_input) otherwise.
[[nodiscard]] Isa parse_isa(std::string_view name);
/// Whether this CPU can run the kernels of `isa` (avx2 needs AVX2 and FMA; avx512 needs
/// AVX-512 F and DQ).
[[nodiscard]] bool isa_supported(Isa isa) noexcept;
/// Every instruction set this CPU can run, scalar first.
[[nodiscard]] std::vector<Isa> supported_isas();

/// The instruction set in use. On first use it is KETTLE_ISA if set (throwing
/// Error(invalid_input) if the value is unknown or the CPU lacks it), else the best supported.
[[nodiscard]] Isa current_isa();
/// Switches the kernels to `isa`; throws Error(invalid_input) if the CPU lacks it. Not to be
/// called while another thread runs gates.
void set_isa(Isa isa);

}  // namespace kettle
