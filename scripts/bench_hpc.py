#!/usr/bin/env -S /usr/bin/python3
"""The scaling benchmark of docs/hpc.md: sweep throughput, one large run on 1 and 2 ranks, the
cost of the per-day MPI_Allreduce as the network grows, and the cost of checkpoints. Prints Markdown tables (and the
machine's load, since on a shared machine that is what limits every figure).

    scripts/bench_hpc.py [--binary PATH] [--ranks 2] [--quick] [--work DIR]

Needs mpirun (Open MPI; root is allowed through OMPI_ALLOW_RUN_AS_ROOT). Each figure is the
best of --repeat runs (default 2): the least disturbed by whatever else the machine is doing.
Speed is reported, never asserted (no test depends on it).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corridor_io import binary
from corridor_io.repository import ROOT

SHARED = True


def mpi_env():
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    if SHARED:
        # On a machine shared with other work, spinning while waiting (OpenMP barriers, MPI
        # collectives) steals the cores the other threads and ranks need: wait passively.
        env.update(OMP_WAIT_POLICY="passive", OMPI_MCA_mpi_yield_when_idle="1")
    env.pop("CORRIDOR_NO_MPI", None)
    return env


def load():
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def run(cmd, ranks=1, busy=False):
    if ranks > 1:
        cmd = ["mpirun", "--oversubscribe", "-n", str(ranks), *cmd]
    env = mpi_env()
    if busy:  # the default busy polling: the cost of the call itself, not of the scheduler
        env.pop("OMP_WAIT_POLICY", None)
        env["OMPI_MCA_mpi_yield_when_idle"] = "0"
    t0 = time.monotonic()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"bench_hpc: {' '.join(cmd)} exited {p.returncode}:\n{p.stderr[-3000:]}")
    figures = dict(re.findall(r"(\w+)=([^\s]+)", p.stdout + "\n" + p.stderr))
    # CPU seconds of every process it started (the ranks included): with passive waiting this
    # is the work done, whatever share of the cores the other users of the machine left us.
    figures["cpu_s"] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, figures


def best(n, f):
    results = [f() for _ in range(n)]
    return min(results, key=lambda r: r[0])


def sweep_throughput(bin_, work, ranks, repeat, quick):
    runs = 4 if quick else 6
    scale = "0.02" if quick else "0.05"
    f = work / "bench_sweep.yaml"
    f.write_text(f"name: bench\nbase: {ROOT / 'scenarios/defaults.yaml'}\nseed: 1\nreplicates: {runs}\n"
                 f"set: {{corridor.scale: {scale}, output.events: false, output.agents: false}}\n")
    rows = []
    for label, r, jobs in (("1 process, --jobs 1", 1, 1), (f"mpirun -n {ranks} (1 job per rank)", ranks, 1),
                           ("1 process, --jobs 2", 1, 2)):
        def one():
            out = work / "sweep_out"
            shutil.rmtree(out, ignore_errors=True)
            return run([str(bin_), "sweep", str(f), "--out", str(out), "--jobs", str(jobs)], r)
        wall, fig = best(repeat, one)
        rows.append((label, runs, wall, runs / wall * 3600, fig["cpu_s"]))
    print(f"\n### Sweep throughput ({runs} runs: corridor defaults.yaml FY2019-FY2023, scale {scale}, series only)\n")
    print("| how | runs | wall s | runs per hour | CPU s |\n|---|---:|---:|---:|---:|")
    for label, n, wall, rph, cpu in rows:
        print(f"| {label} | {n} | {wall:.2f} | {rph:.0f} | {cpu:.1f} |")


def large_run(bin_, work, ranks, repeat, quick):
    scale = "0.03" if quick else "0.1"
    agents = "400000" if quick else "2000000"
    cases = (
        (f"corridor defaults.yaml FY2019-FY2023, scale {scale}, events and agents written",
         ["run", "scenarios/defaults.yaml", "--quiet", "--set", f"corridor.scale={scale}", "--out", "{out}"]),
        (f"markov synthetic, {int(agents):,} agents, 1,000 nodes, 30 days, series only",
         ["bench", "--agents", agents, "--nodes", "1000", "--days", "30"]),
    )
    for title, args in cases:
        rows = []
        base = base_cpu = None
        for label, r, t in (("1 rank x 1 thread", 1, 1), (f"{ranks} ranks x 1 thread", ranks, 1),
                            ("1 rank x 2 threads", 1, 2)):
            out = work / f"large-{r}-{t}.h5"
            cmd = [str(bin_), *[a.replace("{out}", str(out)) for a in args], "--threads", str(t)]
            wall, fig = best(repeat, lambda: run(cmd, r))
            rate = float(fig["agent_steps_per_s"])
            if base is None:
                base = rate
            cpu = fig["cpu_s"]
            if base_cpu is None:
                base_cpu = cpu
            rows.append((label, fig["agent_steps"], float(fig["seconds"]), rate, rate / base / (r * t),
                         cpu, base_cpu / cpu, fig.get("reduce_seconds", "-"), fig.get("gather_seconds", "-"), wall))
        print(f"\n### One large run: {title}\n")
        print("| how | agent-steps | engine s | agent-steps/s | parallel efficiency | CPU s | work efficiency | "
              "Allreduce s | gather s | wall s |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for label, steps, sec, rate, eff, cpu, weff, red, gat, wall in rows:
            print(f"| {label} | {int(steps):,} | {sec:.2f} | {rate:,.0f} | {eff:.2f} | {cpu:.2f} | {weff:.2f} | "
                  f"{red} | {gat} | {wall:.2f} |")


def allreduce_cost(bin_, ranks, repeat, quick):
    sizes = (100, 1000, 10000, 100000) if quick else (100, 1000, 10000, 100000, 1000000)
    days = 30
    print(f"\n### Per-day MPI_Allreduce as the network grows ({ranks} ranks; markov synthetic network, "
          f"tally = 2 x nodes + 4 int64 cells, 100,000 agents, {days} days)\n")
    print("Allreduce alone: median (and mean) of 200 calls after 10 warm-up calls, Open MPI's default busy "
          "polling. In-run: the engine's Allreduce per day, waiting for the slower rank included "
          f"({'passive waiting' if SHARED else 'busy polling'}).\n")
    print("| nodes | cells | bytes | Allreduce alone, median us | (mean us) | in-run Allreduce per day, us | "
          "engine ms per day |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        cmd = [str(bin_), "bench", "--nodes", str(n), "--agents", "100000", "--days", str(days), "--threads", "1"]
        _, alone = best(repeat, lambda: run(cmd, ranks, busy=True))
        _, inrun = best(repeat, lambda: run(cmd, ranks))
        cells = int(alone["allreduce_cells"])
        print(f"| {n:,} | {cells:,} | {cells * 8:,} | {float(alone['allreduce_us']):,.1f} | "
              f"{float(alone['allreduce_mean_us']):,.1f} | {float(inrun['reduce_seconds']) / days * 1e6:,.1f} | "
              f"{float(inrun['seconds']) / days * 1e3:.2f} |")


def checkpoint_cost(bin_, work, repeat, quick):
    scale = "0.03" if quick else "0.1"
    args = ["run", "scenarios/defaults.yaml", "--quiet", "--threads", "1", "--set", f"corridor.scale={scale}"]
    print(f"\n### Checkpoints (corridor defaults.yaml FY2019-FY2023, scale {scale}, events and agents written, 1 thread)\n")
    print("| checkpoint every | checkpoints | engine s | overhead | checkpoint size at day 1000, MB |")
    print("|---:|---:|---:|---:|---:|")
    base = None
    for every in (0, 365, 90, 30):
        out = work / f"ck-{every}.h5"
        extra = ["--checkpoint-every", str(every)] if every else []
        _, fig = best(repeat, lambda: run([str(bin_), *args, "--out", str(out), *extra]))
        sec = float(fig["seconds"])
        base = base or sec
        n = (1826 - 1) // every if every else 0
        size = "-"
        if every:
            ck = work / "ck-size.h5"
            run([str(bin_), *args, "--out", str(ck), "--stop-after-day", "999"])
            size = f"{(work / 'ck-size.h5.ckpt').stat().st_size / 1e6:.1f}"
        print(f"| {every or 'never'} | {n} | {sec:.2f} | {100 * (sec / base - 1):+.0f} % | {size} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    binary.add_option(ap, deprecated=("--bin",))
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="smaller cases (a smoke test of this script)")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one, removed)")
    ap.add_argument("--only", choices=("sweep", "large", "allreduce", "checkpoint"), action="append")
    ap.add_argument("--dedicated", action="store_true",
                    help="keep OpenMP's and Open MPI's default busy waiting (right on dedicated nodes)")
    a = ap.parse_args()
    global SHARED
    SHARED = not a.dedicated
    if not shutil.which("mpirun"):
        sys.exit("bench_hpc: needs mpirun (Debian: openmpi-bin)")
    try:
        exe = binary.find(a.binary)
    except binary.BinaryError as e:
        ap.error(str(e))
    work = a.work or Path(tempfile.mkdtemp(prefix="corridor-bench-hpc-"))
    work.mkdir(parents=True, exist_ok=True)
    version = binary.version(exe)
    print(f"{version}; {os.cpu_count()} cores; load average (1/5/15 min) at start: {load()}; "
          f"{'passive waiting (OMP_WAIT_POLICY=passive, mpi_yield_when_idle=1)' if SHARED else 'default busy waiting'}")
    only = a.only or ["sweep", "large", "allreduce", "checkpoint"]
    try:
        if "sweep" in only:
            sweep_throughput(exe, work, a.ranks, a.repeat, a.quick)
        if "large" in only:
            large_run(exe, work, a.ranks, a.repeat, a.quick)
        if "allreduce" in only:
            allreduce_cost(exe, a.ranks, a.repeat, a.quick)
        if "checkpoint" in only:
            checkpoint_cost(exe, work, a.repeat, a.quick)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at the end: {load()}")


if __name__ == "__main__":
    main()
