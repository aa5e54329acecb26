#!/usr/bin/env -S /usr/bin/python3
"""Monthly US encounters of a corridor run, in the columns and names of CBP's data.

    scripts/monthly.py RESULT.h5 [--out FILE.csv]            # by component x demographic x citizenship x title
    scripts/monthly.py RESULT.h5 --sector [--out FILE.csv]   # Border Patrol by sector

The first form writes `month,component,demographic,citizenship,title,encounters`, the
columns of data/cbp_swb_encounters_monthly.csv less `fiscal_year` and `encounter_type`
(which follow from the others), with the same category names: component OFO / USBP,
demographic "Single Adults" / "FMUA" / "UC / Single Minors", citizenship Mexico /
Guatemala / Honduras / El Salvador, title "Title 8" / "Title 42". So a run is set beside
CBP's figures with one join on (month, component, demographic, citizenship, title).
CBP's "Accompanied Minors" (an OFO-only category) and "Other" citizenship have no
counterpart in the model and never appear here; comparisons leave them out of the data.

`--sector` writes `month,sector,encounters` with the sector names of
data/usbp_swb_encounters_by_sector_monthly.csv ("San Diego, CA", ...). That file counts
Border Patrol encounters only, so only component USBP is summed (OFO encounters at ports
also carry the sector across from their border city in the model, but are left out).

Units and scaling: encounters are people (the model's FMUA are individuals, as CBP's
are). A run at `corridor.scale` s < 1 simulates a fraction s of departures and does not
rescale its output; this script DIVIDES BY THE RUN'S model_scale ATTRIBUTE, so the numbers
are estimates for the full population (integers at scale 1, two decimals otherwise).
Months are calendar months of the simulated dates (YYYY-MM); a month the run only partly
covers is written with the days it has (the first line on stderr says which months are partial).

Python use (the fit report and the calibration read runs this way):

    import monthly
    m = monthly.MonthlyRun("run.h5")      # reads the encounters series once
    m.by_cbp_categories()                  # the tidy frame above
    m.by_sector()                          # month, sector, encounters
    m.months, m.cube                       # ndarray [month, sector, nationality, demographic, title, component]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corridor_io  # noqa: E402

CBP_COLUMNS = ["month", "component", "demographic", "citizenship", "title", "encounters"]
SECTOR_COLUMNS = ["month", "sector", "encounters"]
#: the model's dimension order of the `encounters` series (after day).
ENCOUNTER_DIMS = ["sector", "nationality", "demographic", "title", "component"]


def month_labels(dates) -> np.ndarray:
    """Calendar month 'YYYY-MM' of each date."""
    return pd.DatetimeIndex(dates).strftime("%Y-%m").to_numpy()


class MonthlyRun:
    """The encounters series of one result summed by calendar month and divided by model_scale."""

    def __init__(self, path):
        self.result = corridor_io.load(path)
        self.scale = float(self.result.attrs.get("model_scale", 1.0))
        if not self.scale > 0:
            raise corridor_io.ResultError(f"{path}: root attribute model_scale={self.scale!r} is not positive")
        values, info = self.result.series_array("encounters")
        if info["dims"][1:] != ENCOUNTER_DIMS:
            raise corridor_io.ResultError(f"{path}: series 'encounters' has dims {info['dims']}, expected "
                                          f"['day'] + {ENCOUNTER_DIMS}")
        self.labels = info["labels"]
        dates = self.result.calendar["date"].to_numpy()[info["day"]]
        months = month_labels(dates)
        self.months, inverse = np.unique(months, return_inverse=True)
        cube = np.zeros((len(self.months),) + values.shape[1:], dtype=np.float64)
        np.add.at(cube, inverse, values.astype(np.float64))
        self.cube = cube / self.scale
        # Months the run covers only in part (it starts or ends inside them).
        per_month = np.bincount(inverse, minlength=len(self.months))
        full = pd.DatetimeIndex(pd.to_datetime(self.months + "-01")).days_in_month.to_numpy()
        self.partial = [m for m, n, f in zip(self.months, per_month, full) if n != f]

    def by_cbp_categories(self) -> pd.DataFrame:
        """month, component, demographic, citizenship, title, encounters (summed over sectors)."""
        c = self.cube.sum(axis=1)  # [month, nationality, demographic, title, component]
        idx = pd.MultiIndex.from_product(
            [self.months, self.labels["nationality"], self.labels["demographic"], self.labels["title"],
             self.labels["component"]],
            names=["month", "citizenship", "demographic", "title", "component"])
        df = pd.Series(c.reshape(-1), index=idx, name="encounters").reset_index()
        return df[CBP_COLUMNS].sort_values(CBP_COLUMNS[:-1], kind="stable").reset_index(drop=True)

    def by_sector(self) -> pd.DataFrame:
        """month, sector, encounters: Border Patrol (component USBP) only, as the sector file counts."""
        comp = list(self.labels["component"])
        c = self.cube[..., comp.index("USBP")].sum(axis=(2, 3, 4))  # [month, sector]
        idx = pd.MultiIndex.from_product([self.months, self.labels["sector"]], names=["month", "sector"])
        return pd.Series(c.reshape(-1), index=idx, name="encounters").reset_index()[SECTOR_COLUMNS]


def write_csv(df: pd.DataFrame, out, scale: float) -> None:
    """People as integers at scale 1, else with two decimals (an estimate, count / scale)."""
    df = df.copy()
    if scale == 1.0:
        df["encounters"] = np.rint(df["encounters"]).astype(np.int64)
    else:
        df["encounters"] = df["encounters"].round(2)
    df.to_csv(out, index=False, lineterminator="\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Write a corridor run's US encounters as a tidy monthly CSV in the columns and category "
                    "names of data/cbp_swb_encounters_monthly.csv (or, with --sector, of the Border Patrol sector "
                    "file). Counts are DIVIDED BY the run's model_scale attribute: people at full scale.",
        epilog="Columns: month,component,demographic,citizenship,title,encounters (months YYYY-MM, calendar "
               "months of the simulated dates). With --sector: month,sector,encounters, component USBP only.")
    ap.add_argument("result", help="a corridor result file (HDF5) of the corridor model")
    ap.add_argument("--out", help="CSV file to write (default: standard output)")
    ap.add_argument("--sector", action="store_true", help="Border Patrol encounters by sector instead")
    args = ap.parse_args(argv)
    try:
        m = MonthlyRun(args.result)
    except corridor_io.ResultError as e:
        print(f"monthly.py: {e}", file=sys.stderr)
        return 2
    df = m.by_sector() if args.sector else m.by_cbp_categories()
    note = f"monthly.py: {args.result}: model_scale={m.scale:g}, counts divided by it (people at full scale)"
    if m.partial:
        note += f"; partial months: {', '.join(m.partial)}"
    print(note, file=sys.stderr)
    try:
        write_csv(df, args.out if args.out else sys.stdout, m.scale)
    except BrokenPipeError:  # e.g. piped into head: the reader has what it wanted
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
