#!/usr/bin/env -S /usr/bin/python3
"""Across ranks with `mpirun -n 2` (docs/hpc.md): a sweep gives the same files as on one
process, with the runs spread over both ranks; one run partitioned over 2 (and 3) ranks writes
a file with the same content as the 1-rank run (Markov chain24, and the corridor model at small
scale); a checkpoint written by 2 ranks restarts on 1 rank to the same result; a model that
cannot be partitioned (flee) is refused with exit 2.

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

    def test_a_model_that_cannot_be_partitioned_is_refused_on_several_ranks(self):
        out = self.dir / "flee.h5"
        p = mpirun(2, "run", "scenarios/flee/mali2012.yaml", "--out", out, "--quiet", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stderr.count("error:"), 1, "rank 0 alone reports an input error")
        self.assertIn("model 'flee' cannot run on several ranks", p.stderr)
        self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main(verbosity=2)
