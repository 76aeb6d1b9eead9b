"""`kettle info`, --help and --version."""

import json

from kettle_cli import check, finish, kettle

r = kettle("info")
check(r.returncode == 0 and r.stderr == "", "info succeeds quietly", r)
info = json.loads(r.stdout) if r.returncode == 0 else {}
for key, kind in [("version", str), ("cpu_model", str), ("cpu_features", list), ("kernel_isa", str),
                  ("hardware_threads", int), ("threads", int), ("memory_available", int), ("compiler", str),
                  ("build_type", str)]:
    check(isinstance(info.get(key), kind), f"info has {key} of type {kind.__name__}: {info.get(key)!r}")
check(info.get("kernel_isa") in {"scalar", "avx2", "avx512"}, f"kernel_isa {info.get('kernel_isa')!r}")
check(info.get("threads", 0) >= 1 and info.get("hardware_threads", 0) >= 1, "thread counts are positive")
check(info.get("memory_available", 0) > 0, "memory_available is positive")

r = kettle("--max-memory", "512M", "info")
check(r.returncode == 0 and json.loads(r.stdout).get("memory_limit") == 512 << 20, "--max-memory shows in info", r)

r = kettle("info", "--format", "table")
check(r.returncode == 0, "info table succeeds", r)
for phrase in ("kettle", "kernel isa", "threads", "memory available", "compiler", "build type"):
    check(phrase in r.stdout, f"the info table shows {phrase!r}", r)

r = kettle("--version")
check(r.returncode == 0 and info.get("version", "?") in r.stdout, "--version prints the version", r)
r = kettle("--help")
check(r.returncode == 0 and "run" in r.stdout and "info" in r.stdout and "Exit codes" in r.stdout, "--help", r)
r = kettle("run", "--help")
check(r.returncode == 0 and "--shots" in r.stdout and "16 qubits" in r.stdout, "run --help", r)

finish()
