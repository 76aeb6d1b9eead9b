#!/usr/bin/env python3
"""Draws the scaling plots of `kettle bench`: time against qubits, and GB/s against the
machine's in-process read-modify-write bandwidth.

    bench/plot_scaling.py bench-results/scaling.csv [--out bench-results]

Writes scaling_time.png and scaling_bandwidth.png next to the CSV (or into --out).
Needs matplotlib (Debian python3-matplotlib; run with /usr/bin/python3).
"""
import argparse
import csv
import os
import sys
from collections import defaultdict


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"plot_scaling.py: {path} has no rows")
    for r in rows:
        for key in ("qubits", "threads", "fusion", "passes"):
            r[key] = int(r[key])
        for key in ("seconds", "gbps", "rmw_gbps", "bandwidth_ratio"):
            r[key] = float(r[key])
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--out")
    args = parser.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("plot_scaling.py: matplotlib is missing (apt-get install python3-matplotlib)")
    rows = load(args.csv)
    out = args.out or os.path.dirname(os.path.abspath(args.csv))
    os.makedirs(out, exist_ok=True)

    circuits = sorted({r["circuit"] for r in rows})
    series = defaultdict(list)
    for r in rows:
        series[(r["circuit"], r["precision"], r["threads"], r["fusion"])].append(r)

    fig, axes = plt.subplots(1, len(circuits), figsize=(5 * len(circuits), 4), squeeze=False)
    for ax, circuit in zip(axes[0], circuits):
        for (c, precision, threads, fusion), points in sorted(series.items()):
            if c != circuit:
                continue
            points.sort(key=lambda r: r["qubits"])
            label = f"{precision}, {threads} thr, " + (f"fusion {fusion}" if fusion else "unfused")
            ax.semilogy([p["qubits"] for p in points], [p["seconds"] for p in points], marker="o", label=label)
        ax.set_title(circuit)
        ax.set_xlabel("qubits")
        ax.set_ylabel("seconds per run")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "scaling_time.png"), dpi=120)

    fig, axes = plt.subplots(1, len(circuits), figsize=(5 * len(circuits), 4), squeeze=False)
    for ax, circuit in zip(axes[0], circuits):
        for (c, precision, threads, fusion), points in sorted(series.items()):
            if c != circuit:
                continue
            points.sort(key=lambda r: r["qubits"])
            label = f"{precision}, {threads} thr, " + (f"fusion {fusion}" if fusion else "unfused")
            ax.plot([p["qubits"] for p in points], [p["bandwidth_ratio"] for p in points], marker="o", label=label)
        ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
        ax.set_title(f"{circuit}: share of memory bandwidth")
        ax.set_xlabel("qubits")
        ax.set_ylabel("GB/s / in-place read-modify-write GB/s")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "scaling_bandwidth.png"), dpi=120)
    print(f"written: {out}/scaling_time.png, {out}/scaling_bandwidth.png")


if __name__ == "__main__":
    main()
