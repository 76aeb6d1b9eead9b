OPENQASM 2.0;
include "qelib1.inc";
// x puts q0 in |1>; the six swaps reverse the four qubits (taken as a relabelling: one
// permutation of the qubits restores the order at the end), so the |1> is on q3; ry(pi/3) then
// acts on q0, which holds what q3 held: |0>. Probabilities: 3/4 on index 8, 1/4 on index 9.
qreg q[4];
x q[0];
swap q[0],q[1];
swap q[2],q[3];
swap q[1],q[2];
swap q[0],q[1];
swap q[2],q[3];
swap q[1],q[2];
ry(pi/3) q[0];
