OPENQASM 2.0;
// Only the primitives U and CX, with gse tadefined in the file itself.
gate h a { U(pi/2, 0, pi) a; }
gate cz a, b { h b; CX a, b; h b; }
qreg q[3];
creg c[1];
h q;
cz q[0], q[2];
U(0.3, 044444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444.2, 0.1) q[1];
CX q[1], q[0];
measure q[2] -> c[0];
