#!/usr/bin/env python3
"""An independent, deliberately simple OpenQASM 2.0 simulator to check kettle against.

It shares no code with kettle: its own tokenizer and expression evaluator, gate matrices written
from their definitions (Qiskit's qelib1.inc, global phases included), and dense numpy state
updates. It reads the subset the corpus uses: registers, user gates (expanded), barriers, and
measurements that are terminal. Programs with reset, `if`, opaque gates or mid-circuit
measurements are outside that subset (exit code 3).

    qasm_reference.py FILE                      print {"num_qubits": n, "probabilities": [...]}
    qasm_reference.py --check FILE              exit 0 if FILE is in the subset, 3 if not
    qasm_reference.py --compare OUT.json FILE   compare kettle's `run --probs --format json`
                                                output to the reference (tolerance 1e-10)
"""

import cmath
import json
import math
import re
import sys

import numpy as np


class Unsupported(Exception):
    """The program uses something outside the reference's subset."""


TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<number>(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>"[^"\n]*")
  | (?P<symbol>->|==|[()\[\]{},;+\-*/^])
""", re.VERBOSE | re.DOTALL)


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot tokenize at offset {pos}: {text[pos:pos + 20]!r}")
        pos = m.end()
        if m.lastgroup != "space":
            tokens.append(m.group())
    return tokens


# ---- gate matrices (row/column bit j is the gate's j-th qubit argument) ----

I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.diag([1, -1]).astype(complex)
H = np.array([[1, 1], [1, -1]], dtype=complex) / math.sqrt(2)
SX = np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]], dtype=complex) / 2


def u(theta, phi, lam):
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -cmath.exp(1j * lam) * s],
                     [cmath.exp(1j * phi) * s, cmath.exp(1j * (phi + lam)) * c]])


def phase(lam):
    return np.diag([1, cmath.exp(1j * lam)])


def rot(pauli, theta):
    """exp(-i theta/2 P) for a Pauli (or Pauli product) P with P^2 = I."""
    return math.cos(theta / 2) * np.eye(len(pauli)) - 1j * math.sin(theta / 2) * pauli


def two(a, b):
    """a on argument 0 and b on argument 1: argument 0 is the low bit, so b (x) a."""
    return np.kron(b, a)


def controlled(m, controls):
    """Controls are the first arguments (low bits); m acts on the rest when all are 1."""
    k = int(round(math.log2(len(m))))
    dim = 2 ** (controls + k)
    out = np.eye(dim, dtype=complex)
    on = (1 << controls) - 1
    for r in range(2 ** k):
        for c in range(2 ** k):
            out[(r << controls) | on, (c << controls) | on] = m[r, c]
    return out


SWAP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex)

# name: (number of parameters, number of qubits, matrix from parameters)
GATES = {
    "U": (3, 1, lambda p: u(*p)), "u3": (3, 1, lambda p: u(*p)), "u": (3, 1, lambda p: u(*p)),
    "u2": (2, 1, lambda p: u(math.pi / 2, *p)), "u1": (1, 1, lambda p: phase(*p)),
    "p": (1, 1, lambda p: phase(*p)), "u0": (1, 1, lambda p: I2), "id": (0, 1, lambda p: I2),
    "CX": (0, 2, lambda p: controlled(X, 1)), "cx": (0, 2, lambda p: controlled(X, 1)),
    "x": (0, 1, lambda p: X), "y": (0, 1, lambda p: Y), "z": (0, 1, lambda p: Z), "h": (0, 1, lambda p: H),
    "s": (0, 1, lambda p: phase(math.pi / 2)), "sdg": (0, 1, lambda p: phase(-math.pi / 2)),
    "t": (0, 1, lambda p: phase(math.pi / 4)), "tdg": (0, 1, lambda p: phase(-math.pi / 4)),
    "rx": (1, 1, lambda p: rot(X, p[0])), "ry": (1, 1, lambda p: rot(Y, p[0])),
    "rz": (1, 1, lambda p: rot(Z, p[0])), "sx": (0, 1, lambda p: SX), "sxdg": (0, 1, lambda p: SX.conj().T),
    "cz": (0, 2, lambda p: controlled(Z, 1)), "cy": (0, 2, lambda p: controlled(Y, 1)),
    "swap": (0, 2, lambda p: SWAP), "ch": (0, 2, lambda p: controlled(H, 1)),
    "ccx": (0, 3, lambda p: controlled(X, 2)), "cswap": (0, 3, lambda p: controlled(SWAP, 1)),
    "crx": (1, 2, lambda p: controlled(rot(X, p[0]), 1)), "cry": (1, 2, lambda p: controlled(rot(Y, p[0]), 1)),
    "crz": (1, 2, lambda p: controlled(rot(Z, p[0]), 1)), "cu1": (1, 2, lambda p: controlled(phase(p[0]), 1)),
    "cp": (1, 2, lambda p: controlled(phase(p[0]), 1)), "cu3": (3, 2, lambda p: controlled(u(*p), 1)),
    "csx": (0, 2, lambda p: controlled(SX, 1)),
    "cu": (4, 2, lambda p: controlled(cmath.exp(1j * p[3]) * u(p[0], p[1], p[2]), 1)),
    "rxx": (1, 2, lambda p: rot(two(X, X), p[0])), "ryy": (1, 2, lambda p: rot(two(Y, Y), p[0])),
    "rzz": (1, 2, lambda p: rot(two(Z, Z), p[0])),
    "c3x": (0, 4, lambda p: controlled(X, 3)), "c3sqrtx": (0, 4, lambda p: controlled(SX, 3)),
    "c4x": (0, 5, lambda p: controlled(X, 4)),
}

# The relative-phase Toffolis have no closed form worth writing; qelib1.inc defines them so.
QELIB1_DEFINED = """
gate rccx a,b,c { u2(0,pi) c; u1(pi/4) c; cx b,c; u1(-pi/4) c; cx a,c; u1(pi/4) c; cx b,c; u1(-pi/4) c;
                  u2(0,pi) c; }
