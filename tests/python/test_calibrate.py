#!/usr/bin/env -S /usr/bin/python3
"""The calibration end to end on the CI setting (tests/python/fixtures/calibration_quick.yaml:
the corridor calibration's structure and data cut to five parameters, two targets, four months,
scale 0.01, two small waves; about 45 runs): scripts/calibrate.py writes the posterior ensemble
(a sweep file and its design), the calibrated scenario (its best point, equal run for run to the
structure scenario with the point's values set), the run table and the report; a second call
resumes without a run and writes the same files; a calibration in another work directory reuses
the run table's runs. The committed counterfactuals extend scenarios/calibrated.yaml.

Run through ctest (it sets CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP).
"""
from __future__ import annotations

import json
import subprocess
import sys
import unittest

import numpy as np
import pandas as pd

import corridor_io
import harness
from corridor_io.calibration.spec import Spec
from corridor_io.files import EXECUTION_ATTRS, differences

SPEC = harness.SOURCE / "tests" / "python" / "fixtures" / "calibration_quick.yaml"


def calibrate(d, work="work", *extra):
    cmd = [sys.executable, str(harness.SOURCE / "scripts" / "calibrate.py"), str(SPEC), "--binary", str(harness.BIN),
           "--work", str(d / work), "--table", str(d / "runs.csv.gz"), "--posterior-dir", str(d / "posterior"),
           "--calibrated", str(d / "calibrated.yaml"), "--report-dir", str(d / "report"), *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=harness.SOURCE, timeout=600)
    print(p.stdout[-3000:])
    return p


