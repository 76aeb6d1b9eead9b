// Mid-circuit measurement, reset, and conditions on multi-bit registers.
OPENQASM 2.0;
include "qelib1.inc";
gate flip a, b { x a; barrier a, b; x b; }
qreg q[4];
creg m[2];
creg out[4];
h q[0];
h q[1];
measure q[0] -> m[0];
measure q[1] -> m[1];
if(m==3) x q[2];
if (m == 0) flip q[2], q[3];
if(m==1) measure q[2] -> out[2];
reset q[0];
reset q;
if(m==2) reset q[1];
if(m==1) u(0.5,0.25,0.125) q[3];
x q[3];
measure q -> out;
