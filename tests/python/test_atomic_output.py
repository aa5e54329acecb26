#!/usr/bin/env -S /usr/bin/python3
"""The result file appears under its name only when complete (decision 6, docs/architecture.md).

The binary writes OUT.tmp-<pid> beside OUT and renames it when the run has finished. So:
bad input leaves nothing (and does not clobber an earlier result); a failure after the
temporary file was created removes it; a killed run leaves at most the temporary file,
never a partial OUT; a successful run leaves exactly OUT, marked complete.
"""
import os
import signal
import subprocess
import sys
import time
import unittest

import h5py

import harness
import corridor_io

SCENARIO = "scenarios/markov/chain24.yaml"


def listing(d):
    return sorted(p.name for p in d.iterdir())


class AtomicOutput(unittest.TestCase):
    def setUp(self):
        self.dir = harness.scratch(f"atomic_{self._testMethodName}")
        self.out = self.dir / "run.h5"

    def test_bad_input_exits_2_and_leaves_no_file(self):
        p = harness.run(SCENARIO, self.out, "--set", "markov.initial.0.node=nowhere", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertRegex(p.stderr, r"error: .*markov\.initial\.0\.node.*unknown node 'nowhere'")
        self.assertEqual(listing(self.dir), [], "bad input left a file (the result or a .tmp-*)")

    def test_bad_input_leaves_an_earlier_result_untouched(self):
        harness.run(SCENARIO, self.out, "--set", "end=2020-01-05")
        before = self.out.read_bytes()
        p = harness.run(SCENARIO, self.out, "--set", "markov.initial.0.node=nowhere", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(listing(self.dir), ["run.h5"])
        self.assertEqual(self.out.read_bytes(), before, "a failed run changed the earlier result")

    def test_a_successful_run_leaves_exactly_the_complete_file(self):
        p = harness.run(SCENARIO, self.out, "--set", "end=2020-01-10")
        self.assertEqual(listing(self.dir), ["run.h5"])
        self.assertIn(f"out={self.out}", p.stderr)
        with h5py.File(self.out, "r") as f:
            self.assertEqual(int(f.attrs["complete"]), 1)
        self.assertEqual(corridor_io.load(self.out).attrs["days"], 10)

    def test_missing_output_directories_are_created(self):
        out = self.dir / "a" / "b" / "run.h5"
        harness.run(SCENARIO, out, "--set", "end=2020-01-03")
        self.assertEqual(listing(out.parent), ["run.h5"])

    def test_an_unwritable_output_path_is_bad_input_and_leaves_nothing(self):
        # The parent "directory" is a regular file, so neither it nor the file can be created.
        blocker = self.dir / "not_a_dir"
        blocker.write_text("x\n")
        p = harness.run(SCENARIO, blocker / "run.h5", "--set", "end=2020-01-03", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertRegex(p.stderr, r"error: .*not_a_dir/run\.h5")
        self.assertEqual(listing(self.dir), ["not_a_dir"])

    def test_a_failure_after_the_file_was_created_removes_the_temporary(self):
        # A directory already sits at --out: the run completes, then the final rename fails.
        self.out.mkdir()
        p = harness.run(SCENARIO, self.out, "--set", "end=2020-01-05", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cannot rename", p.stderr)
        self.assertEqual(listing(self.dir), ["run.h5"], "the temporary file was left behind")
        self.assertTrue(self.out.is_dir() and listing(self.out) == [], "the directory at --out was touched")

    def test_a_killed_run_never_leaves_a_partial_file_under_the_final_name(self):
        # Long enough (a year of 100 000 agents) to be caught mid-run.
        cmd = [str(harness.BIN), "run", str(harness.SOURCE / SCENARIO), "--quiet", "--threads", "1",
               "--out", str(self.out), "--set", "end=2020-12-31"]
        proc = subprocess.Popen(cmd, cwd=harness.SOURCE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        tmp = self.dir / f"run.h5.tmp-{proc.pid}"
        deadline = time.monotonic() + 30
        while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        seen_running = tmp.exists() and proc.poll() is None
        if seen_running:
            self.assertFalse(self.out.exists(), "the final name exists while the run is writing")
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()
        if not seen_running:
            self.skipTest("the run finished before it could be interrupted (machine too fast for this check)")
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        self.assertFalse(self.out.exists(), "a killed run left a file under the final name")
        self.assertEqual(listing(self.dir), [tmp.name])
        # What a killed run leaves is never mistaken for a result.
        with self.assertRaises(corridor_io.ResultError):
            corridor_io.load(tmp)
        tmp.unlink()
        print(f"  killed pid {proc.pid} mid-run: only {tmp.name} was left, and corridor_io refuses it")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
