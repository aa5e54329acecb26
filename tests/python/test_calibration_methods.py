#!/usr/bin/env -S /usr/bin/python3
"""The calibration's methods against hand-computed values (corridor_io.calibration;
docs/calibration.md): implausibility and its k-th largest, the emulator's Gaussian-process
posterior and closed-form leave-one-out, its active-input selection and honest variance, the
non-implausible space of waves and the sampler that fills it, space-filling subsets, the target
summaries, the spec's checks, scenario files with list items, and the Sobol indices (Ishigami).
No binary is run: a few seconds.
"""
import math
import tempfile
import unittest
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.gaussian_process.kernels import RBF, ConstantKernel

import harness  # noqa: F401  (the environment ctest sets)
from corridor_io.calibration import history, targets
from corridor_io.calibration.emulator import Emulator, forward_select
from corridor_io.calibration.scenariofiles import overlay
from corridor_io.calibration.sensitivity import marginal_transform, sobol_indices
from corridor_io.calibration.spec import Spec, SpecError, Target


class Implausibility(unittest.TestCase):
    def test_hand_computed(self):
        # z = 10, emulator mean 7, V_em 1, V_obs 0.5, V_disc 1.5, V_MC 1 -> |10 - 7| / sqrt(4) = 1.5
        self.assertAlmostEqual(float(history.implausibility(10.0, 7.0, 1.0, 0.5 + 1.5 + 1.0)), 1.5)
        I = history.implausibility(np.array([0.0, 1.0]), np.array([[3.0, 1.0], [0.0, 5.0]]), np.array([[0, 0], [0, 0]]),
                                   np.array([1.0, 4.0]))
        np.testing.assert_allclose(I, [[3.0, 0.0], [0.0, 2.0]])

    def test_kth_largest(self):
        a = np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 9.0]])
        np.testing.assert_allclose(history.kth_largest(a, 1), [5, 9])
        np.testing.assert_allclose(history.kth_largest(a, 2), [3, 4])
        np.testing.assert_allclose(history.kth_largest(a, 3), [1, 2])
        self.assertTrue(np.isneginf(history.kth_largest(a, 4)).all())


class FixedEmulator:
    """A stand-in for Emulator with a known mean and variance (tests of the waves)."""

    def __init__(self, f, var):
        self.f, self.var = f, var

    def predict(self, U):
        U = np.atleast_2d(U)
        return self.f(U), np.full(len(U), self.var)

    def mean(self, U):
        return self.f(np.atleast_2d(U))


class Waves(unittest.TestCase):
    def wave(self, measure, cutoff=3.0):
        # Three outputs, each the coordinate itself; data at 0.5; total sd 0.1 -> I_j = |x_j - 0.5| / 0.1.
        ems = [FixedEmulator(lambda U, j=j: U[:, j], 0.004) for j in range(3)]
        return history.Wave(1, ["a", "b", "c"], ems, np.full(3, 0.5), np.full(3, 0.006), cutoff, measure)

    def test_measure_and_passes(self):
        U = np.array([[0.5, 0.5, 0.5], [0.9, 0.5, 0.5], [0.9, 0.9, 0.5], [0.9, 0.9, 0.9], [0.7, 0.5, 0.5]])
        w1, w2 = self.wave(1), self.wave(2)
        np.testing.assert_allclose(w1.measure_of(U), [0, 4, 4, 4, 2], atol=1e-12)
        np.testing.assert_allclose(w2.measure_of(U), [0, 0, 4, 4, 0], atol=1e-12)
        self.assertEqual(list(w1.passes(U)), [True, False, False, False, True])
        # the second-largest: one output out of reach is tolerated, two are not
        self.assertEqual(list(w2.passes(U)), [True, True, False, False, True])
        space = history.NonImplausible([w1])
        self.assertEqual(list(space.passes(np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 1.2]]))), [True, False])

    def test_fill_is_uniform_over_the_space(self):
        # The space is |x_j - 0.5| <= 0.3 in every coordinate: a cube of side 0.6. Grown from one
        # point, the sample must cover it evenly: the share in the lower half of x_0 is 1/2 and the
        # share in the corner x_0, x_1 < 0.35 is (0.15 / 0.6)^2 = 1/16, each within 4 binomial
        # standard deviations of an effective sample of 1,000 (half the points, for the chain's
        # correlation; over seeds 0-7 the shares varied with sd 0.016 and 0.003).
        space = history.NonImplausible([self.wave(1)])
        rng = np.random.default_rng(3)
        s = history.fill(space, np.full((1, 3), 0.5), 2000, rng, steps=20)
        self.assertEqual(len(s), 2000)
        self.assertTrue(space.passes(s).all())
        self.assertLess(s.min(), 0.22)
        self.assertGreater(s.max(), 0.78)
        half = float(np.mean(s[:, 0] < 0.5))
        corner = float(np.mean((s[:, 0] < 0.35) & (s[:, 1] < 0.35)))
        self.assertLess(abs(half - 0.5), 4 * math.sqrt(0.25 / 1000))
        self.assertLess(abs(corner - 1 / 16), 4 * math.sqrt(1 / 16 * 15 / 16 / 1000))

    def test_maximin_picks_spread_points(self):
        rng = np.random.default_rng(0)
        c = np.array([[0, 0], [1, 1], [0.5, 0.5], [0.51, 0.5], [0, 1], [1, 0]], dtype=float)
        idx = history.maximin_subset(c, 5, rng, existing=np.array([[0.5, 0.5]]))
        self.assertEqual(set(idx[:4]), {0, 1, 4, 5})  # the corners first, far from the existing centre


