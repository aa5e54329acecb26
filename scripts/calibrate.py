#!/usr/bin/env -S /usr/bin/python3
"""Calibrate the corridor model to CBP's monthly encounters, FY2019-FY2021 (docs/calibration.md).

    scripts/calibrate.py                      # a fit from the defaults (~25 min on 2 shared cores)
    scripts/calibrate.py --start-json results/calibration/calibration.json   # continue the committed fit
    scripts/calibrate.py --quick --out X.yaml # the CI setting: tiny scale, a few evaluations
    scripts/calibrate.py --write-only results/calibration/calibration.json   # rewrite the scenario only
    scripts/calibrate.py ... --max-minutes 40   # stop the search after 40 min and keep the best so far
                                                # (also on Ctrl-C / kill -INT during the search)

What it does
- Targets: CBP's Southwest border encounters Oct 2018 - Sep 2021 (data/cbp_swb_encounters_monthly.csv)
  in the model's scope (citizenships Mexico, Guatemala, Honduras, El Salvador; demographics
  Single Adults, FMUA, UC / Single Minors; OFO + USBP), by citizenship x demographic x
  title, and Border Patrol's monthly sector shares (data/usbp_swb_encounters_by_sector_monthly.csv).
- Free parameters: OUTER shape parameters (table PARAMS below: perception, Title 42, Mexican
  enforcement, seasonality, route choice; their start values are the defaults the binary
  declares, `corridor params corridor --json`), searched by Nelder-Mead in a bounded transformed
  space (logit of the position in [lo, hi], on a log scale for rates and days); and the 12 base
  departure rates (nationality x demographic), which are PROFILED: the model's encounters of a
  nationality x demographic are proportional to its base rate in expectation (departures are
  Poisson with a rate linear in it, and nothing else in the model depends on volumes: perceived
  openness is a share, interceptions are per party; only the Monte Carlo noise of that share
  depends on the volume), so for each candidate the best multipliers of the 12 rates are found
  by a cheap inner minimisation over the candidate's output, without another run.
- Loss (documented in loss_terms): mean squared log ratio of monthly encounters by
  citizenship x demographic x title (eps = EPS people) + the same for the four citizenship
  totals + squared gaps of the monthly demographic mix and Title 42 share (/ SHARE_SCALE) +
  SECTOR_WEIGHT x mean squared log ratio of monthly sector shares (eps = EPS_SHARE).
- MPP runs from its July 2019 extension to Tamaulipas (MPP_PERIODS; see the comment there).
- Replicates with common random numbers: every candidate runs with the same seeds.
- Runs go from SPINUP_START (the model starts with an empty corridor; three months fill it)
  to 2021-09-30, at a reduced `corridor.scale`; fitted rates are full-scale values.
- Writes scenarios/calibrated.yaml (extends defaults.yaml; provenance in its header) and
  results/calibration/calibration.json (settings, seeds, every evaluation, the fit, its
  approximate standard errors).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy import optimize

from corridor_io import binary
from corridor_io import fitmetrics as fm
from corridor_io.categories import DEMO_KEYS, NAT_KEYS
from corridor_io.monthly import MonthlyRun
from corridor_io.observed import CBP_FILE, FIT_FIRST, FIT_LAST, SECTOR_FILE, month_range, observed_cube, observed_sectors
from corridor_io.parameters import Declared
from corridor_io.repository import ROOT, SCENARIOS

BASELINE = SCENARIOS / "defaults.yaml"  # the uncalibrated defaults (docs/scenarios.md)
DEFAULT_OUT = SCENARIOS / "calibrated.yaml"
DEFAULT_JSON = ROOT / "results" / "calibration" / "calibration.json"
FIT_END = "2021-09-30"
#: the corridor is empty on the first day; trips take weeks, so runs start three months early.
SPINUP_START = "2018-07-01"
TITLE42_FIRST = "2020-03"  # months before carry no Title 42 target (the order did not exist)
EPS = 200.0        # people/month added to both sides of a log ratio: tames months of a few people
EPS_SHARE = 0.02   # added to sector shares in their log ratio
PILOT_FRACTION = 0.2  # pilot runs (setting a candidate's volumes) at this fraction of the scale
SECTOR_WEIGHT = 0.5
SHARE_SCALE = 0.2  # shares (demographic mix, Title 42 share) enter the loss as (difference / SHARE_SCALE)^2
#: mx_enforcement multiplies the declared Mexican interception schedules from this date on.
ENFORCEMENT_STEP = "2019-06-07"
#: The default of corridor.perception.announcements, restated whole when announce_2019_06 adds one
#: (a list replaces the whole list). The binary declares this default as text only, so it cannot be
#: read as a list; Defaults checks this restatement against that text and stops if they disagree.
BASELINE_ANNOUNCEMENTS = [
    {"date": "2021-01-20", "jump": 0.2, "label": "new US administration"},
    {"date": "2021-02-17", "jump": 0.2, "demographics": ["child"], "label": "Title 42 exception for children"},
]
#: MPP as the calibrated scenario models it: from the July 2019 extension to Tamaulipas
#: (data/policy_timeline.csv), not from the first returns at Tijuana on 2019-01-29. The model's MPP
#: share is the same at every border city, while MPP 1.0 ran only at western ports until July 2019,
#: far from where most Central American families crossed (Rio Grande Valley); a uniform share from
#: January would stand for returns that did not happen (docs/calibration.md).
MPP_PERIODS = [{"start": "2019-07-01", "end": "2021-01-20"}, {"start": "2021-12-06", "end": "2022-08-08"}]


@dataclass(frozen=True)
class Param:
    """A shape parameter of the fit and its search range [lo, hi] (a calibration choice, inside
    the declared range of the keys it sets).

    Its start value is the declared default of `keys` (keys under `corridor.`; one value they all
    share; for a schedule, the value of its point on the date `on`), read from the binary by
    with_default(); or `own`, for a parameter the calibration defines itself (no declared key).
    """
    name: str
    lo: float
    hi: float
    scale: str  # "log" (rates, days, factors) or "lin" (shares, levels)
    doc: str
    keys: tuple = ()
    on: str | None = None
    own: float | None = None
    default: float | None = None  # the start value, once with_default() has read it

    def with_default(self, declared: Declared) -> "Param":
        """This parameter with `default` set from the declarations; a ValueError if the keys
        disagree or the search range reaches outside a key's declared range."""
        if self.own is not None:
            return replace(self, default=float(self.own))
        starts = set()
        for k in self.keys:
            value = declared.value_on(k, self.on) if self.on else declared.default(k)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{self.name}: corridor.{k} has no single numeric default ({value!r})")
            starts.add(float(value))
            lo, hi = declared.bounds(k)
            if (lo is not None and self.lo < lo) or (hi is not None and self.hi > hi):
                raise ValueError(f"{self.name}: search range [{self.lo:g}, {self.hi:g}] reaches outside the declared "
                                 f"range of corridor.{k} ({declared.spec(k)['range']})")
        if len(starts) != 1:
            raise ValueError(f"{self.name} sets {', '.join(self.keys)} to one value, but their declared defaults "
                             f"differ ({sorted(starts)})")
        return replace(self, default=starts.pop())

    def to_x(self, v: float) -> float:
        """Value -> unconstrained coordinate: logit of its position in [lo, hi] (log scale for 'log')."""
        f = (lambda t: math.log(t)) if self.scale == "log" else (lambda t: t)
        u = (f(v) - f(self.lo)) / (f(self.hi) - f(self.lo))
        u = min(max(u, 1e-6), 1 - 1e-6)
        return math.log(u / (1 - u))

    def from_x(self, x: float) -> float:
        u = 1.0 / (1.0 + math.exp(-x))
        if self.scale == "log":
            return math.exp(math.log(self.lo) + u * (math.log(self.hi) - math.log(self.lo)))
        return self.lo + u * (self.hi - self.lo)


