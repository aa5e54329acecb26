"""Fit metrics (corridor_io.fitmetrics: the ARD of the calibration report and its goal) and the
monthly export (corridor_io.monthly, scripts/monthly.py), against values computed by hand.

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
from corridor_io import fitmetrics as fm
from corridor_io.monthly import MonthlyRun
from corridor_io.repository import DATA

CBP_FILE = DATA / "cbp_swb_encounters_monthly.csv"
SECTOR_FILE = DATA / "usbp_swb_encounters_by_sector_monthly.csv"


def close(a, b, tol=1e-12):
    assert abs(a - b) <= tol, f"{a} != {b}"


def test_ard():
    # Month 1: (|10-20| + |20-20|) / (20+20) = 10/40 = 0.25
    # Month 2: (|30-10| + |0-10|) / (10+10) = 30/20 = 1.5;  mean = 0.875
    close(fm.ard([[10, 20], [30, 0]], [[20, 20], [10, 10]]), 0.875)
    # A month with no observed encounters is skipped: only month 1 counts.
    close(fm.ard([[10, 20], [5, 5]], [[20, 20], [0, 0]]), 0.25)
    # One series: ARD = MAPE = mean(|110-100|/100, |90-100|/100) = 0.1
    close(fm.ard([110, 90], [100, 100]), 0.1)


def test_mape():
    # obs = 0 is skipped: (0.1 + 0.1) / 2
    close(fm.mape([110, 90, 50], [100, 100, 0]), 0.1)
    close(fm.mape([150, 50], [100, 200]), (0.5 + 0.75) / 2)


def test_correlation():
    # s = 1,2,3 (deviations -1,0,1); o = 2,4,7 (mean 13/3, deviations -7/3,-1/3,8/3)
    # r = (7/3 + 8/3) / sqrt(2 * (49+1+64)/9) = 5 / sqrt(228/9)
    close(fm.correlation([1, 2, 3], [2, 4, 7]), 5 / np.sqrt(228 / 9))
    assert np.isnan(fm.correlation([1, 1, 1], [2, 4, 7]))


def test_naive_ratio():
    # lag 2: model errors at months 2,3: |12-14| + |20-26| = 8; naive |10-14| + |20-26| = 10
    close(fm.naive_ratio([0, 0, 12, 20], [10, 20, 14, 26], lag=2), 0.8)
    # The default lag of 12 months: obs rises by 10 every month, so the naive error is 120 per
    # month over months 12..23; the model is off by 30 each month: 30 / 120 = 0.25.
    obs = np.arange(24) * 10.0
    sim = obs + 30
    close(fm.naive_ratio(sim, obs), 0.25)
    # Breakdown: sums over categories. Category 2 is perfect for the model, naive off by 5.
    close(fm.naive_ratio([[0, 5], [0, 5], [14, 7], [26, 9]], [[10, 1], [20, 4], [14, 7], [26, 9]], lag=2),
          (0 + 0) / (4 + 6 + 6 + 5))


def test_share_gap():
    gap, per_month = fm.share_gap([[30, 70], [50, 50]], [[40, 60], [50, 50]])
    close(gap, 0.1)
    assert np.allclose(per_month, [0.1, 0.0])
    assert np.allclose(fm.shares([[1, 3], [0, 0]])[0], [0.25, 0.75])
    assert np.isnan(fm.shares([[1, 3], [0, 0]])[1]).all()


def test_monthly_export():
    d = harness.scratch("fit_metrics_monthly")
    out = d / "run.h5"
    harness.run("scenarios/defaults.yaml", out, "--set", "corridor.scale=0.02", "--set", "start=2018-09-20",
                "--set", "end=2018-11-10", "--set", "output.events=false", "--set", "output.agents=false",
                "--threads", "1")
    with h5py.File(out, "r") as f:
        raw = f["series/encounters/value"][()].astype(float)       # [day, sector, nat, demo, title, comp]
        dates = f["calendar/date"].asstr()[()]
    days = pd.to_datetime(dates)
    script = harness.SOURCE / "scripts" / "monthly.py"
    p = subprocess.run([sys.executable, str(script), str(out), "--out", str(d / "m.csv")], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert "model_scale=0.02" in p.stderr and "divided" in p.stderr
    assert "partial months: 2018-09, 2018-11" in p.stderr, p.stderr
    m = pd.read_csv(d / "m.csv")
    assert list(m.columns) == ["month", "component", "demographic", "citizenship", "title", "encounters"]
    assert sorted(m.month.unique()) == ["2018-09", "2018-10", "2018-11"]
    cbp = pd.read_csv(CBP_FILE)
    for col in ("component", "demographic", "citizenship", "title"):
        assert set(m[col]) <= set(cbp[col]), (col, set(m[col]) - set(cbp[col]))
    # Totals: October's rows sum to the raw October counts divided by the scale (50 people per agent).
    octo = raw[(days.year == 2018) & (days.month == 10)]
    close(m[m.month == "2018-10"].encounters.sum(), octo.sum() / 0.02, 1e-6)
    assert np.allclose(m.encounters / 50, np.round(m.encounters / 50))  # whole agents of 50 people
    # One cell by hand: October, Honduras (nat 2), FMUA (demo 1), Title 8, USBP, summed over sectors.
    cell = m[(m.month == "2018-10") & (m.citizenship == "Honduras") & (m.demographic == "FMUA")
             & (m.title == "Title 8") & (m.component == "USBP")].encounters
    assert len(cell) == 1
    close(float(cell.iloc[0]), octo[:, :, 2, 1, 0, 0].sum() / 0.02, 1e-6)
    # The join with CBP's file on its category columns finds every October Title 8 row.
    j = m[(m.month == "2018-10") & (m.title == "Title 8")].merge(
        cbp[cbp.month == "2018-10"], on=["month", "component", "demographic", "citizenship", "title"], how="left")
    assert j.encounters_y.notna().all()
    # --sector: Border Patrol only, in the sector file's names.
    p = subprocess.run([sys.executable, str(script), str(out), "--sector"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    s = pd.read_csv(pd.io.common.StringIO(p.stdout))
    assert list(s.columns) == ["month", "sector", "encounters"]
    assert set(s.sector) <= set(pd.read_csv(SECTOR_FILE).sector)
    close(s[s.month == "2018-10"].encounters.sum(), octo[..., 0].sum() / 0.02, 1e-6)
    # Python use gives the same numbers as the CSV.
    mr = MonthlyRun(out)
    close(mr.by_cbp_categories().encounters.sum(), m.encounters.sum(), 1e-6)
    # Not a result: exit 2 with a message.
    bad = d / "bad.h5"
    bad.write_text("not hdf5")
    p = subprocess.run([sys.executable, str(script), str(bad)], capture_output=True, text=True)
    assert p.returncode == 2 and "monthly.py" in p.stderr


if __name__ == "__main__":
    suite = unittest.TestSuite(unittest.FunctionTestCase(f, description=n)
                               for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