gate rc3x a,b,c,d { u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d; cx a,d; u1(pi/4) d; cx b,d;
                    u1(-pi/4) d; cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d; u2(0,pi) d; u1(pi/4) d; cx c,d;
                    u1(-pi/4) d; u2(0,pi) d; }
"""

FUNCTIONS = {"sin": math.sin, "cos": math.cos, "tan": math.tan, "exp": math.exp, "ln": math.log,
             "sqrt": math.sqrt}


class Program:
    def __init__(self):
        self.qregs = {}      # name -> (offset, size)
        self.cregs = {}
        self.num_qubits = 0
        self.user_gates = {}  # name -> (params, qubits, body tokens)
        self.included = False
        self.ops = []        # ("gate", matrix, qubits) or ("measure", qubit)

    # -- tokens --
    def parse(self, tokens):
        self.toks, self.i = tokens, 0
        while self.i < len(self.toks):
            self.statement()

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected=None):
        t = self.peek()
        if t is None or (expected is not None and t != expected):
            raise ValueError(f"expected {expected!r}, found {t!r}")
        self.i += 1
        return t

    # -- expressions: sum > product > unary sign > power (right-assoc) > atom --
    def expr(self, env):
        v = self.product(env)
        while self.peek() in ("+", "-"):
            v = v + self.product(env) if self.take() == "+" else v - self.product(env)
        return v

    def product(self, env):
        v = self.unary(env)
        while self.peek() in ("*", "/"):
            v = v * self.unary(env) if self.take() == "*" else v / self.unary(env)
        return v

    def unary(self, env):
        if self.peek() in ("-", "+"):
            return -self.unary(env) if self.take() == "-" else self.unary(env)
        base = self.atom(env)
        if self.peek() == "^":
            self.take()
            return base ** self.unary(env)
        return base

    def atom(self, env):
        t = self.take()
        if t == "(":
            v = self.expr(env)
            self.take(")")
            return v
        if t == "pi":
            return math.pi
        if t in FUNCTIONS:
            self.take("(")
            v = self.expr(env)
            self.take(")")
            return FUNCTIONS[t](v)
        if t in env:
            return env[t]
        return float(t)

    # -- statements --
    def names_until(self, end):
        names = []
        while self.peek() != end:
            names.append(self.take())
            if self.peek() == ",":
                self.take()
        return names

    def statement(self):
        t = self.take()
        if t == "OPENQASM":
            self.take()
            self.take(";")
        elif t == "include":
            if self.take() != '"qelib1.inc"':
                raise Unsupported("includes other than qelib1.inc")
            self.take(";")
            self.included = True
            saved = (self.toks, self.i)
            self.parse(tokenize(QELIB1_DEFINED))
            self.toks, self.i = saved
        elif t in ("qreg", "creg"):
            name = self.take()
            self.take("[")
            size = int(self.take())
            self.take("]")
            self.take(";")
            if t == "qreg":
                self.qregs[name] = (self.num_qubits, size)
                self.num_qubits += size
            else:
                self.cregs[name] = size
        elif t == "gate":
            name = self.take()
            params = []
            if self.peek() == "(":
                self.take("(")
                params = self.names_until(")")
                self.take(")")
            qubits = self.names_until("{")
            self.take("{")
            start = self.i
            while self.peek() != "}":
                self.i += 1
            self.user_gates[name] = (params, qubits, self.toks[start:self.i])
            self.take("}")
        elif t in ("reset", "if", "opaque"):
            raise Unsupported(f"'{t}'")
        elif t == "barrier":
            self.names_until(";")
            self.take(";")
        elif t == "measure":
            qubits = self.operand()
            self.take("->")
            self.operand_classical()
            self.take(";")
            for q in qubits:
                self.ops.append(("measure", q))
        else:
            self.call(t, {}, None)

    def operand(self):
        """The qubits of `reg` or `reg[i]`."""
        name = self.take()
        offset, size = self.qregs[name]
        if self.peek() == "[":
            self.take("[")
            index = int(self.take())
            self.take("]")
            return [offset + index]
        return list(range(offset, offset + size))

    def operand_classical(self):
        self.take()
        if self.peek() == "[":
            self.take("[")
            self.take()
            self.take("]")

    def call(self, name, env, qubit_env):
        """A gate call at the current token; qubit_env maps a gate's argument names (None at top level)."""
        params = []
        if self.peek() == "(":
            self.take("(")
            while self.peek() != ")":
                params.append(self.expr(env))
                if self.peek() == ",":
                    self.take()
            self.take(")")
        args = []
        while self.peek() != ";":
            args.append([qubit_env[self.take()]] if qubit_env is not None else self.operand())
            if self.peek() == ",":
                self.take()
        self.take(";")
        width = max(len(a) for a in args)
        for k in range(width):
            self.apply(name, params, [a[k] if len(a) > 1 else a[0] for a in args])

    def apply(self, name, params, qubits):
        if name in self.user_gates:
            formal, formal_qubits, body = self.user_gates[name]
            saved = (self.toks, self.i)
            self.toks, self.i = body, 0
            env = dict(zip(formal, params))
            qenv = dict(zip(formal_qubits, qubits))
            while self.i < len(self.toks):
                t = self.take()
                if t == "barrier":
                    self.names_until(";")
                    self.take(";")
                else:
                    self.call(t, env, qenv)
            self.toks, self.i = saved
            return
        if not self.included and name not in ("U", "CX"):
            raise ValueError(f"gate {name} used without including qelib1.inc")
        num_params, num_qubits, matrix = GATES[name]
        assert len(params) == num_params and len(qubits) == num_qubits, name
        self.ops.append(("gate", matrix(params), qubits))


