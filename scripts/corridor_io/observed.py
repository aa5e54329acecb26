"""CBP's observed encounters in the corridor model's scope and categories: the targets of the
calibration and the data of the fit report (docs/calibration.md).

Observed arrays have the model's axis order and labels (corridor_io.categories), so that they
sit beside a run's monthly cube (corridor_io.monthly) without a join.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .categories import CITIZENSHIPS, COMPONENTS, DEMOGRAPHICS, TITLES
from .repository import DATA

CBP_FILE = DATA / "cbp_swb_encounters_monthly.csv"
SECTOR_FILE = DATA / "usbp_swb_encounters_by_sector_monthly.csv"
#: the months the calibration fits and the fit report scores: FY2019-FY2021.
FIT_FIRST, FIT_LAST = "2018-10", "2021-09"


def month_range(first: str, last: str) -> list[str]:
    """Calendar months 'YYYY-MM' from first to last inclusive."""
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def observed_cube(months, path=CBP_FILE) -> np.ndarray:
    """CBP encounters in the model's scope as [month, citizenship, demographic, title, component].

    Scope: citizenships Mexico, Guatemala, Honduras, El Salvador (CBP's "Other" is outside the
    model), demographics Single Adults, FMUA, UC / Single Minors (CBP's OFO-only "Accompanied
    Minors" have no model counterpart); encounter types (apprehensions, inadmissibles,
    expulsions) summed, since they follow from component and title. Months absent from the
    file are an error (the caller asks only for months the data cover).
    """
    d = pd.read_csv(path)
    d = d[d.citizenship.isin(CITIZENSHIPS) & d.demographic.isin(DEMOGRAPHICS)]
    missing = sorted(set(months) - set(d.month))
    if missing:
        raise ValueError(f"{path}: no data for months {missing[0]}..{missing[-1]}")
    g = d.groupby(["month", "citizenship", "demographic", "title", "component"]).encounters.sum()
    idx = pd.MultiIndex.from_product([months, CITIZENSHIPS, DEMOGRAPHICS, TITLES, COMPONENTS])
    return g.reindex(idx, fill_value=0).to_numpy(float).reshape(len(months), 4, 3, 2, 2)


def cbp_usbp_inscope_share(months, path=CBP_FILE) -> np.ndarray:
    """Per month, the share of Border Patrol encounters (all demographics) of the four modelled citizenships."""
    d = pd.read_csv(path)
    d = d[d.component == "USBP"]
    tot = d.groupby("month").encounters.sum().reindex(months)
    ins = d[d.citizenship.isin(CITIZENSHIPS)].groupby("month").encounters.sum().reindex(months)
    return (ins / tot).to_numpy(float)


def observed_sectors(months, sectors, path=SECTOR_FILE) -> np.ndarray:
    """Border Patrol encounters as [month, sector] in the order of `sectors` (all citizenships)."""
    d = pd.read_csv(path)
    p = d.pivot_table(index="month", columns="sector", values="encounters", aggfunc="sum")
    unknown = sorted(set(sectors) - set(p.columns))
    if unknown:
        raise ValueError(f"{path}: no sector named {unknown}")
    return p.reindex(index=months, columns=list(sectors)).to_numpy(float)
