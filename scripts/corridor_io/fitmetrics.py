"""Fit metrics of the calibration report (docs/calibration.md).

Metrics take monthly arrays: `sim` and `obs` of shape [month] (one series) or
[month, category] (a breakdown, e.g. the four citizenships). All are plain functions of
numbers, tested against hand-computed values in tests/python/test_fit_metrics.py. The observed
arrays come from a calibration's targets (corridor_io.calibration.targets).

- ARD, averaged relative difference (the Flee validation metric, models/flee):
      ARD = mean over months m of  sum_k |sim[m,k] - obs[m,k]|  /  sum_k obs[m,k]
  summed over the categories k of a breakdown; months whose observed sum is 0 are skipped.
  For a single series it equals MAPE.
- MAPE = mean over months with obs > 0 of |sim - obs| / obs.
- correlation: Pearson's r of the monthly values (flattened over categories for a breakdown).
- naive ratio: the model's mean absolute error divided by that of the naive seasonal
  forecast "same month a year earlier", over the months that have a year-earlier observation:
      sum_{m >= 12} sum_k |sim[m,k] - obs[m,k]|  /  sum_{m >= 12} sum_k |obs[m-12,k] - obs[m,k]|
  (a seasonal MASE); below 1 the model beats the naive forecast.
- share gap: the largest absolute difference, over months and categories, between the
  categories' shares of each month's total (the Title 42 share, the demographic mix).
"""
from __future__ import annotations

import numpy as np


def _2d(a) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[:, None] if a.ndim == 1 else a


def ard(sim, obs) -> float:
    """Averaged relative difference: mean over months of sum_k |sim - obs| / sum_k obs."""
    s, o = _2d(sim), _2d(obs)
    den = o.sum(axis=1)
    ok = den > 0
    if not ok.any():
        return float("nan")
    return float(np.mean(np.abs(s - o).sum(axis=1)[ok] / den[ok]))


def mape(sim, obs) -> float:
    """Mean absolute percentage error (as a fraction) over the months with obs > 0."""
    s, o = np.asarray(sim, float).ravel(), np.asarray(obs, float).ravel()
    ok = o > 0
    if not ok.any():
        return float("nan")
    return float(np.mean(np.abs(s[ok] - o[ok]) / o[ok]))


def correlation(sim, obs) -> float:
    """Pearson correlation of the monthly values; nan if either is constant."""
    s, o = np.asarray(sim, float).ravel(), np.asarray(obs, float).ravel()
    if s.size < 2 or np.std(s) == 0 or np.std(o) == 0:
        return float("nan")
    return float(np.corrcoef(s, o)[0, 1])


def naive_ratio(sim, obs, lag: int = 12) -> float:
    """Model MAE / MAE of the forecast obs[m - lag], over months m >= lag."""
    s, o = _2d(sim), _2d(obs)
    if o.shape[0] <= lag:
        return float("nan")
    model = np.abs(s[lag:] - o[lag:]).sum()
    naive = np.abs(o[:-lag] - o[lag:]).sum()
    return float(model / naive) if naive > 0 else float("nan")


def shares(a) -> np.ndarray:
    """Each month's categories as shares of the month's total (rows with total 0 give nan)."""
    a = _2d(a)
    tot = a.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, a / np.where(tot > 0, tot, 1), np.nan)


def share_gap(sim, obs) -> tuple[float, np.ndarray]:
    """(largest |share_sim - share_obs| over months and categories, per-month largest gap)."""
    g = np.abs(shares(sim) - shares(obs))
    per_month = np.nanmax(g, axis=1)
    return float(np.nanmax(per_month)), per_month


def summary(sim, obs) -> dict:
    """All metrics of one series or breakdown."""
    return {"ard": ard(sim, obs), "mape": mape(_2d(sim).sum(axis=1), _2d(obs).sum(axis=1))
            if _2d(obs).shape[1] == 1 else float("nan"),
            "corr": correlation(sim, obs), "naive_ratio": naive_ratio(sim, obs)}
