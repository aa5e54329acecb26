#!/usr/bin/python3
"""Flee's published cases (scenarios/flee) run from the shipped folders and match the reference.

The four cases of Flee's repository that the project ships (Mali 2012, Ethiopia 2020, South
Sudan 2014, Syria 2013) run through the binary on one thread, and their mean ARD over a few
seeds is checked twice:

1. against the reference implementation's figure (docs/flee-rules.md), within the project's acceptance
   band of 0.02 (issue 15: a 10-seed mean within 0.02 of the reference; the band also holds the
   reference's own run-to-run spread of about +-0.01) widened by the sampling error of a k-seed
   mean, 3 sd / sqrt(k);
2. against this implementation's own 10-seed mean of the same setting (seeds 1-10, stored
   below, from `scripts/flee_validate.py`; docs/flee.md §7), within 6 standard errors of the
   difference of a k-seed and a 10-seed mean, 6 sd sqrt(1/k + 1/10). Six, not three, because
   sd itself comes from 10 seeds (at 95 % the true spread can be 1.8 times larger). This is the
   sharp check: it fails when the rules change, which the 0.02 band would let pass.

The test runs seeds 11 and up, independent of the stored ones. To stay fast (well under a
minute of CPU) it runs Mali and Ethiopia in full (300 and 146 days, under a second each),
South Sudan in full (604 days, 168 M agent-steps, about 2 s), and Syria (1095 days, 2.4 G
agent-steps, about 15 s in full) with `hasten: 10`, which divides populations, capacities
and counts by 10. Comparing the hastened Syria with the reference's full-scale figure is
justified by measurement: over seeds 1-10, hasten 10 gives 0.2697 +- 0.0009 (rescaled
0.2825 +- 0.0011) against 0.2701 +- 0.0003 (0.2830 +- 0.0003) at full scale, a difference
below one sd (docs/flee.md §7). The full 10-seed validation of every case at full scale is
scripts/flee_validate.py.

Also checked: each case runs from its folders with `run --flee` as shipped (no edits), South
Sudan's empty header cell gives exactly one warning naming conflicts.csv:1:53, and
`--flee-strict` turns it into exit 2 with nothing written.
Environment (set by ctest): CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP.
"""
import math
import os
import shutil
import statistics
import subprocess
import unittest

from corridor_io import flee