def apply_matrix(state, n, m, qubits):
    """state: shape (2,)*n with axis a holding qubit n-1-a."""
    k = len(qubits)
    tensor = m.reshape([2] * (2 * k))  # row axes hold argument k-1 ... 0, then column axes likewise
    axes = [n - 1 - q for q in reversed(qubits)]
    out = np.tensordot(tensor, state, axes=(list(range(k, 2 * k)), axes))
    return np.moveaxis(out, list(range(k)), axes)


def simulate(text):
    program = Program()
    program.parse(tokenize(text))
    measured = set()
    n = program.num_qubits
    state = np.zeros([2] * n, dtype=complex)
    state[(0,) * n] = 1
    for op in program.ops:
        if op[0] == "measure":
            measured.add(op[1])
            continue
        _, m, qubits = op
        if measured.intersection(qubits):
            raise Unsupported("a measurement before a gate on the same qubit")
        state = apply_matrix(state, n, m, qubits)
    return n, (np.abs(state.reshape(-1)) ** 2)


def main(argv):
    try:
        if len(argv) == 3 and argv[1] == "--check":
            simulate(open(argv[2]).read())
            return 0
        if len(argv) == 4 and argv[1] == "--compare":
            with open(argv[2]) as f:
                kettle = json.load(f)
            n, expected = simulate(open(argv[3]).read())
            got = np.array(kettle["probabilities"], dtype=float)
            if kettle["num_qubits"] != n or got.shape != expected.shape:
                print(f"{argv[3]}: kettle reports {kettle['num_qubits']} qubits and {got.size} probabilities, "
                      f"the reference {n} and {expected.size}")
                return 1
            worst = int(np.argmax(np.abs(got - expected)))
            diff = abs(got[worst] - expected[worst])
            if diff > 1e-10:
                print(f"{argv[3]}: probability of index {worst} is {got[worst]!r} in kettle and "
                      f"{expected[worst]!r} in the reference (difference {diff:.3g} > 1e-10)")
                return 1
            print(f"{argv[3]}: {expected.size} probabilities agree to {diff:.3g}")
            return 0
        if len(argv) == 2:
            n, probs = simulate(open(argv[1]).read())
            print(json.dumps({"num_qubits": n, "probabilities": probs.tolist()}))
            return 0
    except Unsupported as e:
        print(f"outside the reference's subset: {e}")
        return 3
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
