"""Shared plumbing for the Python tests (not a test itself: ctest registers only test_*.py).

The tests find the binary, the repository and a scratch directory through the environment
that tests/CMakeLists.txt sets: CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np


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
sys.path.insert(0, str(SOURCE / "scripts"))


def scratch(name: str) -> Path:
    """An empty directory under CORRIDOR_TMP for one test (whatever a previous run left is removed)."""
    d = TMP / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def run(scenario: str, out: Path | None, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `corridor run SCENARIO --out OUT --quiet ARGS...` from the repository root."""
    cmd = [str(BIN), "run", str(SOURCE / scenario), "--quiet", *args]
    if out is not None:
        cmd += ["--out", str(out)]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=SOURCE, timeout=240)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
    print(f"  ran {Path(scenario).name} {' '.join(args)} -> rc {p.returncode} in {time.monotonic() - t0:.2f} s")
    return p


def summary_line(stderr: str) -> dict[str, str]:
    """The key=value pairs of the `summary:` line the binary prints on stderr."""
    lines = [ln for ln in stderr.splitlines() if ln.startswith("summary:")]
    if len(lines) != 1:
        raise AssertionError(f"expected one 'summary:' line on stderr, got {len(lines)}:\n{stderr}")
    return dict(re.findall(r"(\w+)=(\S+)", lines[0]))


# ---- comparing result files ---------------------------------------------------------------

#: Root attributes about how a run was executed (threads, ranks, restarts, timing), not what it computed.
EXECUTION_ATTRS = frozenset({"created", "seconds", "agent_steps_per_s", "threads", "ranks", "restarted_from_day"})


def _value(v):
    """Attribute value in a comparable form (arrays -> lists)."""
    return v.tolist() if isinstance(v, np.ndarray) else v


def differences(path_a, path_b, execution_attrs=EXECUTION_ATTRS, limit=20) -> list[str]:
    """Every difference between two result files, as readable lines (empty list: same content).

    "Same content" (docs/hpc.md): the same groups and datasets, every dataset equal bit for bit
    (dtype, shape, bytes), every attribute equal, except the root attributes `execution_attrs`,
    which describe how a run was executed rather than what it computed.
    """
    out = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        def names(f):
            found = []
            f.visit(found.append)
            return set(found)

        na, nb = names(a), names(b)
        for n in sorted(na ^ nb):
            out.append(f"{n}: only in {path_a if n in na else path_b}")
        root_a = {k: _value(v) for k, v in a.attrs.items() if k not in execution_attrs}
        root_b = {k: _value(v) for k, v in b.attrs.items() if k not in execution_attrs}
        for k in sorted(set(root_a) | set(root_b)):
            if root_a.get(k) != root_b.get(k):
                out.append(f"/ attribute {k}: {str(root_a.get(k))[:60]!r} != {str(root_b.get(k))[:60]!r}")
        for n in sorted(na & nb):
            oa, ob = a[n], b[n]
            if type(oa) is not type(ob):
                out.append(f"{n}: a {type(oa).__name__} in one file, a {type(ob).__name__} in the other")
                continue
            attrs_a = {k: _value(v) for k, v in oa.attrs.items()}
            attrs_b = {k: _value(v) for k, v in ob.attrs.items()}
            if attrs_a != attrs_b:
                out.append(f"{n}: attributes differ: {attrs_a} != {attrs_b}")
            if not isinstance(oa, h5py.Dataset):
                continue
            if oa.dtype != ob.dtype or oa.shape != ob.shape:
                out.append(f"{n}: {oa.dtype}{oa.shape} != {ob.dtype}{ob.shape}")
                continue
            if h5py.check_string_dtype(oa.dtype):
                va, vb = list(oa[()]), list(ob[()])
                if va != vb:
                    out.append(f"{n}: strings differ")
            else:
                va, vb = oa[()], ob[()]
                # Bit for bit: compare the bytes, so that even NaN payloads and -0.0 must match.
                if va.tobytes() != vb.tobytes():
                    where = np.argwhere(va != vb)
                    out.append(f"{n}: {len(where)} values differ, first at {where[0].tolist() if len(where) else '?'}")
            if len(out) >= limit:
                break
    return out
