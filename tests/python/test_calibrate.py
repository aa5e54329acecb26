"""The calibration pipeline end to end on the CI setting (scripts/calibrate.py --quick):
the loss decreases, the written scenario validates, sets no scale, and runs unchanged to the
end of defaults.yaml (September 2023); the fit report runs on it (2 replicates, tiny scale).

Run through ctest (it sets CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP). About 30 s.
"""
from __future__ import annotations

import json
import subprocess
import sys
import unittest

import corridor_io
import harness


class CalibratePipeline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("calibrate_quick")
        cls.yaml = cls.dir / "scenarios" / "calibrated.yaml"
        cls.json = cls.dir / "scenarios" / "calibrated.json"
        cmd = [sys.executable, str(harness.SOURCE / "scripts" / "calibrate.py"), "--quick",
               "--binary", str(harness.BIN), "--out", str(cls.yaml)]
        cls.proc = subprocess.run(cmd, capture_output=True, text=True, cwd=harness.SOURCE, timeout=240)
        print(cls.proc.stdout[-2000:])

    def test_runs_and_writes(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertTrue(self.yaml.is_file() and self.json.is_file())

    def test_loss_decreases(self):
        rec = json.loads(self.json.read_text())
        before, start, best = rec["before"]["loss"], rec["start"]["loss"], rec["best"]["loss"]
        # Before: the default parameters. The fit (rates profiled, shape parameters searched)
        # must do better, and never worse than its own starting point.
        self.assertLess(best, before)
        self.assertLessEqual(best, start)
        self.assertEqual(len(rec["history"]), rec["evals"])
        for h in rec["history"]:
            self.assertAlmostEqual(h["loss"], h["A"] + h["B"] + h["D"] + 0.5 * h["C"], places=9)

    def test_scenario_validates_and_sets_no_scale(self):
        text = self.yaml.read_text()
        self.assertNotIn("scale", [ln.split(":")[0].strip() for ln in text.splitlines() if not ln.startswith("#")])
        self.assertIn("extends:", text)
        self.assertIn("# loss:", text)  # provenance header
        self.assertIn("seeds", text)
        p = subprocess.run([str(harness.BIN), "validate", str(self.yaml)], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("OK", p.stdout)

    def test_runs_unchanged_to_september_2023(self):
        out = self.dir / "forecast.h5"
        harness.run(str(self.yaml), out, "--set", "corridor.scale=0.005", "--set", "output.events=false",
                    "--set", "output.agents=false", "--threads", "1")
        r = corridor_io.load(out)
        self.assertEqual(str(r.calendar["date"].iloc[-1].date()), "2023-09-30")
        self.assertEqual(str(r.calendar["date"].iloc[0].date()), "2018-07-01")

    def test_fit_report_runs(self):
        rep = self.dir / "report"
        p = subprocess.run([sys.executable, str(harness.SOURCE / "scripts" / "fit_report.py"), "--binary",
                            str(harness.BIN), "--scenario", str(self.yaml), "--calibration", str(self.json),
                            "--replicates", "2", "--scale", "0.005", "--out-dir", str(rep),
                            "--compare-replicates", "1"],
                           capture_output=True, text=True, cwd=harness.SOURCE, timeout=240)
        self.assertEqual(p.returncode, 0, p.stderr)
        md = (rep / "report.md").read_text()
        for needle in ("ARD", "Title 42 share", "Mexico's apprehensions", "prior encounter", "FY2023"):
            self.assertIn(needle, md)
        for png in ("fit_citizenship.png", "fit_sector.png", "shares_title.png", "check_mexico.png"):
            self.assertTrue((rep / png).is_file(), png)


class CounterfactualsExtendCalibrated(unittest.TestCase):
    """The committed counterfactuals build on scenarios/calibrated.yaml; the enforcement surge
    restates the calibrated interception schedules, so it must equal it before 2021-03-19 (a
    new calibration that is not copied into it fails here)."""

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
        self.assertGreater(y[day:].sum(), 1.3 * x[day:].sum())


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
