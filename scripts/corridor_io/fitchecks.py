"""The checks of the corridor model v2 issue (issue 11, "Done when") on one or more runs.

Each check compares the mean over the runs given (seeds of one scenario) with the data, over
FY2019-FY2021 unless said otherwise; counts are divided by each run's model_scale:

- ARD by citizenship: mean over months of sum_c |sim - obs| / sum_c obs over Mexico,
  Guatemala, Honduras and El Salvador, all demographics and titles (corridor_io.fitmetrics.ard);
  goal <= 0.20.
- The worst country's mean monthly relative error (mean over months of |sim - obs| / obs);
  goal <= 0.35.
- The UC share of each country's encounters, every month: the largest gap in points, and the
  (country, month) cells within 5 points; goal: all. CBP's "Accompanied Minors", which the
  model lacks, are left out of the observed totals (as in the calibration's targets).
- Repeat share FY2021: encounters of people encountered in the previous 12 months
  (`repeat_encounters`, window `us.repeat_window_days`) over all encounters; goal 0.22-0.32
  (CBP: 27 %, data/cbp_reencounter_rates.csv).
- Mexico's apprehensions of Guatemalans, Hondurans and Salvadorans in calendar 2021
  (`mx_apprehensions`) against INM's events presented or channelled, 2021
  (data/mexico_inm_apprehensions_returns.csv, the first row per country); goal within 25 %.
- MPP enrolments in calendar 2019-2020 (`mpp_returns`) against about 71,000 people (issue 11;
  data/policy_timeline.csv: about 70,000 returned under MPP 1.0); goal within 25 %.

A check the runs do not cover (a run ending before December 2021, say) is reported as such.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import fitmetrics
from .categories import CITIZENSHIPS, DEMOGRAPHICS
from .monthly import MonthlyRun, month_labels
from .observed import FIT_FIRST, FIT_LAST, month_range, observed_cube
from .repository import DATA

UC = DEMOGRAPHICS.index("UC / Single Minors")
#: MPP 1.0 enrolments, 2019-2020 (issue 11; data/policy_timeline.csv cites about 70,000).
MPP_ENROLMENTS = 71_000


@dataclass
class Check:
    name: str
    model: str
    data: str
    goal: str
    met: bool | None  # None: the runs do not cover it


def _series_by(run: MonthlyRun, name: str, by: str = "nationality") -> tuple[list[str], list[str], np.ndarray]:
    """(months, labels, [month, label]) of a [day, nationality, demographic] series / model_scale."""
    values, info = run.result.series_array(name)
    dims = info["dims"][1:]
    a = values.astype(np.float64).sum(axis=tuple(1 + i for i, d in enumerate(dims) if d != by))
    months = month_labels(run.result.calendar["date"].to_numpy()[info["day"]])
    uniq, inv = np.unique(months, return_inverse=True)
    out = np.zeros((len(uniq), a.shape[1]))
    np.add.at(out, inv, a)
    return list(uniq), list(info["labels"][by]), out / run.scale


def _mean(arrays):
    return sum(arrays) / len(arrays)


def run_checks(paths) -> list[Check]:
    runs = [MonthlyRun(p) for p in paths]
    months = month_range(FIT_FIRST, FIT_LAST)
    checks: list[Check] = []

    # Encounters by country and month, and the UC share; the observed cube has the model's
    # axis order and labels (corridor_io.observed).
    sims, ucs = [], []
    for r in runs:
        pos = {m: i for i, m in enumerate(r.months)}
        if not all(m in pos for m in months) or any(m in r.partial for m in months):
            raise ValueError(f"{r.result.path}: the run must cover {FIT_FIRST} to {FIT_LAST} in full")
        c = r.cube.sum(axis=(1, 4, 5))[[pos[m] for m in months]]  # [month, nationality, demographic]
        sims.append(c.sum(axis=2))
        ucs.append(c[:, :, UC])
    sim, sim_uc = _mean(sims), _mean(ucs)
    cube = observed_cube(months).sum(axis=(3, 4))  # [month, citizenship, demographic]
    obs, obs_uc = cube.sum(axis=2), cube[:, :, UC]
    ard = fitmetrics.ard(sim, obs)
    checks.append(Check("ARD by citizenship", f"{ard:.3f}", "", "<= 0.20", ard <= 0.20))
    rel = (np.abs(sim - obs) / obs).mean(axis=0)
    worst = int(np.argmax(rel))
    per = ", ".join(f"{k} {v:.2f}" for k, v in zip(CITIZENSHIPS, rel))
    checks.append(Check("worst country's mean monthly relative error", f"{rel[worst]:.2f} ({CITIZENSHIPS[worst]}; {per})",
                        "", "<= 0.35", rel[worst] <= 0.35))
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.abs(sim_uc / sim - obs_uc / obs)
    within = int(np.sum(gap <= 0.05))
    gmax = np.nanmax(gap, axis=0)
    checks.append(Check("UC share of each country's encounters, every month",
                        f"{within} of {gap.size} country-months within 5 points; largest gap "
                        + ", ".join(f"{k} {100 * g:.1f}" for k, g in zip(CITIZENSHIPS, gmax)), "",
                        "all within 5 points", within == gap.size))

    # Repeat share FY2021.
    fy21 = month_range("2020-10", "2021-09")
    rep, enc = [], []
    for r in runs:
        m, _, a = _series_by(r, "repeat_encounters")
        pos = {x: i for i, x in enumerate(m)}
        rep.append(sum(a[pos[x]].sum() for x in fy21))
        enc.append(sum(r.cube[list(r.months).index(x)].sum() for x in fy21))
    share = _mean(rep) / _mean(enc)
    checks.append(Check("repeat share FY2021 (12-month definition)", f"{share:.3f}", "0.27", "0.22-0.32",
                        0.22 <= share <= 0.32))

    # Mexico's 2021 apprehensions of Guatemalans, Hondurans and Salvadorans.
    inm = pd.read_csv(DATA / "mexico_inm_apprehensions_returns.csv")
    inm = inm[(inm.year == 2021) & (inm.period == "calendar year") & (inm.measure == "eventos presentados + canalizados")]
    ca = ["Guatemala", "Honduras", "El Salvador"]
    observed = float(inm[inm.nationality.isin(ca)].drop_duplicates("nationality", keep="first").value.sum())
    checks.append(_count_check(runs, "mx_apprehensions", ca, month_range("2021-01", "2021-12"),
                               "Mexico's 2021 apprehensions of GT+HN+SV", observed))
    # MPP enrolments 2019-2020.
    checks.append(_count_check(runs, "mpp_returns", None, month_range("2019-01", "2020-12"), "MPP enrolments 2019-2020",
                               MPP_ENROLMENTS))
    return checks


def _count_check(runs, series, countries, months, name, observed) -> Check:
    totals = []
    for r in runs:
        m, labels, a = _series_by(r, series)
        if not all(x in m for x in months):
            return Check(name, "not covered by the runs", f"{observed:,.0f}", "within 25 %", None)
        cols = [labels.index(k) for k in countries] if countries else list(range(len(labels)))
        totals.append(sum(a[m.index(x)][cols].sum() for x in months))
    value = _mean(totals)
    ratio = value / observed
    return Check(name, f"{value:,.0f} ({ratio:.2f}x)", f"{observed:,.0f}", "within 25 %", abs(ratio - 1) <= 0.25)


def markdown(checks: list[Check]) -> str:
    lines = ["| check | model | data | goal | met |", "|---|---|---|---|---|"]
    for c in checks:
        met = "n/a" if c.met is None else ("yes" if c.met else "no")
        lines.append(f"| {c.name} | {c.model} | {c.data} | {c.goal} | {met} |")
    return "\n".join(lines)
