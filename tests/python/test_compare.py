#!/usr/bin/env -S /usr/bin/python3
"""scripts/compare.py on a small corridor sweep (Title 42 on/off x aid 0/4 bn, 2 replicates,
common random numbers, 1 % scale, October 2018 to June 2020): the tidy CSV has one row per scenario,
outcome, category and month plus a total, with mean and 5-95 % band over the runs; the
Markdown table compares every scenario with the baseline; the plots are PNG files.

The aid starts on 2021-07-29, after this run's end, so the aid scenarios equal their no-aid
counterparts run for run: their paired differences must be exactly zero. Without Title 42 no
one is expelled. Entries to the US are releases plus undetected entries, summed from the series.

Over a design (two parameter points x two scenarios, seeds per point, as the policy matrix runs
over the posterior ensemble) the differences are paired by point and replicate, each scenario's
band spans the points, and the effects table is printed.
"""
import subprocess
import sys
import unittest

import numpy as np
import pandas as pd

import corridor_io
import harness

SWEEP = """\
name: compare_test
base: {base}
seed: 11
seeds: per_replicate
replicates: 2
set:
  end: 2020-06-30
  corridor.scale: 0.01
  output.events: false
  output.agents: false
grid:
  - axis: title42
    levels:
      - {{name: "on"}}
      - {{name: "off", set: {{corridor.us.title42.enabled: false}}}}
  - axis: aid
    levels:
      - {{name: "0"}}
      - {{name: 4bn, set: {{corridor.aid.amount_usd: 4.0e9}}}}
"""
SCRIPT = harness.SOURCE / "scripts" / "compare.py"


