"""`kettle bench`: a tiny sweep writes CSV and JSON with the machine's description, draws plots."""

import csv
import json
import os
import subprocess

from kettle_cli import SCRATCH, SOURCE_DIR, check, finish, kettle

out = os.path.join(SCRATCH, "bench-out")
r = kettle("bench", "--min-qubits", 4, "--max-qubits", 6, "--threads", "1,2", "--fusion", "0,3",
           "--precision", "single,double", "--out", out)
check(r.returncode == 0, "a tiny sweep succeeds", r)
report = json.loads(r.stdout) if r.returncode == 0 else {}
for key in ("cpu_model", "cpu_features", "kernel_isa", "dense_products", "hardware_threads", "compiler", "kettle_version"):
    check(key in report.get("machine", {}), f"the machine description has {key}")
results = report.get("results", [])
# 2 sizes x 2 precisions x 2 thread counts x 3 circuits x 2 fusion limits.
check(len(results) == 48, f"48 points, got {len(results)}")
for row in results:
    check(row["seconds"] > 0 and row["rmw_gbps"] > 0 and row["passes"] > 0, f"positive figures: {row}")
    if row["fusion"] == 3:
        unfused = [x for x in results if x["fusion"] == 0 and all(x[k] == row[k] for k in ("circuit", "qubits"))]
        check(all(row["passes"] < x["passes"] for x in unfused), f"fusion makes fewer passes: {row}")
with open(os.path.join(out, "scaling.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
check(len(rows) == 48 and set(rows[0]) >= {"circuit", "qubits", "precision", "threads", "fusion", "seconds",
                                           "gbps", "rmw_gbps", "bandwidth_ratio"}, "scaling.csv has every point")
check(json.load(open(os.path.join(out, "scaling.json"))) == report, "scaling.json is what stdout printed")

plot = subprocess.run(["/usr/bin/python3", os.path.join(SOURCE_DIR, "bench", "plot_scaling.py"),
                       os.path.join(out, "scaling.csv")], capture_output=True, encoding="utf-8")
check(plot.returncode == 0 and os.path.getsize(os.path.join(out, "scaling_time.png")) > 0
      and os.path.getsize(os.path.join(out, "scaling_bandwidth.png")) > 0, f"plots drawn: {plot.stderr}")

# The swap network on 6 qubits: 6 H, 15 RZZ, 15 SWAPs and 6 RX; unfused, the SWAPs are a
# relabelling and one permutation pass reverses the qubits back at the end.
r = kettle("bench", "--circuits", "swapnet", "--min-qubits", 6, "--max-qubits", 6, "--threads", 1, "--fusion", "0,2",
           "--precision", "double", "--out", os.path.join(SCRATCH, "bench-swapnet"))
points = json.loads(r.stdout).get("results", []) if r.returncode == 0 else []
check([(p["circuit"], p["fusion"], p["passes"]) for p in points][:1] == [("swapnet", 0, 28)] and len(points) == 2,
      f"the swap network runs with its SWAPs relabelled: {points}", r)

for args, phrase in [(["--threads", "x"], "--threads: expected"), (["--precision", "quad"], "--precision: expected"),
                     (["--circuits", "grover"], "--circuits: expected"),
                     (["--min-qubits", "9", "--max-qubits", "5"], "give no sizes")]:
    r = kettle("bench", *args)
    check(r.returncode == 2 and phrase in r.stderr and r.stderr.count("\n") == 1, f"bench {args} is a usage error", r)
finish()
