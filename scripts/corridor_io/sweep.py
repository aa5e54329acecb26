"""A whole sweep as one xarray Dataset: every run's series along a `run` dimension, with the
run's scenario, replicate, seed, design point, grid levels and parameter values as coordinates.

    from corridor_io.sweep import load_sweep
    ds = load_sweep("results/policy_matrix")                 # every done run, every series
    ds = load_sweep("results/lhs", series=["encounters"])    # only what you need: a sweep's
                                                             # series can be large
    ds["encounters"]                       # dims (run, date, sector, nationality, ...)
    ds["corridor.perception.initial"]      # a design parameter: one value per run (coordinate)
    ds["encounters"].sum(["sector", "demographic", "title", "component"]).groupby("scenario").mean()

The directory is what `corridor sweep FILE --out DIR` wrote (docs/hpc.md): DIR/index.csv and
DIR/runs/rNNNN.h5. Coordinates along `run` come from the index's columns: `run_id` (the `run`
coordinate itself), `scenario`, `replicate`, `seed`, `point` (with a design), every grid axis
by its name (index column axis.NAME) and every design column by its key path (index column
param.KEY.PATH); plus `model_scale`, each result's root attribute. A column whose every value
is a number becomes a numeric coordinate, otherwise text. Series are read through the
package's own reader (corridor_io.result, h5py); their first dimension `day` becomes `date`
(the calendar date), so that runs with different start dates line up (dates a run does not
cover are NaN, and the values then float). Counts are the files' own: divide by `model_scale`
for real-population numbers.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .result import ResultError, load

#: index.csv columns that are not coordinates: where the run's file is and how its process went.
_NOT_COORDINATES = {"run_id", "status", "output", "wall_s", "exit_code", "host", "overrides", "file"}
_PREFIXES = ("param.", "axis.")


class SweepError(Exception):
    """The directory is not a sweep this reader can load (the message says why)."""


def _coordinate(values: pd.Series) -> np.ndarray:
    """Numbers when every value parses as one, else the text."""
    as_number = pd.to_numeric(values, errors="coerce")
    if as_number.notna().all():
        return as_number.to_numpy()
    return values.astype(str).to_numpy(dtype=object)


def _series_array(result, name: str) -> xr.DataArray:
    values, info = result.series_array(name)
    dates = result.calendar["date"].to_numpy()[info["day"]]
    dims = ["date"] + info["dims"][1:]
    coords = {"date": dates, **{d: info["labels"][d] for d in info["dims"][1:]}}
    return xr.DataArray(values, dims=dims, coords=coords, name=name,
                        attrs={"unit": info["unit"], "description": info["description"]})


def load_sweep(sweep_dir, series=None, status: str = "done") -> xr.Dataset:
    """The runs of a sweep directory whose index status is `status` (default: the done ones),
    with the series named in `series` (default every series of the first run)."""
    sweep_dir = Path(sweep_dir)
    index_file = sweep_dir / "index.csv"
    if not index_file.is_file():
        raise SweepError(f"{index_file}: not found (is {sweep_dir} the --out of `corridor sweep`?)")
    index = pd.read_csv(index_file, dtype=str, keep_default_na=False)
    for col in ("run_id", "scenario", "replicate", "seed", "status", "output"):
        if col not in index.columns:
            raise SweepError(f"{index_file}: no column '{col}'")
    chosen = index[index["status"] == status].reset_index(drop=True)
    left = len(index) - len(chosen)
    if left:
        print(f"load_sweep: {left} of {len(index)} runs of {sweep_dir} are not {status} and are left out",
              file=sys.stderr)
    if chosen.empty:
        raise SweepError(f"{index_file}: no run is {status}")

    per_run, scales = [], []
    names = None
    for path in chosen["output"]:
        try:
            r = load(sweep_dir / path)
        except ResultError as e:
            raise SweepError(str(e)) from None
        if names is None:
            names = list(series) if series is not None else r.series_names()
        arrays = {}
        for name in names:
            try:
                arrays[name] = _series_array(r, name)
            except ResultError as e:
                raise SweepError(str(e)) from None
        per_run.append(arrays)
        scales.append(float(r.attrs.get("model_scale", 1.0)))

    data = {}
    for name in names:
        # join="outer": runs over other dates line up on the calendar (NaN where a run has no day).
        data[name] = xr.concat([a[name] for a in per_run], dim="run", join="outer")
    ds = xr.Dataset(data)
    coords = {"run": chosen["run_id"].to_numpy(dtype=object), "model_scale": ("run", np.array(scales))}
    for col in chosen.columns:
        if col in _NOT_COORDINATES:
            continue
        name = next((col[len(p):] for p in _PREFIXES if col.startswith(p)), col)
        if name in ds.dims or name in ds.data_vars or name in coords:
            raise SweepError(f"{index_file}: column '{col}' would be coordinate '{name}', which this sweep's "
                             "series already use (a dimension or a series of that name)")
        coords[name] = ("run", _coordinate(chosen[col]))
    return ds.assign_coords(coords)