BIN = os.environ.get("CORRIDOR_BIN", "build/corridor")
SRC = os.environ.get("CORRIDOR_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TMP = os.path.join(os.environ.get("CORRIDOR_TMP", "/tmp"), "flee_cases")
FLEE = os.path.join(SRC, "scenarios", "flee")

# case: (input folder, data folder, settings for this test, seeds, camps in out.csv,
#        reference (plain, rescaled), own 10-seed figures ((mean, sd) plain, (mean, sd) rescaled))
CASES = {
    "mali2012": ("mali", [], 3, 7, (0.38, 0.32), ((0.3810, 0.0006), (0.3174, 0.0009))),
    "ethiopia2020": ("ethiopia", [], 3, 9, (1.410, 1.697), ((1.4095, 0.0019), (1.6978, 0.0027))),
    "ssudan2014": ("ssudan", [], 2, 10, (0.487, 0.571), ((0.4969, 0.0005), (0.5751, 0.0014))),
    "syria2013": ("syria", ["--set", "flee.optimisations.hasten=10"], 2, 4, (0.263, 0.275),
                  ((0.2697, 0.0009), (0.2825, 0.0011))),
}
FIRST_TEST_SEED = 11
BAND = 0.02


def run(args, expect=0):
    p = subprocess.run([BIN, "run", "--quiet"] + args, capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"exit {p.returncode} (expected {expect}) for {args}\n{p.stderr}")
    return p


class FleeCases(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(TMP, ignore_errors=True)
        os.makedirs(TMP)
        cls.results = {}
        cls.stderr = {}
        for case, (_, settings, seeds, _, _, _) in CASES.items():
            runs = []
            for seed in range(FIRST_TEST_SEED, FIRST_TEST_SEED + seeds):
                out = os.path.join(TMP, f"{case}_{seed}.h5")
                p = run([os.path.join(FLEE, f"{case}.yaml"), "--out", out, "--seed", str(seed), "--threads", "1",
                         "--set", "output.events=false", "--set", "output.agents=false"] + settings)
                cls.stderr[(case, seed)] = p.stderr
                fit = flee.ard(out.replace(".h5", ".out.csv"))
                runs.append((fit.plain, fit.rescaled, fit.camps))
            cls.results[case] = runs

    def test_every_case_compares_each_camp_of_its_network(self):
        for case, (_, _, _, camps, _, _) in CASES.items():
            with self.subTest(case=case):
                self.assertEqual(len(self.results[case][0][2]), camps)

    def test_mean_ard_is_within_the_band_of_the_reference(self):
        for case, (_, _, seeds, _, reference, own) in CASES.items():
            for i, name in enumerate(("plain", "rescaled")):
                with self.subTest(case=case, ard=name):
                    mean = statistics.fmean(r[i] for r in self.results[case])
                    tol = BAND + 3 * own[i][1] / math.sqrt(seeds)
                    self.assertLessEqual(abs(mean - reference[i]), tol,
                                         f"{case}: ARD {name} {mean:.4f}, reference {reference[i]}")

    def test_mean_ard_agrees_with_the_stored_ten_seed_figures(self):
        for case, (_, _, seeds, _, _, own) in CASES.items():
            for i, name in enumerate(("plain", "rescaled")):
                with self.subTest(case=case, ard=name):
                    mean = statistics.fmean(r[i] for r in self.results[case])
                    stored, sd = own[i]
                    tol = 6 * sd * math.sqrt(1 / seeds + 1 / 10)
                    self.assertLessEqual(abs(mean - stored), tol,
                                         f"{case}: ARD {name} {mean:.4f} over seeds {FIRST_TEST_SEED}+, "
                                         f"stored {stored} +- {sd}")

    def test_south_sudan_warns_once_about_the_empty_header_cell(self):
        err = self.stderr[("ssudan2014", FIRST_TEST_SEED)]
        warnings = [line for line in err.splitlines() if line.startswith("warning:")]
        self.assertEqual(len(warnings), 1, err)
        self.assertRegex(warnings[0], r"ssudan/conflicts\.csv:1:53: ignored an empty header cell")
        for case in ("mali2012", "ethiopia2020", "syria2013"):
            self.assertNotIn("warning:", self.stderr[(case, FIRST_TEST_SEED)])

    def test_every_case_runs_from_its_folders_as_shipped(self):
        for case, (folder, _, _, _, _, _) in CASES.items():
            with self.subTest(case=case):
                out = os.path.join(TMP, f"folders_{case}.h5")
                run(["--flee", os.path.join(FLEE, folder), "--flee-data", os.path.join(FLEE, case), "--flee-settings",
                     os.path.join(FLEE, "simsetting.yml"), "--out", out, "--threads", "1",
                     "--set", "flee.optimisations.hasten=100", "--set", "output.events=false"])
                self.assertTrue(os.path.exists(out.replace(".h5", ".out.csv")))

    def test_strict_mode_refuses_what_the_reference_ignores(self):
        out = os.path.join(TMP, "strict.h5")
        p = run(["--flee", os.path.join(FLEE, "ssudan"), "--flee-data", os.path.join(FLEE, "ssudan2014"),
                 "--flee-settings", os.path.join(FLEE, "simsetting.yml"), "--flee-strict", "--out", out], expect=2)
        self.assertRegex(p.stderr, r"ssudan/conflicts\.csv:1:53: an empty header cell \(it names no column\)")
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out.replace(".h5", ".out.csv")))
        p = run([os.path.join(FLEE, "ssudan2014.yaml"), "--set", "flee.strict=true", "--out", out], expect=2)
        self.assertRegex(p.stderr, r"conflicts\.csv:1:53")
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
