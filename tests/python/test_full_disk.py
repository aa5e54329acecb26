#!/usr/bin/env -S /usr/bin/python3
"""A full disk (docs/output.md, "Written under a temporary name"): a run whose result, or whose
checkpoint, does not fit on a small filesystem ends with exit 1 and one line naming the file
and the cause ("No space left on device"), without a crash, and leaves neither a result nor a
temporary file behind.

The small filesystem is a 1 MiB tmpfs mounted for the test; where it cannot be mounted (not
root, no mount namespace) the test is skipped with exit 77 and says why.
"""
import os
import shutil
import subprocess
import sys
import unittest

import harness

MOUNT = harness.scratch("full_disk") / "small"
MOUNT.mkdir()


def mount_small_fs():
    if shutil.which("mount") is None:
        return "no mount command"
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(MOUNT)], capture_output=True, text=True)
    return None if p.returncode == 0 else f"cannot mount a 1 MiB tmpfs: {p.stderr.strip()}"


why_not = mount_small_fs() if os.geteuid() == 0 else "not root: cannot mount a small filesystem"
if why_not:
    print(f"SKIP: {why_not}")
    sys.exit(77)


def run(*args):
    cmd = [str(harness.BIN), "run", "--quiet", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=harness.SOURCE, timeout=240)


class FullDisk(unittest.TestCase):
    @classmethod
    def tearDownClass(cls):
        subprocess.run(["umount", str(MOUNT)], check=False)

    def setUp(self):
        for f in MOUNT.iterdir():
            f.unlink()

    def assertOneLineFault(self, p, name):
        self.assertEqual(p.returncode, 1, f"expected exit 1, got {p.returncode}:\n{p.stderr}")
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertRegex(lines[0], rf"^error: cannot write {MOUNT}/{name}\S* .*No space left on device$")
        self.assertEqual(sorted(f.name for f in MOUNT.iterdir()), [], "nothing may be left on the full disk")

    def test_a_result_that_does_not_fit_is_exit_1_naming_the_file_and_the_cause(self):
        out = MOUNT / "demo.h5"
        p = run("scenarios/markov_demo.yaml", "--out", out, "--threads", "2")
        self.assertOneLineFault(p, "demo.h5")

    def test_a_checkpoint_that_does_not_fit_is_exit_1_and_leaves_nothing(self):
        out = MOUNT / "ladder.h5"
        # Series only: the result itself fits; the checkpoint with its 100,000 agents does not.
        p = run("scenarios/markov/chain24.yaml", "--out", out, "--set", "output.events=false", "--set",
                "output.agents=false", "--stop-after-day", "10")
        self.assertOneLineFault(p, "ladder.h5")


if __name__ == "__main__":
    unittest.main(verbosity=2)