class Pipeline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("calibrate_quick")
        cls.spec = Spec.load(SPEC)
        cls.proc = calibrate(cls.dir)
        cls.state = json.loads((cls.dir / "work" / "state.json").read_text()) if cls.proc.returncode == 0 else {}

    def test_1_runs_and_writes_everything(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        for f in ("posterior/posterior.yaml", "posterior/design.csv", "posterior/parameters.csv", "calibrated.yaml",
                  "runs.csv.gz", "report/report.md", "report/summary.json", "report/fit_citizenship.png",
                  "report/waves.png", "report/loo.png", "report/sensitivity.png"):
            self.assertTrue((self.dir / f).is_file(), f)

    def test_2_waves_refocus_and_diagnose(self):
        waves = self.state["waves"]
        self.assertEqual([w["points"] * w["replicates"] for w in waves], [20, 16])
        self.assertEqual([w["runs_new"] for w in waves], [20, 16])
        vol = self.state["volume"]
        self.assertEqual(vol[0], 1.0)
        self.assertTrue(all(b <= a for a, b in zip(vol, vol[1:])))  # the space left never grows
        # citizenship: 4 nationalities x 2 blocks of 2 months = 8 outputs; demographic mix: FMUA x 1 = 1
        for w in waves:
            self.assertEqual(w["outputs"], 9)
        names = set(waves[-1]["diagnostics"])
        self.assertIn("citizenship[2018-10..2018-11][Mexico]", names)
        self.assertIn("demographic_mix[2018-10..2019-01][FMUA]", names)
        for d in waves[-1]["diagnostics"].values():
            for k in ("loo_r2", "loo_outside_2sd", "loo_outside_3sd", "active"):
                self.assertIn(k, d)

    def test_3_run_table_holds_every_run(self):
        t = pd.read_csv(self.dir / "runs.csv.gz", dtype={"point": str})
        by = t.groupby("source").size().to_dict()
        self.assertEqual(by, {"wave1": 20, "wave2": 16, "posterior": 4, "sensitivity": 12})
        self.assertEqual(t[t["source"].str.startswith("wave")]["fingerprint"].nunique(), 1)
        for p in self.spec.names:
            self.assertTrue(t[f"p:{p}"].notna().all(), p)
        # every wave point has its two replicates with distinct seeds
        w = t[t["source"] == "wave1"]
        self.assertEqual(w.groupby("point")["seed"].nunique().min(), 2)

    def test_4_posterior_sweep_and_calibrated_scenario(self):
        p = subprocess.run([str(harness.BIN), "sweep", str(self.dir / "posterior" / "posterior.yaml"), "--dry-run"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1 scenarios x 4 design points x 1 replicates = 4 runs", p.stdout)
        design = pd.read_csv(self.dir / "posterior" / "design.csv")
        self.assertEqual(design["point"].iloc[0], self.state["ensemble"]["best"])
        # The calibrated scenario is the structure scenario with the first design row set.
        args = ["--seed", "5", "--set", "corridor.scale=0.01", "--set", "end=2018-12-31", "--set",
                "output.events=false", "--set", "output.agents=false", "--threads", "1"]
        row = design.iloc[0]
        sets = [x for k in design.columns if k != "point" for x in ("--set", f"{k}={row[k]}")]
        harness.run(str(self.dir / "calibrated.yaml"), self.dir / "a.h5", *args)
        harness.run("scenarios/calibration/structure.yaml", self.dir / "b.h5", *args, *sets)
        # Only the stored scenario text and name may differ (the file says `extends` and a name).
        ignored = EXECUTION_ATTRS | {"scenario", "scenario_name"}
        self.assertEqual(differences(self.dir / "a.h5", self.dir / "b.h5", ignored_root_attrs=ignored), [])
        v = subprocess.run([str(harness.BIN), "validate", str(self.dir / "calibrated.yaml")], capture_output=True,
                           text=True)
        self.assertIn("OK", v.stdout)

    def test_5_report(self):
        md = (self.dir / "report" / "report.md").read_text()
        for needle in ("space left", "LOO", "Posterior ensemble", "ARD by nationality", "predictive band coverage",
                       "Implausibility left at the best point", "Sobol", "Time and runs"):
            self.assertIn(needle, md)
        p = subprocess.run([sys.executable, str(harness.SOURCE / "scripts" / "fit_report.py"), str(SPEC), "--binary",
                            str(harness.BIN), "--work", str(self.dir / "work"), "--table",
                            str(self.dir / "runs.csv.gz"), "--out-dir", str(self.dir / "report2")],
                           capture_output=True, text=True, timeout=240)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue((self.dir / "report2" / "report.md").is_file())

    def test_6_resume_runs_nothing_and_writes_the_same(self):
        before = (self.dir / "posterior" / "design.csv").read_text()
        rows = len(pd.read_csv(self.dir / "runs.csv.gz"))
        p = calibrate(self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("wave 1: done before", p.stdout)
        self.assertNotIn("corridor sweep", p.stdout)
        self.assertEqual(len(pd.read_csv(self.dir / "runs.csv.gz")), rows)
        self.assertEqual((self.dir / "posterior" / "design.csv").read_text(), before)

    def test_7_another_calibration_reuses_the_run_table(self):
        p = calibrate(self.dir, "work2", "--no-sensitivity", "--no-report")
        self.assertEqual(p.returncode, 0, p.stderr)
        st = json.loads((self.dir / "work2" / "state.json").read_text())
        self.assertEqual([w["runs_new"] for w in st["waves"]], [0, 0])
        self.assertIn("(36 runs of this setup)", p.stdout)

    def test_7b_max_waves_then_the_rest(self):
        # A budget of one wave: the ensemble comes from wave 1's space; a later call without the
        # budget goes on with wave 2 and draws the ensemble again (from the run table: no wave run).
        extra = ("--no-sensitivity", "--no-report", "--posterior-dir", str(self.dir / "posterior3"),
                 "--calibrated", str(self.dir / "calibrated3.yaml"))
        p = calibrate(self.dir, "work3", "--max-waves", "1", *extra)
        self.assertEqual(p.returncode, 0, p.stderr)
        st = json.loads((self.dir / "work3" / "state.json").read_text())
        self.assertEqual(len(st["waves"]), 1)
        self.assertEqual(st["ensemble"]["after_wave"], 1)
        first = (self.dir / "posterior3" / "design.csv").read_text()
        p = calibrate(self.dir, "work3", *extra)
        self.assertEqual(p.returncode, 0, p.stderr)
        st = json.loads((self.dir / "work3" / "state.json").read_text())
        self.assertEqual([w["runs_new"] for w in st["waves"]], [0, 0])
        self.assertEqual(st["ensemble"]["after_wave"], 2)
        # drawn again from wave 2's space (its runs may come from the run table: the first
        # calibration of this class drew the same ensemble after the same two waves)
        self.assertNotEqual((self.dir / "posterior3" / "design.csv").read_text(), first)

    def test_8_a_wrong_spec_exits_2(self):
        bad = self.dir / "bad.yaml"
        text = SPEC.read_text().replace("../../../", f"{harness.SOURCE}/")
        bad.write_text(text.replace("metric: log", "metric: cubic"))
        p = subprocess.run([sys.executable, str(harness.SOURCE / "scripts" / "calibrate.py"), str(bad), "--binary",
                            str(harness.BIN), "--work", str(self.dir / "bad")], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("targets.citizenship.metric", p.stderr)


class CounterfactualsExtendCalibrated(unittest.TestCase):
    """The committed counterfactuals build on scenarios/calibrated.yaml; the enforcement surge
    changes the calibrated interception schedules from 2021-03-19 on, so it equals the
    calibrated scenario before that date."""

    def test_extends(self):
        for name in ("no_title42", "no_mpp", "aid_4bn", "mx_enforcement_surge"):
            text = (harness.SOURCE / "scenarios" / f"{name}.yaml").read_text()
            self.assertIn("\nextends: calibrated.yaml\n", text, name)

    def test_surge_equals_calibrated_before_its_date(self):
        d = harness.scratch("calibrate_surge")
        args = ("--set", "corridor.scale=0.01", "--set", "end=2021-06-30", "--set", "output.events=false",
                "--set", "output.agents=false", "--threads", "1")
        harness.run("scenarios/calibrated.yaml", d / "cal.h5", *args)
        harness.run("scenarios/mx_enforcement_surge.yaml", d / "surge.h5", *args)
        a, b = corridor_io.load(d / "cal.h5"), corridor_io.load(d / "surge.h5")
        day = int((a.calendar["date"] < "2021-03-19").sum())
        for series in ("encounters", "mx_apprehensions", "departures"):
            x, _ = a.series_array(series)
            y, _ = b.series_array(series)
            self.assertTrue((x[:day] == y[:day]).all(), series)
        x, _ = a.series_array("mx_apprehensions")
        y, _ = b.series_array("mx_apprehensions")
        self.assertGreater(y[day:].sum(), 1.2 * x[day:].sum())
        self.assertEqual(str(a.calendar["date"].iloc[0].date()), "2018-07-01")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
