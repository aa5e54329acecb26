#!/usr/bin/env -S /usr/bin/python3
"""scripts/report.py: the HTML report of a run and of a sweep (corridor_io.report).

Without a browser: the page is one self-contained file (plotly.js inside, nothing loaded from
elsewhere); the map's frames follow the run's occupancy and edge_flows series; the encounter
panels add up to the run's monthly encounters; a sweep's page has a band per scenario; bad
input exits 2. In a real browser (headless Chromium through the DevTools protocol,
tests/python/browser.py): the sweep's page, which holds every figure, loads with no
JavaScript error and asks for nothing but itself (and data: URLs), the map has one marker per
node, and clicking the date slider moves the map. The browser part is skipped, saying so, only
where chromium is not installed (scripts/test installs it).
"""
import os
import re
import subprocess
import sys
import unittest

import numpy as np

import corridor_io
import harness
from browser import Browser, BrowserMissing
from corridor_io import report
from corridor_io.monthly import MonthlyRun

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

SCRIPT = harness.SOURCE / "scripts" / "report.py"
RUN_ARGS = ("--set", "corridor.scale=0.01", "--set", "end=2019-03-31", "--set", "output.events=false",
            "--set", "output.agents=false", "--threads", "2")
SWEEP = """name: report_test
base: {base}
seed: 11
replicates: 2
set:
  corridor.scale: 0.005
  end: 2019-01-31
  output.events: false
  output.agents: false
grid:
  - axis: mexico
    levels:
      - {{name: calibrated}}
      - name: lenient
        set: {{corridor.mexico.enabled: false}}
"""


