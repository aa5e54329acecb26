#!/usr/bin/env -S /usr/bin/python3
"""The corridor model's output does not depend on the number of threads.

The engine steps contiguous blocks of rows on each thread and the model draws every random
number from (seed, party, day, purpose), so a model whose step() writes no shared state gives
bit-identical files on any --threads. This runs defaults.yaml at 2% scale over FY2019-FY2021
(Title 42, MPP, the child injunction and Mexico's 2021 measures all occur; events and agents
written) on 1, 2 and 8 threads and compares every dataset and attribute except the root
attributes that describe the execution (created, seconds, agent_steps_per_s, threads).
A run with another seed must differ, so the comparison is not vacuous.
"""
import os
import sys
import unittest

import h5py
import numpy as np

import harness
from test_determinism import differences

# Threads that wait for the others at the end of each day sleep instead of spinning: on a
# shared, oversubscribed machine spinning made the 2-thread run 10x slower. It cannot change
# a result (the test below checks exactly that).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

THREADS = (1, 2, 8)
ARGS = ("--set", "corridor.scale=0.02", "--set", "end=2021-09-30", "--set", "output.events=true",
        "--set", "output.agents=true")


class CorridorThreadCountIndependence(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = harness.scratch("corridor_determinism")
        cls.files = {}
        for t in THREADS:
            cls.files[t] = d / f"defaults-t{t}.h5"
            harness.run("scenarios/defaults.yaml", cls.files[t], "--threads", str(t), *ARGS)
        cls.other_seed = d / "defaults-seed7.h5"
        harness.run("scenarios/defaults.yaml", cls.other_seed, "--threads", "2", "--seed", "7", *ARGS)

    def test_defaults_scenario_is_identical_on_1_2_and_8_threads(self):
        with h5py.File(self.files[1], "r") as f:
            self.assertGreater(f["events/day"].shape[0], 100000)
            self.assertGreater(f["agents/id"].shape[0], 10000)
        for t in THREADS[1:]:
            with h5py.File(self.files[t], "r") as f:
                self.assertEqual(int(f.attrs["threads"]), t)
            diff = differences(self.files[1], self.files[t])
            self.assertEqual(diff, [], f"--threads 1 and {t} differ:\n" + "\n".join(diff))
            print(f"  corridor defaults.yaml: --threads 1 and {t} give identical files")

    def test_another_seed_gives_another_run(self):
        with h5py.File(self.files[2], "r") as a, h5py.File(self.other_seed, "r") as b:
            ea, eb = a["series/encounters/value"][()], b["series/encounters/value"][()]
            self.assertEqual(ea.shape, eb.shape)
            self.assertFalse(np.array_equal(ea, eb), "--seed 7 gave the same encounters as the scenario's seed")
        diff = differences(self.files[2], self.other_seed)
        self.assertTrue(any(d.startswith("/ attribute seed") for d in diff), diff)

if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
