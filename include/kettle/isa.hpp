#pragma once
// Which instruction set the gate kernels use. The choice is made at run time: the best the CPU
// supports, unless the environment variable KETTLE_ISA (scalar, avx2 or avx512) or set_isa says
// otherwise. One binary runs on any x86-64. Within an instruction set, the dense kernels' form
// of complex products is chosen the same way (DenseProducts).

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

/// How the AVX2 and AVX-512 dense kernels of 2 and 3 qubits multiply complex numbers: four real
/// products per matrix entry, or three (Gauss's product: (c + i d)(a + i b) from c a, d b and
/// (c + d)(a + b)) plus the shuffles that split real from imaginary parts and join them again.
/// Which is faster depends on the core: on Intel's the shuffles share a port with the FMAs and
/// cost more than the products saved; on AMD's they run beside them and three is 3-14% faster.
/// 4- and 5-qubit gates always take three, 1-qubit gates and the scalar kernels four. The two
/// agree to rounding (a few units in the last place), not bit for bit.
enum class DenseProducts { four, three };

[[nodiscard]] std::string_view dense_products_name(DenseProducts products) noexcept;
/// Parses "four" or "three"; throws Error(invalid_input) otherwise.
[[nodiscard]] DenseProducts parse_dense_products(std::string_view name);
/// The form in use. On first use it is KETTLE_DENSE_PRODUCTS (four or three) if set (throwing
/// Error(invalid_input) if the value is unknown), else three on AMD cores and four elsewhere.
[[nodiscard]] DenseProducts dense_products();
/// Switches the form; as set_isa, not while another thread runs gates.
void set_dense_products(DenseProducts products) noexcept;

}  // namespace kettle
