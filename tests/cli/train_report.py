"""kettle train --report DIR: history.csv, metrics.json, confusion_matrix.csv, and PNG plots,
with the decision boundary for two-feature data."""

import csv
import json
import math
import os
import random

from kettle_cli import SCRATCH, check, finish, kettle

# Two noisy half moons, written as a CSV with class names as labels.
rng = random.Random(5)
path = os.path.join(SCRATCH, "moons.csv")
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["x", "y", "kind"])
    for i in range(120):
        t = math.pi * rng.random()
        if i % 2:
            w.writerow([1 - math.cos(t) + rng.gauss(0, 0.1), 0.5 - math.sin(t) + rng.gauss(0, 0.1), "lower"])
        else:
            w.writerow([math.cos(t) + rng.gauss(0, 0.1), math.sin(t) + rng.gauss(0, 0.1), "upper"])

report = os.path.join(SCRATCH, "report")
r = kettle("train", "--data", path, "--epochs", "4", "--report", report)
check(r.returncode == 0, "train with --report", r)
try:
    import matplotlib  # noqa: F401  (the plots need it; kettle runs /usr/bin/python3)
    plotting = True
except ImportError:
    plotting = False
if r.returncode == 0:
    out = json.loads(r.stdout)
    with open(os.path.join(report, "history.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == 4 and rows[0]["epoch"] == "1", "history.csv has one row per epoch")
    check(abs(float(rows[-1]["loss"]) - out["history"][-1]["loss"]) < 1e-12, "history.csv matches the JSON")
    with open(os.path.join(report, "metrics.json")) as f:
        metrics = json.load(f)
    for key in ("test_accuracy", "baseline_test_accuracy", "confusion_matrix", "classes", "per_class"):
        check(key in metrics, f"metrics.json has {key}")
    check(set(metrics["per_class"]) == {"lower", "upper"}, "per-class metrics by name")
    with open(os.path.join(report, "confusion_matrix.csv"), newline="") as f:
        matrix = list(csv.reader(f))
    check(matrix[0] == ["true\\predicted", "lower", "upper"], "confusion_matrix.csv header")
    check(sum(int(v) for row in matrix[1:] for v in row[1:]) == out["num_test"], "confusion matrix counts test rows")
    with open(os.path.join(report, "decision_boundary.csv"), newline="") as f:
        grid = list(csv.DictReader(f))
    check(len(grid) == 61 * 61 and {g["predicted"] for g in grid} <= {"0", "1"}, "decision boundary grid")
    for png in ("loss.png", "accuracy.png", "confusion_matrix.png", "decision_boundary.png"):
        p = os.path.join(report, png)
        if plotting:
            check(os.path.exists(p) and open(p, "rb").read(8) == b"\x89PNG\r\n\x1a\n", f"{png} is a PNG")
    check("warning" not in r.stderr or not plotting, "no plotting warning when matplotlib is there", r)

# Iris has four features: no decision boundary, the rest as before.
report2 = os.path.join(SCRATCH, "report_iris")
r = kettle("train", "--data", "iris", "--epochs", "2", "--report", report2)
check(r.returncode == 0, "iris report", r)
check(not os.path.exists(os.path.join(report2, "decision_boundary.csv")), "no boundary for 4 features")
check(os.path.exists(os.path.join(report2, "history.csv")), "history.csv for iris")

finish()
