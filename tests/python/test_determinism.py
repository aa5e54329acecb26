#!/usr/bin/env -S /usr/bin/python3
"""A run's output does not depend on the number of threads, and does depend on the seed.

decision 3, docs/architecture.md (counter-based randomness) and the engine's contiguous row blocks promise
identical files for any --threads. This runs chain24 and markov_demo (whose schedule varies
in time, so the transition tables are rebuilt during the run) with 1, 2 and 8 threads and
compares every dataset bit for bit and every attribute, except the root attributes that
describe the execution rather than the result (created, seconds, agent_steps_per_s, threads).
"""
import sys
import unittest

import h5py
import numpy as np

import harness
from corridor_io import files

THREADS = (1, 2, 8)
#: Only the thread count and timing may differ between these runs (ranks and restarts may not).
EXECUTION_ATTRS = {"created", "seconds", "agent_steps_per_s", "threads"}


def differences(path_a, path_b):
    return files.differences(path_a, path_b, ignored_root_attrs=EXECUTION_ATTRS)


class ThreadCountIndependence(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("determinism")
        cls.files = {}
        for scenario in ("scenarios/markov/chain24.yaml", "scenarios/markov_demo.yaml"):
            for t in THREADS:
                path = cls.dir / f"{scenario.split('/')[-1].removesuffix('.yaml')}-t{t}.h5"
                harness.run(scenario, path, "--threads", str(t))
                cls.files[(scenario, t)] = path
        cls.other_seed = cls.dir / "chain24-seed7.h5"
        harness.run("scenarios/markov/chain24.yaml", cls.other_seed, "--threads", "2", "--seed", "7")

    def check_identical(self, scenario):
        base = self.files[(scenario, THREADS[0])]
        with h5py.File(base, "r") as f:
            self.assertEqual(int(f.attrs["threads"]), THREADS[0])
            self.assertGreater(f["events/day"].shape[0], 0)
        for t in THREADS[1:]:
            other = self.files[(scenario, t)]
            with h5py.File(other, "r") as f:
                self.assertEqual(int(f.attrs["threads"]), t)  # the runs really used different thread counts
            diff = differences(base, other)
            self.assertEqual(diff, [], f"{scenario}: --threads {THREADS[0]} and {t} differ:\n" + "\n".join(diff))
            print(f"  {scenario}: --threads {THREADS[0]} and {t} give identical files")

    def test_chain24_is_identical_on_1_2_and_8_threads(self):
        self.check_identical("scenarios/markov/chain24.yaml")

    def test_markov_demo_is_identical_on_1_2_and_8_threads(self):
        self.check_identical("scenarios/markov_demo.yaml")

    def occupancy(self, path):
        with h5py.File(path, "r") as f:
            return f["series/occupancy/value"][()]

    def test_a_different_seed_gives_a_different_run(self):
        base = self.files[("scenarios/markov/chain24.yaml", 2)]
        a, b = self.occupancy(base), self.occupancy(self.other_seed)
        self.assertEqual(a.shape, b.shape)
        self.assertFalse(np.array_equal(a, b), "--seed 7 gave the same occupancy as the scenario's seed")
        # Same totals (conservation) but different paths: the difference is in the draws only.
        np.testing.assert_array_equal(a.sum(axis=1), b.sum(axis=1))
        # And the comparison above is able to see a difference (it is not vacuous).
        diff = differences(base, self.other_seed)
        self.assertTrue(any(d.startswith("series/occupancy/value") for d in diff), diff)
        self.assertTrue(any(d.startswith("/ attribute seed") for d in diff), diff)

    def test_the_demo_schedule_changes_the_run(self):
        chain = self.occupancy(self.files[("scenarios/markov/chain24.yaml", 1)])
        demo = self.occupancy(self.files[("scenarios/markov_demo.yaml", 1)])
        # Same seed, same ladder: identical until the ramp starts on 2020-02-01 (day 31)...
        np.testing.assert_array_equal(chain[:32], demo[:32])
        # ...then different once the forward push has grown.
        self.assertFalse(np.array_equal(chain[32:], demo[32:]))


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
