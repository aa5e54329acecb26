#!/usr/bin/env -S /usr/bin/python3
"""Limited capacities (decision 4, docs/architecture.md; docs/hpc.md): with `markov.capacities` at most
`per_day` agents enter a capped node per day, the claims of lowest rank_hash winning. The
cap binds, is never exceeded, and the result is the same file on 1 and 3 threads and after a
restart from a checkpoint (tests/python/test_mpi.py checks 2 ranks).
"""
import subprocess
import unittest

import harness
import corridor_io
from corridor_io.files import differences

CAPS = ("--set", "markov.capacities=[{node: n011, per_day: 40}, {node: n005, per_day: 300}]",
        "--set", "markov.initial.0.agents=30000", "--set", "markov.initial.1.agents=20000")


class Capacity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("capacity")
        cls.one = cls.dir / "t1.h5"
        harness.run("scenarios/markov/chain24.yaml", cls.one, "--threads", "1", *CAPS)

    def test_the_cap_binds_and_is_never_exceeded(self):
        arrivals = corridor_io.load(self.one).series("arrivals")
        for node, cap in (("n011", 40), ("n005", 300)):
            a = arrivals[arrivals["node"] == node]["value"]
            self.assertLessEqual(a.max(), cap)
            self.assertGreater((a == cap).sum(), 5, f"the capacity of {node} never binds; the test shows nothing")

    def test_the_result_does_not_depend_on_threads(self):
        three = self.dir / "t3.h5"
        harness.run("scenarios/markov/chain24.yaml", three, "--threads", "3", *CAPS)
        self.assertEqual(differences(self.one, three), [])

    def test_a_restart_continues_the_same_allocation(self):
        out = self.dir / "restart.h5"
        harness.run("scenarios/markov/chain24.yaml", out, "--threads", "2", "--stop-after-day", "25", *CAPS)
        p = subprocess.run([str(harness.BIN), "run", "--restart", str(out) + ".ckpt", "--quiet"], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(differences(self.one, out), [])

    def test_a_node_capped_twice_is_bad_input(self):
        p = harness.run("scenarios/markov/chain24.yaml", self.dir / "bad.h5", "--set",
                        "markov.capacities=[{node: n011, per_day: 4}, {node: n011, per_day: 5}]", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("node 'n011' has a capacity already", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