#: The outer (shape) parameters: the keys they set give their start values (the declared defaults);
#: the bounds are the plausible range searched.
T42 = "us.title42"  # the prefix of the Title 42 keys
PARAMS = [
    Param("perception_initial", 0.02, 0.98, "lin",
          "corridor.perception.initial: perceived openness on the first day (July 2018)",
          keys=("perception.initial",)),
    Param("relax_days", 10, 400, "log",
          "corridor.perception.relax_days: time for reports to pull perception to actual openness",
          keys=("perception.relax_days",)),
    Param("gamma_adult", 0.05, 10, "log", "corridor.perception.gamma.single_adult",
          keys=("perception.gamma.single_adult",)),
    Param("gamma_family", 0.1, 15, "log", "corridor.perception.gamma.family", keys=("perception.gamma.family",)),
    Param("gamma_child", 0.1, 15, "log", "corridor.perception.gamma.child", keys=("perception.gamma.child",)),
    Param("misinformation_2021", 0.0, 0.8, "lin",
          "corridor.perception.misinformation from 2021-01-20 (the value before is the default, not fitted)",
          keys=("perception.misinformation",), on="2021-01-20"),
    Param("announce_2019_06", -0.6, 0.2, "lin",
          "jump of perceived openness (all demographics) on 2019-06-07, the US-Mexico joint declaration "
          "after the tariff threat (policy_timeline.csv), added to the two announcements of defaults.yaml", own=0.0),
    Param("mpp_share", 0.01, 0.9, "lin",
          "corridor.us.mpp.share.single_adult and .family (Title 8 non-Mexicans returned to wait in Mexico)",
          keys=("us.mpp.share.single_adult", "us.mpp.share.family")),
    Param("mx_enforcement", 0.25, 10, "log",
          "factor on Mexico's interception probabilities from 2019-06-07 (crossings and checkpoints, "
          "all demographics, the March 2021 step included); before, the defaults", own=1.0),
    Param("expel_adult", 0.3, 0.995, "lin", "corridor.us.title42.expel_share.single_adult",
          keys=(f"{T42}.expel_share.single_adult",)),
    Param("expel_family_2020", 0.05, 0.995, "lin",
          "corridor.us.title42.expel_share.family from 2020-03-20", keys=(f"{T42}.expel_share.family",),
          on="2020-03-20"),
    Param("expel_family_2021", 0.01, 0.95, "lin",
          "corridor.us.title42.expel_share.family from 2021-02-01", keys=(f"{T42}.expel_share.family",),
          on="2021-02-01"),
    Param("expel_child_2020", 0.05, 0.995, "lin",
          "corridor.us.title42.expel_share.child from 2020-03-20 (its later points are the default's, not fitted)",
          keys=(f"{T42}.expel_share.child",), on="2020-03-20"),
    # Title 42 retries by nationality group (docs/model.md §3.7): Mexicans are expelled into their own
    # country near home, Central Americans into a Mexican border city far from home; families retry
    # less than single adults. Unaccompanied children (expelled only March-November 2020, too few to
    # fit) take their group's single-adult share.
    Param("t42_share_mx_adult", 0.05, 0.95, "lin",
          "corridor.us.title42.retry_share.mexican.single_adult (and .child)",
          keys=(f"{T42}.retry_share.mexican.single_adult", f"{T42}.retry_share.mexican.child")),
    Param("t42_share_ca_adult", 0.05, 0.95, "lin",
          "corridor.us.title42.retry_share.central_american.single_adult (and .child)",
          keys=(f"{T42}.retry_share.central_american.single_adult", f"{T42}.retry_share.central_american.child")),
    Param("t42_share_family", 0.05, 0.95, "lin",
          "corridor.us.title42.retry_share.{mexican,central_american}.family",
          keys=(f"{T42}.retry_share.mexican.family", f"{T42}.retry_share.central_american.family")),
    Param("t42_days_mx", 1, 120, "log", "corridor.us.title42.retry_delay_days.mexican (every demographic)",
          keys=tuple(f"{T42}.retry_delay_days.mexican.{d}" for d in DEMO_KEYS)),
    Param("t42_days_ca", 1, 120, "log",
          "corridor.us.title42.retry_delay_days.central_american (every demographic)",
          keys=tuple(f"{T42}.retry_delay_days.central_american.{d}" for d in DEMO_KEYS)),
    # COVID-19 movement restrictions (docs/model.md §3.3, departures.mobility): the dates are the
    # decrees' (borders of GT/HN/SV closed from mid-March 2020; Guatemala's reopened on 2020-09-18),
    # only the depths are fitted; from 2020-12-01 the default again. The default schedule
    # has no point on 2020-09-18, so that depth starts from a value of the calibration's own.
    Param("covid_mobility_low", 0.03, 1.0, "log",
          "corridor.departures.mobility from 2020-04-01 to 2020-06-01 (lockdowns, closed borders)",
          keys=("departures.mobility",), on="2020-04-01"),
    Param("covid_mobility_sep", 0.05, 1.0, "log",
          "corridor.departures.mobility on 2020-09-18 (linear from 2020-06-01; borders reopening)", own=0.75),
    Param("season_amplitude", 0.01, 0.7, "log", "corridor.departures.season_amplitude",
          keys=("departures.season_amplitude",)),
    Param("beta_gdp", 0.002, 0.3, "log",
          "corridor.departures.beta_gdp: push per % of GDP per capita lost (the 2020 recession)",
          keys=("departures.beta_gdp",)),
    Param("beta_km", 0.1, 6, "log", "corridor.route_choice.beta_km (sector split)", keys=("route_choice.beta_km",)),
]
PARAM_BY_NAME = {p.name: p for p in PARAMS}
#: Left out by default: expel_child_2020 (children's Title 42 months are few and small) and the
#: COVID-19 mobility depths (a trial fit moved them hardly and the loss only within the search's
#: noise: docs/calibration.md, Known limits 1).
OPTIONAL = {"expel_child_2020", "covid_mobility_low", "covid_mobility_sep"}
DEFAULT_SET = [p.name for p in PARAMS if p.name not in OPTIONAL]
QUICK_SET = ["perception_initial", "gamma_family", "expel_adult", "t42_share_mx_adult"]
#: Parameters of earlier fits that newer ones split: a warm start (--start-json) from a record
#: that has the old name starts each of the new ones at its value.
LEGACY_PARAMS = {"t42_retry_share": ["t42_share_mx_adult", "t42_share_ca_adult", "t42_share_family"],
                 "t42_retry_days": ["t42_days_mx", "t42_days_ca"]}


