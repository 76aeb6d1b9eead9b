OPENQASM 2.0;
include "qelib1.inc";
qreg q[200];
h q[0];
