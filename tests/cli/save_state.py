"""`kettle run --save-state`: h5py reads back what kettle computed."""

import json
import math
import os

import h5py
import numpy as np

from kettle_cli import SCRATCH, check, corpus, finish, kettle

c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
expected = np.array([0, 0, c, s], dtype=np.complex128)

for precision, dtype, tol in [("double", np.complex128, 1e-15), ("single", np.complex64, 1e-7)]:
    path = os.path.join(SCRATCH, f"rotations_{precision}.h5")
    r = kettle("run", corpus("rotations.qasm"), "--precision", precision, "--save-state", path)
    if not check(r.returncode == 0, f"--save-state in {precision} precision", r):
        continue
    out = json.loads(r.stdout)
    check(out.get("state_file") == path, f"the JSON names the state file: {out.get('state_file')!r}")
    check("probabilities" not in out, "--save-state alone prints no probabilities")
    with h5py.File(path, "r") as f:
        d = f["state"]
        check(d.dtype == dtype, f"{precision}: dtype {d.dtype}")
        check(np.allclose(d[()], expected, atol=tol, rtol=0), f"{precision}: amplitudes {d[()]}")
        check(d.attrs["num_qubits"] == 2 and f.attrs["num_qubits"] == 2, f"{precision}: num_qubits attributes")
        check(d.attrs["format_version"] == 1 and f.attrs["format_version"] == 1, f"{precision}: format_version")
        check(d.attrs["precision"] == precision, f"{precision}: precision attribute {d.attrs['precision']!r}")
        check(isinstance(f.attrs["kettle_version"], str) and f.attrs["kettle_version"], "kettle_version attribute")

# The saved state is the state --amplitudes prints (before terminal measurements).
path = os.path.join(SCRATCH, "ghz.h5")
r = kettle("run", corpus("ghz3_measure.qasm"), "--amplitudes", "--save-state", path)
if check(r.returncode == 0, "--amplitudes with --save-state", r):
    printed = np.array([complex(re, im) for re, im in json.loads(r.stdout)["amplitudes"]])
    with h5py.File(path, "r") as f:
        check(np.array_equal(f["state"][()], printed), "saved and printed amplitudes agree exactly")

# Saving over an existing file replaces it and leaves no temporary file behind.
r = kettle("run", corpus("bell.qasm"), "--save-state", path)
with h5py.File(path, "r") as f:
    check(f["state"].shape == (4,), "the bell state replaced the GHZ state", r)
check(sorted(os.listdir(SCRATCH)) == ["ghz.h5", "rotations_double.h5", "rotations_single.h5"],
      f"no temporary files: {sorted(os.listdir(SCRATCH))}")

finish()
