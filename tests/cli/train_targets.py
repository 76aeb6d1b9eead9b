"""kettle train reaches the issue's targets on the bundled sets with its defaults and a fixed
seed, printing the logistic-regression baseline beside them; the result does not depend on the
thread count."""

import json
import time

from kettle_cli import check, finish, kettle

TARGETS = [
    (["--data", "iris"], 0.93, ["setosa", "versicolor", "virginica"]),
    (["--data", "digits", "--classes", "0,1"], 0.99, ["0", "1"]),
    (["--data", "breast_cancer"], 0.94, ["benign", "malignant"]),
    (["--data", "digits"], 0.85, [str(d) for d in range(10)]),
]

for args, target, classes in TARGETS:
    start = time.monotonic()
    r = kettle("train", *args, "--seed", 0)
    wall = time.monotonic() - start
    name = " ".join(args)
    if not check(r.returncode == 0, f"[{name}] exit {r.returncode}", r):
        continue
    out = json.loads(r.stdout)
    for key in ("history", "train_accuracy", "test_accuracy", "baseline_test_accuracy", "confusion_matrix",
                "classes", "seconds"):
        check(key in out, f"[{name}] JSON lacks '{key}'", r)
    print(f"{name}: test accuracy {out['test_accuracy']:.4f} (target {target}), baseline "
          f"{out['baseline_test_accuracy']:.4f}, {out['seconds']:.1f} s ({wall:.1f} s wall)")
    check(out["test_accuracy"] >= target, f"[{name}] test accuracy {out['test_accuracy']} < {target}", r)
    check(out["classes"] == classes, f"[{name}] classes {out['classes']}", r)
    check(len(out["history"]) == 30 and out["history"][0]["epoch"] == 1, f"[{name}] history of 30 epochs", r)
    matrix = out["confusion_matrix"]
    check(len(matrix) == len(classes) and all(len(row) == len(classes) for row in matrix),
          f"[{name}] confusion matrix shape", r)
    check(sum(map(sum, matrix)) == out["num_test"], f"[{name}] confusion matrix counts the test rows", r)
    # Progress goes to stderr, one plain line per epoch when stderr is not a terminal.
    check(r.stderr.count("kettle train: epoch ") == 30, f"[{name}] 30 progress lines on stderr", r)
    check(wall < 60, f"[{name}] took {wall:.1f} s", r)

# Bit-identical training with one and two threads (the trainer reduces in sample order).
one = kettle("train", "--data", "iris", "--threads", "1")
two = kettle("train", "--data", "iris", "--threads", "2")
if check(one.returncode == 0 and two.returncode == 0, "iris with 1 and 2 threads", two):
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    check(a["history"] == b["history"] and a["test_accuracy"] == b["test_accuracy"],
          "the same history with 1 and 2 threads", two)

finish()
