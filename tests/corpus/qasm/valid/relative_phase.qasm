// Relative-phase Toffolis and the multi-controlled gates of qelib1.inc.
OPENQASM 2.0;
include "qelib1.inc";
qreg c[4];
qreg t[1];
h c;
rccx c[0], c[1], t[0];
rc3x c[0], c[1], c[2], t[0];
c3x c[1], c[2], c[3], t[0];
c3sqrtx c[0], c[2], c[3], t[0];
c4x c[0], c[1], c[2], c[3], t[0];
ry(0.3) t[0];
rccx c[3], t[0], c[0];
