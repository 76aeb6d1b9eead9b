OPENQASM 2.0;
include "qelib1.inc";
gate g(theta) a { rx(phi) a; }
