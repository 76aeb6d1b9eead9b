// W state on 3 qubits: (|001> + |010> + |100>)/sqrt(3).
OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
// ry(theta) with cos(theta/2) = 1/sqrt(3): theta = 2*atan(sqrt(2)), written without atan
u3(1.9106332362490186,0,0) q[0];
ch q[0],q[1];
cx q[1],q[2];
cx q[0],q[1];
x q[0];
measure q -> c;
