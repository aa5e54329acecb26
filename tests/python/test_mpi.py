#!/usr/bin/env -S /usr/bin/python3
"""Across ranks with `mpirun -n 2` (docs/hpc.md): a sweep gives the same files as on one
process, with the runs spread over both ranks; one run partitioned over 2 (and 3) ranks writes
a file with the same content as the 1-rank run (Markov chain24, the corridor model at small
scale, and the flee model: a small Ethiopia 2020 variant with binding camp capacities and
take_from_population, and Flee's Mali 2012 as shipped, whose out.csv is the same byte for
byte); a checkpoint written by 2 ranks restarts on 1 rank to the same result.

Skipped (exit 77, reported by ctest as not run) when there is no mpirun or the binary was
built without MPI. Runs as root need Open MPI's --allow-run-as-root; --oversubscribe lets
2-3 ranks share this machine's cores.
"""
import subprocess
import sys
import time
import unittest

import h5py

import harness
import hpc_support
from corridor_io.files import differences

PRE = hpc_support.mpirun_prefix(2)
if PRE is None or not hpc_support.binary_has_mpi(harness.BIN):
    print("SKIP: no mpirun, or corridor was built without MPI (CORRIDOR_HAVE_MPI)")
    sys.exit(77)

CORRIDOR_ARGS = ("--set", "end=2019-09-30", "--set", "corridor.scale=0.01")


def mpirun(n, *args, check=True, timeout=240):
    cmd = [*hpc_support.mpirun_prefix(n), str(harness.BIN), *map(str, args)]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=hpc_support.mpi_env(),
                       cwd=harness.SOURCE)
    print(f"  mpirun -n {n} {' '.join(map(str, args))} -> rc {p.returncode} in {time.monotonic() - t0:.1f} s")
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


