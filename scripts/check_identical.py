#!/usr/bin/env -S /usr/bin/python3
"""Show that two corridor binaries compute the same results (e.g. before and after a refactor).

    scripts/check_identical.py --old OLD_BINARY --new NEW_BINARY [--old-tree DIR] [--scale S] [--out DIR]
                               [SCENARIO ...]

Runs each scenario once with each binary (the scenario's own seed and dates) and compares
the two result files dataset for dataset with corridor_io.files.differences: the same
groups and datasets, every dataset equal bit for bit, every attribute equal, except the root
attributes that describe the execution (created, seconds, agent_steps_per_s, threads,
ranks, restarted_from_day) or the software (software_version, git_commit). The root
attribute `scenario` (the merged scenario as YAML text) is compared on its own: when only it
differs the scenario still counts as identical, and the line says so, since a refactored
scenario file may state the same thing in other words. Files a run writes beside its result
(a flee run's RESULT.out.csv) are compared byte for byte.

With --old-tree DIR (a checkout of the old commit, e.g. `git worktree add /tmp/old COMMIT`)
the old binary runs each scenario from DIR, at the same path relative to the repository, so
that a scenario file rewritten for the new binary (e.g. one that now states a change of an
inherited schedule instead of restating it) is compared with the file as it was.

Default scenarios: the corridor model's defaults, calibrated (the baseline) and four counterfactuals, the
flee model's Mali 2012 case and the Markov demo. `--scale S` runs the corridor-model ones at
`corridor.scale=S` (default: their own, i.e. full scale, ~15 s and ~260 MB per run); the
files go to a temporary folder (or --out DIR) and are deleted once compared, except those of
a scenario that differs when --out is given, for inspection.

Exit status: 0 if every scenario came out identical, 1 if any differs or a run failed, 2 on
bad input (a binary or scenario that does not exist).
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
import time
from pathlib import Path

import h5py

from corridor_io import binary
from corridor_io.files import EXECUTION_ATTRS, SOFTWARE_ATTRS, differences
from corridor_io.repository import ROOT, SCENARIOS

DEFAULT_SCENARIOS = [SCENARIOS / name for name in (
    "defaults.yaml", "calibrated.yaml", "no_title42.yaml", "mx_enforcement_surge.yaml", "aid_4bn.yaml",
    "no_mpp.yaml", "flee/mali2012.yaml", "markov_demo.yaml")]
#: the merged scenario text, compared apart from the datasets.
SCENARIO_ATTR = "scenario"
IGNORED = EXECUTION_ATTRS | SOFTWARE_ATTRS | {SCENARIO_ATTR}


def model_of(scenario: Path, exe: Path) -> str:
    """The scenario's model, as `corridor validate` reports it."""
    p = binary.call(["validate", scenario], exe, timeout=120)
    for line in p.stdout.splitlines():
        if line.startswith("model: "):
            return line.split(": ", 1)[1].strip()
    raise binary.BinaryError(f"`corridor validate {scenario}` names no model:\n{p.stdout}")


