#!/usr/bin/env -S /usr/bin/python3
"""scripts/plot_encounters.py draws monthly encounters of a corridor run and prints the PNG path.

A short, reduced-scale run of defaults.yaml (5 % of departures, October 2018 to mid-March 2019)
checks that the monthly sums add up to the series over the whole months, that the partial
last month is left out and named, that counts are divided by model_scale, and that a
result without an `encounters` series exits 2.
"""
import subprocess
import sys
import unittest

import harness
import plot_encounters

SCRIPT = harness.SOURCE / "scripts/plot_encounters.py"


def plot(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


class PlotEncounters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("plot_encounters")
        cls.result = cls.dir / "defaults.h5"
        harness.run("scenarios/defaults.yaml", cls.result, "--threads", "2", "--set", "corridor.scale=0.05",
                    "--set", "end=2019-03-15", "--set", "output.events=false", "--set", "output.agents=false")

    def test_default_output_is_beside_the_result(self):
        p = plot(self.result)
        self.assertEqual(p.returncode, 0, p.stderr)
        expected = self.dir / "defaults-encounters.png"
        self.assertEqual(p.stdout.strip(), str(expected))
        data = expected.read_bytes()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(data), 20_000, "suspiciously small for two panels")

    def test_months_add_up_and_the_partial_month_is_left_out(self):
        import corridor_io
        r = corridor_io.load(self.result)
        frame = r.series("encounters")
        self.assertGreater(frame["value"].sum(), 0, "the run encountered nobody: the test checks nothing")
        whole = frame[frame["date"] < "2019-03-01"]
        for by in ("nationality", "title"):
            wide, partial = plot_encounters.monthly(frame, by, r.calendar)
            self.assertEqual(partial, ["2019-03"])
            self.assertEqual([str(m.date()) for m in wide.index],
                             ["2018-10-01", "2018-11-01", "2018-12-01", "2019-01-01", "2019-02-01"])
            self.assertEqual(int(wide.to_numpy().sum()), int(whole["value"].sum()))
        wide, _ = plot_encounters.monthly(frame, "title", r.calendar)
        self.assertEqual(int(wide["Title 42"].sum()), 0, "Title 42 began in March 2020")
        self.assertAlmostEqual(float(r.attrs["model_scale"]), 0.05)

    def test_a_result_without_encounters_exits_2(self):
        other = self.dir / "markov.h5"
        harness.run("scenarios/markov_demo.yaml", other, "--set", "markov.initial.0.agents=100",
                    "--set", "markov.initial.1.agents=100")
        p = plot(other, "--out", self.dir / "x.png")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no 'encounters' series", p.stderr)
        self.assertFalse((self.dir / "x.png").exists())
        p = plot(self.dir / "missing.h5")
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
