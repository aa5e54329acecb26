#!/usr/bin/env -S /usr/bin/python3
"""scripts/plot_run.py writes a PNG of a run's series and prints its path.

Checks the default and explicit output names, that the lines it draws (top labels plus
"other") add up to the series total every day, and that bad requests exit 2 with a message.
"""
import subprocess
import sys
import unittest

import numpy as np

import harness
import plot_run

SCRIPT = harness.SOURCE / "scripts/plot_run.py"


def plot(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


class PlotRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("plot_run")
        cls.result = cls.dir / "demo.h5"
        harness.run("scenarios/markov_demo.yaml", cls.result, "--set", "markov.initial.0.agents=3000",
                    "--set", "markov.initial.1.agents=2000")

    def assert_png(self, path):
        data = path.read_bytes()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
        self.assertGreater(len(data), 10_000, f"{path} is suspiciously small")

    def test_default_plot_is_occupancy_beside_the_result(self):
        p = plot(self.result)
        self.assertEqual(p.returncode, 0, p.stderr)
        expected = self.dir / "demo-occupancy.png"
        self.assertEqual(p.stdout.strip(), str(expected))
        self.assert_png(expected)

    def test_explicit_series_and_output(self):
        out = self.dir / "sub" / "arrivals.png"
        p = plot(self.result, "--series", "arrivals", "--top", "3", "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), str(out))
        self.assert_png(out)

    def test_drawn_lines_add_up_to_the_total(self):
        import corridor_io
        frame = corridor_io.load(self.result).series("occupancy")
        total = frame.groupby("date")["value"].sum()
        for top in (1, 5, 24, 100):
            lines = plot_run.lines_to_draw(frame, "node", top)
            self.assertEqual(len(lines), min(top, 24) + (1 if top < 24 else 0))
            drawn = sum(s for _, s, _ in lines)
            np.testing.assert_array_equal(drawn.to_numpy(), total.to_numpy())
            self.assertEqual([rest for _, _, rest in lines].count(True), 1 if top < 24 else 0)
        self.assertTrue((total == 5000).all())

    def test_bad_requests_exit_2_with_a_message(self):
        p = plot(self.result, "--series", "nope", "--out", self.dir / "x.png")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no series 'nope'", p.stderr)
        p = plot(self.result, "--by", "sector", "--out", self.dir / "x.png")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no dimension 'sector'", p.stderr)
        p = plot(self.dir / "missing.h5")
        self.assertEqual(p.returncode, 2)
        self.assertFalse((self.dir / "x.png").exists())


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
