OPENQASM 2.0;
include "qelib1.inc";
// A mid-circuit measurement steers a later gate: every shot is its own simulation.
qreg q[3];
creg c[3];
h q[0];
measure q[0] -> c[0];
if(c==1) x q[1];
h q[2];
measure q[1] -> c[1];
measure q[2] -> c[2];
