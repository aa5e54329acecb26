"""Shared plumbing for the Python tests (not a test itself: ctest registers only test_*.py).

The tests find the binary, the repository and a scratch directory through the environment
that tests/CMakeLists.txt sets: CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP; and the
scripts' package, corridor_io, through PYTHONPATH=scripts (set there too). Comparing two
result files is corridor_io.files.differences.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from corridor_io import binary


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set: run this test through ctest (or set CORRIDOR_BIN, "
                 "CORRIDOR_SOURCE_DIR and CORRIDOR_TMP by hand)")
    return value


BIN = Path(_env("CORRIDOR_BIN"))
SOURCE = Path(_env("CORRIDOR_SOURCE_DIR"))
TMP = Path(_env("CORRIDOR_TMP"))
TMP.mkdir(parents=True, exist_ok=True)


def scratch(name: str) -> Path:
    """An empty directory under CORRIDOR_TMP for one test (whatever a previous run left is removed)."""
    d = TMP / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def run(scenario: str, out: Path | None, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `corridor run SCENARIO --quiet ARGS... --out OUT` from the repository root."""
    t0 = time.monotonic()
    p = binary.run(SOURCE / scenario, out, *args, binary=BIN, cwd=SOURCE, timeout=240, check=False)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(p.args)} exited {p.returncode}:\n{p.stderr}")
    print(f"  ran {Path(scenario).name} {' '.join(args)} -> rc {p.returncode} in {time.monotonic() - t0:.2f} s")
    return p


def summary_line(stderr: str) -> dict[str, str]:
    """The key=value pairs of the `summary:` line the binary prints on stderr."""
    lines = [ln for ln in stderr.splitlines() if ln.startswith("summary:")]
    if len(lines) != 1:
        raise AssertionError(f"expected one 'summary:' line on stderr, got {len(lines)}:\n{stderr}")
    return dict(re.findall(r"(\w+)=(\S+)", lines[0]))
