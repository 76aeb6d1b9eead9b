#pragma once
// OpenQASM 2.0: reading programs into Circuits and writing Circuits back out.

#include <filesystem>
#include <string>
#include <string_view>

#include "kettle/circuit.hpp"

namespace kettle {

// Thread safety: read_qasm, read_qasm_file and write_qasm keep no state between calls; threads
// may call them at once.

/// Parses an OpenQASM 2.0 program. `include "qelib1.inc";` is built in (Qiskit's version); user
/// `gate` definitions are expanded inline, registers become consecutive qubit/bit ranges in
/// declaration order, and every `qreg`/`creg` is kept in the circuit's register lists.
/// Throws Error(invalid_input) with `filename:line:column: ...` on any error, including
/// `opaque` gates, unknown gates, out-of-range indices and recursion or nesting past fixed
/// limits; Error(resource_limit) for registers past Circuit::max_qubits, or when the expanded
/// program (past 2^16 operations) would not fit in memory. Cost: linear in the size of the
/// expanded program.
[[nodiscard]] Circuit read_qasm(std::string_view source, std::string_view filename = "<string>");

/// Reads and parses a file. Throws Error(invalid_input) if it cannot be read, is empty, or is
/// not text (NUL or control bytes), and Error(resource_limit) for files over 256 MiB, before
/// reading them.
[[nodiscard]] Circuit read_qasm_file(const std::filesystem::path& path);

/// Writes `c` as OpenQASM 2.0 (with `include "qelib1.inc";`) that read_qasm turns back into an
/// equal Circuit; numbers are printed in their shortest exact form. Two cases read back
/// equivalent rather than equal: a control on |0> is written as `x` before and after the gate,
/// and an uncontrolled `ug` as `u` (its global phase is unobservable). `ryy` is written by name
/// (kettle's qelib1.inc has it; other tools' may not). Throws Error(invalid_input) for what
/// OpenQASM 2.0 cannot express: unbound symbolic parameters, `unitary` matrices, controlled
/// gates qelib1.inc has no name for, and register names that are not identifiers.
[[nodiscard]] std::string write_qasm(const Circuit& c);

}  // namespace kettle
