OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
ry(sqrt(-1)) q[0];
