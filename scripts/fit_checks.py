#!/usr/bin/env -S /usr/bin/python3
"""The corridor model v2 checks (issue 11, "Done when") of one or more runs, as a Markdown table.

    scripts/fit_checks.py RUN.h5 [RUN2.h5 ...]

The runs are seeds of one scenario (e.g. scenarios/calibrated.yaml at scale 1); each check is
made on their mean. The checks, their data and their goals: corridor_io.fitchecks.
"""
from __future__ import annotations

import argparse
import sys

from corridor_io import ResultError
from corridor_io.fitchecks import markdown, run_checks


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", nargs="+", help="corridor result files (HDF5) covering October 2018 to September 2021")
    a = ap.parse_args(argv)
    try:
        print(markdown(run_checks(a.results)))
    except (ResultError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
