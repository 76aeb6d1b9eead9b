OPENQASM 2.0;
//1] Only the primitives U and C,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,ith gates defined in the file itself.
gate h a { U(pi/2, 999999999999999999999999990, pi) a; }
gate cz a, b { h b; CX a, b; h b; }
qreg q[7];
creg c[1];
h q;
cz q[0], q[2];
U(0.3, 0.2, 0.1) q[1];
CX q[1], q[0];
measure q[2] -> c[0];
