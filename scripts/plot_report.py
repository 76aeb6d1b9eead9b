#!/usr/bin/env python3
"""Draws the PNG plots of a `kettle train --report DIR` folder from its CSV files.

    plot_report.py DIR

Writes DIR/loss.png and DIR/accuracy.png (per-epoch curves from history.csv),
DIR/confusion_matrix.png, and, when the model had two features, DIR/decision_boundary.png
(from decision_boundary.csv and points.csv). Needs matplotlib (Debian: python3-matplotlib).
"""

import csv
import os
import sys


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def column(rows, name):
    return [float(r[name]) if r[name] != "" else float("nan") for r in rows]


def curve(plt, dir_, rows, key, label, filename):
    fig, ax = plt.subplots(figsize=(6, 4))
    epochs = column(rows, "epoch")
    ax.plot(epochs, column(rows, key), marker="o", label="training")
    validation = column(rows, "validation_" + key)
    if any(v == v for v in validation):  # NaN when there was no validation set
        ax.plot(epochs, validation, marker="s", label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(label)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(dir_, filename), dpi=100)
    plt.close(fig)


def confusion(plt, dir_):
    with open(os.path.join(dir_, "confusion_matrix.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    names = rows[0][1:]
    counts = [[int(v) for v in r[1:]] for r in rows[1:]]
    fig, ax = plt.subplots(figsize=(1.5 + 0.5 * len(names), 1.2 + 0.5 * len(names)))
    ax.imshow(counts, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    top = max(max(r) for r in counts) if counts else 0
    for i, r in enumerate(counts):
        for j, v in enumerate(r):
            ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
    fig.tight_layout()
    fig.savefig(os.path.join(dir_, "confusion_matrix.png"), dpi=100)
    plt.close(fig)


def boundary(plt, dir_):
    grid = read_rows(os.path.join(dir_, "decision_boundary.csv"))
    points = read_rows(os.path.join(dir_, "points.csv"))
    xs = sorted(set(column(grid, "x0")))
    ys = sorted(set(column(grid, "x1")))
    index = {(float(r["x0"]), float(r["x1"])): int(r["predicted"]) for r in grid}
    z = [[index[(x, y)] for x in xs] for y in ys]
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.contourf(xs, ys, z, alpha=0.3, cmap="coolwarm")
    for split, marker in (("train", "o"), ("test", "^")):
        sel = [r for r in points if r["split"] == split]
        ax.scatter(column(sel, "x0"), column(sel, "x1"), c=[int(r["label"]) for r in sel], cmap="coolwarm",
                   marker=marker, edgecolors="k", linewidths=0.5, s=25, label=split)
    ax.set_xlabel("feature 0")
    ax.set_ylabel("feature 1")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(dir_, "decision_boundary.png"), dpi=100)
    plt.close(fig)


def main():
    if len(sys.argv) != 2:
        print("usage: plot_report.py DIR", file=sys.stderr)
        return 2
    dir_ = sys.argv[1]
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f"matplotlib is not available ({e}); install python3-matplotlib", file=sys.stderr)
        return 1
    rows = read_rows(os.path.join(dir_, "history.csv"))
    curve(plt, dir_, rows, "loss", "loss", "loss.png")
    curve(plt, dir_, rows, "accuracy", "accuracy", "accuracy.png")
    confusion(plt, dir_)
    if os.path.exists(os.path.join(dir_, "decision_boundary.csv")):
        boundary(plt, dir_)
    return 0


if __name__ == "__main__":
    sys.exit(main())
