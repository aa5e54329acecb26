"""Monthly US encounters of a corridor run, in the columns and names of CBP's data.

`MonthlyRun(path).by_cbp_categories()` gives `month,component,demographic,citizenship,title,
encounters`, the columns of data/cbp_swb_encounters_monthly.csv less `fiscal_year` and
`encounter_type` (which follow from the others), with the same category names: component OFO /
USBP, demographic "Single Adults" / "FMUA" / "UC / Single Minors", citizenship Mexico /
Guatemala / Honduras / El Salvador, title "Title 8" / "Title 42". So a run is set beside
CBP's figures with one join on (month, component, demographic, citizenship, title).
CBP's "Accompanied Minors" (an OFO-only category) and "Other" citizenship have no
counterpart in the model and never appear here; comparisons leave them out of the data.

`by_sector()` gives `month,sector,encounters` with the sector names of
data/usbp_swb_encounters_by_sector_monthly.csv ("San Diego, CA", ...). That file counts
Border Patrol encounters only, so only component USBP is summed (OFO encounters at ports
also carry the sector across from their border city in the model, but are left out).

Units and scaling: encounters are people (the model's FMUA are individuals, as CBP's
are). A run at `corridor.scale` s < 1 simulates a fraction s of departures and does not
rescale its output; MonthlyRun DIVIDES BY THE RUN'S model_scale ATTRIBUTE, so the numbers
are estimates for the full population. Months are calendar months of the simulated dates
(YYYY-MM); a month the run only partly covers has the days it has (`partial` names them).

    from corridor_io.monthly import MonthlyRun
    m = MonthlyRun("run.h5")               # reads the encounters series once
    m.by_cbp_categories()                  # the tidy frame above
    m.by_sector()                          # month, sector, encounters
    m.months, m.cube                       # ndarray [month, sector, nationality, demographic, title, component]

scripts/monthly.py writes these frames as CSV (write_csv).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .result import ResultError, load

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
        self.result = load(path)
        self.scale = float(self.result.attrs.get("model_scale", 1.0))
        if not self.scale > 0:
            raise ResultError(f"{path}: root attribute model_scale={self.scale!r} is not positive")
        values, info = self.result.series_array("encounters")
        if info["dims"][1:] != ENCOUNTER_DIMS:
            raise ResultError(f"{path}: series 'encounters' has dims {info['dims']}, expected "
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
