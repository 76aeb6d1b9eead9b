OPENQASM 2.0;
qreg q[2];
gate g(a) x { U(a, 0, 0) x; }
gate h2 x, y { g(1) x; CX x, y; g(-1) y; }
h2 q[0], q[1];
opaque magic(a) x;
