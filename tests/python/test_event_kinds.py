#!/usr/bin/env -S /usr/bin/python3
"""output.event_kinds writes only the chosen kinds of events, and changes nothing else.

A run that keeps some kinds must hold exactly the rows of the full log whose kind is kept,
in the same order, and the same series and agent table (the filter acts only on what is
written, never on the simulation); events/kinds_written names the kinds kept. Checked on
the corridor defaults.yaml at a small scale, on 2 threads for the filtered run.
"""
import unittest

import h5py
import numpy as np

import harness
import corridor_io

SCENARIO = "scenarios/defaults.yaml"
SMALL = ["--set", "corridor.scale=0.01", "--set", "end=2020-09-30"]
KEPT = ["departure", "encounter", "expulsion"]


def labels(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


class EventKinds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = harness.scratch("event_kinds")
        cls.full = d / "full.h5"
        cls.kept = d / "kept.h5"
        harness.run(SCENARIO, cls.full, *SMALL, "--threads", "1")
        harness.run(SCENARIO, cls.kept, *SMALL, "--threads", "2", "--set", f"output.event_kinds=[{', '.join(KEPT)}]")

    def test_the_log_is_the_full_log_restricted_to_the_kinds_kept(self):
        with h5py.File(self.full, "r") as a, h5py.File(self.kept, "r") as b:
            kinds = labels(a["events/kind_labels"][:])
            self.assertEqual(labels(b["events/kind_labels"][:]), kinds, "kind labels must stay the model's")
            codes = [kinds.index(k) for k in KEPT]
            mask = np.isin(a["events/kind"][:], codes)
            self.assertGreater(int(mask.sum()), 0)
            self.assertLess(int(mask.sum()), mask.size, "the filter must have left some kinds out")
            for col in ["day", "kind", "node", "agent", "other"]:
                np.testing.assert_array_equal(a["events/" + col][:][mask], b["events/" + col][:], err_msg=col)
            self.assertEqual(labels(b["events"].attrs["kinds_written"]), KEPT)
            self.assertEqual(labels(a["events"].attrs["kinds_written"]), kinds)
        self.assertEqual(corridor_io.load(self.kept).event_kinds_written, KEPT)
        self.assertEqual(corridor_io.load(self.full).event_kinds_written, kinds)

    def test_series_and_agents_do_not_change(self):
        with h5py.File(self.full, "r") as a, h5py.File(self.kept, "r") as b:
            self.assertEqual(sorted(a["series"]), sorted(b["series"]))
            for name in a["series"]:
                np.testing.assert_array_equal(a[f"series/{name}/value"][:], b[f"series/{name}/value"][:], err_msg=name)
            for name, ds in a["agents"].items():
                if isinstance(ds, h5py.Dataset):
                    np.testing.assert_array_equal(ds[:], b["agents/" + name][:], err_msg=name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
