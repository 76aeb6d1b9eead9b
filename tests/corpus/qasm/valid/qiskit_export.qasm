OPENQASM 2.0;
include "qelib1.inc";
gate bell_pair q0,q1 { h q0; cx q0,q1; }
gate rzx(param0) q0,q1 { h q1; cx q0,q1; rz(param0) q1; cx q0,q1; h q1; }
gate ecr q0,q1 { rzx(pi/4) q0,q1; x q0; rzx(-pi/4) q0,q1; }
gate ryy(param0) q0,q1 { rx(pi/2) q0; rx(pi/2) q1; cx q0,q1; rz(param0) q1; cx q0,q1; rx(-pi/2) q0; rx(-pi/2) q1; }
gate r(param0,param1) q0 { u3(param0,param1 - pi/2,-param1 + pi/2) q0; }
qreg q[3];
creg meas[3];
bell_pair q[0],q[1];
rzx(pi/3) q[1],q[2];
ecr q[2],q[0];
ryy(0.7) q[0],q[2];
r(0.4,1.1) q[1];
sx q[2];
p(pi/8) q[0];
u(0.1,0.2,0.3) q[1];
barrier q[0],q[1],q[2];
measure q[0] -> meas[0];
measure q[1] -> meas[1];
measure q[2] -> meas[2];
