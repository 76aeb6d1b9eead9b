OPENQASM 2.0;
include "qelib1.inc";
// Parameterised user gates that call each other with expressions of their parameters.
gate rot(theta, phi) a { rz(phi) a; ry(theta) a; rz(-phi) a; }
gate entangle(alpha) a, b { rot(alpha, alpha/2) a; cx a, b; rot(2*alpha - pi/4, 0) b; }
gate layer(t) a, b, c {
  entangle(t) a, b;
  entangle(t^2) b, c;
  barrier a, b, c;
  rot(sin(t), cos(t)) c;
}
gate empty a { }
qreg q[3];
qreg anc[2];
creg c[5];
layer(0.3) q[0], q[1], q[2];
layer(-1.25) q[2], anc[0], q[0];
entangle(pi/5) anc[0], anc[1];
empty q;

