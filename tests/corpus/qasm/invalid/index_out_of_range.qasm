OPENQASM 2.0;
include "qelib1.inc";
qreg q[5];
x q[7];
