#!/usr/bin/env -S /usr/bin/python3
"""A checkpoint can be trusted (docs/hpc.md, "What a restart checks"): a restart refuses, with
exit 2 and a message naming what differs, a checkpoint whose stored columns, counters, model
state, partial result, scenario text or writing binary were changed, and one whose input tables
changed since it was written; it range-checks every stored column even where the checksums were
forged to match. The untouched checkpoint restarts to the same result as the uninterrupted run,
so that each refusal below is caused by the one change the test makes.

The checkpoint is the Markov ladder's (every column kind: ids, nodes, states, a day column) and
the corridor model's (float columns, routes); each case tampers with a fresh copy with h5py.
"""
import shutil
import struct
import subprocess
import unittest
import zlib

import h5py
import numpy as np

import harness
from corridor_io.files import differences

SMALL = ("--set", "markov.initial.0.agents=3000", "--set", "markov.initial.1.agents=2000")
CORRIDOR = "scenarios/defaults.yaml"
CORRIDOR_ARGS = ("--set", "end=2019-06-30", "--set", "corridor.scale=0.01")
STOP_DAY = 20


def restart(ckpt, *args):
    cmd = [str(harness.BIN), "run", "--restart", str(ckpt), "--quiet", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=harness.SOURCE, timeout=240)


def crc(values):
    return zlib.crc32(np.ascontiguousarray(values).tobytes())


def forge_column(ckpt, column, change):
    """Applies change(values) to a stored column of part 0 and makes its CRC-32 match again."""
    with h5py.File(ckpt, "r+") as f:
        ds = f[f"checkpoint/store/part0000/{column}"]
        v = ds[...]
        change(v)
        ds[...] = v
        ds.attrs.modify("crc32", np.int64(crc(v)))


def forge_counters(ckpt, **changes):
    """Sets counters of the checkpoint and makes their CRC-32 match again."""
    with h5py.File(ckpt, "r+") as f:
        g = f["checkpoint"]
        for k, v in changes.items():
            g.attrs.modify(k, np.int64(v))
        parts = int(g["store"].attrs["parts"])
        values = [int(g.attrs[k]) for k in ("next_day", "pending_final", "agent_steps", "next_id")] + [parts]
        g.attrs.modify("counters_crc32", np.int64(zlib.crc32(struct.pack("<5q", *values))))


