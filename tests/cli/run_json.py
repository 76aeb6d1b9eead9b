"""`kettle run` output: the JSON shape (keys are a contract) and its values, and the table."""

import json
import math

from kettle_cli import check, corpus, finish, kettle


def run_json(*args):
    r = kettle("run", *args)
    if not check(r.returncode == 0, f"run {args} succeeds", r):
        return {}
    check(r.stderr == "", f"run {args} is silent on stderr", r)
    check(r.stdout.count("\n") == 1, f"run {args} prints one line of JSON", r)
    try:
        return json.loads(r.stdout)
    except json.JSONDecodeError as e:
        check(False, f"run {args} prints JSON ({e})", r)
        return {}


def close(a, b, tol=1e-12):
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b))


OPTIONAL = {"probabilities", "amplitudes", "counts", "expectations"}


def has_parts(out, parts, what):
    check(isinstance(out.get("num_qubits"), int), f"{what}: num_qubits is an integer")
    check(isinstance(out.get("seconds"), float) and out["seconds"] >= 0, f"{what}: seconds is a number >= 0")
    check(OPTIONAL & out.keys() == set(parts), f"{what}: parts {sorted(OPTIONAL & out.keys())}, expected {sorted(parts)}")


# --probs on a Bell pair.
out = run_json(corpus("bell.qasm"), "--probs")
has_parts(out, {"probabilities"}, "bell --probs")
check(out.get("num_qubits") == 2, "bell has 2 qubits")
check(close(out.get("probabilities", []), [0.5, 0, 0, 0.5]), f"bell probabilities {out.get('probabilities')}")

# Nothing requested: probabilities up to 16 qubits, only num_qubits and seconds beyond.
out = run_json(corpus("bell.qasm"))
has_parts(out, {"probabilities"}, "bell, nothing requested")
out = run_json(corpus("wide18.qasm"))
has_parts(out, set(), "18 qubits, nothing requested")
check(out.get("num_qubits") == 18, "wide18 has 18 qubits")

# Amplitudes and expectations, against the closed forms of ry(pi/3) on q0 and x on q1.
c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
out = run_json(corpus("rotations.qasm"), "--amplitudes", "--probs", "--expect", "Z0", "--expect", "Z1",
               "--expect", "0.5*Z0 Z1 + X0", "--fusion", "3", "--threads", "1")
has_parts(out, {"amplitudes", "probabilities", "expectations"}, "rotations")
amps = out.get("amplitudes", [])
check(all(isinstance(a, list) and len(a) == 2 for a in amps), f"amplitudes are [re, im] pairs: {amps}")
check(close([x for a in amps for x in a], [0, 0, 0, 0, c, 0, s, 0]), f"rotations amplitudes {amps}")
check(close(out.get("probabilities", []), [0, 0, c * c, s * s]), f"rotations probabilities {out.get('probabilities')}")
check(close(out.get("expectations", []), [c * c - s * s, -1, 0.5 * -(c * c - s * s) + 2 * c * s]),
      f"rotations expectations {out.get('expectations')}")
check(out.get("fusion") == 3, "--fusion is recorded")
check(out.get("threads") == 1, "--threads is applied")
check(out.get("precision") == "double", "double precision by default")

# A swap network: its SWAPs become a relabelling of the qubits, fused or not.
for fusion in ("0", "3"):
    out = run_json(corpus("swap_network.qasm"), "--probs", "--fusion", fusion)
    expected = [0.0] * 16
    expected[8], expected[9] = 0.75, 0.25
    check(close(out.get("probabilities", []), expected), f"swap network, fusion {fusion}: {out.get('probabilities')}")

# A leading minus is a value, not an option.
out = run_json(corpus("rotations.qasm"), "--expect", "-Z1", "--expect", "-0.5*Z1")
check(close(out.get("expectations", []), [1, 0.5]), f"negated observables {out.get('expectations')}")

# Fused runs give the unfused amplitudes up to rounding.
unfused = run_json(corpus("mixed5.qasm"), "--amplitudes").get("amplitudes", [])
check(len(unfused) == 32, "mixed5 has 32 amplitudes")
for k in (1, 2, 4, 6):
    fused = run_json(corpus("mixed5.qasm"), "--amplitudes", "--fusion", str(k)).get("amplitudes", [])
    check(close([x for a in fused for x in a], [x for a in unfused for x in a], 1e-12), f"--fusion {k} amplitudes")

# Single precision: same numbers to float accuracy.
out = run_json(corpus("rotations.qasm"), "--probs", "--precision", "single")
check(out.get("precision") == "single", "--precision single is recorded")
check(close(out.get("probabilities", []), [0, 0, c * c, s * s], 1e-6), f"single probabilities {out.get('probabilities')}")

# Terminal measurements do not collapse: --probs shows the GHZ state before them.
out = run_json(corpus("ghz3_measure.qasm"), "--probs")
check(close(out.get("probabilities", []), [0.5, 0, 0, 0, 0, 0, 0, 0.5]), f"ghz probabilities {out.get('probabilities')}")

# --format json on purpose, and the table for people.
r = kettle("run", corpus("bell.qasm"), "--format", "json")
check(r.returncode == 0 and json.loads(r.stdout).get("num_qubits") == 2, "--format json", r)
r = kettle("run", corpus("rotations.qasm"), "--format", "table", "--probs", "--amplitudes", "--expect", "Z1")
check(r.returncode == 0, "--format table succeeds", r)
for phrase in ("probabilities", "amplitudes", "expectations", "10  ", "11  ", "-1.0000000000"):
    check(phrase in r.stdout, f"the table shows {phrase!r}", r)
check("01  " not in r.stdout, "the table leaves out zero probabilities", r)

finish()