class Emulators(unittest.TestCase):
    def test_gp_posterior_by_hand(self):
        # Two points, zero trend, fixed kernel k(a, b) = exp(-(a - b)^2 / 2): at x = 0.5 between
        # x1 = 0 (y 1) and x2 = 1 (y 2), noise 0.1 each.
        X, y = np.array([[0.0], [1.0]]), np.array([1.0, 2.0])
        em = Emulator(kernel=ConstantKernel(1.0, "fixed") * RBF(1.0, "fixed"), active=[0], trend=False)
        em.fit(X, y, 0.1)
        # The emulator standardises its inputs: z = (x - 0.5) / 0.5, so the kernel's length 1 in
        # z is 0.5 in x.
        k = lambda a, b: math.exp(-((a - b) / 0.5) ** 2 / 2)
        K = np.array([[1 + 0.1, k(0, 1)], [k(0, 1), 1 + 0.1]])
        ks = np.array([k(0.5, 0), k(0.5, 1)])
        mean = ks @ np.linalg.solve(K, y)
        var = 1 - ks @ np.linalg.solve(K, ks)
        m, v = em.predict(np.array([[0.5]]))
        self.assertAlmostEqual(float(m[0]), mean, places=10)
        self.assertAlmostEqual(float(v[0]), var, places=10)

    def test_closed_form_loo_equals_refitting(self):
        rng = np.random.default_rng(1)
        X = rng.random((12, 2))
        y = np.sin(3 * X[:, 0]) + X[:, 1]
        kernel = ConstantKernel(0.8, "fixed") * RBF([0.7, 1.3], "fixed")
        em = Emulator(kernel=kernel, active=[0, 1], trend=False).fit(X, y, 0.01)
        loo = em.loo()
        Z = em._z(X)
        for i in (0, 5, 11):
            keep = np.arange(12) != i
            K = kernel(Z[keep]) + 0.01 * np.eye(11)
            ks = kernel(Z[i:i + 1], Z[keep])[0]
            m = ks @ np.linalg.solve(K, y[keep])
            v = kernel(Z[i:i + 1])[0, 0] - ks @ np.linalg.solve(K, ks) + 0.01  # of the noisy value
            self.assertAlmostEqual(loo["mean"][i], m, places=8)
            self.assertAlmostEqual(loo["var"][i], v, places=8)

    def test_forward_selection_finds_the_active_inputs(self):
        rng = np.random.default_rng(2)
        Z = rng.standard_normal((200, 8))
        y = 2 * Z[:, 3] + Z[:, 6] ** 2 + 0.01 * rng.standard_normal(200)
        self.assertEqual(sorted(forward_select(Z, y, 4)), [3, 6])

    def test_variance_is_honest_away_from_the_runs(self):
        # A smooth function of 2 of 6 inputs with noise; on new points the standardised errors
        # must look like N(0, 1): few beyond 3, sd near 1.
        rng = np.random.default_rng(4)
        f = lambda U: np.log(1 + 4 * U[:, 1]) + np.sin(4 * U[:, 4])
        X = rng.random((150, 6))
        y = f(X) + 0.02 * rng.standard_normal(150)
        em = Emulator(max_active=4, seed=1).fit(X, y, 0.02 ** 2)
        self.assertEqual(sorted(em.active[:2]), [1, 4])
        T = rng.random((2000, 6))
        m, v = em.predict(T)
        e = (f(T) - m) / np.sqrt(v + 0.02 ** 2)
        self.assertLess(np.mean(np.abs(e) > 3), 0.02)
        self.assertLess(np.std(e), 1.5)
        s = em.summary()
        self.assertGreater(s["loo_r2"], 0.95)
        self.assertLess(s["loo_outside_3sd"], 0.03)