class TrustedCheckpoint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("checkpoint_trust")
        # The ladder's scenario and tables copied, so that a test may edit a table.
        cls.scen_dir = cls.dir / "ladder"
        shutil.copytree(harness.SOURCE / "scenarios/markov", cls.scen_dir)
        cls.scenario = cls.scen_dir / "chain24.yaml"
        cls.ref = cls.dir / "ref.h5"
        harness.run(str(cls.scenario), cls.ref, *SMALL)
        cls.stopped = cls.dir / "stopped.h5"
        harness.run(str(cls.scenario), cls.stopped, *SMALL, "--stop-after-day", str(STOP_DAY))
        cls.pristine = cls.dir / "pristine.ckpt"
        shutil.move(cls.dir / "stopped.h5.ckpt", cls.pristine)

    def copy(self, name):
        c = self.dir / f"{name}.ckpt"
        shutil.copy(self.pristine, c)
        return c

    def assertRefused(self, ckpt, *expected):
        p = restart(ckpt)
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(f"checkpoint {ckpt}", lines[0])
        for text in expected:
            self.assertIn(text, lines[0])
        self.assertFalse(self.stopped.exists(), "a refused restart must not write a result")
        self.assertEqual([f.name for f in self.dir.iterdir() if ".tmp" in f.name], [])

    def test_the_untouched_copy_restarts_to_the_uninterrupted_result(self):
        p = restart(self.copy("untouched"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(differences(self.ref, self.stopped), [])
        self.stopped.unlink()

    def test_a_changed_column_value_is_refused_by_its_checksum(self):
        c = self.copy("state-crc")
        with h5py.File(c, "r+") as f:
            ds = f["checkpoint/store/part0000/state"]
            v = ds[...]
            v[5] = 1 - v[5]
            ds[...] = v
        self.assertRefused(c, "agent column 'state' (part 0) does not match its checksum")

    def test_out_of_range_states_nodes_and_days_are_refused_even_with_forged_checksums(self):
        c = self.copy("state")
        forge_column(c, "state", lambda v: v.__setitem__(7, 9))
        self.assertRefused(c, "agent column 'state', part 0 row 7: 9 is not a state (the model has 2)")
        c = self.copy("node")
        forge_column(c, "node", lambda v: v.__setitem__(3, 24))
        self.assertRefused(c, "agent column 'node', part 0 row 3: 24 is not a node index (the network has 24 nodes)")
        c = self.copy("day")
        forge_column(c, "absorbed_day", lambda v: v.__setitem__(0, STOP_DAY + 1))
        self.assertRefused(c, f"agent column 'absorbed_day', part 0 row 0: {STOP_DAY + 1} is not a day before the "
                              f"checkpoint's next day {STOP_DAY + 1}, or -1")

    def test_duplicate_and_too_large_ids_are_refused(self):
        c = self.copy("dup")
        forge_column(c, "id", lambda v: v.__setitem__(4, v[3]))
        self.assertRefused(c, "agent ids of part 0 are not increasing at row 4")
        c = self.copy("big-id")
        forge_column(c, "id", lambda v: v.__setitem__(len(v) - 1, 5000))
        self.assertRefused(c, "agent id 5000 (part 0 row 4999) is not below the next id 5000")

    def test_changed_counters_are_refused_by_their_checksum_and_by_what_they_must_agree_with(self):
        c = self.copy("counters")
        with h5py.File(c, "r+") as f:
            f["checkpoint"].attrs.modify("next_day", np.int64(STOP_DAY + 5))
        self.assertRefused(c, "the counters (next day, finished agents, agent-steps, next id, parts) do not match")
        c = self.copy("next-day")
        forge_counters(c, next_day=STOP_DAY + 5)
        self.assertRefused(c, f"has {STOP_DAY + 1} days, but the checkpoint says the next day is {STOP_DAY + 5}")
        c = self.copy("finished")
        with h5py.File(c, "r") as f:
            finished = int(f["checkpoint"].attrs["pending_final"])
        forge_counters(c, pending_final=finished + 1)
        self.assertRefused(c, f"stored agents are finished, the counters say {finished + 1}")

    def test_a_changed_model_state_scenario_text_or_partial_result_is_refused(self):
        c = self.copy("model")
        with h5py.File(c, "r+") as f:
            ds = f["checkpoint/model/absorbed_total"]
            v = ds[...]
            v[0] += 1
            ds[...] = v
        self.assertRefused(c, "the model's saved state does not match its checksum")
        c = self.copy("scenario")
        with h5py.File(c, "r+") as f:
            g = f["checkpoint"]
            text = g.attrs["scenario"]
            text = text.decode() if isinstance(text, bytes) else text
            del g.attrs["scenario"]
            g.attrs["scenario"] = text.replace("seed: 20260101", "seed: 20260102")
        self.assertRefused(c, "the stored scenario text does not match its checksum")
        c = self.copy("result")
        with h5py.File(c, "r+") as f:
            ds = f["series/occupancy/value"]
            v = ds[0]
            v.flat[0] += 1
            ds[0] = v
        self.assertRefused(c, "of the result's series/occupancy/value does not match its checksum")

    def test_a_checkpoint_of_another_binary_is_refused(self):
        c = self.copy("binary")
        with h5py.File(c, "r+") as f:
            g = f["checkpoint"]
            del g.attrs["git_commit"]
            g.attrs["git_commit"] = "0000000"
        self.assertRefused(c, "(git 0000000)", "a restart needs the binary that wrote the checkpoint")

    def test_an_input_table_changed_since_the_checkpoint_is_refused(self):
        c = self.copy("table")
        table = self.scen_dir / "transitions.csv"
        original = table.read_text()
        try:
            table.write_text(original + "\n")
            self.assertRefused(c, f"the input table {table} changed since the checkpoint was written",
                               "a restart needs the very same inputs")
        finally:
            table.write_text(original)


class TrustedCorridorCheckpoint(unittest.TestCase):
    """The corridor model's float and route columns: a NaN or a route that does not exist."""

    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("checkpoint_trust_corridor")
        cls.out = cls.dir / "c.h5"
        harness.run(CORRIDOR, cls.out, "--threads", "1", "--stop-after-day", "60", *CORRIDOR_ARGS)
        cls.pristine = cls.dir / "pristine.ckpt"
        shutil.move(cls.dir / "c.h5.ckpt", cls.pristine)
        with h5py.File(cls.pristine, "r") as f:
            part = f["checkpoint/store/part0000"]
            cls.columns = {name: part[name].dtype for name in part}
            cls.rows = int(part.attrs["rows"])

    def refused(self, name, column, change):
        c = self.dir / f"{name}.ckpt"
        shutil.copy(self.pristine, c)
        forge_column(c, column, change)
        p = restart(c)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertFalse(self.out.exists())
        return p.stderr

    def test_nan_in_any_float_column_is_refused(self):
        floats = [n for n, t in self.columns.items() if t.kind == "f"]
        self.assertTrue(floats, "the corridor model stores float columns")
        self.assertGreater(self.rows, 0)
        for name in floats:
            err = self.refused(f"nan-{name}", name, lambda v: v.__setitem__(0, np.nan))
            self.assertIn(f"agent column '{name}', part 0 row 0: nan is not", err)

    def test_a_route_that_does_not_exist_is_refused(self):
        self.assertIn("route", self.columns)
        err = self.refused("route", "route", lambda v: v.__setitem__(0, 60000))
        self.assertIn("agent column 'route', part 0 row 0: 60000 is not", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
