"""`kettle info`, --help and --version."""

import json

from kettle_cli import check, finish, kettle, kettle_env

r = kettle("info")
check(r.returncode == 0 and r.stderr == "", "info succeeds quietly", r)
info = json.loads(r.stdout) if r.returncode == 0 else {}
for key, kind in [("version", str), ("cpu_model", str), ("cpu_features", list), ("kernel_isa", str),
                  ("dense_products", str), ("hardware_threads", int), ("threads", int), ("memory_available", int), ("compiler", str),
                  ("build_type", str)]:
    check(isinstance(info.get(key), kind), f"info has {key} of type {kind.__name__}: {info.get(key)!r}")
check(info.get("kernel_isa") in {"scalar", "avx2", "avx512"}, f"kernel_isa {info.get('kernel_isa')!r}")
check(info.get("dense_products") in {"four", "three"}, f"dense_products {info.get('dense_products')!r}")

# KETTLE_DENSE_PRODUCTS picks the form; an unknown value is invalid input (exit 3), one line.
for form in ("four", "three"):
    r = kettle_env({"KETTLE_DENSE_PRODUCTS": form}, "info")
    check(r.returncode == 0 and json.loads(r.stdout).get("dense_products") == form, f"KETTLE_DENSE_PRODUCTS={form}", r)
r = kettle_env({"KETTLE_DENSE_PRODUCTS": "two"}, "info")
check(r.returncode == 3 and r.stdout == "" and r.stderr.count("\n") == 1 and
      "KETTLE_DENSE_PRODUCTS=two: expected four or three" in r.stderr, "an unknown KETTLE_DENSE_PRODUCTS is rejected", r)
check(info.get("threads", 0) >= 1 and info.get("hardware_threads", 0) >= 1, "thread counts are positive")
check(info.get("memory_available", 0) > 0, "memory_available is positive")

r = kettle("--max-memory", "512M", "info")
check(r.returncode == 0 and json.loads(r.stdout).get("memory_limit") == 512 << 20, "--max-memory shows in info", r)

r = kettle("info", "--format", "table")
check(r.returncode == 0, "info table succeeds", r)
for phrase in ("kettle", "kernel isa", "dense products", "threads", "memory available", "compiler", "build type"):
    check(phrase in r.stdout, f"the info table shows {phrase!r}", r)

r = kettle("--version")
check(r.returncode == 0 and info.get("version", "?") in r.stdout, "--version prints the version", r)
r = kettle("--help")
check(r.returncode == 0 and "run" in r.stdout and "info" in r.stdout and "Exit codes" in r.stdout, "--help", r)
r = kettle("run", "--help")
check(r.returncode == 0 and "--shots" in r.stdout and "16 qubits" in r.stdout, "run --help", r)

finish()
