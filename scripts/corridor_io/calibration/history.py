"""History matching (docs/calibration.md, "History matching"): implausibility, the
non-implausible space of successive waves, and samples of it.

For output j of a wave with observed value z_j and emulator mean m_j(x), variance V_em,j(x):

    I_j(x) = |z_j - m_j(x)| / sqrt(V_obs,j + V_disc,j + V_em,j(x) + V_MC,j)

V_obs is the observation error's variance, V_disc the model discrepancy's, V_MC the Monte
Carlo variance of one run (the world is one realisation). A point is implausible in a wave
when the `measure`-th largest I_j over the wave's outputs exceeds the wave's cut-off (measure 1
is the maximum; 2 or 3 tolerate one or two badly emulated outputs). The non-implausible space
after wave k is the set of points that no wave 1..k rules out. Everything works in the unit
cube of the spec's parameter ranges.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def implausibility(z, mean, var_em, var_other) -> np.ndarray:
    """|z - mean| / sqrt(var_em + var_other), elementwise (broadcasting over points)."""
    return np.abs(np.asarray(z) - np.asarray(mean)) / np.sqrt(np.asarray(var_em) + np.asarray(var_other))


def kth_largest(values: np.ndarray, k: int) -> np.ndarray:
    """The k-th largest value of each row (k = 1: the maximum); rows with fewer than k values give -inf."""
    values = np.atleast_2d(values)
    if values.shape[1] < k:
        return np.full(values.shape[0], -np.inf)
    return -np.partition(-values, k - 1, axis=1)[:, k - 1]


@dataclass
class Wave:
    """The emulators of one wave and how they rule points out."""
    number: int
    outputs: list          # output names
    emulators: list        # one Emulator per output
    z: np.ndarray          # observed values of the outputs
    var_other: np.ndarray  # V_obs + V_disc + V_MC per output
    cutoff: float
    measure: int

    def implausibility(self, U: np.ndarray) -> np.ndarray:
        """[points, outputs]."""
        out = np.empty((len(U), len(self.emulators)))
        for j, em in enumerate(self.emulators):
            m, v = em.predict(U)
            out[:, j] = implausibility(self.z[j], m, v, self.var_other[j])
        return out

    def measure_of(self, U: np.ndarray) -> np.ndarray:
        return kth_largest(self.implausibility(U), self.measure)

    def passes(self, U: np.ndarray) -> np.ndarray:
        """True where the point is not ruled out. Evaluates output by output and stops looking at
        a point once `measure` outputs rule it out (most points of a wide box fall early). The
        emulator's variance (the costly part) is computed only where the mean alone would rule the
        point out: a larger denominator can only lower the implausibility."""
        U = np.atleast_2d(U)
        alive = np.arange(len(U))
        strikes = np.zeros(len(U), dtype=int)
        for j, em in enumerate(self.emulators):
            if alive.size == 0:
                break
            m = em.mean(U[alive])
            suspect = implausibility(self.z[j], m, 0.0, self.var_other[j]) > self.cutoff
            if suspect.any():
                idx = alive[suspect]
                ms, v = em.predict(U[idx])
                bad = implausibility(self.z[j], ms, v, self.var_other[j]) > self.cutoff
                strikes[idx[bad]] += 1
            alive = alive[strikes[alive] < self.measure]
        return strikes < self.measure


class NonImplausible:
    """The space no wave so far rules out."""

    def __init__(self, waves=()):
        self.waves = list(waves)

    def passes(self, U: np.ndarray) -> np.ndarray:
        U = np.atleast_2d(U)
        ok = np.all((U >= 0) & (U <= 1), axis=1)
        for w in reversed(self.waves):  # the latest wave rules out most
            idx = np.flatnonzero(ok)
            if idx.size == 0:
                break
            ok[idx] = w.passes(U[idx])
        return ok


def walk_scale(d: int) -> float:
    """The random-walk step, in units of the sample's spread (Roberts, Gelman & Gilks 1997)."""
    return 2.38 / np.sqrt(d)


def _proposal_chol(points: np.ndarray) -> np.ndarray:
    d = points.shape[1]
    if len(points) > 2 * d:
        cov = np.cov(points.T) + 1e-8 * np.eye(d)
    else:
        cov = np.diag(np.maximum(points.var(axis=0), 1e-4) if len(points) > 1 else np.full(d, 1e-2))
    return np.linalg.cholesky(cov) * walk_scale(d)


def fill(space: NonImplausible, seeds: np.ndarray, size: int, rng: np.random.Generator, steps: int = 3,
         batch: int = 2000, max_rounds: int = 200) -> np.ndarray:
    """About `size` points spread uniformly over the non-implausible space, grown from `seeds`
    (points inside it): proposals around random seeds are kept when inside, until there are
    `size`; then `steps` sweeps of a random-walk Metropolis chain on every point, whose
    stationary law is the uniform one on the space (a move is taken when it lands inside).
    """
    pts = np.array(seeds, dtype=float)
    if len(pts) == 0:
        raise ValueError("no point to grow the non-implausible sample from")
    rounds = 0
    while len(pts) < size and rounds < max_rounds:
        rounds += 1
        chol = _proposal_chol(pts)
        base = pts[rng.integers(len(pts), size=batch)]
        prop = base + rng.standard_normal(base.shape) @ chol.T
        ok = space.passes(prop)
        pts = np.vstack([pts, prop[ok]])
    if len(pts) > size:
        pts = pts[rng.permutation(len(pts))[:size]]
    for _ in range(steps):
        chol = _proposal_chol(pts)
        prop = pts + rng.standard_normal(pts.shape) @ chol.T
        ok = space.passes(prop)
        pts[ok] = prop[ok]
    return pts


def maximin_subset(candidates: np.ndarray, n: int, rng: np.random.Generator, existing=None) -> np.ndarray:
    """Indices of n candidates chosen greedily to be far from each other and from `existing`
    points (distances in units of the candidates' spread per dimension): a space-filling
    design inside whatever region the candidates cover."""
    c = np.asarray(candidates, float)
    n = min(n, len(c))
    sd = c.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    cz = c / sd
    dmin = np.full(len(c), np.inf)
    if existing is not None and len(existing):
        ez = np.asarray(existing, float) / sd
        for e in ez:
            dmin = np.minimum(dmin, np.sum((cz - e) ** 2, axis=1))
        first = int(np.argmax(dmin))
    else:
        first = int(rng.integers(len(c)))
    chosen = [first]
    dmin = np.minimum(dmin, np.sum((cz - cz[first]) ** 2, axis=1))
    for _ in range(n - 1):
        nxt = int(np.argmax(dmin))
        chosen.append(nxt)
        dmin = np.minimum(dmin, np.sum((cz - cz[nxt]) ** 2, axis=1))
    return np.array(chosen)
