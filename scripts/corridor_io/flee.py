"""Flee's validation metric on a flee run's out.csv (docs/flee.md §7, docs/flee-rules.md).

For each day, E(t) = sum over camps |sim_c - data_c| / max(sum_c data_c, 1); the rescaled
form first scales sim_c so that the day's simulated total equals the data's. ARD is the mean
over days.

    from corridor_io import flee
    fit = flee.ard("results/mali2012.out.csv")
    fit.plain, fit.rescaled, fit.agents
"""
from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass


@dataclass
class Ard:
    plain: float
    rescaled: float
    per_day_plain: list[float]
    per_day_rescaled: list[float]
    camps: list[str]
    agents: int  #: total refugees (simulation) on the last day


def ard(out_csv) -> Ard:
    """The averaged relative differences of the camp columns of a Flee out.csv."""
    with open(out_csv, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    camps = [h[: -len(" sim")] for h in header if h.endswith(" sim")]
    col = {h: i for i, h in enumerate(header)}
    plain, rescaled = [], []
    for r in body:
        sim = [float(r[col[c + " sim"]]) for c in camps]
        data = [float(r[col[c + " data"]]) for c in camps]
        total_data, total_sim = sum(data), sum(sim)
        denom = max(total_data, 1.0)
        plain.append(sum(abs(s - d) for s, d in zip(sim, data)) / denom)
        k = total_data / total_sim if total_sim > 0 else 1.0
        rescaled.append(sum(abs(k * s - d) for s, d in zip(sim, data)) / denom)
    agents = int(body[-1][col["total refugees (simulation)"]])
    return Ard(statistics.fmean(plain), statistics.fmean(rescaled), plain, rescaled, camps, agents)