class Defaults:
    """What the fit starts from: the model's declared defaults, read from the binary
    (`corridor params corridor --json`). defaults.yaml sets none of the fitted
    parameters, so these are its values too."""

    def __init__(self, declared: Declared):
        self.declared = declared
        self.params = {p.name: p.with_default(declared) for p in PARAMS}
        #: base departure rates [nationality, demographic], people/day at scale 1.
        self.base = np.array([[declared.default(f"departures.base_per_day.{n}.{d}") for d in DEMO_KEYS]
                              for n in NAT_KEYS], dtype=float)
        stated = "; ".join(f"{a['date']} {a['jump']:+g} {','.join(a.get('demographics', ['all']))}"
                           for a in BASELINE_ANNOUNCEMENTS)
        if stated != declared.default("perception.announcements"):
            raise ValueError(f"BASELINE_ANNOUNCEMENTS in calibrate.py state '{stated}', but the binary declares "
                             f"corridor.perception.announcements as '{declared.default('perception.announcements')}'")

    @classmethod
    def from_binary(cls, exe) -> "Defaults":
        return cls(Declared.from_binary("corridor", exe))

    def value(self, name: str) -> float:
        return self.params[name].default

    def schedule(self, key: str, values: dict | None = None, scale_from: str | None = None, factor: float = 1.0) -> list:
        """The declared default schedule of corridor.KEY as scenario points, with the values of the
        points dated in `values` replaced, and the values from `scale_from` on multiplied by `factor`
        (capped at 1: the schedules scaled are probabilities)."""
        values = values or {}
        points = self.declared.points(key)
        missing = sorted(set(values) - {p.date for p in points})
        if missing:
            raise KeyError(f"corridor.{key}: its default schedule has no point on {', '.join(missing)}")
        out = []
        for p in points:
            v = values.get(p.date, p.value)
            if scale_from is not None and p.date >= scale_from:
                v = min(1.0, v * factor)
            out.append((p.date, v, p.ramp))
        return _schedule(out)


# ---- scenario settings ------------------------------------------------------------------


def _schedule(points) -> list:
    """(date, value, ramp) -> scenario schedule points (ramp written only where it is linear)."""
    return [{"date": d, "value": round(float(v), 6), **({"ramp": "linear"} if ramp else {})} for d, v, ramp in points]


