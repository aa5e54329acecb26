"""The run table: one row per model run a calibration made, kept across waves and across
calibrations (docs/calibration.md, "The run table").

Columns:
    fingerprint   what the run depends on besides its parameters and seed (Spec.setup_fingerprint:
                  the binary, the scenario files, the fixed overrides, the parameter mapping); rows
                  of another fingerprint are never mixed with this calibration's
    source        wave1, wave2, ..., posterior, sensitivity
    scenario      base, or a sensitivity scenario's name
    point         the design point's label (unique within a fingerprint)
    replicate, seed
    p:NAME        the value of parameter NAME
    t<sig>|MONTH|CATEGORY   a target's monthly value (targets.model_monthly; <sig> is
                  Target.signature(), so a target whose period, metric or variances change keeps
                  its stored values)
    s:SERIES|MONTH   a series' monthly total (the sensitivity's outcomes)

Stored as gzip-compressed CSV, rewritten whole (temporary file, then rename) after each batch.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

META = ["fingerprint", "source", "scenario", "point", "replicate", "seed"]


def target_column(target, month: str, category: str) -> str:
    return f"t{target.signature()}|{month}|{category}"


def series_column(series: str, month: str) -> str:
    return f"s:{series}|{month}"


class RunTable:
    def __init__(self, path):
        self.path = Path(path)
        if self.path.is_file():
            self.df = pd.read_csv(self.path, dtype={"fingerprint": str, "source": str, "scenario": str,
                                                    "point": str, "seed": str}, low_memory=False)
        else:
            self.df = pd.DataFrame(columns=META)

    def __len__(self):
        return len(self.df)

    def rows(self, fingerprint: str, source_prefix: str | None = None) -> pd.DataFrame:
        d = self.df[self.df["fingerprint"] == fingerprint]
        if source_prefix is not None:
            d = d[d["source"].str.startswith(source_prefix)]
        return d

    def has(self, fingerprint: str, point: str, replicate: int, scenario: str = "base") -> bool:
        d = self.df
        return bool(((d["fingerprint"] == fingerprint) & (d["point"] == point) & (d["scenario"] == scenario)
                     & (d["replicate"].astype(int) == int(replicate))).any())

    def add(self, rows: list[dict]) -> None:
        if not rows:
            return
        new = pd.DataFrame(rows)
        self.df = pd.concat([self.df, new], ignore_index=True) if len(self.df) else new
        cols = META + [c for c in self.df.columns if c not in META]
        self.df = self.df[cols]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".tmp-{os.getpid()}")
        self.df.to_csv(tmp, index=False, float_format="%.8g", compression="gzip")
        os.replace(tmp, self.path)


def monthly_block(rows: pd.DataFrame, target, months: list[str], cats: list[str]) -> np.ndarray:
    """[row, month, category] of a target's stored monthly values (NaN where not stored)."""
    cols = [target_column(target, m, c) for m in months for c in cats]
    present = [c for c in cols if c in rows.columns]
    block = pd.DataFrame(np.nan, index=rows.index, columns=cols)
    if present:
        block[present] = rows[present].to_numpy(float)
    return block.to_numpy(float).reshape(len(rows), len(months), len(cats))
