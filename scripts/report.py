#!/usr/bin/env -S /usr/bin/python3
"""Write the HTML report of a run or of a sweep: one self-contained page that opens offline.

    scripts/report.py RESULT.h5 [--out report.html]
    scripts/report.py SWEEP_DIR [--out report.html]

For a result: an animated map of the network (nodes at their coordinates sized by occupancy,
edges by edge_flows, a date slider with the real-world policy dates marked) and, for a
corridor-model run, monthly US encounters by nationality, demographic and title against CBP's.
For a sweep directory (index.csv and the runs it names): each scenario's band of monthly
encounters over its replicates against CBP's, then the map and categories of its first done
run. What each figure shows is written above it on the page (corridor_io.report).

Default output: RESULT with the extension replaced by `.html`, or SWEEP_DIR/report.html.
Prints the path written. Exits 2 with a message on bad input (not a complete result, no
index.csv, no done run).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import corridor_io
from corridor_io import report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, help="a result file (.h5) or a sweep directory")
    ap.add_argument("--out", type=Path, help="HTML file to write")
    args = ap.parse_args(argv)
    try:
        if args.input.is_dir():
            page = report.sweep_page(args.input)
            out = args.out or args.input / "report.html"
        else:
            page = report.run_page(args.input)
            out = args.out or args.input.with_suffix(".html")
    except (corridor_io.ResultError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = report.render(page)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")  # never a half-written page under the name
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
