OPENQASM 2.0;
include "qelib1.inc";
// ry(pi/3) puts q0 in cos(pi/6)|0> + sin(pi/6)|1>; x puts q1 in |1>.
qreg q[2];
ry(pi/3) q[0];
x q[1];
