"""Targets of a calibration: a model series and a data file set side by side month by month,
then summarised into the outputs that the emulators predict (docs/calibration.md, "Targets").

A target (spec.Target) names the model's series, the data file and its value and month
columns, and `match`, which model dimension is which data column. The labels of a matched
dimension must be the data's category names; data rows with labels the model does not have
(CBP's "Other" citizenship) are dropped, as are labels a target's `select` leaves out. Both
sides are summed over everything but the dimensions in `by`, by calendar month; model counts
are divided by the run's `model_scale` (real-population numbers).

Monthly values are what the run table stores (runtable.py); `summarise` turns them into the
target's outputs: the months in blocks of `period`, summed, then
    log     y = log(x + offset)                 for each category
    share   y = x_c / sum over categories of x  for each category in `keep` (default all)
    linear  y = x
so that the emulators, the implausibility and the report all see the same numbers.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from ..monthly import month_labels


def month_range(first: str, last: str) -> list[str]:
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def categories(target, labels: dict) -> list[str]:
    """The target's categories: every combination of the labels of its `by` dimensions (after
    `select`), joined with '|'; ['all'] without `by`."""
    if not target.by:
        return ["all"]
    per_dim = []
    for d in target.by:
        if d not in labels:
            raise ValueError(f"target {target.name}: the series has no dimension '{d}' (it has {', '.join(labels)})")
        ls = [x for x in labels[d] if d not in target.select or x in target.select[d]]
        per_dim.append(ls)
    return ["|".join(c) for c in itertools.product(*per_dim)]


class SeriesCache:
    """One result's series, each read once, with its month of every day."""

    def __init__(self, result):
        self.result = result
        self.scale = float(result.attrs.get("model_scale", 1.0))
        self._series = {}

    def get(self, name):
        if name not in self._series:
            values, info = self.result.series_array(name)
            months = month_labels(self.result.calendar["date"].to_numpy()[info["day"]])
            self._series[name] = (values, info, months)
        return self._series[name]


def model_monthly(cache: SeriesCache, target, months: list[str]) -> np.ndarray:
    """[month, category] of one run: the target's series summed over every dimension but `by`
    (after `select`), by month, divided by model_scale. A month the run does not reach is NaN."""
    values, info, day_month = cache.get(target.series)
    dims = info["dims"][1:]
    a = values
    for d, keep in target.select.items():
        if d not in dims:
            raise ValueError(f"target {target.name}: select names '{d}', which series {target.series} does not have "
                             f"(its dimensions: {', '.join(dims)})")
        idx = [i for i, x in enumerate(info["labels"][d]) if x in keep]
        a = np.take(a, idx, axis=1 + dims.index(d))
    for d in target.by:
        if d not in dims:
            raise ValueError(f"target {target.name}: by names '{d}', which series {target.series} does not have")
    drop = tuple(1 + i for i, d in enumerate(dims) if d not in target.by)
    a = a.sum(axis=drop) if drop else a
    # The axes left are the kept dimensions in the series' order; put them in the target's `by` order.
    kept = [d for d in dims if d in target.by]
    if kept:
        a = np.moveaxis(a, [1 + kept.index(d) for d in target.by], list(range(1, 1 + len(target.by))))
    a = a.reshape(a.shape[0], -1).astype(np.float64)
    out = np.full((len(months), a.shape[1]), np.nan)
    pos = {m: i for i, m in enumerate(months)}
    rows = np.array([pos.get(m, -1) for m in day_month])
    inside = rows >= 0
    acc = np.zeros_like(out)
    counted = np.zeros(len(months), dtype=bool)
    np.add.at(acc, rows[inside], a[inside])
    counted[np.unique(rows[inside])] = True
    out[counted] = acc[counted] / cache.scale
    return out


def observed_monthly(target, labels: dict, months: list[str]) -> np.ndarray:
    """[month, category] of the data file, restricted to the model's labels (and `select`) on
    every matched dimension; a month absent from the file is NaN."""
    d = pd.read_csv(target.data)
    for col in [target.value, target.month, *target.match.values()]:
        if col not in d.columns:
            raise ValueError(f"{target.data}: no column '{col}' (target {target.name})")
    for dim, col in target.match.items():
        if dim not in labels:
            raise ValueError(f"target {target.name}: match names '{dim}', which series {target.series} does not have")
        allowed = set(labels[dim])
        if dim in target.select:
            allowed &= set(target.select[dim])
        d = d[d[col].astype(str).isin(allowed)]
    cats = categories(target, labels)
    cols = [target.match[dim] for dim in target.by]
    if cols:
        key = d[cols].astype(str).agg("|".join, axis=1)
    else:
        key = pd.Series("all", index=d.index)
    g = d.assign(_cat=key).groupby([target.month, "_cat"])[target.value].sum()
    table = g.unstack("_cat").reindex(index=months, columns=cats)
    present = d[target.month].astype(str).unique()
    table = table.fillna(0.0)
    table.loc[~table.index.isin(present)] = np.nan
    return table.to_numpy(float)


def blocks(target, months: list[str]) -> list[list[int]]:
    """Indices of the months in each block of `period` months, from the first."""
    return [list(range(i, min(i + target.period, len(months)))) for i in range(0, len(months), target.period)]


def block_label(months: list[str], idx: list[int]) -> str:
    return months[idx[0]] if len(idx) == 1 else f"{months[idx[0]]}..{months[idx[-1]]}"


def output_names(target, months: list[str], cats: list[str]) -> list[str]:
    kept = _kept(target, cats)
    return [f"{target.name}[{block_label(months, b)}][{cats[c]}]" for b in blocks(target, months) for c in kept]


def _kept(target, cats: list[str]) -> list[int]:
    if not target.keep:
        return list(range(len(cats)))
    out = []
    for i, c in enumerate(cats):
        parts = dict(zip(target.by, c.split("|")))
        if all(parts[d] in keep for d, keep in target.keep.items()):
            out.append(i)
    return out


def summarise(target, monthly: np.ndarray, months: list[str], cats: list[str]) -> np.ndarray:
    """[..., month, category] monthly values -> [..., output] in the target's metric
    (output order: block-major, then category, as output_names)."""
    m = np.asarray(monthly, dtype=float)
    blocked = np.stack([m[..., b, :].sum(axis=-2) for b in blocks(target, months)], axis=-2)  # [..., block, cat]
    kept = _kept(target, cats)
    if target.metric == "log":
        y = np.log(blocked + target.offset)
    elif target.metric == "share":
        tot = blocked.sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.where(tot > 0, blocked / np.where(tot > 0, tot, 1.0), np.nan)
    else:
        y = blocked
    y = y[..., kept]
    return y.reshape(y.shape[:-2] + (-1,))


def variances(target, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
    """(observation, discrepancy) variances of the target's outputs, in metric units squared."""
    return (np.full(n_outputs, target.observation_sd ** 2), np.full(n_outputs, target.discrepancy_sd ** 2))
