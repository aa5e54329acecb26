"""The corridor model v2 checks (corridor_io.fitchecks, scripts/fit_checks.py; issue 11 "Done
when"), on a small run: every figure is recomputed here from the raw series and data files.

Run through ctest (it sets CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP).
"""
from __future__ import annotations

import subprocess
import sys
import unittest

import h5py
import numpy as np
import pandas as pd

import harness
from corridor_io import fitchecks, fitmetrics
from corridor_io.repository import DATA

SCALE = 0.02


def _run(d, end):
    out = d / f"run-{end}.h5"
    harness.run("scenarios/calibrated.yaml", out, "--set", f"corridor.scale={SCALE}", "--set", f"end={end}",
                "--set", "output.events=false", "--set", "output.agents=false", "--threads", "2")
    return out


def _monthly(path, name):
    """[month label -> array over the series' dims] of a series, summed by month, / scale."""
    with h5py.File(path, "r") as f:
        g = f[f"series/{name}"]
        values = g["value"][()].astype(float)
        days = g["day"][()]
        dates = pd.to_datetime(f["calendar/date"].asstr()[()])[days]
    months = dates.strftime("%Y-%m")
    return {m: values[months == m].sum(axis=0) / SCALE for m in sorted(set(months))}


class FitChecks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("fit_checks")
        cls.run_2021 = _run(cls.dir, "2021-12-31")

    def test_every_check_recomputed_from_the_series(self):
        checks = {c.name: c for c in fitchecks.run_checks([self.run_2021])}
        self.assertEqual(len(checks), 6)
        enc = _monthly(self.run_2021, "encounters")  # [sector, nationality, demographic, title, component]
        months = [str(m) for m in pd.period_range("2018-10", "2021-09", freq="M")]
        sim = np.array([enc[m].sum(axis=(0, 2, 3, 4)) for m in months])  # [month, nationality]
        # The model's nationality order is MX, GT, HN, SV (docs/model.md §1.2), the checks' too.
        cbp = pd.read_csv(DATA / "cbp_swb_encounters_monthly.csv")
        cbp = cbp[cbp.citizenship.isin(fitchecks.CITIZENSHIPS) & (cbp.demographic != "Accompanied Minors")]
        obs = cbp.groupby(["month", "citizenship"]).encounters.sum().unstack().reindex(
            index=months, columns=fitchecks.CITIZENSHIPS).to_numpy(float)
        ard = checks["ARD by citizenship"]
        self.assertEqual(ard.model, f"{fitmetrics.ard(sim, obs):.3f}")
        self.assertEqual(ard.met, fitmetrics.ard(sim, obs) <= 0.20)
        rel = (np.abs(sim - obs) / obs).mean(axis=0)
        self.assertTrue(checks["worst country's mean monthly relative error"].model.startswith(f"{rel.max():.2f} ("))
        # Repeat share FY2021: repeat encounters over encounters, October 2020 - September 2021.
        rep = _monthly(self.run_2021, "repeat_encounters")
        fy21 = [str(m) for m in pd.period_range("2020-10", "2021-09", freq="M")]
        share = sum(rep[m].sum() for m in fy21) / sum(enc[m].sum() for m in fy21)
        self.assertEqual(checks["repeat share FY2021 (12-month definition)"].model, f"{share:.3f}")
        # Mexico's 2021 apprehensions of GT, HN, SV (nationalities 1-3): INM's 2021 figures by hand,
        # Honduras 127,227 + Guatemala 80,717 + El Salvador 24,514 (the first row of each).
        mx = _monthly(self.run_2021, "mx_apprehensions")  # [nationality, demographic]
        total = sum(mx[f"2021-{k:02d}"][1:4].sum() for k in range(1, 13))
        c = checks["Mexico's 2021 apprehensions of GT+HN+SV"]
        self.assertEqual(c.data, "232,458")
        self.assertTrue(c.model.startswith(f"{total:,.0f} ({total / 232458:.2f}x)"), c.model)
        self.assertEqual(c.met, abs(total / 232458 - 1) <= 0.25)
        # MPP enrolments, calendar 2019-2020.
        mpp = _monthly(self.run_2021, "mpp_returns")
        total = sum(v.sum() for m, v in mpp.items() if "2019-01" <= m <= "2020-12")
        self.assertTrue(checks["MPP enrolments 2019-2020"].model.startswith(f"{total:,.0f} ("))

    def test_the_script_prints_the_table_and_refuses_a_run_too_short(self):
        script = harness.SOURCE / "scripts" / "fit_checks.py"
        p = subprocess.run([sys.executable, str(script), str(self.run_2021)], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("| ARD by citizenship |", p.stdout)
        self.assertEqual(len([ln for ln in p.stdout.splitlines() if ln.startswith("| ")]), 7)  # header + 6
        short = _run(self.dir, "2020-06-30")
        p = subprocess.run([sys.executable, str(script), str(short)], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("must cover 2018-10 to 2021-09", p.stderr)

    def test_a_sweep_gives_a_table_per_scenario(self):
        # The shipped ablation's scenario list, cut to two scenarios at a small scale.
        sweep = self.dir / "ablation.yaml"
        sweep.write_text(
            f"name: ablation_small\nbase: {harness.SOURCE / 'scenarios' / 'calibrated.yaml'}\nseed: 5\n"
            "seeds: per_replicate\nreplicates: 1\n"
            f"set: {{end: 2021-12-31, corridor.scale: {SCALE}, output.events: false, output.agents: false}}\n"
            "scenarios:\n  - {name: as_calibrated}\n  - {name: no_title42, set: {corridor.us.title42.enabled: false}}\n")
        out = self.dir / "ablation"
        subprocess.run([str(harness.BIN), "sweep", str(sweep), "--out", str(out), "--jobs", "2"], check=True,
                       capture_output=True, timeout=240)
        script = harness.SOURCE / "scripts" / "fit_checks.py"
        p = subprocess.run([sys.executable, str(script), "--sweep", str(out)], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([ln for ln in p.stdout.splitlines() if ln.startswith("### ")],
                         ["### as_calibrated (1 runs)", "### no_title42 (1 runs)"])
        # Each table is the one of its run alone.
        index = pd.read_csv(out / "index.csv")
        first = out / index.loc[index.scenario == "as_calibrated", "output"].iloc[0]
        alone = subprocess.run([sys.executable, str(script), str(first)], capture_output=True, text=True).stdout
        self.assertIn(alone.strip(), p.stdout)
        p = subprocess.run([sys.executable, str(script), "--sweep", str(self.dir)], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("index.csv: not found", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