def target(**kw):
    base = dict(name="t", series="s", data=Path("/dev/null"), value="v", month="month", match={}, by=("nat",),
                select={}, keep={}, months=("2019-01", "2019-04"), period=2, metric="log", offset=1.0,
                observation_sd=0.1, discrepancy_sd=0.2)
    base.update(kw)
    return Target(**base)


class Summaries(unittest.TestCase):
    months = ["2019-01", "2019-02", "2019-03", "2019-04"]

    def test_log_blocks(self):
        m = np.array([[1.0, 10], [2, 20], [3, 30], [4, 40]])  # [month, category]
        t = target()
        y = targets.summarise(t, m, self.months, ["A", "B"])
        np.testing.assert_allclose(y, np.log([3 + 1, 30 + 1, 7 + 1, 70 + 1]))
        self.assertEqual(targets.output_names(t, self.months, ["A", "B"]),
                         ["t[2019-01..2019-02][A]", "t[2019-01..2019-02][B]", "t[2019-03..2019-04][A]",
                          "t[2019-03..2019-04][B]"])

    def test_shares_keep_and_batches(self):
        m = np.array([[[1.0, 3], [1, 1], [0, 2], [2, 0]], [[2.0, 2], [2, 2], [2, 2], [2, 2]]])  # [run, month, cat]
        t = target(metric="share", keep={"nat": ["B"]}, period=4)
        y = targets.summarise(t, m, self.months, ["A", "B"])
        np.testing.assert_allclose(y, [[6 / 10], [0.5]])

    def test_observed_monthly_keeps_the_model_labels(self):
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "data.csv"
            pd.DataFrame({"month": ["2019-01", "2019-01", "2019-01", "2019-02", "2019-02"],
                          "cit": ["A", "B", "Other", "A", "A"], "kind": ["x", "x", "x", "x", "y"],
                          "v": [1, 2, 100, 3, 4]}).to_csv(f, index=False)
            t = target(data=f, match={"nat": "cit", "k": "kind"}, select={"k": ["x"]})
            obs = targets.observed_monthly(t, {"nat": ["A", "B"], "k": ["x", "y"]}, ["2019-01", "2019-02", "2019-03"])
            np.testing.assert_allclose(obs[:2], [[1, 2], [3, 0]])  # "Other" out, kind y out, B's missing month 0
            self.assertTrue(np.isnan(obs[2]).all())                 # a month the file lacks


