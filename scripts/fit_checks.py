#!/usr/bin/env -S /usr/bin/python3
"""The corridor model v2 checks (issue 11, "Done when") of one or more runs, as a Markdown table.

    scripts/fit_checks.py RUN.h5 [RUN2.h5 ...]     # seeds of one scenario: the checks on their mean
    scripts/fit_checks.py --sweep SWEEP_DIR        # one table per scenario of a sweep (its done runs)

The checks, their data and their goals: corridor_io.fitchecks. An ablation or counterfactual
sweep (scenarios/sweeps/v2_ablation.yaml) gives one table per scenario.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from corridor_io import ResultError
from corridor_io.fitchecks import markdown, run_checks


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", nargs="*", help="corridor result files (HDF5) covering October 2018 to September 2021")
    ap.add_argument("--sweep", type=Path, help="the --out directory of `corridor sweep`: a table per scenario")
    a = ap.parse_args(argv)
    if bool(a.results) == bool(a.sweep):
        ap.error("give result files or --sweep DIR (one of them)")
    try:
        if a.results:
            print(markdown(run_checks(a.results)))
            return 0
        index_file = a.sweep / "index.csv"
        if not index_file.is_file():
            raise ValueError(f"{index_file}: not found (is {a.sweep} the --out of `corridor sweep`?)")
        index = pd.read_csv(index_file, dtype=str)
        done = index[index["status"] == "done"]
        if done.empty:
            raise ValueError(f"{index_file}: no run is done")
        for scenario, rows in done.groupby("scenario", sort=False):
            print(f"### {scenario} ({len(rows)} runs)\n")
            print(markdown(run_checks([a.sweep / o for o in rows["output"]])) + "\n")
    except (ResultError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