def settings_for(v: dict, base: np.ndarray, defaults: Defaults) -> dict:
    """The `corridor:` settings of a candidate: fitted values `v` (by name) and base rates [nat, demo].

    Only parameters present in `v` are written; the others keep their default values (a schedule
    that only some of them change keeps the declared values of its other points).
    """
    c: dict = {"departures": {"base_per_day": {
        n: {d: round(float(base[i, j]), 4) for j, d in enumerate(DEMO_KEYS)} for i, n in enumerate(NAT_KEYS)}}}
    if "season_amplitude" in v:
        c["departures"]["season_amplitude"] = v["season_amplitude"]
    if "beta_gdp" in v:
        c["departures"]["beta_gdp"] = v["beta_gdp"]
    if "covid_mobility_low" in v or "covid_mobility_sep" in v:
        low = v.get("covid_mobility_low", defaults.value("covid_mobility_low"))
        sep = v.get("covid_mobility_sep", defaults.value("covid_mobility_sep"))
        # The calibration's own shape between the declared schedule's points before the
        # restrictions (2018-10-01, 2020-03-16) and after them (2020-12-01), which keep their values.
        kept = lambda date: float(defaults.declared.value_on("departures.mobility", date))
        c["departures"]["mobility"] = [
            {"date": "2018-10-01", "value": kept("2018-10-01")}, {"date": "2020-03-16", "value": kept("2020-03-16")},
            {"date": "2020-04-01", "value": round(low, 6), "ramp": "linear"},
            {"date": "2020-06-01", "value": round(low, 6)},
            {"date": "2020-09-18", "value": round(sep, 6), "ramp": "linear"},
            {"date": "2020-12-01", "value": kept("2020-12-01"), "ramp": "linear"}]
    per = {}
    if "perception_initial" in v:
        per["initial"] = v["perception_initial"]
    if "relax_days" in v:
        per["relax_days"] = v["relax_days"]
    gam = {k: v[n] for k, n in (("single_adult", "gamma_adult"), ("family", "gamma_family"),
                                 ("child", "gamma_child")) if n in v}
    if gam:
        per["gamma"] = gam
    if "announce_2019_06" in v:
        # A list replaces the whole list of defaults.yaml: its announcements are restated unchanged.
        per["announcements"] = [
            {"date": "2019-06-07", "jump": round(v["announce_2019_06"], 6), "label": "US-Mexico declaration"},
            *BASELINE_ANNOUNCEMENTS]
    if "misinformation_2021" in v:
        per["misinformation"] = defaults.schedule("perception.misinformation",
                                                  {"2021-01-20": v["misinformation_2021"]})
    if per:
        c["perception"] = per
    if "mx_enforcement" in v:
        scaled = lambda key: defaults.schedule(key, scale_from=ENFORCEMENT_STEP, factor=v["mx_enforcement"])
        c["mexico"] = {"interception": {where: {d: scaled(f"mexico.interception.{where}.{d}") for d in DEMO_KEYS}
                                        for where in ("crossing", "checkpoint")}}
    us: dict = {}
    t42: dict = {}
    exp: dict = {}
    if "expel_adult" in v:
        exp["single_adult"] = v["expel_adult"]
    for demo, names in (("family", ("expel_family_2020", "expel_family_2021")), ("child", ("expel_child_2020",))):
        points = {defaults.params[n].on: v[n] for n in names if n in v}
        if points:
            exp[demo] = defaults.schedule(f"us.title42.expel_share.{demo}", points)
    if exp:
        t42["expel_share"] = exp
    share: dict = {}
    for group, adult in (("mexican", "t42_share_mx_adult"), ("central_american", "t42_share_ca_adult")):
        g = {}
        if adult in v:
            g["single_adult"] = g["child"] = v[adult]
        if "t42_share_family" in v:
            g["family"] = v["t42_share_family"]
        if g:
            share[group] = g
    if share:
        t42["retry_share"] = share
    days = {group: v[n] for group, n in (("mexican", "t42_days_mx"), ("central_american", "t42_days_ca")) if n in v}
    if days:
        t42["retry_delay_days"] = days
    if t42:
        us["title42"] = t42
    us["mpp"] = {"periods": MPP_PERIODS}
    if "mpp_share" in v:
        us["mpp"]["share"] = {"single_adult": v["mpp_share"], "family": v["mpp_share"]}
    if us:
        c["us"] = us
    if "beta_km" in v:
        c["route_choice"] = {"beta_km": v["beta_km"]}
    return c


