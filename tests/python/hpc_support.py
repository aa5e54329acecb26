"""Helpers for the HPC tests (sweeps, multi-rank runs, checkpoints); not a test itself.

"Same content" (docs/hpc.md) is corridor_io.files.differences, which these tests import.
"""
from __future__ import annotations

import os
import shutil
import subprocess


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
