#!/usr/bin/env -S /usr/bin/python3
"""The fit report of a calibration: results/calibration/report.md and its PNG plots.

    scripts/fit_report.py [SPEC] [--work DIR] [--table FILE] [--out-dir DIR]

Writes, from what scripts/calibrate.py left (its work directory's state and the run table; it
runs nothing): the space left after each wave and the emulators' leave-one-out diagnostics, the
posterior ensemble's parameters, its posterior predictive bands against the data with their
coverage and the ARD, the implausibility left at the best point per target, the sensitivity
table and plot, and the time each step took (docs/calibration.md, "The fit report").
scripts/calibrate.py writes the same report at its end; this script rewrites it (e.g. after a
change of the report's layout).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corridor_io import binary
from corridor_io.calibration import report
from corridor_io.calibration.runtable import RunTable
from corridor_io.calibration.spec import Spec, SpecError
from corridor_io.repository import ROOT, SCENARIOS


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec", nargs="?", type=Path, default=SCENARIOS / "calibration" / "corridor.yaml")
    binary.add_option(ap)
    ap.add_argument("--work", type=Path, help="the calibration's work directory (default "
                                              "results/calibration-work/<spec name>)")
    ap.add_argument("--table", type=Path, default=ROOT / "results" / "calibration-runs.csv.gz")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "results" / "calibration")
    a = ap.parse_args(argv)
    try:
        exe = binary.find(a.binary)
        spec = Spec.load(a.spec)
    except (binary.BinaryError, SpecError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    work = a.work or ROOT / "results" / "calibration-work" / spec.name
    state_file = work / "state.json"
    if not state_file.is_file():
        print(f"error: {state_file}: no calibration state (run scripts/calibrate.py {a.spec} first)", file=sys.stderr)
        return 2
    state = json.loads(state_file.read_text())
    if "ensemble" not in state:
        print(f"error: {state_file}: the calibration has not reached its posterior ensemble yet", file=sys.stderr)
        return 2
    report.write_report(spec, state, RunTable(a.table), a.out_dir, exe, work=work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
