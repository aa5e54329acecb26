"""Fit metrics (corridor_io.fitmetrics), the observed targets (corridor_io.observed), the
calibration loss and parameter table (scripts/calibrate.py) and the monthly export
(corridor_io.monthly, scripts/monthly.py), against values computed by hand.

Run through ctest (it sets CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP).
"""
from __future__ import annotations

import subprocess
import sys
import unittest

import h5py
import numpy as np
import pandas as pd

import calibrate
import harness
from corridor_io import binary
from corridor_io import fitmetrics as fm
from corridor_io.categories import CITIZENSHIPS
from corridor_io.monthly import MonthlyRun
from corridor_io.observed import CBP_FILE, FIT_FIRST, FIT_LAST, SECTOR_FILE, month_range, observed_cube
from corridor_io.parameters import Declared


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


def test_observed_cube():
    months = ["2018-10", "2021-09"]
    obs = observed_cube(months)
    assert obs.shape == (2, 4, 3, 2, 2)
    d = pd.read_csv(CBP_FILE)
    # By hand from the CSV: October 2018, Mexico, all in-scope rows (Accompanied Minors and
    # 'Other' excluded), every title, component and encounter type.
    sel = d[(d.month == "2018-10") & (d.citizenship == "Mexico") & (d.demographic != "Accompanied Minors")]
    close(obs[0, 0].sum(), float(sel.encounters.sum()))
    assert obs[0, 0].sum() == 19464
    assert obs[0, :, :, 1].sum() == 0  # no Title 42 before March 2020
    # September 2021, Honduras FMUA, Title 42, USBP
    sel = d[(d.month == "2021-09") & (d.citizenship == "Honduras") & (d.demographic == "FMUA")
            & (d.title == "Title 42") & (d.component == "USBP")]
    close(obs[1, 2, 1, 1, 0], float(sel.encounters.sum()))
    # Accompanied Minors exist in the file but never reach the cube.
    am = d[(d.month == "2018-10") & (d.demographic == "Accompanied Minors") & d.citizenship.isin(CITIZENSHIPS)]
    assert am.encounters.sum() > 0
    assert obs[0].sum() == d[(d.month == "2018-10") & d.citizenship.isin(CITIZENSHIPS)].encounters.sum() - \
        am.encounters.sum()


def _targets():
    months = month_range(FIT_FIRST, FIT_LAST)
    sectors = pd.read_csv(SECTOR_FILE).sector.unique().tolist()
    return calibrate.Targets(months, sectors)


def test_loss_profile_recovers_a_scaled_model():
    """A 'model' equal to the data divided by per-cell factors: the profiled multipliers are those
    factors and the loss is 0 (every log ratio vanishes)."""
    t = _targets()
    factors = np.array([[2.0, 3.0, 0.5], [1.5, 4.0, 1.0], [2.5, 0.8, 1.2], [3.0, 1.1, 0.9]])
    detail = t.detail / factors[None, :, :, None]
    # USBP by sector: each month's observed shares times the cell's monthly total.
    cell = detail.sum(axis=3)                                      # [m, n, d]
    sec = t.sector_share[:, :, None, None] * cell[:, None, :, :]   # [m, s, n, d]
    logk, loss = calibrate.profile_rates(detail, sec, t)
    assert loss < 1e-8, loss
    assert np.allclose(np.exp(logk), factors.reshape(-1), rtol=1e-3), np.exp(logk)
    # By hand: doubling every cell of the 'model' makes each log ratio of A and B
    # log((2 obs + 200) / (obs + 200)); sector shares do not change, so C = 0.
    terms = calibrate.loss_terms(np.log(2 * factors).reshape(-1), detail, sec, t)
    ra = np.log((2 * t.detail + 200) / (t.detail + 200))[t.mask]
    rb = np.log((2 * t.cit + 200) / (t.cit + 200))
    close(terms["A"], float(np.mean(ra ** 2)), 1e-9)
    close(terms["B"], float(np.mean(rb ** 2)), 1e-9)
    close(terms["C"], 0.0, 1e-12)
    close(terms["loss"], terms["A"] + terms["B"], 1e-12)