def _yaml_scalar(x) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _yaml_flow(x) -> str:
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {_yaml_flow(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ", ".join(_yaml_flow(v) for v in x) + "]"
    return _yaml_scalar(x)


def flatten(settings: dict, prefix: str = "corridor") -> list[str]:
    """Nested settings -> ['key.path=value', ...] for --set (lists as YAML flow sequences)."""
    out = []
    for k, v in settings.items():
        key = f"{prefix}.{k}"
        if isinstance(v, dict):
            out += flatten(v, key)
        else:
            out.append(f"{key}={_yaml_flow(v)}")
    return out


def yaml_block(settings: dict, indent: int = 2, comments: dict | None = None) -> str:
    """Nested settings as block YAML (schedules in flow style), with optional end-of-line comments by key."""
    lines = []
    for k, v in settings.items():
        pad = " " * indent
        if isinstance(v, dict) and not all(isinstance(x, (int, float)) for x in v.values()):
            lines.append(f"{pad}{k}:")
            lines.append(yaml_block(v, indent + 2, comments))
        else:
            note = f"  # {comments[k]}" if comments and k in comments else ""
            lines.append(f"{pad}{k}: {_yaml_flow(v)}{note}")
    return "\n".join(lines)


# ---- running candidates -----------------------------------------------------------------


@dataclass
class RunConfig:
    binary: Path
    scale: float
    seeds: list
    jobs: int
    workdir: Path
    scenario: Path = BASELINE
    start: str = SPINUP_START
    end: str = FIT_END


def run_one(cfg: RunConfig, sets: list[str], seed: int, tag: str) -> MonthlyRun:
    out = cfg.workdir / f"{tag}_s{seed}.h5"
    args = ["--seed", str(seed),
            "--threads", "1",  # one thread per process: processes run side by side (--jobs)
            "--set", f"corridor.scale={cfg.scale}", "--set", f"start={cfg.start}", "--set", f"end={cfg.end}",
            "--set", "output.events=false", "--set", "output.agents=false"]
    for s in sets:
        args += ["--set", s]
    binary.run(cfg.scenario, out, *args, binary=cfg.binary)
    m = MonthlyRun(out)
    out.unlink()
    return m


class Simulator:
    """Runs a candidate with every seed (common random numbers) and returns the mean monthly cube."""

    def __init__(self, cfg: RunConfig, months: list[str]):
        self.cfg = cfg
        self.months = months
        self.pool = cf.ThreadPoolExecutor(max_workers=cfg.jobs)
        self.count = 0
        self.labels = None

    def __call__(self, settings: dict, scale: float | None = None, seeds: list | None = None) -> np.ndarray:
        self.count += 1
        sets = flatten(settings)
        cfg = self.cfg if scale is None else RunConfig(**{**self.cfg.__dict__, "scale": scale})
        futs = [self.pool.submit(run_one, cfg, sets, s, f"c{self.count}") for s in (seeds or cfg.seeds)]
        cubes = []
        for f in futs:
            m = f.result()
            idx = [list(m.months).index(x) for x in self.months]
            cubes.append(m.cube[idx])
            self.labels = m.labels
        return np.mean(cubes, axis=0)  # [month, sector, nat, demo, title, comp]


# ---- loss and the profiled base rates ------------------------------------------------------


class Targets:
    """Observed arrays over the fit months, in the model's category order."""

    def __init__(self, months: list[str], sectors: list[str]):
        self.months = months
        obs = observed_cube(months)                         # [m, nat, demo, title, comp]
        self.detail = obs.sum(axis=4)                       # [m, nat, demo, title]
        self.cit = self.detail.sum(axis=(2, 3))             # [m, nat]
        self.sector_share = fm.shares(observed_sectors(months, sectors))  # [m, sector]
        self.demo_share = fm.shares(self.detail.sum(axis=(1, 3)))           # [m, demo]
        self.t42_share = fm.shares(self.detail.sum(axis=(1, 2)))[:, 1]      # [m]
        self.t42_months = np.array([m >= TITLE42_FIRST for m in months])
        self.mask = np.ones(self.detail.shape, bool)        # which detail cells are targets
        t42_from = months.index(TITLE42_FIRST)
        self.mask[:t42_from, :, :, 1] = False


def split_cube(cube: np.ndarray):
    """Model cube -> (detail [m, nat, demo, title], USBP by sector [m, sector, nat, demo])."""
    detail = cube.sum(axis=(1, 5))
    sec = cube[..., 0].sum(axis=4)  # component 0 = USBP
    return detail, sec


def loss_terms(logk: np.ndarray, detail: np.ndarray, sec: np.ndarray, t: Targets, grad: bool = False) -> dict:
    """The loss for base-rate multipliers exp(logk) [nat*demo] applied to a candidate's output.

    A = mean over target cells (month x citizenship x demographic x title; Title 42 from
        March 2020) of log((sim + EPS) / (obs + EPS))^2
    B = mean over month x citizenship of the same log ratio of citizenship totals
    C = mean over month x sector of log((share_sim + EPS_SHARE) / (share_obs + EPS_SHARE))^2,
        shares of the month's Border Patrol encounters
    D = mean over the month's three demographic shares (all months) and its Title 42 share
        (from March 2020) of ((share_sim - share_obs) / SHARE_SCALE)^2: the mix the goal
        asks to hold within 10 points, a miss of SHARE_SCALE costing as much as a factor e in A
    loss = A + B + D + SECTOR_WEIGHT * C
    With grad=True the result also holds "grad", d loss / d logk (12 values, analytic).
    """
    k = np.exp(logk).reshape(4, 3)
    sim = detail * k[None, :, :, None]                       # [m, n, d, t]
    ra = np.log((sim + EPS) / (t.detail + EPS))
    a = np.mean(ra[t.mask] ** 2)
    q = sim.sum(axis=3)                                      # [m, n, d]
    cit = q.sum(axis=2)                                      # [m, n]
    rb = np.log((cit + EPS) / (t.cit + EPS))
    b = np.mean(rb ** 2)
    y = sec * k[None, None]                                  # [m, s, n, d]
    x = y.sum(axis=(2, 3))                                   # [m, s]
    tot = x.sum(axis=1)                                      # [m]
    share = np.where(tot[:, None] > 0, x / np.where(tot > 0, tot, 1)[:, None], 0.0)
    rc = np.log((share + EPS_SHARE) / (t.sector_share + EPS_SHARE))
    c = np.mean(rc ** 2)
    # D: demographic mix and Title 42 share of each month's encounters (four citizenships).
    allm = cit.sum(axis=1)                                   # [m]
    inv_a = np.where(allm > 0, 1 / np.where(allm > 0, allm, 1), 0.0)
    pd_sim = q.sum(axis=1) * inv_a[:, None]                  # [m, d]
    rd = (pd_sim - t.demo_share) / SHARE_SCALE
    t42 = sim[..., 1]                                        # [m, n, d]
    q42 = t42.sum(axis=(1, 2)) * inv_a                       # [m]
    r42 = np.where(t.t42_months, (q42 - t.t42_share) / SHARE_SCALE, 0.0)
    n_d = rd.size + int(t.t42_months.sum())
    dterm = (np.sum(rd ** 2) + np.sum(r42 ** 2)) / n_d
    out = {"A": float(a), "B": float(b), "C": float(c), "D": float(dterm),
           "loss": float(a + b + dterm + SECTOR_WEIGHT * c)}
    if grad:
        # d r / d logk_nd for each term (r = log ratio), chained through the means.
        ga = np.where(t.mask, ra * sim / (sim + EPS), 0.0).sum(axis=(0, 3)) * 2 / t.mask.sum()
        gb = (rb[:, :, None] * q / (cit + EPS)[:, :, None]).sum(axis=0) * 2 / rb.size
        z = y.sum(axis=1)                                    # [m, n, d]
        inv_t = np.where(tot > 0, 1 / np.where(tot > 0, tot, 1), 0.0)
        w = rc / (share + EPS_SHARE) * inv_t[:, None]        # [m, s]
        gc = (np.einsum("ms,msnd->nd", w, y) - np.einsum("ms,ms,mnd->nd", w, share, z)) * 2 / rc.size
        # d p_md' / d logk_nd = (delta_dd' q_mnd - p_md' q_mnd) / all_m; q = sim summed over titles
        g_demo = np.einsum("md,mnd->nd", rd * inv_a[:, None], q) - np.einsum(
            "m,mnd->nd", (rd * pd_sim).sum(axis=1) * inv_a, q)
        g_t42 = np.einsum("m,mnd->nd", r42 * inv_a, t42) - np.einsum("m,mnd->nd", r42 * q42 * inv_a, q)
        gd = (g_demo + g_t42) * 2 / SHARE_SCALE / n_d
        out["grad"] = (ga + gb + gd + SECTOR_WEIGHT * gc).reshape(-1)
    return out


def profile_rates(detail, sec, t: Targets):
    """Best log multipliers of the 12 base rates for one candidate's output (L-BFGS-B, analytic gradient)."""
    def f(lk):
        r = loss_terms(lk, detail, sec, t, grad=True)
        return r["loss"], r["grad"]
    # Start from the ratio of totals per cell: close to the optimum of term A.
    s, o = detail.sum(axis=(0, 3)), t.detail.sum(axis=(0, 3))
    x0 = np.log(np.where(s > 0, (o + EPS) / (s + EPS), 1.0)).reshape(-1)
    x0 = np.clip(x0, -6, 6)
    r = optimize.minimize(f, x0, jac=True, method="L-BFGS-B", bounds=[(-7, 7)] * 12)
    return r.x, r.fun


def numerical_hessian(f, x, h):
    """Central-difference Hessian of f at x with steps h (vector)."""
    n = len(x)
    H = np.zeros((n, n))
    f0 = f(x)
    for i in range(n):
        for j in range(i, n):
            ei = np.zeros(n); ei[i] = h[i]
            ej = np.zeros(n); ej[j] = h[j]
            if i == j:
                H[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / h[i] ** 2
            else:
                H[i, j] = H[j, i] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                    4 * h[i] * h[j])
    return H


# ---- the calibration ---------------------------------------------------------------------


class SearchStopped(Exception):
    """The search's time budget (--max-minutes) is spent: the best candidate so far is the fit."""


class Calibration:
    def __init__(self, names: list[str], sim: Simulator, targets: Targets, defaults: Defaults, log=print,
                 pilot_scale=None, deadline: float | None = None):
        self.params = [defaults.params[n] for n in names]
        self.defaults = defaults
        self.sim_base = defaults.base.copy()
        self.fix_base_after_first = True
        self.pilot_scale = pilot_scale
        self.sim = sim
        self.t = targets
        self.log = log
        self.history = []
        self.best = None
        self.deadline = deadline  # time.monotonic() after which the search stops (None: no limit)

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SearchStopped()

    def values(self, x) -> dict:
        return {p.name: p.from_x(xi) for p, xi in zip(self.params, x)}

    def evaluate(self, v: dict, profile=True, note="", track_best=True, cube=None) -> dict:
        """Loss of candidate `v` with its 12 base rates profiled.

        The run's base rates are the start candidate's profiled rates, corrected by a pilot run (one
        seed, PILOT_FRACTION of the scale) profiled the same way: the main runs then carry about the
        observed volumes whatever the candidate (a strong response to perceived openness would
        otherwise multiply departures, and run time, a hundredfold). The rates are linear levels,
        so this changes the noise of a run, not what the loss measures.
        """
        t0 = time.monotonic()
        run_base = self.sim_base
        if cube is None:
            if self.pilot_scale:
                pc = self.sim(settings_for(v, run_base, self.defaults), scale=self.pilot_scale, seeds=self.sim.cfg.seeds[:1])
                lk_pilot, _ = profile_rates(*split_cube(pc), self.t)
                run_base = run_base * np.exp(np.clip(lk_pilot, -4, 4)).reshape(4, 3)
            cube = self.sim(settings_for(v, run_base, self.defaults))
        detail, sec = split_cube(cube)
        lk = profile_rates(detail, sec, self.t)[0] if profile else np.zeros(12)
        terms = loss_terms(lk, detail, sec, self.t)
        logk = np.log(run_base / self.defaults.base).reshape(-1) + lk   # relative to the default rates
        rec = {"eval": len(self.history) + 1, "note": note, "values": v, "logk": logk.tolist(), **terms,
               "seconds": round(time.monotonic() - t0, 2)}
        self.history.append(rec)
        if profile and track_best and (self.best is None or rec["loss"] < self.best["loss"]):
            self.best = rec
            self._best_output = (detail, sec, lk)
            if self.fix_base_after_first:
                # The pilot's base is fixed from the first profiled candidate on, so that a
                # candidate's loss depends on the candidate alone (same seeds, same pilot base):
                # the search then sees one frozen realisation of the noise, and a repeated
                # candidate gets the same loss.
                self.sim_base = self.defaults.base * np.exp(logk).reshape(4, 3)
                self.fix_base_after_first = False
        self.log(f"  eval {rec['eval']:4d} loss {rec['loss']:.4f} (A {terms['A']:.4f} B {terms['B']:.4f} "
                 f"C {terms['C']:.4f} D {terms['D']:.4f}) best {self.best['loss'] if self.best else float('nan'):.4f} "
                 f"[{rec['seconds']:.1f} s] {note}")
        return rec

    def objective(self, x) -> float:
        self.check_time()
        return self.evaluate(self.values(x), note="nm")["loss"]

    def screen(self, x0, n: int, width: float, seed: int):
        """Latin hypercube of n candidates in the box x0 +- width (transformed space); returns the best x.

        Nelder-Mead is local and the loss couples parameters (a strong response to perceived
        openness only pays with a policy that moves openness), so a coarse global look first
        gives it a better start than the defaults alone.
        """
        from scipy.stats import qmc
        if n <= 0:
            return np.asarray(x0, float)
        pts = qmc.LatinHypercube(d=len(x0), seed=seed).random(n)
        self.log(f"screening: {n} Latin hypercube candidates within ±{width} of the start (transformed space)")
        for u in pts:
            self.check_time()
            self.evaluate(self.values(np.asarray(x0) + width * (2 * u - 1)), note="screen")
        return np.array([p.to_x(self.best["values"][p.name]) for p in self.params])

    def nelder_mead(self, x0, max_evals: int, step: float, restarts: int):
        """Nelder-Mead from x0; on a budget left over, restarts from the best point with a fresh simplex
        (restarts help the method on a noisy, piecewise-flat loss)."""
        x = np.asarray(x0, float)
        used0 = len(self.history)
        for r in range(restarts + 1):
            left = max_evals - (len(self.history) - used0)
            if left < len(x) + 2:
                break
            simplex = np.vstack([x] + [x + step * np.eye(len(x))[i] for i in range(len(x))])
            self.log(f"Nelder-Mead round {r + 1}: up to {left} evaluations")
            res = optimize.minimize(self.objective, x, method="Nelder-Mead",
                                    options={"maxfev": left, "initial_simplex": simplex, "xatol": 0.02,
                                             "fatol": 1e-4, "adaptive": True})
            x = np.array([p.to_x(self.best["values"][p.name]) for p in self.params])
            step = step / 2
        return x


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def git_commit() -> str:
    p = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return p.stdout.strip() or "unknown"


def write_scenario(path: Path, best: dict, base: np.ndarray, info: dict, defaults: Defaults) -> None:
    v = best["values"]
    settings = settings_for(v, base, defaults)
    rel = os.path.relpath(BASELINE, path.parent.resolve())
    comments = {}
    hdr = [
        "# Calibrated corridor scenario, the baseline: defaults.yaml with fitted parameters.",
        "# GENERATED by scripts/calibrate.py; rerun it rather than editing by hand (docs/calibration.md).",
        f"# date: {info['date']}   repository at: {info['commit']}   binary: {info['binary']}",
        f"# data: {CBP_FILE.relative_to(ROOT)} (sha256 {info['sha_cbp'][:16]}...), "
        f"{SECTOR_FILE.relative_to(ROOT)} (sha256 {info['sha_sector'][:16]}...)",
        f"# targets: months {FIT_FIRST}..{FIT_LAST}; citizenship x demographic x title (Title 42 from "
        f"{TITLE42_FIRST}), citizenship totals, Border Patrol sector shares",
        f"# loss: A + B + D + {SECTOR_WEIGHT} C: mean squared log ratios (eps {EPS:g} people; {EPS_SHARE} for sector "
        f"shares), D squared share gaps / {SHARE_SCALE}^2; "
        f"before {info['loss_before']:.4f} (default values), after {best['loss']:.4f}",
        f"# optimiser: Nelder-Mead (scipy, adaptive) over {len(v)} shape parameters, {info['evals']} evaluations; "
        "12 base rates profiled (L-BFGS-B)",
        f"# runs: scale {info['scale']:g}, seeds {info['seeds']} (common random numbers), start {SPINUP_START} "
        f"(spin-up), end {FIT_END}; wall time {info['wall_s'] / 60:.1f} min",
        f"# command: scripts/calibrate.py {' '.join(info.get('command', []))}",
        "# Fitted at a reduced scale; every value below is for scale 1 (the scale is not set here).",
        "# Runs unchanged to 2023-09-30 (the end of defaults.yaml): nothing below depends on data after 2021-09.",
    ]
    body = [
        f"extends: {rel}",
        "name: calibrated",
        "description: Corridor model, FY2019-FY2023, real policy timeline, parameters fitted to CBP encounters "
        "FY2019-FY2021 (scripts/calibrate.py)",
        f"start: {SPINUP_START}  # three months of spin-up before FY2019: the corridor starts empty",
        "corridor:",
        yaml_block(settings, 2, comments),
    ]
    path.write_text("\n".join(hdr + body) + "\n")


def validate(exe: Path, path: Path) -> None:
    p = binary.call(["validate", path], exe, check=False)
    if p.returncode != 0 or "OK" not in p.stdout:
        raise RuntimeError(f"{path} does not validate:\n{p.stdout}\n{p.stderr}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See docs/calibration.md for the targets, loss, parameters and results.")
    binary.add_option(ap)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="calibrated scenario to write")
    ap.add_argument("--json", type=Path, default=None,
                    help=f"record of the fit (default {DEFAULT_JSON.relative_to(ROOT)}, or beside --out if --out "
                         "is given)")
    ap.add_argument("--scale", type=float, default=0.25, help="corridor.scale of the runs (default 0.25)")
    ap.add_argument("--replicates", type=int, default=2, help="seeds per candidate (default 2)")
    ap.add_argument("--seed", type=int, default=9001, help="first seed; replicates use seed, seed+1, ...")
    ap.add_argument("--screen", type=int, default=48,
                    help="Latin hypercube candidates evaluated before Nelder-Mead (default 48)")
    ap.add_argument("--screen-width", type=float, default=2.0, help="half-width of the screening box (transformed)")
    ap.add_argument("--max-evals", type=int, default=320, help="Nelder-Mead budget of candidates (default 320)")
    ap.add_argument("--restarts", type=int, default=2, help="Nelder-Mead restarts from the best point")
    ap.add_argument("--step", type=float, default=0.6, help="initial simplex step in transformed space")
    ap.add_argument("--jobs", type=int, default=2, help="runs side by side (default 2)")
    ap.add_argument("--params", default=",".join(DEFAULT_SET), help="comma-separated shape parameters to fit; +NAME,... adds those to the default set (e.g. +covid_mobility_low,covid_mobility_sep)")
    ap.add_argument("--start", default="",
                    help="starting values 'name=value,...' instead of the defaults for some shape parameters "
                         "(recorded in the provenance); the loss 'before' stays that of the default values")
    ap.add_argument("--start-json", type=Path, default=None,
                    help="warm start from a previous calibration.json: its fitted values start the search and "
                         "its base rates set the first pilot run (recorded in the provenance)")
    ap.add_argument("--no-hessian", action="store_true", help="skip the standard errors")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="time budget of the search (screening and Nelder-Mead), from the start of the script: "
                         "when it is spent, or on Ctrl-C / SIGINT during the search, the best candidate so far is "
                         "the fit and the script goes on to the standard errors (skipped if the budget is spent) "
                         "and writes its outputs")
    ap.add_argument("--no-pilot", action="store_true", help="no pilot runs (see Calibration.evaluate)")
    ap.add_argument("--quick", action="store_true",
                    help="CI preset: scale 0.01, 1 replicate, 4 parameters, no screening, 6 evaluations, no "
                         "restarts or standard errors")
    ap.add_argument("--write-only", type=Path, default=None, metavar="JSON",
                    help="no fit: rewrite --out from a calibration.json written earlier (e.g. after a change of "
                         "the header format), and validate it")
    args = ap.parse_args(argv)
    try:
        args.binary = binary.find(args.binary)
        defaults = Defaults.from_binary(args.binary)
    except (binary.BinaryError, ValueError, KeyError) as e:  # no binary, or declarations the table does not fit
        ap.error(e.args[0] if e.args else str(e))
    if args.write_only:
        rec = json.loads(args.write_only.read_text())
        write_scenario(args.out, rec["best"], np.array(rec["base_per_day"], float), rec, defaults)
        validate(args.binary, args.out)
        print(f"wrote {args.out} from {args.write_only}")
        return 0
    if args.quick:
        args.scale, args.replicates, args.max_evals, args.restarts, args.screen = 0.01, 1, 6, 0, 0
        args.no_hessian = True
        if args.params == ",".join(DEFAULT_SET):
            args.params = ",".join(QUICK_SET)
    if args.params.startswith("+"):  # the default set and these
        args.params = ",".join(DEFAULT_SET) + "," + args.params[1:]
    names = [n.strip() for n in args.params.split(",") if n.strip()]
    unknown = [n for n in names if n not in PARAM_BY_NAME]
    if unknown:
        ap.error(f"unknown parameters {unknown}; known: {', '.join(PARAM_BY_NAME)}")
    json_path = args.json or (DEFAULT_JSON if args.out == DEFAULT_OUT else args.out.with_suffix(".json"))
    t_start = time.monotonic()
    commit = git_commit()  # at the start: the code the run used, if the binary was built from it
    version = binary.version(args.binary)
    months = month_range(FIT_FIRST, FIT_LAST)
    seeds = [args.seed + i for i in range(args.replicates)]
    work = Path(tempfile.mkdtemp(prefix="corridor-cal-"))
    try:
        cfg = RunConfig(args.binary, args.scale, seeds, args.jobs, work)
        sim = Simulator(cfg, months)
        # The first run is at the default values (the targets need its sector labels); it gives the
        # loss before calibration (rates as in defaults.yaml) and, with the rates profiled, the start.
        v0 = {n: defaults.value(n) for n in names}
        first_cube = sim(settings_for(v0, defaults.base, defaults))
        prev_base = None
        if args.start_json:
            prev = json.loads(args.start_json.read_text())
            for k, val in prev["best"]["values"].items():
                for name in [k] + LEGACY_PARAMS.get(k, []):
                    if name in v0 and (name == k or name not in prev["best"]["values"]):
                        v0[name] = float(val)
            prev_base = np.array(prev["base_per_day"], float)
        for item in filter(None, (x.strip() for x in args.start.split(","))):
            k, _, val = item.partition("=")
            if k not in v0:
                ap.error(f"--start: '{k}' is not a fitted parameter ({', '.join(names)})")
            v0[k] = float(val)
        targets = Targets(months, sim.labels["sector"])
        cal = Calibration(names, sim, targets, defaults, log=lambda m: print(m, flush=True),
                          pilot_scale=None if args.no_pilot else args.scale * PILOT_FRACTION,
                          deadline=None if args.max_minutes is None else t_start + 60 * args.max_minutes)
        d, s = split_cube(first_cube)
        before = loss_terms(np.zeros(12), d, s, targets)
        print(f"loss at the default values: {before['loss']:.4f} (A {before['A']:.4f} B {before['B']:.4f} "
              f"C {before['C']:.4f} D {before['D']:.4f})", flush=True)
        # The start is evaluated like every candidate (pilot-set volumes), so that its Monte Carlo
        # noise, which adds to the loss, is comparable with theirs.
        if prev_base is not None:
            cal.sim_base = prev_base
        start = cal.evaluate(v0, note="start, rates profiled")
        x0 = np.array([p.to_x(v0[p.name]) for p in cal.params])
        stopped = None
        try:
            x0 = cal.screen(x0, args.screen, args.screen_width, args.seed)
            cal.nelder_mead(x0, args.max_evals, args.step, args.restarts)
        except SearchStopped:
            stopped = f"time budget of {args.max_minutes:g} min spent"
        except KeyboardInterrupt:
            stopped = "interrupted"
        if stopped:
            print(f"search stopped ({stopped}) after {len(cal.history)} evaluations; best so far "
                  f"{cal.best['loss']:.4f}", flush=True)
            cal.deadline = None
            if args.max_minutes is not None and time.monotonic() > t_start + 60 * args.max_minutes:
                args.no_hessian = True
        best = cal.best
        base = defaults.base * np.exp(np.array(best["logk"])).reshape(4, 3)
        # Standard errors (rough; see docs/calibration.md): the loss read as -2/N log-likelihood of
        # independent Gaussian log residuals with variance = the loss itself.
        se = {}
        if not args.no_hessian:
            detail, sec, lk_best = cal._best_output
            n_cells = int(targets.mask.sum())
            f_in = lambda lk: loss_terms(lk, detail, sec, targets)["loss"]
            H = numerical_hessian(f_in, lk_best, np.full(12, 0.05))
            cov = np.linalg.pinv(H) * 2 * best["loss"] / n_cells
            se_logk = np.sqrt(np.clip(np.diag(cov), 0, None))
            se["base_per_day_log"] = se_logk.tolist()
            xb = np.array([p.to_x(best["values"][p.name]) for p in cal.params])
            h = 0.3
            se_outer = {}
            # The best point won a selection among noisy evaluations; a fresh run of it is the fair centre.
            f0 = cal.evaluate(best["values"], note="hessian centre", track_best=False)["loss"]
            for i, p in enumerate(cal.params):
                fp = cal.evaluate(cal.values(xb + h * np.eye(len(xb))[i]), note=f"hessian +{p.name}",
                                  track_best=False)["loss"]
                fmn = cal.evaluate(cal.values(xb - h * np.eye(len(xb))[i]), note=f"hessian -{p.name}",
                                   track_best=False)["loss"]
                curv = (fp - 2 * f0 + fmn) / h ** 2
                if curv > 0:
                    sx = math.sqrt(2 * best["loss"] / n_cells / curv)
                    lo, hi = p.from_x(xb[i] - sx), p.from_x(xb[i] + sx)
                    se_outer[p.name] = {"x_se": sx, "range_1se": [lo, hi], "curvature": curv}
                else:
                    se_outer[p.name] = {"x_se": None, "range_1se": None, "curvature": curv}
            se["outer"] = se_outer
        wall = time.monotonic() - t_start
        info = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "commit": commit, "binary": version,
                "command": sys.argv[1:] if argv is None else list(argv),
                "sha_cbp": sha256(CBP_FILE), "sha_sector": sha256(SECTOR_FILE),
                "loss_before": before["loss"], "evals": len(cal.history), "scale": args.scale, "seeds": seeds,
                "wall_s": wall, "search_stopped": stopped}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_scenario(args.out, best, base, info, defaults)
        validate(args.binary, args.out)
        record = {
            **info, "scenario": str(args.out), "params": names, "start_values": v0,
            "start_json": str(args.start_json) if args.start_json else None,
            "start_base_per_day": prev_base.tolist() if prev_base is not None else None,
            "param_specs": {p.name: {"default": p.default, "lo": p.lo, "hi": p.hi, "scale": p.scale, "doc": p.doc}
                            for p in cal.params},
            "loss_definition": {"eps": EPS, "eps_share": EPS_SHARE, "sector_weight": SECTOR_WEIGHT,
                                "share_scale": SHARE_SCALE, "mpp_periods": MPP_PERIODS,
                                "fit_months": [FIT_FIRST, FIT_LAST], "title42_from": TITLE42_FIRST},
            "before": before, "start": {k: start[k] for k in ("A", "B", "C", "D", "loss")},
            "best": best, "base_per_day": base.tolist(), "default_base_per_day": defaults.base.tolist(),
            "standard_errors": se, "replicates": args.replicates, "max_evals": args.max_evals,
            "history": [{k: h[k] for k in ("eval", "note", "loss", "A", "B", "C", "D", "seconds")} for h in cal.history],
        }
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(record, indent=1) + "\n")
        print(f"loss: default values {before['loss']:.4f}, start with profiled rates {start['loss']:.4f}, "
              f"best {best['loss']:.4f} after {len(cal.history)} evaluations, {wall / 60:.1f} min")
        print(f"wrote {args.out} and {json_path}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
