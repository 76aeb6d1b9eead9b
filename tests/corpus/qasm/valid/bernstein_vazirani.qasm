// Bernstein-Vazirani with the secret 1011 (bit 0 is q[0]); q[4] is the oracle's ancilla.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[5];
creg c[4];
x q[4];
h q;
barrier q;
cx q[0],q[4];
cx q[1],q[4];
cx q[3],q[4];
barrier q;
h q;
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
measure q[3] -> c[3];
