OPENQASM 2.0;
include "qelib1.inc";
qreg a[3];
qreg b[2];
creg c[3];
creg d[2];
gate rot(theta, phi) x, y { rz(theta/2) x; cx x, y; ry(-phi*pi^2/sqrt(2)) y; u3(sin(theta), cos(phi), exp(ln(2))) x; }
gate wrap(t) x, y, z { rot(t, -t) x, y; barrier x, z; ccx x, y, z; }
U(0.1, 0.2, 0.3) a[0];
CX a[0], b[0];
wrap(pi/3) a[0], a[1], a[2];
cu1(tan(0.4)) a[1], b[1];
swap a[2], b[0];
barrier a, b;
measure a[0] -> c[0];
if (c == 1) x b[1];
reset a[0];
measure a -> c;
measure b -> d;
