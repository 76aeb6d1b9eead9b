"""kettle train / predict on HDF5 data sets written by h5py, as a Python user writes them: the
same numbers as the CSV give the same run; errors are one line and exit 3 (2 for --label)."""

import csv
import json
import os

import h5py
import numpy as np

from kettle_cli import SCRATCH, SOURCE_DIR, check, expect_error, finish, kettle

T, P = "kettle train: ", "kettle predict: "

with open(os.path.join(SOURCE_DIR, "data", "iris.csv"), newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
X = np.array([[float(v) for v in r[:-1]] for r in body])
y = np.array([r[-1] for r in body], dtype="S")  # numpy bytes: fixed-length HDF5 strings

iris_h5 = os.path.join(SCRATCH, "iris.h5")
with h5py.File(iris_h5, "w") as f:
    f["X"] = X
    f["y"] = y
    f["feature_names"] = np.array(header[:-1], dtype=object)  # h5py str: variable-length UTF-8

run = ["--epochs", "2", "--seed", "3"]
from_csv = kettle("train", "--data", "iris", *run)
model = os.path.join(SCRATCH, "model.h5")
from_h5 = kettle("train", "--data", iris_h5, *run, "--save", model)
if check(from_csv.returncode == 0 and from_h5.returncode == 0, "train on iris as CSV and as h5py file", from_h5):
    a, b = json.loads(from_csv.stdout), json.loads(from_h5.stdout)
    check(b["classes"] == ["setosa", "versicolor", "virginica"], f"classes from the h5 file: {b['classes']}")
    check(b["num_train"] + b["num_test"] == 150, "150 rows from the h5 file")
    # The same numbers, classes and feature order make the same run, epoch for epoch.
    for key in ("history", "test_accuracy", "baseline_test_accuracy", "confusion_matrix"):
        check(a[key] == b[key], f"h5 and CSV runs differ in {key}: {a[key]} != {b[key]}")

    r = kettle("predict", "--model", model, "--data", iris_h5)
    if check(r.returncode == 0, "predict on the h5 file", r):
        out = json.loads(r.stdout)
        check(len(out["predictions"]) == 150 and "accuracy" in out, "150 predictions and an accuracy", r)
        check(out["accuracy"] > 0.5, f"accuracy on iris after two epochs: {out['accuracy']}")
    # Rows to predict need no labels; columns without names go by position.
    unlabelled = os.path.join(SCRATCH, "unlabelled.h5")
    with h5py.File(unlabelled, "w") as f:
        f["features"] = X[:7].astype(np.float32)
    r = kettle("predict", "--model", model, "--data", unlabelled)
    if check(r.returncode == 0, "predict on an unlabelled h5 file", r):
        out = json.loads(r.stdout)
        check(len(out["predictions"]) == 7 and "accuracy" not in out, "7 predictions, no accuracy", r)

# Integer labels and sklearn's names (data, target) work too.
binary = os.path.join(SCRATCH, "binary.h5")
with h5py.File(binary, "w") as f:
    f["data"] = X[:100]
    f["target"] = np.repeat(np.array([4, 9]), 50)
r = kettle("train", "--data", binary, "--epochs", "1")
if check(r.returncode == 0, "train on integer labels", r):
    check(json.loads(r.stdout)["classes"] == ["4", "9"], "integer labels name the classes", r)

# Bad files: exit 3, one line naming the file and the problem.
nan = os.path.join(SCRATCH, "nan.h5")
Xn = X.copy()
Xn[17, 2] = np.nan
with h5py.File(nan, "w") as f:
    f["X"], f["y"] = Xn, y
expect_error(["train", "--data", nan], 3, [r"nan\.h5", r"NaN at features\[17, 2\]", "row 17, column 2"], T)
nolabels = os.path.join(SCRATCH, "nolabels.h5")
with h5py.File(nolabels, "w") as f:
    f["X"] = X
expect_error(["train", "--data", nolabels], 3, [r"nolabels\.h5", "no labels dataset"], T)
single = os.path.join(SCRATCH, "single.h5")
with h5py.File(single, "w") as f:
    f["X"], f["y"] = X[:10], np.zeros(10, dtype=np.int64)
expect_error(["train", "--data", single], 3, [r"single\.h5", "single class"], T)
with open(iris_h5, "rb") as f:
    whole = f.read()
cut = os.path.join(SCRATCH, "cut.h5")
with open(cut, "wb") as f:
    f.write(whole[: len(whole) // 2])
expect_error(["train", "--data", cut], 3, [r"cut\.h5"], T)
expect_error(["train", "--data", os.path.join(SCRATCH, "none.h5")], 3, [r"none\.h5", "does not exist"], T)
expect_error(["train", "--data", iris_h5, "--label", "species"], 2, ["--label", "HDF5"], T)
if os.path.exists(model):
    narrow = os.path.join(SCRATCH, "narrow.h5")
    with h5py.File(narrow, "w") as f:
        f["X"] = X[:, :3]
    expect_error(["predict", "--model", model, "--data", narrow], 3, [r"narrow\.h5", "4 features", "3 columns"], P)

finish()
