OPENQASM 2.0;
include "qelib1.inc";
// A little of everything on 5 qubits, for comparing fused and unfused runs.
qreg q[5];
h q;
rx(0.3) q[0];
ry(-1.2) q[1];
cx q[0],q[1];
rzz(0.7) q[1],q[2];
u3(0.1,0.2,0.3) q[3];
ccx q[0],q[3],q[4];
cp(pi/5) q[4],q[2];
swap q[1],q[3];
sx q[2];
crz(0.4) q[2],q[0];
t q[4];
cswap q[0],q[1],q[2];
