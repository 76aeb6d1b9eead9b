OPENQASM 2.0;
include "qelib1.inc";
gate inv(t) a { rx(1/t) a; }
qreg q[1];
inv(0.5) q[0];
inv(0) q[0];