def report_py(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(harness.SOURCE / "scripts"))
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=600)


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("report")
        cls.result = cls.dir / "baseline.h5"
        harness.run("scenarios/defaults.yaml", cls.result, *RUN_ARGS)
        cls.page = cls.dir / "baseline.html"
        p = report_py(cls.result, "--out", cls.page)
        assert p.returncode == 0, p.stderr
        sweep_file = cls.dir / "sweep.yaml"
        sweep_file.write_text(SWEEP.format(base=harness.SOURCE / "scenarios" / "defaults.yaml"))
        cls.sweep = cls.dir / "sweep"
        p = subprocess.run([str(harness.BIN), "sweep", str(sweep_file), "--out", str(cls.sweep), "--jobs", "2"],
                           capture_output=True, text=True, cwd=harness.SOURCE, timeout=600)
        assert p.returncode == 0, p.stderr
        p = report_py(cls.sweep)
        assert p.returncode == 0, p.stderr
        cls.sweep_page = cls.sweep / "report.html"

    def test_the_page_is_self_contained(self):
        text = self.page.read_text(encoding="utf-8")
        self.assertIn("plotly.js v", text[:20000])  # the library itself, not a link to it
        self.assertIsNone(re.search(r"<script[^>]*\bsrc=|<link\b|<iframe\b|<img\b", text, re.I))
        for div in (report.MAP_ID, report.ENCOUNTERS_ID):
            self.assertIn(f"id='{div}'", text)

    def test_the_map_follows_occupancy_and_edge_flows(self):
        r = corridor_io.load(self.result)
        fig, _ = report.map_figure(r)
        names = [t.get("name") for t in fig["data"]]
        nodes = fig["data"][names.index(report.NODE_TRACE)]
        self.assertEqual(len(nodes["x"]), len(r.nodes))
        occ, _ = r.series_array("occupancy")
        flows, _ = r.series_array("edge_flows")
        self.assertGreater(flows.sum(), 0)
        edge_traces = [i for i, t in enumerate(fig["data"]) if t.get("name") is None and t["mode"] == "lines"
                       and t["xaxis"] == "x"]
        self.assertEqual(len(edge_traces), len(r.edges))
        windows = report._frame_days(occ.shape[0])
        self.assertEqual(len(fig["frames"]), len(windows))
        for frame, (first, last) in zip(fig["frames"], windows):
            by_trace = dict(zip(frame["traces"], frame["data"]))
            widths = np.array([by_trace[i]["line"]["width"] for i in edge_traces])
            moving = flows[first:last + 1].sum(axis=0) > 0
            np.testing.assert_array_equal(widths > 0, moving)
            sizes = np.array(by_trace[names.index(report.NODE_TRACE)]["marker"]["size"])
            # Larger occupancy, larger marker: the sizes sort as the day's occupancy does.
            order = np.argsort(occ[last], kind="stable")
            self.assertTrue((np.diff(sizes[order]) >= -1e-9).all())

    def test_the_encounter_panels_add_up_to_the_runs_encounters(self):
        fig, _ = report.encounters_figure(self.result)
        m = MonthlyRun(self.result)
        total = m.cube.sum(axis=(1, 2, 3, 4, 5))
        whole = [i for i, mo in enumerate(m.months) if mo not in m.partial]
        self.assertGreater(len(whole), 3)
        for axis in ("x", "x2", "x3"):
            model = [t for t in fig["data"] if t["xaxis"] == axis and t["name"].endswith("(model)")]
            cbp = [t for t in fig["data"] if t["xaxis"] == axis and t["name"].endswith("(CBP)")]
            self.assertEqual(len(cbp), len(model))
            np.testing.assert_allclose(np.sum([t["y"] for t in model], axis=0), total[whole], atol=0.05 * len(model))

    def test_a_sweep_page_has_a_band_per_scenario(self):
        fig, text = report.sweep_figure(self.sweep, report.read_index(self.sweep))
        means = [t["name"] for t in fig["data"] if t.get("name") and t["name"] != "CBP"]
        self.assertEqual(sorted(means), ["mexico=calibrated (2 runs)", "mexico=lenient (2 runs)"])
        self.assertIn("CBP", [t.get("name") for t in fig["data"]])
        self.assertIn(f"id='{report.SWEEP_ID}'", self.sweep_page.read_text(encoding="utf-8"))

    def test_bad_input_exits_2(self):
        for bad in (self.dir / "absent.h5", self.dir):  # no file; a directory without index.csv
            p = report_py(bad, "--out", self.dir / "bad.html")
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("error:", p.stderr)
            self.assertFalse((self.dir / "bad.html").exists())

    def test_in_a_browser(self):
        try:
            browser = Browser()
        except BrowserMissing as e:
            self.skipTest(f"browser test skipped: {e}")
        r = corridor_io.load(self.result)
        markers = int((np.isfinite(r.nodes.lat) & np.isfinite(r.nodes.lon)).sum())
        with browser as b:
            b.open(self.sweep_page)
            state = """(() => {
              const gd = document.getElementById('%s');
              const i = gd.data.findIndex(t => t.name === '%s');
              const drawn = gd.querySelectorAll('.scatterlayer .trace.trace%s path.point');
              return {active: gd.layout.sliders[0].active, markers: gd.data[i].x.length, drawn: drawn.length,
                      paths: Array.from(drawn).map(p => p.getAttribute('d')),
                      figures: document.querySelectorAll('.plotly-graph-div .main-svg').length}; })()""" % (
                report.MAP_ID, report.NODE_TRACE, report.NODE_TRACE)
            before = b.evaluate(state)
            self.assertEqual(before["markers"], markers)
            self.assertEqual(before["drawn"], markers)
            self.assertGreaterEqual(before["figures"], 3)
            rail = b.evaluate("""(() => { const e = document.querySelector('#%s .slider-rail-rect');
                e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
                return [r.x, r.y, r.width, r.height]; })()""" % report.MAP_ID)
            b.click(rail[0] + 0.7 * rail[2], rail[1] + rail[3] / 2)
            b.settle(2)
            after = b.evaluate(state)
            self.assertGreater(after["active"], 0, "the slider did not move")
            self.assertEqual(after["drawn"], markers)
            changed = sum(x != y for x, y in zip(before["paths"], after["paths"]))
            self.assertGreater(changed, 0, "moving the slider left every node marker as it was")
            self.assertEqual(b.errors, [], "JavaScript errors in the console")
            elsewhere = [u for u in b.requests if not u.startswith(("file:", "data:", "about:"))]
            self.assertEqual(elsewhere, [], "the page asked for something outside itself")
            print(f"  browser: {markers} node markers; slider to step {after['active']}: {changed} markers "
                  "redrawn; no console error; no request outside the page")


if __name__ == "__main__":
    unittest.main(verbosity=2)
