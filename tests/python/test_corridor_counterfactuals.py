#!/usr/bin/env -S /usr/bin/python3
"""Counterfactual directions of the corridor model (issue 3, item 11).

Every run is defaults.yaml at 5% scale over FY2019-FY2021 (about 200,000 parties, 1 s each)
with the scenario's seed, so the runs share their random numbers (common random numbers): a
counterfactual is identical to the defaults run until its policy first differs, which the tests
check exactly, and after that the difference is the policy's effect plus noise. Checks:

- without Title 42: no expulsions, no Title 42 encounters, and fewer repeat encounters;
- with an enforcement surge in Mexico (interception tripled from 2020-01-01): identical before,
  more apprehensions by Mexico after;
- with aid (4 billion USD, disbursed over 30 days from the aid start 2021-07-29): identical
  before the start, fewer departures from the Northern Triangle once it is disbursed;
- without MPP: no MPP returns (the defaults run has thousands).

Why the margins are robust. Over five seeds (2019, 1, 2, 3, 4) the measured totals were:
repeat encounters, defaults 56,509-57,592 (sd ~400), without Title 42 18,543-19,238: ratio
0.32-0.34, required < 0.6. Apprehensions by Mexico from 2020-01-01, defaults
31,353-32,457 (sd ~450), with the surge 88,008-89,617: ratio 2.74-2.83, required > 1.5.
Northern Triangle departures from 2021-08-28 (aid fully disbursed), defaults 8,051-8,325
(sd ~110), with aid 6,320-6,535: ratio 0.78-0.79, required < 0.9 (the aid factor
exp(-0.002 x aid per head) is 0.83 for Guatemala, 0.76 for Honduras, 0.72 for El Salvador).
MPP returns, defaults 11,801-12,166, required > 1,000. Every required ratio lies more than
20 seed-to-seed standard deviations of the measured ratio (0.004, 0.03, 0.005) away from it.
"""
import os
import sys
import unittest

import numpy as np

import harness
import corridor_io

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see test_corridor_determinism.py

COMMON = ("--threads", "1", "--set", "corridor.scale=0.05", "--set", "end=2021-09-30",
          "--set", "output.events=false", "--set", "output.agents=false")


def schedule(*points):
    """A --set value for a schedule: points (date, value)."""
    return "[" + ", ".join(f"{{date: {d}, value: {v}}}" for d, v in points) + "]"


SURGE_DATE = "2020-01-01"
# The default interception schedules (models/corridor/parameters.cpp), tripled from SURGE_DATE.
SURGE = []
for key, points in {
    "crossing.single_adult": [("2018-10-01", 0.04), ("2019-06-07", 0.09), (SURGE_DATE, 0.27)],
    "crossing.family": [("2018-10-01", 0.03), ("2019-06-07", 0.07), (SURGE_DATE, 0.21), ("2021-03-19", 0.42)],
    "crossing.child": [("2018-10-01", 0.03), ("2019-06-07", 0.07), (SURGE_DATE, 0.21), ("2021-03-19", 0.48)],
    "checkpoint.single_adult": [("2018-10-01", 0.010), ("2019-06-07", 0.020), (SURGE_DATE, 0.06)],
    "checkpoint.family": [("2018-10-01", 0.008), ("2019-06-07", 0.016), (SURGE_DATE, 0.048), ("2021-03-19", 0.09)],
    "checkpoint.child": [("2018-10-01", 0.008), ("2019-06-07", 0.016), (SURGE_DATE, 0.048), ("2021-03-19", 0.105)],
}.items():
    SURGE += ["--set", f"corridor.mexico.interception.{key}={schedule(*points)}"]

VARIANTS = {
    "defaults": [],
    "no_title42": ["--set", "corridor.us.title42.enabled=false"],
    "surge": SURGE,
    "aid": ["--set", "corridor.aid.amount_usd=4e9", "--set", "corridor.aid.ramp_days=30"],
    "no_mpp": ["--set", "corridor.us.mpp.enabled=false"],
}
NORTHERN_TRIANGLE_ORIGINS = ["GUA", "SPS", "TGU", "SAL"]


class CorridorCounterfactuals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = harness.scratch("corridor_counterfactuals")
        cls.r = {}
        for name, extra in VARIANTS.items():
            path = d / f"{name}.h5"
            harness.run("scenarios/defaults.yaml", path, *COMMON, *extra)
            cls.r[name] = corridor_io.load(path)

    def total(self, variant, series, since=None, until=None, **where):
        s = self.r[variant].series(series)
        if since is not None:
            s = s[s["date"] >= since]
        if until is not None:
            s = s[s["date"] < until]
        for dim, labels in where.items():
            s = s[s[dim].isin(labels)]
        return int(s["value"].sum())

    def identical_until(self, variant, date):
        """Every series of `variant` equals the defaults run's on the days before `date`."""
        base, other = self.r["defaults"], self.r[variant]
        day = int((base.calendar["date"] < date).sum())
        self.assertGreater(day, 0)
        for name in base.series_names():
            a, _ = base.series_array(name)
            b, _ = other.series_array(name)
            np.testing.assert_array_equal(a[:day], b[:day], err_msg=f"{variant}: series {name} before {date}")
        return day

    def test_without_title42_there_are_no_expulsions_and_fewer_repeat_encounters(self):
        self.assertGreater(self.total("defaults", "expulsions"), 10000)
        self.assertEqual(self.total("no_title42", "expulsions"), 0)
        self.assertEqual(self.total("no_title42", "encounters", title=["Title 42"]), 0)
        self.identical_until("no_title42", "2020-03-20")
        base, cf = self.total("defaults", "repeat_encounters"), self.total("no_title42", "repeat_encounters")
        print(f"  repeat encounters: defaults {base}, without Title 42 {cf} (ratio {cf / base:.2f})")
        self.assertLess(cf, 0.6 * base)

    def test_an_enforcement_surge_in_mexico_raises_apprehensions_by_mexico(self):
        self.identical_until("surge", SURGE_DATE)
        base = self.total("defaults", "mx_apprehensions", since=SURGE_DATE)
        cf = self.total("surge", "mx_apprehensions", since=SURGE_DATE)
        print(f"  apprehensions by Mexico from {SURGE_DATE}: defaults {base}, surge {cf} (ratio {cf / base:.2f})")
        self.assertGreater(cf, 1.5 * base)

    def test_departures_fall_once_aid_is_disbursed(self):
        self.identical_until("aid", "2021-07-29")  # the documented default aid.start
        since = "2021-08-28"  # aid start + 30-day ramp: fully disbursed
        base = self.total("defaults", "departures", since=since, origin=NORTHERN_TRIANGLE_ORIGINS)
        cf = self.total("aid", "departures", since=since, origin=NORTHERN_TRIANGLE_ORIGINS)
        print(f"  Northern Triangle departures from {since}: defaults {base}, with aid {cf} (ratio {cf / base:.2f})")
        self.assertGreater(base, 2000)
        self.assertLess(cf, 0.9 * base)

    def test_without_mpp_there_are_no_mpp_returns(self):
        self.assertGreater(self.total("defaults", "mpp_returns"), 1000)
        self.assertEqual(self.total("no_mpp", "mpp_returns"), 0)
        self.identical_until("no_mpp", "2019-01-29")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
