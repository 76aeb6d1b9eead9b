"""kettle train / predict on bad input: one line on stderr, nothing on stdout, exit 3 for bad
data or files, exit 2 for usage errors."""

import os

from kettle_cli import SCRATCH, check, corpus, expect_error, finish, kettle

USAGE, INPUT = 2, 3
T, P = "kettle train: ", "kettle predict: "


def write(name, text):
    path = os.path.join(SCRATCH, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


good = write("good.csv", "a,b,label\n" + "".join(f"{i % 7},{(i * 3) % 5},{'yes' if i % 2 else 'no'}\n" for i in range(40)))
ragged = write("ragged.csv", "a,b,label\n1,2,x\n3,y\n")
text_value = write("text.csv", "a,b,label\n1,2,x\n3,oops,y\n4,5,x\n")
one_class = write("one.csv", "a,b,label\n1,2,x\n3,4,x\n")
empty = write("empty.csv", "")

# Data problems: exit 3, naming the file and what is wrong.
expect_error(["train", "--data", os.path.join(SCRATCH, "missing.csv")], INPUT, ["missing.csv", "no such file"], T)
expect_error(["train", "--data", "irises"], INPUT, ["irises", "iris, breast_cancer, digits"], T)
expect_error(["train", "--data", ragged], INPUT, [r"ragged\.csv:3"], T)
expect_error(["train", "--data", text_value], INPUT, [r"text\.csv:3:2", "oops"], T)
expect_error(["train", "--data", one_class], INPUT, ["one.csv", "class"], T)
expect_error(["train", "--data", empty], INPUT, ["empty.csv"], T)
expect_error(["train", "--data", good, "--label", "colour"], INPUT, ["colour", "label"], T)
expect_error(["train", "--data", "digits", "--classes", "0,eleven"], INPUT, ["--classes", "eleven"], T)
expect_error(["train", "--data", "iris", "--downsample", "3"], INPUT, ["--downsample 3", "square"], T)
expect_error(["train", "--data", "iris", "--encoding", "angle", "--qubits", "3", "--pca", "0"], INPUT, ["angle", "3 qubits"], T)
expect_error(["train", "--data", "digits", "--no-output-layer"], INPUT, ["10 classes"], T)
expect_error(["train", "--data", "iris", "--resume", corpus("bell.qasm")], INPUT, ["bell.qasm", "not an HDF5"], T)

# Usage problems: exit 2.
expect_error(["train"], USAGE, ["--data"], T)
expect_error(["train", "--data", "iris", "--lr", "fast"], USAGE, ["--lr", "fast"], T)
expect_error(["train", "--data", "iris", "--lr", "-1"], USAGE, ["--lr"], T)
expect_error(["train", "--data", "iris", "--epochs", "2.5"], USAGE, ["--epochs"], T)
expect_error(["train", "--data", "iris", "--test-size", "1.5"], USAGE, ["--test-size"], T)
expect_error(["train", "--data", "iris", "--optimizer", "lbfgs"], USAGE, ["--optimizer", "lbfgs"], T)
expect_error(["train", "--data", "iris", "--checkpoint", "a.h5", "--resume", "b.h5"], USAGE, ["excludes"], T)
expect_error(["predict", "--data", good], USAGE, ["--model"], P)

# kettle predict: a file that is not a kettle model, a missing one, a CSV without the columns.
state = os.path.join(SCRATCH, "state.h5")
r = kettle("run", corpus("bell.qasm"), "--save-state", state)
check(r.returncode == 0, "kettle run --save-state", r)
expect_error(["predict", "--model", state, "--data", good], INPUT, ["state.h5", "not a kettle model"], P)
expect_error(["predict", "--model", os.path.join(SCRATCH, "none.h5"), "--data", good], INPUT, ["does not exist"], P)
expect_error(["predict", "--model", good, "--data", good], INPUT, ["not an HDF5"], P)
model = os.path.join(SCRATCH, "model.h5")
r = kettle("train", "--data", good, "--epochs", "1", "--save", model)
check(r.returncode == 0, "train on a small CSV with names as labels", r)
other = write("other.csv", "x,y\n1,2\n")
expect_error(["predict", "--model", model, "--data", other], INPUT, [r"other\.csv:1", "column 'a'"], P)
bad_number = write("bad_number.csv", "a,b\n1,2\n3,1e999\n")
expect_error(["predict", "--model", model, "--data", bad_number], INPUT, [r"bad_number\.csv:3:2", "1e999"], P)
# A truncated model file.
with open(model, "rb") as f:
    data = f.read()
cut = os.path.join(SCRATCH, "cut.h5")
with open(cut, "wb") as f:
    f.write(data[: len(data) // 2])
expect_error(["predict", "--model", cut, "--data", good], INPUT, ["cut.h5"], P)

finish()
