"""Every kind of bad usage and bad input: exit code, one stderr line, the key phrase."""

import os

from kettle_cli import SCRATCH, check, corpus, expect_error, finish, kettle

USAGE, INVALID, RESOURCE = 2, 3, 4
bell = corpus("bell.qasm")

# Usage errors (exit 2): CLI11 parse errors and option values.
expect_error(["run", bell, "--shots", "abc"], USAGE, [r"--shots: expected a non-negative integer, got 'abc'"])
expect_error(["run", bell, "--shots", "-3"], USAGE, [r"--shots"])
expect_error(["run", bell, "--seed", "x1"], USAGE, [r"--seed: expected a non-negative integer, got 'x1'"])
expect_error(["run", bell, "--threads", "two"], USAGE, [r"--threads: expected an integer from 0 to \d+, got 'two'"])
expect_error(["run", bell, "--fusion", "9"], USAGE, [r"--fusion: expected auto or an integer in 0..6, got '9'"])
expect_error(["run", bell, "--precision", "quad"], USAGE, [r"--precision: expected single or double, got 'quad'"])
expect_error(["run", bell, "--format", "xml"], USAGE, [r"--format: expected json or table, got 'xml'"])
expect_error(["info", "--format", "yaml"], USAGE, [r"--format"], prefix="kettle info: ")
expect_error(["run", bell, "--bogus"], USAGE, [r"--bogus"])
expect_error(["run"], USAGE, [r"FILE"])
expect_error(["frobnicate"], USAGE, [r"unknown subcommand 'frobnicate'"], prefix="kettle: ")
expect_error(["--max-memory", "1G", "frobnicate", bell], USAGE, [r"unknown subcommand 'frobnicate'"], prefix="kettle: ")
expect_error([], USAGE, [r"subcommand"], prefix="kettle: ")
expect_error(["--max-memory", "4Q", "run", bell], USAGE,
             [r"--max-memory: expected a byte count such as .*, got '4Q'"])

# Invalid input (exit 3): files and circuits.
missing = corpus("no_such_file.qasm")
expect_error(["run", missing], INVALID, [r"no_such_file\.qasm", r"cannot open|no such file|does not exist"])
expect_error(["run", corpus("syntax_error.qasm")], INVALID, [r"syntax_error\.qasm:\d+:\d+"])
expect_error(["run", corpus("unknown_gate.qasm")], INVALID, [r"unknown_gate\.qasm:\d+:\d+", r"frobnicate"])
expect_error(["run", corpus("qubit_out_of_range.qasm")], INVALID,
             [r"qubit_out_of_range\.qasm:\d+:\d+", r"\b5\b", r"range|bounds|size|exceed|only"])
expect_error(["run", corpus("same_qubit_twice.qasm")], INVALID,
             [r"same_qubit_twice\.qasm:\d+:\d+", r"twice|same|duplicate|distinct|repeated"])
expect_error(["run", corpus("wrong_param_count.qasm")], INVALID,
             [r"wrong_param_count\.qasm:\d+:\d+", r"param|argument|angle"])
expect_error(["run", corpus("undeclared_register.qasm")], INVALID,
             [r"undeclared_register\.qasm:\d+:\d+", r"anc"])
expect_error(["run", corpus("infinite_param.qasm")], INVALID,
             [r"infinite_param\.qasm:\d+:\d+", r"nan|inf|finite|division|zero"])
expect_error(["run", corpus("opaque_gate.qasm")], INVALID, [r"opaque_gate\.qasm:\d+:\d+", r"opaque"])
expect_error(["run", corpus("empty.qasm")], INVALID, [r"empty\.qasm", r"empty(?!\.qasm)|end of file"])
expect_error(["run", corpus("binary.qasm")], INVALID, [r"binary\.qasm", r"text|binary"])
expect_error(["run", os.path.dirname(bell)], INVALID, [r"directory|not a (regular )?file|cannot"])

# Invalid observables (exit 3).
expect_error(["run", bell, "--expect", "Z0 Q1"], INVALID, [r"--expect 'Z0 Q1'"])
expect_error(["run", bell, "--expect", "Z0", "--expect", "Z5"], INVALID,
             [r"--expect 'Z5': names qubit 5, but the circuit has 2 qubits \(valid 0\.\.1\)"])
expect_error(["run", bell, "--expect", ""], INVALID, [r"--expect ''"])
expect_error(["run", bell, "--expect", "-Z0 + W1"], INVALID, [r"--expect '-Z0 \+ W1'"])

# Resource limits (exit 4), checked before allocating.
expect_error(["run", corpus("register40.qasm")], RESOURCE, [r"40-qubit state", r"bytes"])
expect_error(["run", corpus("register200.qasm")], RESOURCE, [r"200-qubit state"])
expect_error(["run", corpus("register40.qasm"), "--precision", "single"], RESOURCE, [r"single precision"])
# A 12-qubit double state takes 64 KiB: over a 16 KiB cap, given before or after the subcommand.
expect_error(["--max-memory", "16K", "run", corpus("twelve.qasm")], RESOURCE, [r"12-qubit state"])
expect_error(["run", corpus("twelve.qasm"), "--max-memory", "16KiB"], RESOURCE, [r"12-qubit state"])
r = kettle("--max-memory", "1M", "run", corpus("twelve.qasm"))
check(r.returncode == 0, "a 12-qubit run fits in --max-memory 1M", r)

# Errors while saving: a folder that does not exist.
expect_error(["run", bell, "--save-state", "no/such/folder/out.h5"], INVALID, [r"save_state", r"out\.h5"])
check(not os.path.exists(os.path.join(SCRATCH, "no")), "a failed save leaves nothing behind")

finish()
