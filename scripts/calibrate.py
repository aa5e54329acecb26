#!/usr/bin/env -S /usr/bin/python3
"""Calibrate a model by history matching with Gaussian-process emulators, then draw a posterior
ensemble (docs/calibration.md). One command, from scratch or resuming:

    scripts/calibrate.py [SPEC]           # default scenarios/calibration/corridor.yaml

SPEC is a calibration spec file (docs/calibration.md, "The spec file"): the parameters by scenario
key path with ranges and scales, the targets (model series against data files) with their
observation and discrepancy variances, the waves, the ensemble and the sensitivity analysis.

It runs every wave of history matching as a `corridor sweep` (locally with --jobs, under
--launcher "mpirun -n N", or hands each wave to SLURM with --emit-slurm and stops until its runs
are done), keeps every run's parameters and target values in the run table (--table; reused by
later waves and later calibrations of the same setup), fits the emulators, refocuses the
non-implausible space, draws the posterior ensemble and runs it, and writes:
    scenarios/posterior/posterior.yaml, design.csv, parameters.csv   the ensemble (--posterior-dir)
    scenarios/calibrated.yaml                                        its best point (--calibrated)
    results/calibration/report.md and PNGs                           the fit report (--report-dir)
Calling it again with the same spec and binary continues where it stopped (--work keeps the
state); --fresh starts over (the run table is kept).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from corridor_io import binary
from corridor_io.calibration import pipeline, report
from corridor_io.calibration.spec import Spec, SpecError
from corridor_io.repository import ROOT, SCENARIOS


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See docs/calibration.md for the method, the spec file and the times.")
    ap.add_argument("spec", nargs="?", type=Path, default=SCENARIOS / "calibration" / "corridor.yaml",
                    help="the calibration spec (default scenarios/calibration/corridor.yaml)")
    binary.add_option(ap)
    ap.add_argument("--work", type=Path, help="work directory: state, designs, sweeps, emulators (default "
                                              "results/calibration-work/<spec name>)")
    ap.add_argument("--table", type=Path, default=ROOT / "results" / "calibration-runs.csv.gz",
                    help="the run table shared by waves and calibrations (default results/calibration-runs.csv.gz)")
    ap.add_argument("--jobs", type=int, default=2, help="runs side by side on this machine (default 2)")
    ap.add_argument("--launcher", default="", help="run each sweep under this command, e.g. 'mpirun -n 16' "
                                                   "(its ranks share the runs; docs/hpc.md)")
    ap.add_argument("--emit-slurm", action="store_true",
                    help="write each wave's SLURM job array (DIR.sbatch in the work directory) and stop; submit "
                         "it, and call this command again when its runs are done")
    ap.add_argument("--slurm-time", help="with --emit-slurm: each task's time limit (e.g. 00:10:00)")
    ap.add_argument("--slurm-partition", help="with --emit-slurm: the partition")
    ap.add_argument("--workers", type=int, default=2, help="processes fitting emulators (default 2)")
    ap.add_argument("--posterior-dir", type=Path, default=SCENARIOS / "posterior")
    ap.add_argument("--calibrated", type=Path, default=SCENARIOS / "calibrated.yaml")
    ap.add_argument("--report-dir", type=Path, default=ROOT / "results" / "calibration")
    ap.add_argument("--max-waves", type=int, metavar="N",
                    help="run at most the spec's first N waves, then draw the ensemble from the space they left "
                         "(a time budget; a later call without it goes on with the next wave and draws again)")
    ap.add_argument("--no-sensitivity", action="store_true", help="skip the sensitivity analysis")
    ap.add_argument("--no-report", action="store_true", help="skip the fit report (scripts/fit_report.py makes it)")
    ap.add_argument("--keep-results", action="store_true",
                    help="keep every run's HDF5 file (by default removed once its values are in the run table)")
    ap.add_argument("--fresh", action="store_true", help="start this calibration over (the run table is kept)")
    a = ap.parse_args(argv)
    try:
        exe = binary.find(a.binary)
        spec = Spec.load(a.spec)
    except (binary.BinaryError, SpecError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    work = a.work or ROOT / "results" / "calibration-work" / spec.name
    if a.fresh:
        pipeline.clear_work(work)
    slurm = []
    if a.slurm_time:
        slurm += ["--slurm-time", a.slurm_time]
    if a.slurm_partition:
        slurm += ["--slurm-partition", a.slurm_partition]
    opts = pipeline.Options(work=work, table=a.table, binary=exe, jobs=a.jobs, launcher=a.launcher,
                            emit_slurm=a.emit_slurm, slurm_options=slurm, workers=a.workers,
                            posterior_dir=a.posterior_dir, calibrated=a.calibrated, report_dir=a.report_dir,
                            keep_results=a.keep_results, sensitivity=not a.no_sensitivity, max_waves=a.max_waves,
                            log=lambda m: print(m, flush=True))
    t0 = time.monotonic()
    try:
        cal = pipeline.Calibration(spec, opts)
        cal.run()
        if not a.no_report:
            report.write_report(spec, cal.state, cal.table, a.report_dir, exe, log=opts.log, work=work)
    except SpecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except pipeline.WaitingForRuns as e:
        print(f"waiting: {e}")
        return 3
    except pipeline.CalibrationError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"calibration {spec.name}: done in {(time.monotonic() - t0) / 60:.1f} min (this call); state {work}/state.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