def run_with(exe: Path, scenario: Path, folder: Path, args: list[str]) -> tuple[Path, float]:
    """Runs the scenario into folder/<stem>.h5; returns the file and the seconds it took."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{scenario.stem}.h5"
    t0 = time.monotonic()
    binary.run(scenario, out, *args, binary=exe)
    return out, time.monotonic() - t0


def compare(old: Path, new: Path) -> tuple[list[str], bool]:
    """(differences of the results and of the files beside them, whether the scenario text differs)."""
    found = differences(old, new, ignored_root_attrs=IGNORED)
    with h5py.File(old, "r") as a, h5py.File(new, "r") as b:
        scenario_differs = a.attrs.get(SCENARIO_ATTR) != b.attrs.get(SCENARIO_ATTR)
    old_files = {p.name for p in old.parent.iterdir()} - {old.name}
    new_files = {p.name for p in new.parent.iterdir()} - {new.name}
    for name in sorted(old_files ^ new_files):
        found.append(f"{name}: written by the {'old' if name in old_files else 'new'} binary only")
    for name in sorted(old_files & new_files):
        if not filecmp.cmp(old.parent / name, new.parent / name, shallow=False):
            found.append(f"{name}: the files differ")
    return found, scenario_differs


def check(scenario: Path, old_scenario: Path, old_exe: Path, new_exe: Path, scale: float | None,
          work: Path) -> tuple[bool, str]:
    """(identical?, the report line(s)) for one scenario; its files are left in work/{old,new}."""
    args = []
    if scale is not None and model_of(scenario, new_exe) == "corridor":
        args = ["--set", f"corridor.scale={scale:g}"]
    timings = []
    files = {}
    for which, exe, path in (("old", old_exe, old_scenario), ("new", new_exe, scenario)):
        try:
            files[which], seconds = run_with(exe, path, work / which, args)
        except binary.CommandFailed as e:
            tail = "\n".join("      " + ln for ln in e.stderr.strip().splitlines()[-5:])
            return False, f"the {which} binary's run failed (exit {e.returncode}):\n{tail}"
        timings.append(seconds)
    found, scenario_differs = compare(files["old"], files["new"])
    took = f"({timings[0]:.1f} s old, {timings[1]:.1f} s new)"
    if found:
        return False, f"DIFFERENT {took}:\n" + "\n".join(f"      {line}" for line in found)
    if scenario_differs:
        return True, f"identical datasets; only the root attribute `scenario` (the scenario text) differs {took}"
    return True, f"identical {took}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Exit status: 0 identical, 1 a scenario differs or a run failed, 2 bad input.")
    ap.add_argument("--old", type=Path, required=True, metavar="OLD_BINARY", help="the reference binary")
    ap.add_argument("--new", type=Path, required=True, metavar="NEW_BINARY", help="the binary to check")
    ap.add_argument("--old-tree", type=Path, default=None, metavar="DIR",
                    help="a checkout of the old commit: the old binary runs the scenarios from there")
    ap.add_argument("--scale", type=float, default=None, metavar="S",
                    help="corridor.scale of the corridor-model scenarios (default: full scale)")
    ap.add_argument("--out", type=Path, default=None, metavar="DIR",
                    help="scratch folder (default: a temporary one, removed); keeps the files of a scenario that "
                         "differs")
    ap.add_argument("scenarios", nargs="*", type=Path, metavar="SCENARIO",
                    help="scenario files to run (default: the eight listed in the description)")
    args = ap.parse_args(argv)
    scenarios = args.scenarios or DEFAULT_SCENARIOS
    try:
        old_exe, new_exe = binary.find(args.old), binary.find(args.new)
    except binary.BinaryError as e:
        ap.error(str(e))
    missing = [str(s) for s in scenarios if not s.is_file()]
    if missing:
        ap.error(f"no such scenario file: {', '.join(missing)}")
    if args.scale is not None and not args.scale > 0:
        ap.error("--scale must be positive")
    print(f"old: {binary.version(old_exe)} ({old_exe})\nnew: {binary.version(new_exe)} ({new_exe})", flush=True)
    base = args.out or Path(tempfile.mkdtemp(prefix="corridor-identical-"))
    base.mkdir(parents=True, exist_ok=True)
    failures = []
    try:
        for scenario in scenarios:
            scenario = scenario.absolute()
            name = str(scenario.relative_to(ROOT)) if scenario.is_relative_to(ROOT) else str(scenario)
            work = base / name.replace("/", "_").removesuffix(".yaml")
            shutil.rmtree(work, ignore_errors=True)
            old_scenario = scenario
            if args.old_tree is not None:
                if not scenario.is_relative_to(ROOT):
                    ap.error(f"--old-tree: {scenario} is not inside the repository")
                old_scenario = (args.old_tree / scenario.relative_to(ROOT)).absolute()
            try:
                same, report = check(scenario, old_scenario, old_exe, new_exe, args.scale, work)
            except binary.BinaryError as e:
                same, report = False, f"could not be run: {e}"
            print(f"{name}: {report}", flush=True)
            if not same:
                failures.append(name)
            if same or args.out is None:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if args.out is None:
            shutil.rmtree(base, ignore_errors=True)
    n = len(scenarios)
    print(f"{n - len(failures)} of {n} scenarios identical" + (f"; differ or failed: {', '.join(failures)}"
                                                               if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
