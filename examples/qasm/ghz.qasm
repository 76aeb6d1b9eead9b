OPENQASM 2.0;
// A 4-qubit GHZ state: (|0000> + |1111>) / sqrt(2).
// `kettle run ghz.qasm --probs` shows probability 0.5 at indices 0 and 15; the measurements
// are terminal, so they do not collapse the state and `--shots N` samples it in one pass.
include "qelib1.inc";

qreg q[4];
creg c[4];

h q[0];
cx q[0], q[1];
cx q[1], q[2];
cx q[2], q[3];

barrier q;
measure q -> c;
