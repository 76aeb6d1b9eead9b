// Grover search on 2 qubits, one iteration, marking |11>.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q;
// oracle
cz q[0],q[1];
// diffusion
h q;
x q;
cz q[0],q[1];
x q;
h q;
measure q -> c;
