#!/usr/bin/env -S /usr/bin/python3
"""Checkpoint and restart (docs/hpc.md): a run stopped after a day and restarted from its
checkpoint writes a file with the same content as the uninterrupted run (the Markov demo, whose
transition tables change over time, and the corridor model, whose perception carries state
from day to day, also with the model v2 trip news and its queue of daily outcomes); so does a run stopped by SIGTERM (a batch system's wall-time limit) with
checkpointing on. A checkpoint never passes for a result; a restart refuses a scenario that
changed since the checkpoint, and a restart given a scenario of its own.
"""
import os
import signal
import subprocess
import time
import unittest

import harness
import corridor_io
from corridor_io.files import differences

CORRIDOR = "scenarios/defaults.yaml"
CORRIDOR_ARGS = ("--set", "end=2020-03-31", "--set", "corridor.scale=0.01")


def restart(ckpt, *args, check=True):
    cmd = [str(harness.BIN), "run", "--restart", str(ckpt), "--quiet", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=harness.SOURCE, timeout=240)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
    return p


def ckpt_of(out):
    return out.parent / (out.name + ".ckpt")


class Checkpoint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("checkpoint")
        cls.corridor_ref = cls.dir / "corridor-ref.h5"
        harness.run(CORRIDOR, cls.corridor_ref, "--threads", "1", *CORRIDOR_ARGS)

    def assertSameContent(self, a, b):
        self.assertEqual(differences(a, b), [], f"{a} and {b} differ")

    def test_markov_demo_restarted_after_day_20_equals_the_uninterrupted_run(self):
        ref, out = self.dir / "demo-ref.h5", self.dir / "demo.h5"
        harness.run("scenarios/markov_demo.yaml", ref, "--threads", "2")
        p = harness.run("scenarios/markov_demo.yaml", out, "--threads", "2", "--stop-after-day", "20")
        self.assertIn("stopped after day 20", p.stderr)
        self.assertFalse(out.exists(), "a stopped run must not leave a result")
        self.assertEqual(sorted(f.name for f in self.dir.iterdir() if f.name.startswith("demo.")), ["demo.h5.ckpt"])
        restart(ckpt_of(out), "--threads", "1")
        self.assertSameContent(ref, out)
        self.assertFalse(ckpt_of(out).exists(), "the checkpoint is removed once the result is complete")

    def test_the_corridor_model_restarted_from_a_periodic_checkpoint_equals_the_uninterrupted_run(self):
        out = self.dir / "corridor.h5"
        harness.run(CORRIDOR, out, "--threads", "1", "--checkpoint-every", "40", "--stop-after-day", "250",
                    *CORRIDOR_ARGS)
        ckpt = ckpt_of(out)
        with self.assertRaises(corridor_io.ResultError, msg="a checkpoint must not load as a result"):
            corridor_io.load(ckpt)
        p = restart(ckpt, "--threads", "2")
        self.assertIn("summary:", p.stderr)
        self.assertSameContent(self.corridor_ref, out)

    def test_the_corridor_model_with_its_v2_mechanisms_on_restarts_to_the_uninterrupted_run(self):
        # Model v2 keeps state between days outside the agent store, like the perception: the
        # trip news' queue of daily outcomes (docs/model.md §3.14; its noise is drawn by seed and
        # day) and the diaspora's stock (§3.15); the households' choice (§3.16) reads the perception.
        # A restart must continue them all.
        v2 = ("--set", "corridor.closures.enabled=true", "--set", "corridor.retries.enabled=true",
              "--set", "corridor.mexico.sections.enabled=true", "--set", "corridor.news.enabled=true",
              "--set", "corridor.news.delay_days=20", "--set", "corridor.news.window_days=15",
              "--set", "corridor.diaspora.enabled=true", "--set", "corridor.diaspora.departure_elasticity=5",
              "--set", "corridor.households.enabled=true")
        ref, out = self.dir / "corridor-v2-ref.h5", self.dir / "corridor-v2.h5"
        harness.run(CORRIDOR, ref, "--threads", "2", *CORRIDOR_ARGS, *v2)
        result = corridor_io.load(ref)
        self.assertIn("trip_outcomes", result.series_names())
        self.assertIn("household_choice", result.series_names())
        harness.run(CORRIDOR, out, "--threads", "1", "--checkpoint-every", "60", "--stop-after-day", "400",
                    *CORRIDOR_ARGS, *v2)
        restart(ckpt_of(out), "--threads", "2")
        self.assertSameContent(ref, out)
        # And the mechanisms changed the run: the stock grew, and the run is not the v1 one.
        values, _ = result.series_array("diaspora_stock")
        self.assertGreater(values[-1].sum(), values[0].sum(), "the stock grows with the entries")
        self.assertNotEqual(differences(self.corridor_ref, ref), [])

    def test_a_run_stopped_by_sigterm_leaves_a_checkpoint_that_restarts_to_the_same_result(self):
        out = self.dir / "term.h5"
        ckpt = ckpt_of(out)
        # A checkpoint every other day keeps the run busy for seconds, so that SIGTERM surely
        # finds it running however fast the machine.
        cmd = [str(harness.BIN), "run", str(harness.SOURCE / CORRIDOR), "--out", str(out), "--quiet", "--threads", "1",
               "--checkpoint-every", "2", *CORRIDOR_ARGS]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=harness.SOURCE)
        deadline = time.monotonic() + 60
        while not ckpt.exists() and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=120)
        if p.returncode == 0:
            self.skipTest("the run finished before SIGTERM reached it (a very fast machine)")
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
        self.assertIn("checkpoint written", err)
        self.assertFalse(out.exists())
        self.assertEqual([f.name for f in self.dir.iterdir() if f.name.startswith("term.h5.tmp")], [])
        restart(ckpt, "--checkpoint-every", "1000")
        self.assertSameContent(self.corridor_ref, out)

    def test_a_restart_refuses_a_changed_scenario_and_a_scenario_of_its_own(self):
        scen = self.dir / "changed.yaml"
        scen.write_text(f"extends: {harness.SOURCE / CORRIDOR}\nname: changed\n")
        out = self.dir / "changed.h5"
        harness.run(str(scen), out, "--stop-after-day", "10", *CORRIDOR_ARGS)
        p = restart(ckpt_of(out), "--set", "seed=3", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--restart continues the checkpoint's own scenario", p.stderr)
        scen.write_text(f"extends: {harness.SOURCE / CORRIDOR}\nname: changed\nseed: 99\n")
        p = restart(ckpt_of(out), check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("changed since the checkpoint was written", p.stderr)
        p = restart(self.corridor_ref, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no /checkpoint group", p.stderr)

    def test_a_model_without_checkpoint_support_is_refused_up_front(self):
        p = harness.run("scenarios/flee/mali2012.yaml", self.dir / "flee.h5", "--checkpoint-every", "10", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("model 'flee' has no checkpoint support", p.stderr)
        self.assertFalse((self.dir / "flee.h5").exists())


if __name__ == "__main__":
    unittest.main(verbosity=2)