class MultiRank(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("mpi")

    def assertSameContent(self, a, b):
        diffs = differences(a, b)
        self.assertEqual(diffs, [], f"{a} and {b} differ")

    def test_a_run_on_2_and_3_ranks_equals_the_1_rank_run(self):
        one = self.dir / "chain-1.h5"
        small = ("--set", "markov.initial.0.agents=30000", "--set", "markov.initial.1.agents=20000")
        harness.run("scenarios/markov/chain24.yaml", one, "--threads", "1", *small)
        for n in (2, 3):
            out = self.dir / f"chain-{n}.h5"
            p = mpirun(n, "run", "scenarios/markov/chain24.yaml", "--out", out, "--quiet", "--threads", "1", *small)
            self.assertEqual(p.stderr.count("summary:"), 1, "only rank 0 reports")
            self.assertIn(f"ranks={n}", p.stderr)
            self.assertSameContent(one, out)
            with h5py.File(out, "r") as f:
                self.assertEqual(int(f.attrs["ranks"]), n)

    def test_limited_capacities_are_allocated_alike_on_1_and_2_ranks(self):
        caps = ("--set", "markov.capacities=[{node: n011, per_day: 40}, {node: n005, per_day: 300}]",
                "--set", "markov.initial.0.agents=30000", "--set", "markov.initial.1.agents=20000")
        one, two = self.dir / "cap-1.h5", self.dir / "cap-2.h5"
        harness.run("scenarios/markov/chain24.yaml", one, "--threads", "1", *caps)
        mpirun(2, "run", "scenarios/markov/chain24.yaml", "--out", two, "--quiet", "--threads", "1", *caps)
        self.assertSameContent(one, two)

    def test_the_corridor_model_on_2_ranks_equals_1_rank(self):
        one = self.dir / "corridor-1.h5"
        two = self.dir / "corridor-2.h5"
        harness.run("scenarios/defaults.yaml", one, "--threads", "2", *CORRIDOR_ARGS)
        mpirun(2, "run", "scenarios/defaults.yaml", "--out", two, "--quiet", "--threads", "1", *CORRIDOR_ARGS)
        self.assertSameContent(one, two)

    def test_the_corridor_model_with_trip_news_on_2_ranks_equals_1_rank(self):
        # Model v2 trip news (docs/model.md §3.14) reads the day's summed trip outcomes in
        # end_day: the same on every rank, so the news and the perception are too.
        news = ("--set", "corridor.news.enabled=true", "--set", "corridor.news.delay_days=10")
        one = self.dir / "corridor-news-1.h5"
        two = self.dir / "corridor-news-2.h5"
        harness.run("scenarios/defaults.yaml", one, "--threads", "2", *CORRIDOR_ARGS, *news)
        mpirun(2, "run", "scenarios/defaults.yaml", "--out", two, "--quiet", "--threads", "1", *CORRIDOR_ARGS, *news)
        with h5py.File(one, "r") as f:
            self.assertGreater(int(f["series/trip_outcomes/value"][()].sum()), 0)
        self.assertSameContent(one, two)

    def test_a_checkpoint_of_2_ranks_restarts_on_1_rank_to_the_same_result(self):
        ref = self.dir / "ck-ref.h5"
        out = self.dir / "ck.h5"
        harness.run("scenarios/defaults.yaml", ref, "--threads", "1", *CORRIDOR_ARGS)
        mpirun(2, "run", "scenarios/defaults.yaml", "--out", out, "--quiet", "--threads", "1", *CORRIDOR_ARGS,
               "--checkpoint-every", "50", "--stop-after-day", "120")
        ckpt = out.parent / (out.name + ".ckpt")
        self.assertTrue(ckpt.exists())
        self.assertFalse(out.exists())
        p = subprocess.run([str(harness.BIN), "run", "--restart", str(ckpt), "--quiet", "--threads", "2"],
                           capture_output=True, text=True, timeout=240)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertSameContent(ref, out)

    def test_a_sweep_on_2_ranks_gives_the_same_files_and_uses_both_ranks(self):
        f = self.dir / "sweep.yaml"
        f.write_text(f"name: mpi\nbase: {harness.SOURCE / 'scenarios/markov/chain24.yaml'}\nseed: 8\nreplicates: 3\n"
                     "set: {markov.initial.0.agents: 15000, markov.initial.1.agents: 10000}\n"
                     "grid: [{key: end, values: [2020-01-10, 2020-01-20]}]\n")
        one, two = self.dir / "sweep-1", self.dir / "sweep-2"
        subprocess.run([str(harness.BIN), "sweep", str(f), "--out", str(one), "--jobs", "2"], check=True,
                       capture_output=True, timeout=240)
        mpirun(2, "sweep", f, "--out", two)
        import pandas as pd
        idx = pd.read_csv(two / "index.csv")
        self.assertEqual(list(idx["status"]), ["done"] * 6)
        ranks = set(idx["host"].str.extract(r"/(rank\d+)$")[0])
        self.assertEqual(ranks, {"rank0", "rank1"}, "dynamic assignment gave every run to one rank")
        for i in range(6):
            self.assertSameContent(one / f"runs/r{i:04d}.h5", two / f"runs/r{i:04d}.h5")

    def assertSameFleeRun(self, one, other):
        self.assertSameContent(one, other)
        csv_one, csv_other = (p.with_suffix(".out.csv") for p in (one, other))
        self.assertTrue(csv_other.exists(), f"rank 0 wrote no {csv_other.name}")
        self.assertEqual(csv_one.read_bytes(), csv_other.read_bytes(), f"{csv_one} and {csv_other} differ")

    def test_a_small_flee_case_on_2_and_3_ranks_equals_1_rank(self):
        # Ethiopia 2020 with capacities at 0.5 % (3,700-5,000 agents: most camps fill up within
        # the run, so that the capacity factors, read from the start-of-day occupancies, steer
        # the routes) and spawning that takes from the population: the per-location tables
        # every rank must hold alike. Without the event table (Mali 2012 below has it), whose
        # exchange between ranks is most of a 2-rank run's time on a busy machine.
        case = ("--set", "flee.move_rules.capacity_scaling=0.005",
                "--set", "flee.spawn_rules.take_from_population=true", "--set", "output.events=false",
                "--threads", "1")
        one = self.dir / "ethiopia-1.h5"
        harness.run("scenarios/flee/ethiopia2020.yaml", one, *case)
        for n in (2, 3):
            out = self.dir / f"ethiopia-{n}.h5"
            p = mpirun(n, "run", "scenarios/flee/ethiopia2020.yaml", "--out", out, "--quiet", *case)
            self.assertEqual(p.stderr.count("flee: ARD"), 1, "only rank 0 writes out.csv and reports the ARD")
            self.assertSameFleeRun(one, out)

    def test_flee_mali_2012_on_2_ranks_equals_1_rank(self):
        one, two = self.dir / "mali-1.h5", self.dir / "mali-2.h5"
        harness.run("scenarios/flee/mali2012.yaml", one, "--threads", "1")
        mpirun(2, "run", "scenarios/flee/mali2012.yaml", "--out", two, "--quiet", "--threads", "1")
        self.assertSameFleeRun(one, two)
        with h5py.File(two, "r") as f:
            self.assertEqual(int(f.attrs["ranks"]), 2)
            # Every agent of the case (docs/flee-rules.md, reference figures), each in the table once.
            self.assertEqual(int(f.attrs["agents"]), 89991)
            self.assertEqual(f["agents/id"].shape[0], 89991)


if __name__ == "__main__":
    unittest.main(verbosity=2)
