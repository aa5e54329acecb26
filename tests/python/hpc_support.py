"""Helpers for the HPC tests (sweeps, multi-rank runs, checkpoints); not a test itself.

`differences(a, b)` (harness.py) is the definition of "same content" in docs/hpc.md: the same
groups and datasets, every dataset equal bit for bit (dtype, shape, bytes), every attribute
equal, except the root attributes that describe the execution rather than the result.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import harness

#: The definition of "same content" lives in harness.py, shared with the determinism tests.
EXECUTION_ATTRS = harness.EXECUTION_ATTRS
differences = harness.differences


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
