// Generated from Cirq v1.2.0

OPENQASM 2.0;
include "qelib1.inc";


// Qubits: [q(0), q(1), q(2)]
qreg q[3];
creg m_result[3];


h q[0];
cx q[0],q[1];
u3(pi*0.5,0,pi*0.25) q[2];
rx(pi*0.3) q[1];

// Gate: ZZ**0.25
u3(pi*0.5,0,pi*1.0) q[2];
rz(pi*-0.25) q[0];
ry(pi*1.5) q[2];
cz q[1],q[2];
u2(0, pi*-0.5) q[1];
sx q[0];
sxdg q[2];
rz(pi*0.125) q[2];
id q[1];

// Gate: PhasedXPowGate(phase_exponent=0.25, exponent=0.5)
rz(pi*-0.25) q[0];
rx(pi*0.5) q[0];
rz(pi*0.25) q[0];
measure q[0] -> m_result[0];
measure q[1] -> m_result[1];
measure q[2] -> m_result[2];