def compare(*args, check=True):
    p = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=240)
    if check and p.returncode != 0:
        raise AssertionError(f"compare.py exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


class Compare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("compare")
        f = cls.dir / "sweep.yaml"
        f.write_text(SWEEP.format(base=harness.SOURCE / "scenarios/defaults.yaml"))
        cls.sweep = cls.dir / "sweep"
        subprocess.run([str(harness.BIN), "sweep", str(f), "--out", str(cls.sweep), "--jobs", "2"], check=True,
                       capture_output=True, timeout=300)
        cls.out = cls.dir / "cmp"
        cls.p = compare(cls.sweep, "--out", cls.out)
        cls.csv = pd.read_csv(cls.out / "outcomes.csv", dtype={"period": str})

    def test_the_tidy_csv_aggregates_replicates_per_scenario_outcome_category_and_month(self):
        c = self.csv
        self.assertEqual(list(c.columns), ["scenario", "outcome", "nationality", "title", "period", "unit", "runs",
                                           "mean", "p05", "p95"])
        self.assertEqual(set(c["scenario"]), {"title42=on,aid=0", "title42=on,aid=4bn", "title42=off,aid=0",
                                              "title42=off,aid=4bn"})
        self.assertEqual(set(c["outcome"]), {"encounters", "unique_encountered", "entries_us", "expulsions",
                                             "repeat_encounters", "mx_apprehensions", "waiting_at_border",
                                             "transit_days"})
        self.assertTrue((c["runs"] == 2).all())
        self.assertTrue((c["p05"] <= c["mean"] + 1e-9).all() and (c["mean"] <= c["p95"] + 1e-9).all())
        enc = c[(c["outcome"] == "encounters") & (c["scenario"] == "title42=on,aid=0")]
        self.assertEqual(set(enc["nationality"]), {"all", "Mexico", "Guatemala", "Honduras", "El Salvador"})
        self.assertEqual(set(enc["title"]), {"all", "Title 8", "Title 42"})
        months = enc[(enc["nationality"] == "all") & (enc["title"] == "all")].set_index("period")["mean"]
        self.assertEqual(len(months), 22)  # Oct 2018 .. Jun 2020, and the total
        self.assertAlmostEqual(months.drop("total").sum(), months["total"], delta=1e-6 * months["total"])
        by_nat = enc[(enc["period"] == "total") & (enc["title"] == "all") & (enc["nationality"] != "all")]["mean"]
        self.assertAlmostEqual(by_nat.sum(), months["total"], delta=1e-6 * months["total"])

    def test_counts_are_real_population_numbers_unless_asked_otherwise(self):
        out = self.dir / "raw"
        compare(self.sweep, "--out", out, "--no-rescale", "--no-plots")
        raw = pd.read_csv(out / "outcomes.csv", dtype={"period": str})
        key = ["scenario", "outcome", "nationality", "title", "period"]
        m = self.csv.merge(raw, on=key, suffixes=("", "_raw"))
        counts = m[m["outcome"] == "encounters"]
        np.testing.assert_allclose(counts["mean"], counts["mean_raw"] / 0.01, rtol=1e-9)
        days = m[m["outcome"] == "transit_days"]
        np.testing.assert_allclose(days["mean"], days["mean_raw"], rtol=1e-12)

    def test_the_markdown_table_gives_paired_differences_from_the_baseline(self):
        md = (self.out / "differences.md").read_text()
        self.assertIn("# Scenario differences from `title42=on,aid=0`", md)
        self.assertIn("paired by design point and replicate", md)
        for sc in ("title42=on,aid=4bn", "title42=off,aid=0", "title42=off,aid=4bn"):
            self.assertIn(f"## {sc}", md)
        # Aid that starts after the run's end changes nothing, run for run.
        section = md.split("## title42=on,aid=4bn")[1].split("## ")[0]
        rows = [ln for ln in section.splitlines() if ln.startswith("| encounters | all | all")]
        self.assertEqual(len(rows), 1)
        self.assertIn("| 0.0 [0.0, 0.0] | +0.0 |", rows[0])
        off = self.csv[(self.csv["scenario"] == "title42=off,aid=0") & (self.csv["outcome"] == "expulsions")]
        self.assertTrue((off["mean"] == 0).all())

    def test_entries_are_releases_plus_undetected_entries(self):
        idx = pd.read_csv(self.sweep / "index.csv")
        run = idx[idx["scenario"] == "title42=on,aid=0"].iloc[0]
        r = corridor_io.load(self.sweep / run["output"])
        total = sum(float(r.series_array(s)[0].sum()) for s in ("releases", "undetected_entries")) / 0.01
        per_run = []
        for _, row in idx[idx["scenario"] == "title42=on,aid=0"].iterrows():
            rr = corridor_io.load(self.sweep / row["output"])
            per_run.append(sum(float(rr.series_array(s)[0].sum()) for s in ("releases", "undetected_entries")) / 0.01)
        self.assertIn(total, per_run)
        e = self.csv[(self.csv["scenario"] == "title42=on,aid=0") & (self.csv["outcome"] == "entries_us")
                     & (self.csv["period"] == "total")]
        self.assertAlmostEqual(float(e["mean"].iloc[0]), float(np.mean(per_run)), delta=1e-6 * total)
        self.assertIn("| title42=off,aid=0 |", self.p.stdout)
        self.assertIn("unique_encountered", self.p.stdout)

    def test_plots_are_written_as_png(self):
        pngs = sorted(p.name for p in (self.out / "plots").iterdir())
        self.assertIn("encounters.png", pngs)
        self.assertIn("encounters_by_title.png", pngs)
        for name in pngs:
            self.assertEqual((self.out / "plots" / name).read_bytes()[:8], b"\x89PNG\r\n\x1a\n")

    def test_from_and_to_restrict_every_figure_to_those_days(self):
        out = self.dir / "window"
        compare(self.sweep, "--out", out, "--from", "2019-01-01", "--to", "2019-12-31", "--no-plots")
        w = pd.read_csv(out / "outcomes.csv", dtype={"period": str})
        enc = w[(w["outcome"] == "encounters") & (w["scenario"] == "title42=on,aid=0") & (w["nationality"] == "all")
                & (w["title"] == "all")].set_index("period")["mean"]
        self.assertEqual(sorted(enc.index), [f"2019-{m:02d}" for m in range(1, 13)] + ["total"])
        full = self.csv[(self.csv["outcome"] == "encounters") & (self.csv["scenario"] == "title42=on,aid=0")
                        & (self.csv["nationality"] == "all") & (self.csv["title"] == "all")].set_index("period")["mean"]
        np.testing.assert_allclose(enc.drop("total").to_numpy(), full[enc.drop("total").index].to_numpy())
        self.assertAlmostEqual(enc["total"], enc.drop("total").sum(), delta=1e-6 * enc["total"])
        self.assertIn("Totals over the days from 2019-01-01 to 2019-12-31", (out / "differences.md").read_text())
        p = compare(self.sweep, "--out", out, "--from", "soon", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--from 'soon': expected a date", p.stderr)

    def test_an_unknown_baseline_or_a_directory_without_an_index_exits_2(self):
        p = compare(self.sweep, "--baseline", "nope", "--no-plots", "--out", self.dir / "x", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--baseline 'nope'", p.stderr)
        p = compare(self.dir / "cmp", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("index.csv: not found", p.stderr)


DESIGN_SWEEP = """\
name: compare_design
base: {base}
seed: 12
seeds: per_point
replicates: 1
set:
  end: 2019-12-31
  corridor.scale: 0.01
  output.events: false
  output.agents: false
design: points.csv
scenarios:
  - {{name: as_is}}
  - {{name: fewer_families, set: {{corridor.departures.base_per_day.GT.family: 38}}}}
"""


class CompareOverADesign(unittest.TestCase):
    def test_paired_by_point_with_bands_over_the_points(self):
        d = harness.scratch("compare_design")
        (d / "points.csv").write_text("point,corridor.perception.gamma.family\nlow,0.5\nhigh,5\n")
        (d / "sweep.yaml").write_text(DESIGN_SWEEP.format(base=harness.SOURCE / "scenarios/defaults.yaml"))
        subprocess.run([str(harness.BIN), "sweep", str(d / "sweep.yaml"), "--out", str(d / "sweep"), "--jobs", "2"],
                       check=True, capture_output=True, timeout=300)
        p = compare(d / "sweep", "--out", d / "cmp", "--no-plots")
        md = (d / "cmp" / "differences.md").read_text()
        self.assertIn("paired by design point and replicate", md)
        self.assertIn("2 points: parameter uncertainty", md)
        self.assertIn("Effects", p.stdout)
        self.assertIn("| fewer_families |", p.stdout)
        self.assertIn("compare: 2 scenarios, 4 runs;", p.stdout)  # 2 scenarios x 2 points x 1 replicate
        c = pd.read_csv(d / "cmp" / "outcomes.csv", dtype={"period": str})
        tot = c[(c["outcome"] == "encounters") & (c["nationality"] == "all") & (c["title"] == "all")
                & (c["period"] == "total")].set_index("scenario")
        self.assertEqual(int(tot.loc["as_is", "runs"]), 2)
        # the band spans the two parameter points, whose encounters differ
        self.assertGreater(tot.loc["as_is", "p95"], tot.loc["as_is", "p05"])
        # fewer Guatemalan families (a tenth of the declared rate) lower encounters at both points
        self.assertLess(tot.loc["fewer_families", "mean"], tot.loc["as_is", "mean"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
