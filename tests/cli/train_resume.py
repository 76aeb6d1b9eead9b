"""Checkpoints and resume: 6 epochs straight end with the same weights, bit for bit, as 3 epochs
with --checkpoint then --resume to 6; a saved model predicts through `kettle predict`."""

import csv
import json
import os

import h5py
import numpy as np

from kettle_cli import SCRATCH, SOURCE_DIR, check, finish, kettle

common = ["--data", "iris", "--seed", "3", "--batch", "8"]
straight = os.path.join(SCRATCH, "straight.h5")
ckpt = os.path.join(SCRATCH, "ckpt.h5")
resumed = os.path.join(SCRATCH, "resumed.h5")

r = kettle("train", *common, "--epochs", "6", "--save", straight)
check(r.returncode == 0, "straight run", r)
r = kettle("train", *common, "--epochs", "3", "--checkpoint", ckpt)
check(r.returncode == 0, "first half with --checkpoint", r)
with h5py.File(ckpt, "r") as f:
    check(f.attrs["kind"] == "kettle-model", "checkpoint kind")
    check(int(f["training"].attrs["epochs_done"]) == 3, "checkpoint after epoch 3")
    check(f["optimizer"].attrs["name"] == "adam", "checkpoint holds the optimizer state")
check(not [n for n in os.listdir(SCRATCH) if ".tmp-" in n], "no temporary files left beside the checkpoint")
r = kettle("train", *common, "--epochs", "6", "--resume", ckpt, "--save", resumed)
check(r.returncode == 0, "resumed run", r)
if r.returncode == 0:
    out = json.loads(r.stdout)
    check(out.get("resumed_from_epoch") == 3, "JSON says where it resumed", r)
    check([e["epoch"] for e in out["history"]] == [1, 2, 3, 4, 5, 6], "history of all six epochs", r)
    check(r.stderr.count("kettle train: epoch ") == 3, "three epochs run after the resume", r)

with h5py.File(straight, "r") as a, h5py.File(resumed, "r") as b:
    wa, wb = np.array(a["model/weights"]), np.array(b["model/weights"])
    check(wa.shape == wb.shape and wa.tobytes() == wb.tobytes(), "resumed weights equal the straight run's bit for bit")
    check(np.array(a["optimizer/buffer0"]).tobytes() == np.array(b["optimizer/buffer0"]).tobytes(),
          "and so do Adam's moments")
    check([s.decode() if isinstance(s, bytes) else s for s in a["classes"]] == ["setosa", "versicolor", "virginica"],
          "class names stored")
    check("pca_components" not in a["pipeline"] and "standard_mean" in a["pipeline"], "iris: standardised, no PCA")
    check(list(a["model"]["observables"].asstr()) == ["Z0", "Z1", "Z2", "Z3"], "observables stored as Pauli text")

# A different run cannot resume from this checkpoint.
r = kettle("train", "--data", "iris", "--seed", "4", "--batch", "8", "--epochs", "6", "--resume", ckpt)
check(r.returncode == 3 and "seed" in r.stderr and r.stdout == "", "resume with another seed is refused", r)

# kettle predict on the bundled CSV: the label column is there, so the accuracy is printed too.
iris = os.path.join(SOURCE_DIR, "data", "iris.csv")
out_csv = os.path.join(SCRATCH, "predictions.csv")
r = kettle("predict", "--model", straight, "--data", iris, "--output", out_csv)
check(r.returncode == 0, "predict", r)
if r.returncode == 0:
    out = json.loads(r.stdout)
    check(len(out["predictions"]) == 150 and len(out["probabilities"]) == 150, "one prediction per row", r)
    check(all(abs(sum(p) - 1) < 1e-12 and len(p) == 3 for p in out["probabilities"]), "probabilities sum to 1", r)
    check(set(out["predictions"]) <= {"setosa", "versicolor", "virginica"}, "predictions are class names", r)
    check(out["accuracy"] > 0.8, "accuracy on all of iris", r)
    with open(out_csv, newline="") as f:
        rows = list(csv.reader(f))
    check(rows[0] == ["prediction", "p_setosa", "p_versicolor", "p_virginica"], "predictions.csv header")
    check([row[0] for row in rows[1:]] == out["predictions"], "predictions.csv rows match the JSON")
    # Same model, same rows: the same answer again (the model file is all that is needed).
    again = kettle("predict", "--model", straight, "--data", iris)
    check(again.stdout == r.stdout, "predict is deterministic", again)
    # Rows without the label column, in another column order.
    features = os.path.join(SCRATCH, "features.csv")
    with open(iris, newline="") as f:
        table = list(csv.reader(f))
    with open(features, "w", newline="") as f:
        w = csv.writer(f)
        for row in table[:6]:
            w.writerow(list(reversed(row[:-1])))
    r2 = kettle("predict", "--model", straight, "--data", features)
    check(r2.returncode == 0 and json.loads(r2.stdout)["predictions"] == out["predictions"][:5],
          "predict by column name, label column optional", r2)

# Every encoding and ansatz trains, saves and predicts through the same files.
for extra in (["--encoding", "zz"], ["--encoding", "amplitude"], ["--encoding", "angle", "--ansatz", "strongly_entangling"],
              ["--encoding", "angle", "--ansatz", "real_amplitudes", "--input-layer"],
              ["--encoding", "zz", "--ansatz", "efficient_su2", "--no-output-layer"],
              ["--gradient", "parameter-shift", "--optimizer", "sgd"], ["--optimizer", "spsa"]):
    path = os.path.join(SCRATCH, "variant.h5")
    r = kettle("train", "--data", "iris", "--epochs", "2", "--save", path, *extra)
    if not check(r.returncode == 0, f"train {extra}", r):
        continue
    trained = json.loads(r.stdout)
    p = kettle("predict", "--model", path, "--data", iris)
    check(p.returncode == 0 and len(json.loads(p.stdout)["predictions"]) == 150, f"predict after {extra}", p)
    with h5py.File(path, "r") as f:
        check(f["model"].attrs["encoding"] == trained["model"]["encoding"], f"encoding stored for {extra}")

finish()
