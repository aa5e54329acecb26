#!/usr/bin/env -S /usr/bin/python3
"""scripts/check_identical.py tells identical results from different ones.

The "old" binary is the one under test; the "new" ones are wrappers around it that change
what a run computes (another seed), only how the scenario is stated (another description,
which no dataset records), or make the run fail. Small cases: the Markov chain24 ladder and
the corridor defaults.yaml at 0.2 % scale (--scale applies to corridor-model scenarios only).
"""
import subprocess
import sys
import unittest

import harness

SCRIPT = harness.SOURCE / "scripts" / "check_identical.py"
SCENARIOS = [str(harness.SOURCE / "scenarios/markov/chain24.yaml"), str(harness.SOURCE / "scenarios/defaults.yaml")]


def wrapper(path, extra_run_args="", body=None):
    """An executable that passes every command to the real binary, adding arguments to `run`."""
    run_line = body or f'exec "{harness.BIN}" "$@" {extra_run_args}'
    path.write_text(f'#!/bin/sh\nif [ "$1" = run ]; then {run_line}; fi\nexec "{harness.BIN}" "$@"\n')
    path.chmod(0o755)
    return path


def check(new, *args, scenarios=SCENARIOS):
    cmd = [sys.executable, str(SCRIPT), "--old", str(harness.BIN), "--new", str(new), "--scale", "0.002", *args,
           *scenarios]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=280)
    print(p.stdout[-3000:], p.stderr[-2000:])
    return p


class CheckIdentical(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("check_identical")

    def test_the_same_binary_is_identical_to_itself(self):
        out = self.dir / "same"
        p = check(harness.BIN, "--out", str(out))
        self.assertEqual(p.returncode, 0)
        self.assertIn("scenarios/markov/chain24.yaml: identical (", p.stdout)
        self.assertIn("scenarios/defaults.yaml: identical (", p.stdout)
        self.assertIn("2 of 2 scenarios identical", p.stdout)
        self.assertEqual(list(out.iterdir()), [], "the files of identical scenarios are deleted")

    def test_another_seed_differs_and_its_files_are_kept(self):
        out = self.dir / "seed"
        p = check(wrapper(self.dir / "other_seed", "--seed 7"), "--out", str(out), scenarios=SCENARIOS[:1])
        self.assertEqual(p.returncode, 1)
        self.assertIn("scenarios/markov/chain24.yaml: DIFFERENT", p.stdout)
        self.assertIn("values differ", p.stdout)
        self.assertIn("0 of 1 scenarios identical; differ or failed: scenarios/markov/chain24.yaml", p.stdout)
        kept = sorted(str(f.relative_to(out)) for f in out.rglob("*.h5"))
        self.assertEqual(kept, ["scenarios_markov_chain24/new/chain24.h5", "scenarios_markov_chain24/old/chain24.h5"])

    def test_a_reworded_scenario_is_identical_and_said_so(self):
        p = check(wrapper(self.dir / "reworded", "--set description=reworded"), scenarios=SCENARIOS[:1])
        self.assertEqual(p.returncode, 0)
        self.assertIn("scenarios/markov/chain24.yaml: identical datasets; only the root attribute `scenario`",
                      p.stdout)

    def test_a_failed_run_fails_the_check(self):
        p = check(wrapper(self.dir / "failing", body='echo "simulated failure" >&2; exit 3'), scenarios=SCENARIOS[:1])
        self.assertEqual(p.returncode, 1)
        self.assertIn("the new binary's run failed (exit 3)", p.stdout)
        self.assertIn("simulated failure", p.stdout)

    def test_a_missing_binary_is_bad_input(self):
        p = check(self.dir / "no_such_binary", scenarios=SCENARIOS[:1])
        self.assertEqual(p.returncode, 2)
        self.assertIn("no_such_binary: no corridor executable", p.stderr)


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
