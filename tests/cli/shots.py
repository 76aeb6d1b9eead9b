"""`kettle run --shots N --seed S`: counts, determinism across thread counts, seeds."""

import json

from kettle_cli import check, corpus, finish, kettle


def counts(*args):
    r = kettle("run", *args)
    if not check(r.returncode == 0, f"run {args} succeeds", r):
        return {}
    out = json.loads(r.stdout)
    check("counts" in out and "num_qubits" in out and "seconds" in out, f"run {args} has counts", r)
    return out.get("counts", {})


# Terminal measurements: one simulation, one sampling pass; GHZ gives only 000 and 111.
ghz1 = counts(corpus("ghz3_measure.qasm"), "--shots", "1000", "--seed", "7", "--threads", "1")
ghz2 = counts(corpus("ghz3_measure.qasm"), "--shots", "1000", "--seed", "7", "--threads", "2")
check(ghz1 == ghz2, f"same seed, same counts for 1 and 2 threads: {ghz1} vs {ghz2}")
check(set(ghz1) == {"000", "111"} and sum(ghz1.values()) == 1000, f"GHZ counts {ghz1}")
check(all(300 < n < 700 for n in ghz1.values()), f"GHZ counts are near 500 each: {ghz1}")
check(counts(corpus("ghz3_measure.qasm"), "--shots", "1000", "--seed", "8") != ghz1, "another seed, other counts")

# No measurements: bitstrings of all qubits.
bell = counts(corpus("bell.qasm"), "--shots", "200", "--seed", "3")
check(set(bell) <= {"00", "11"} and sum(bell.values()) == 200, f"bell counts {bell}")

# A mid-circuit measurement steers a later gate: per-shot simulation, bit 1 always equals bit 0.
ff1 = counts(corpus("feedforward.qasm"), "--shots", "300", "--seed", "11", "--threads", "1")
ff2 = counts(corpus("feedforward.qasm"), "--shots", "300", "--seed", "11", "--threads", "2")
check(ff1 == ff2, f"feed-forward counts agree across threads: {ff1} vs {ff2}")
check(sum(ff1.values()) == 300 and all(k[-1] == k[-2] for k in ff1), f"feed-forward counts {ff1}")
check(len(ff1) == 4, f"feed-forward reaches all four outcomes: {ff1}")

# Zero shots, and shots next to other parts.
check(counts(corpus("bell.qasm"), "--shots", "0") == {}, "zero shots give empty counts")
r = kettle("run", corpus("bell.qasm"), "--shots", "10", "--probs", "--seed", "1")
out = json.loads(r.stdout) if r.returncode == 0 else {}
check("probabilities" in out and sum(out.get("counts", {}).values()) == 10, "--shots with --probs", r)

# --seed without --shots is fine (it seeds collapsing measurements).
r = kettle("run", corpus("feedforward.qasm"), "--seed", "5", "--probs")
check(r.returncode == 0 and "counts" not in json.loads(r.stdout or "{}"), "--seed alone", r)

# The table lists the counts.
r = kettle("run", corpus("ghz3_measure.qasm"), "--shots", "1000", "--seed", "7", "--format", "table")
check(r.returncode == 0 and f"000" in r.stdout and str(ghz1.get("111")) in r.stdout, "counts table", r)

finish()
