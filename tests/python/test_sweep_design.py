#!/usr/bin/env -S /usr/bin/python3
"""Sweeps over parameter space (issue 13 item 3; docs/hpc.md, "Designs"): a 20-run Latin
hypercube over two transition probabilities of the chain24 Markov walk runs, index.csv has a
column per parameter, the values were applied to each run (its stored scenario says so), and
corridor_io.sweep.load_sweep returns the runs as one xarray Dataset with the parameters as
coordinates; a design CSV crossed with a scenario list (one entry its own scenario file, with
common seeds per point) loads with its points and scenarios.

Runs are chain24 cut to ten days and 2,000 agents: a fraction of a second each.
"""
import subprocess
import unittest

import numpy as np
import pandas as pd
import yaml

import corridor_io
import harness
from corridor_io.sweep import SweepError, load_sweep

BASE = """\
extends: {chain}
name: chain_two_pushes
end: 2020-01-10
output: {{events: false, agents: false}}
markov:
  initial:
    - {{node: n000, agents: 1200}}
    - {{node: n100, agents: 800}}
  transitions:
    - {{from: n005, to: n006, p: 0.25}}
    - {{from: n105, to: n106, p: 0.25}}
"""

LHS = """\
name: lhs
base: base.yaml
seed: 77
sample:
  method: lhs
  n: 20
  parameters:
    markov.transitions.0.p: [0.05, 0.95, lin]
    markov.transitions.1.p: [0.01, 1.0, log]
"""

CROSSED = """\
name: crossed
base: base.yaml
seed: 5
seeds: per_point
replicates: 2
design: points.csv
scenarios:
  - {name: as_is}
  - {name: later, file: later.yaml}
"""


def sweep(*args, timeout=240):
    return subprocess.run([str(harness.BIN), "sweep", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


class LatinHypercubeSweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("sweep_design_lhs")
        (cls.dir / "base.yaml").write_text(BASE.format(chain=harness.SOURCE / "scenarios/markov/chain24.yaml"))
        (cls.dir / "lhs.yaml").write_text(LHS)
        cls.out = cls.dir / "out"
        cls.proc = sweep(cls.dir / "lhs.yaml", "--out", cls.out, "--jobs", "2")

    def test_sweep_runs_and_index_has_a_column_per_parameter(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        idx = pd.read_csv(self.out / "index.csv")
        self.assertEqual(len(idx), 20)
        self.assertTrue((idx["status"] == "done").all())
        self.assertEqual(list(idx["point"]), [f"p{i:04d}" for i in range(20)])
        for col, (low, high) in (("param.markov.transitions.0.p", (0.05, 0.95)),
                                 ("param.markov.transitions.1.p", (0.01, 1.0))):
            v = idx[col].to_numpy(float)
            self.assertTrue(((v >= low) & (v < high)).all(), col)
        # Latin hypercube: one point in each of 20 equal strata (in log for the log-scale one).
        a = idx["param.markov.transitions.0.p"].to_numpy(float)
        b = idx["param.markov.transitions.1.p"].to_numpy(float)
        self.assertEqual(len(set(np.floor((a - 0.05) / 0.9 * 20).astype(int))), 20)
        self.assertEqual(len(set(np.floor(np.log(b / 0.01) / np.log(100) * 20).astype(int))), 20)

    def test_each_run_used_its_point(self):
        idx = pd.read_csv(self.out / "index.csv")
        for _, row in idx.iterrows():
            r = corridor_io.load(self.out / row["output"])
            scenario = yaml.safe_load(r.attrs["scenario"])
            got = [t["p"] for t in scenario["markov"]["transitions"]]
            np.testing.assert_allclose(got, [row["param.markov.transitions.0.p"], row["param.markov.transitions.1.p"]],
                                       rtol=1e-9)

    def test_load_sweep(self):
        ds = load_sweep(self.out)
        self.assertEqual(ds.sizes["run"], 20)
        self.assertEqual(set(ds.data_vars), {"occupancy", "arrivals"})
        self.assertEqual(ds["occupancy"].dims, ("run", "date", "node"))
        idx = pd.read_csv(self.out / "index.csv")
        np.testing.assert_array_equal(ds["run"].values, idx["run_id"].values)
        np.testing.assert_allclose(ds["markov.transitions.0.p"].values, idx["param.markov.transitions.0.p"].values)
        np.testing.assert_allclose(ds["markov.transitions.1.p"].values, idx["param.markov.transitions.1.p"].values)
        self.assertEqual(list(ds["point"].values), list(idx["point"]))
        self.assertTrue((ds["model_scale"].values == 1.0).all())
        # The Dataset holds each run's own series, value for value.
        for k in (0, 7, 19):
            values, info = corridor_io.load(self.out / idx["output"][k]).series_array("occupancy")
            np.testing.assert_array_equal(ds["occupancy"].isel(run=k).values, values)
            self.assertEqual(list(ds["node"].values), info["labels"]["node"])
        # Faster forward push at the fifth rung moves more agents past it by the last day.
        past = ds["occupancy"].isel(date=-1).sel(node=[f"n0{i:02d}" for i in range(6, 12)]).sum("node")
        p0 = ds["markov.transitions.0.p"]
        self.assertGreater(float(np.corrcoef(p0, past)[0, 1]), 0.8)
        only = load_sweep(self.out, series=["arrivals"])
        self.assertEqual(set(only.data_vars), {"arrivals"})


class DesignCrossedWithScenarios(unittest.TestCase):
    def test_design_csv_and_a_scenario_file(self):
        d = harness.scratch("sweep_design_crossed")
        (d / "base.yaml").write_text(BASE.format(chain=harness.SOURCE / "scenarios/markov/chain24.yaml"))
        (d / "later.yaml").write_text("extends: base.yaml\nname: later\nend: 2020-01-12\n")
        (d / "points.csv").write_text("point,markov.transitions.0.p\nslow,0.1\nfast,0.9\n")
        (d / "crossed.yaml").write_text(CROSSED)
        p = sweep(d / "crossed.yaml", "--out", d / "out", "--jobs", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        idx = pd.read_csv(d / "out" / "index.csv", dtype={"seed": str})
        self.assertEqual(len(idx), 2 * 2 * 2)
        self.assertEqual(list(idx["point"]), ["slow", "slow", "fast", "fast"] * 2)
        self.assertTrue(idx["file"].iloc[4:].str.endswith("later.yaml").all())
        # per_point: both scenarios share point k's seeds; points and replicates differ.
        self.assertEqual(list(idx["seed"].iloc[:4]), list(idx["seed"].iloc[4:]))
        self.assertEqual(idx["seed"].iloc[:4].nunique(), 4)
        ds = load_sweep(d / "out", series=["occupancy"])
        self.assertEqual(ds.sizes["run"], 8)
        # The later file runs two more days: its dates extend the calendar, the others' are NaN there.
        self.assertEqual(ds.sizes["date"], 12)
        missing = ds["occupancy"].isel(date=-1).isnull().all("node").values
        self.assertEqual(list(missing), [True] * 4 + [False] * 4)
        self.assertEqual(list(ds["scenario"].values), ["as_is"] * 4 + ["later"] * 4)
        np.testing.assert_allclose(ds["markov.transitions.0.p"].values, [0.1, 0.1, 0.9, 0.9] * 2)

    def test_not_a_sweep(self):
        with self.assertRaises(SweepError):
            load_sweep(harness.scratch("sweep_design_empty"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
