"""Helpers shared by the `kettle` command-line tests: run the program, check, report."""

import os
import re
import subprocess
import sys

KETTLE, SOURCE_DIR, SCRATCH = sys.argv[1], sys.argv[2], sys.argv[3]
CORPUS = os.path.join(SOURCE_DIR, "tests", "corpus", "cli")
_failures = []


def corpus(name):
    return os.path.join(CORPUS, name)


def kettle(*args):
    """Runs kettle with stdout a pipe (so JSON is the default format)."""
    return subprocess.run([KETTLE, *map(str, args)], capture_output=True, timeout=120,
                          encoding="utf-8", errors="replace", cwd=SCRATCH)


def kettle_env(env, *args):
    """kettle() with the variables in `env` added to the environment."""
    return subprocess.run([KETTLE, *map(str, args)], capture_output=True, timeout=120, encoding="utf-8",
                          errors="replace", cwd=SCRATCH, env={**os.environ, **env})


def check(condition, what, result=None):
    if condition:
        return True
    detail = ""
    if result is not None:
        detail = f"\n    args: {result.args[1:]}\n    exit: {result.returncode}\n    stdout: {result.stdout[:400]!r}\n    stderr: {result.stderr[:400]!r}"
    _failures.append(what + detail)
    print("FAIL: " + what + detail, file=sys.stderr)
    return False


def expect_error(args, code, phrases, prefix="kettle run: "):
    """Exit `code`, nothing on stdout, one stderr line starting with `prefix` that matches every
    regular expression in `phrases` (case-insensitive)."""
    r = kettle(*args)
    name = " ".join(map(str, args))
    check(r.returncode == code, f"[{name}] exit code {r.returncode}, expected {code}", r)
    check(r.stdout == "", f"[{name}] printed on stdout", r)
    lines = r.stderr.splitlines()
    if not check(len(lines) == 1 and r.stderr.endswith("\n"), f"[{name}] stderr is not exactly one line", r):
        return r
    check(lines[0].startswith(prefix), f"[{name}] stderr does not start with {prefix!r}", r)
    for phrase in phrases:
        check(re.search(phrase, lines[0], re.IGNORECASE), f"[{name}] stderr lacks /{phrase}/", r)
    return r


def finish():
    if _failures:
        print(f"{len(_failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
