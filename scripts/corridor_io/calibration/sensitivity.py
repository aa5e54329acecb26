"""Global sensitivity analysis: Sobol first-order and total indices (docs/calibration.md,
"Sensitivity"), written on scipy.stats.qmc (SALib is not in Debian 12).

For a function f of d independent inputs X_1..X_d, with V = Var f(X):
    first-order  S_i  = Var(E[f | X_i]) / V           (the share of V that X_i explains alone)
    total        ST_i = E[Var(f | X_~i)] / V          (the share that involves X_i at all)
Estimated from two independent samples A and B of N points and the d matrices AB_i (A with
column i taken from B), with Saltelli et al. (2010)'s estimator of S_i,
    S_i  ~ mean(f(B) (f(AB_i) - f(A))) / V,
and Jansen's of ST_i,
    ST_i ~ mean((f(A) - f(AB_i))^2) / (2 V),
V the variance of f over A and B together: N (d + 2) evaluations. A and B are the two halves
of a scrambled Sobol sequence in 2d dimensions, mapped to the inputs through `transform`
(unit cube -> inputs). The bands are percentiles of the estimates over bootstrap resamples of
the N rows.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import qmc


def sobol_indices(f, d: int, n: int = 1024, transform=None, seed: int = 0, bootstrap: int = 200,
                  level: float = 0.90) -> dict:
    """{"S1", "ST": arrays [d], "S1_band", "ST_band": arrays [d, 2], "variance", "n"}."""
    m = int(2 ** np.ceil(np.log2(max(n, 2))))
    u = qmc.Sobol(2 * d, scramble=True, seed=seed).random(m)
    A, B = u[:, :d], u[:, d:]
    if transform is not None:
        A, B = transform(A), transform(B)
    fA, fB = np.asarray(f(A), float), np.asarray(f(B), float)
    fAB = np.empty((d, m))
    for i in range(d):
        ABi = A.copy()
        ABi[:, i] = B[:, i]
        fAB[i] = f(ABi)

    def estimate(rows):
        a, b, ab = fA[rows], fB[rows], fAB[:, rows]
        v = np.var(np.concatenate([a, b]))
        if v <= 0:
            return np.zeros(d), np.zeros(d), 0.0
        s1 = np.mean(b * (ab - a), axis=1) / v
        st = 0.5 * np.mean((a - ab) ** 2, axis=1) / v
        return s1, st, v

    s1, st, v = estimate(np.arange(m))
    rng = np.random.default_rng(seed)
    boots = [estimate(rng.integers(m, size=m)) for _ in range(bootstrap)]
    lo, hi = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    b1 = np.array([b[0] for b in boots])
    bt = np.array([b[1] for b in boots])
    return {"S1": s1, "ST": st, "S1_band": np.percentile(b1, [lo, hi], axis=0).T,
            "ST_band": np.percentile(bt, [lo, hi], axis=0).T, "variance": v, "n": m}


def marginal_transform(sample: np.ndarray):
    """Unit cube -> inputs drawn independently from each column's empirical distribution in
    `sample` (its quantiles): the marginals of a sample, without its dependence."""
    sample = np.asarray(sample, float)
    sorted_cols = np.sort(sample, axis=0)
    n = len(sample)

    def transform(u):
        u = np.asarray(u, float)
        idx = np.clip((u * n).astype(int), 0, n - 1)
        return np.take_along_axis(sorted_cols, idx, axis=0)

    return transform
