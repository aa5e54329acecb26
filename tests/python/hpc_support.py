"""Helpers for the HPC tests (sweeps, multi-rank runs, checkpoints); not a test itself.

`same_content(a, b)` is the definition of "same content" in docs/hpc.md: the same groups and
datasets, every dataset equal bit for bit (dtype, shape, bytes), every attribute equal, except
the root attributes that describe the execution rather than the result.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import h5py
import numpy as np

#: Root attributes about how a run was executed, not what it computed.
EXECUTION_ATTRS = {"created", "seconds", "agent_steps_per_s", "threads", "ranks", "restarted_from_day"}


def _value(v):
    return v.tolist() if isinstance(v, np.ndarray) else v


def differences(path_a, path_b, limit=20) -> list[str]:
    """Every difference between two result files as readable lines (empty: same content)."""
    out = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        def names(f):
            found = []
            f.visit(found.append)
            return set(found)

        na, nb = names(a), names(b)
        for n in sorted(na ^ nb):
            out.append(f"{n}: only in {path_a if n in na else path_b}")
        ra = {k: _value(v) for k, v in a.attrs.items() if k not in EXECUTION_ATTRS}
        rb = {k: _value(v) for k, v in b.attrs.items() if k not in EXECUTION_ATTRS}
        for k in sorted(set(ra) | set(rb)):
            if ra.get(k) != rb.get(k):
                out.append(f"/ attribute {k}: {str(ra.get(k))[:60]!r} != {str(rb.get(k))[:60]!r}")
        for n in sorted(na & nb):
            oa, ob = a[n], b[n]
            if type(oa) is not type(ob):
                out.append(f"{n}: a {type(oa).__name__} in one file, a {type(ob).__name__} in the other")
                continue
            if {k: _value(v) for k, v in oa.attrs.items()} != {k: _value(v) for k, v in ob.attrs.items()}:
                out.append(f"{n}: attributes differ")
            if not isinstance(oa, h5py.Dataset):
                continue
            if oa.dtype != ob.dtype or oa.shape != ob.shape:
                out.append(f"{n}: {oa.dtype}{oa.shape} != {ob.dtype}{ob.shape}")
                continue
            if h5py.check_string_dtype(oa.dtype):
                if list(oa[()]) != list(ob[()]):
                    out.append(f"{n}: strings differ")
            else:
                va, vb = oa[()], ob[()]
                if va.tobytes() != vb.tobytes():
                    where = np.argwhere(va != vb)
                    out.append(f"{n}: {len(where)} values differ, first at {where[0].tolist() if len(where) else '?'}")
            if len(out) >= limit:
                break
    return out


def mpirun_prefix(n: int) -> list[str] | None:
    """`mpirun -n N` with the flags that allow root and more ranks than cores, or None when
    there is no mpirun."""
    exe = shutil.which("mpirun")
    if not exe:
        return None
    return [exe, "--allow-run-as-root", "--oversubscribe", "-n", str(n)]


def mpi_env() -> dict:
    env = dict(os.environ)
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               # One machine, no network needed: keep Open MPI on shared memory and loopback.
               OMPI_MCA_btl="self,vader,tcp", OMPI_MCA_btl_tcp_if_include="lo",
               OMPI_MCA_oob_tcp_if_include="lo", OMPI_MCA_rmaps_base_oversubscribe="1")
    env.pop("CORRIDOR_NO_MPI", None)
    return env


def binary_has_mpi(binary) -> bool:
    """Whether the binary was built with MPI (it says so in `corridor run --help`? no: we ask
    it to run under mpirun with one rank and see whether it refuses)."""
    pre = mpirun_prefix(1)
    if pre is None:
        return False
    p = subprocess.run([*pre, str(binary), "--version"], capture_output=True, text=True, env=mpi_env(), timeout=60)
    return p.returncode == 0