def test_loss_gradient():
    t = _targets()
    rng = np.random.default_rng(7)
    cube = rng.gamma(2.0, 300.0, size=(36, 9, 4, 3, 2, 2))
    cube[:, 0] = 0  # a sector the model never reaches
    detail, sec = calibrate.split_cube(cube)
    lk = rng.normal(0, 0.5, 12)
    g = calibrate.loss_terms(lk, detail, sec, t, grad=True)["grad"]
    h = 1e-6
    num = [(calibrate.loss_terms(lk + h * e, detail, sec, t)["loss"] -
            calibrate.loss_terms(lk - h * e, detail, sec, t)["loss"]) / (2 * h) for e in np.eye(12)]
    assert np.allclose(g, num, atol=1e-6), (g, num)


def test_calibration_parameters_start_from_the_declared_defaults():
    """Every fitted parameter's start value is read from the binary's declarations (the keys it sets
    agree on one default; its search range lies inside their declared range: Param.with_default
    raises otherwise), and lies inside its search range, so the search can start there."""
    defaults = calibrate.Defaults.from_binary(harness.BIN)
    assert sorted(defaults.params) == sorted(p.name for p in calibrate.PARAMS)
    for p in defaults.params.values():
        assert p.lo <= p.default <= p.hi, (p.name, p.default, p.lo, p.hi)
    # Settings at the start values restate the declared schedules they touch, point for point.
    v0 = {name: p.default for name, p in defaults.params.items()}
    c = calibrate.settings_for(v0, defaults.base, defaults)
    declared = defaults.declared
    for key, written in (("us.title42.expel_share.family", c["us"]["title42"]["expel_share"]["family"]),
                         ("mexico.interception.checkpoint.child", c["mexico"]["interception"]["checkpoint"]["child"]),
                         ("perception.misinformation", c["perception"]["misinformation"])):
        assert [(x["date"], x["value"]) for x in written] == [(q.date, q.value) for q in declared.points(key)], key
    assert c["departures"]["base_per_day"]["HN"]["family"] == declared.default("departures.base_per_day.HN.family")


def test_calibration_parameters_refuse_what_the_declarations_contradict():
    declared = calibrate.Defaults.from_binary(harness.BIN).declared
    cases = [(calibrate.Param("too_wide", 0.0, 1.5, "lin", "", keys=("perception.initial",)), "reaches outside"),
             (calibrate.Param("two_keys", 0.1, 0.9, "lin", "", keys=("perception.initial", "us.mpp.share.family")),
              "defaults differ"),
             (calibrate.Param("no_point", 0.0, 1.0, "lin", "", keys=("perception.misinformation",), on="1999-01-01"),
              "no point on 1999-01-01")]
    for param, message in cases:
        try:
            param.with_default(declared)
        except (ValueError, KeyError) as e:
            assert message in str(e), (param.name, e)
        else:
            raise AssertionError(f"{param.name}: accepted")
    # The announcements, declared as text only, are restated in calibrate.py: a change of the
    # declaration must stop the calibration rather than be silently undone.
    doc = binary.params("corridor", harness.BIN)
    for spec in doc["parameters"]:
        if spec["key"] == "perception.announcements":
            spec["default"] = "2021-01-20 +0.3 all"
    try:
        calibrate.Defaults(Declared(doc))
    except ValueError as e:
        assert "BASELINE_ANNOUNCEMENTS" in str(e), e
    else:
        raise AssertionError("a changed announcements default was accepted")


def test_transforms():
    for p in calibrate.Defaults.from_binary(harness.BIN).params.values():
        for v in (p.lo + 0.1 * (p.hi - p.lo), p.default, p.hi - 0.1 * (p.hi - p.lo)):
            close(p.from_x(p.to_x(v)), v, 1e-9 * max(1.0, abs(v)))
        assert p.lo < p.from_x(-30) <= p.from_x(30) < p.hi + 1e-12


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