class SpecFiles(unittest.TestCase):
    def load(self, text):
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "s.yaml").write_text("name: s\n")
            (Path(d) / "data.csv").write_text("month,v\n2019-01,1\n")
            f = Path(d) / "spec.yaml"
            f.write_text(text)
            return Spec.load(f)

    BASE = """name: x
model: corridor
scenario: s.yaml
parameters:
  corridor.a.b: [1, 10, log]
  share: [0, 1, lin]
settings:
  corridor.c: $share
  corridor.d: "{scale: $share, from: 2019-01-01}"
targets:
  t: {series: s, data: data.csv, value: v, months: [2019-01, 2019-02], metric: log, offset: 1,
      observation_sd: 0.1, discrepancy_sd: 0.1}
history_matching: {waves: [{points: 10}]}
ensemble: {size: 5}
"""

    def test_templates(self):
        s = self.load(self.BASE)
        self.assertEqual(s.names, ["corridor.a.b", "share"])
        self.assertEqual(s.rendered({"corridor.a.b": 2.5, "share": 0.25}),
                         {"corridor.c": "0.25", "corridor.d": "{scale: 0.25, from: 2019-01-01}",
                          "corridor.a.b": "2.5"})
        u = np.array([[0.5, 0.5]])
        np.testing.assert_allclose(s.from_unit(u), [[math.sqrt(10), 0.5]])
        np.testing.assert_allclose(s.to_unit(s.from_unit(u)), u)

    def test_errors_name_the_key(self):
        cases = {
            self.BASE.replace("[1, 10, log]", "[0, 10, log]"): "parameters.corridor.a.b': a log scale needs low > 0",
            self.BASE.replace("corridor.c: $share", "corridor.c: $shares"): "unknown parameter $shares",
            self.BASE.replace("  corridor.c: $share\n  corridor.d: \"{scale: $share, from: 2019-01-01}\"\n", ""):
                "parameters.share': no key is set from it",
            self.BASE.replace("metric: log", "metric: cubic"): "metric': expected one of log, share, linear",
            self.BASE.replace("ensemble: {size: 5}", "ensemble: {size: 5, sise: 3}"): "unknown key 'ensemble.sise'",
            self.BASE.replace("waves: [{points: 10}]", "waves: []"): "history_matching.waves': expected at least one",
        }
        for text, msg in cases.items():
            with self.assertRaises(SpecError) as e:
                self.load(text)
            self.assertIn(msg, str(e.exception))


class ScenarioFiles(unittest.TestCase):
    def test_overlay_restates_a_list(self):
        base = {"corridor": {"perception": {"announcements": [{"date": "2019-06-07", "jump": 0},
                                                              {"date": "2021-01-20", "jump": 0.2}]}}}
        out = overlay(base, {"corridor.perception.announcements.0.jump": "-0.3",
                             "corridor.perception.gamma.family": "3.5",
                             "corridor.x": "{scale: 2, from: 2019-06-07}"})
        self.assertEqual(out["corridor"]["perception"]["announcements"],
                         [{"date": "2019-06-07", "jump": -0.3}, {"date": "2021-01-20", "jump": 0.2}])
        self.assertEqual(out["corridor"]["perception"]["gamma"], {"family": 3.5})
        self.assertEqual(out["corridor"]["x"]["scale"], 2)
        self.assertEqual(base["corridor"]["perception"]["announcements"][0]["jump"], 0)  # base untouched
        with self.assertRaises(ValueError):
            overlay(base, {"corridor.perception.announcements.5.jump": "1"})


class Sensitivity(unittest.TestCase):
    def test_ishigami(self):
        # Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
        def f(x):
            x = -math.pi + 2 * math.pi * x
            return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
        r = sobol_indices(f, 3, n=8192, seed=5, bootstrap=100)
        np.testing.assert_allclose(r["S1"], [0.3139, 0.4424, 0.0], atol=0.03)
        np.testing.assert_allclose(r["ST"], [0.5576, 0.4424, 0.2437], atol=0.03)
        for i in range(3):
            self.assertLessEqual(r["ST_band"][i][0], r["ST"][i])
            self.assertGreaterEqual(r["ST_band"][i][1], r["ST"][i])

    def test_marginal_transform(self):
        sample = np.column_stack([np.linspace(0, 1, 101), np.linspace(10, 20, 101)])
        t = marginal_transform(sample)
        np.testing.assert_allclose(t(np.array([[0.0, 0.999], [0.5, 0.5]])), [[0.0, 20.0], [0.5, 15.0]])


if __name__ == "__main__":
    unittest.main(verbosity=2)
