#!/usr/bin/env -S /usr/bin/python3
"""Monthly US encounters of a corridor run as a CSV, in the columns and names of CBP's data.

    scripts/monthly.py RESULT.h5 [--out FILE.csv]            # by component x demographic x citizenship x title
    scripts/monthly.py RESULT.h5 --sector [--out FILE.csv]   # Border Patrol by sector

The first form writes `month,component,demographic,citizenship,title,encounters` with CBP's
category names; `--sector` writes `month,sector,encounters` (component USBP only), with the
sector names of data/usbp_swb_encounters_by_sector_monthly.csv. Counts are DIVIDED BY THE
RUN'S model_scale ATTRIBUTE, so they are estimates for the full population (integers at
scale 1, two decimals otherwise); the first line on stderr gives the scale and names the
months the run covers only in part. Columns, scope and scaling: corridor_io.monthly.
"""
from __future__ import annotations

import argparse
import sys

from corridor_io import ResultError
from corridor_io.monthly import MonthlyRun, write_csv


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
    except ResultError as e:
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
