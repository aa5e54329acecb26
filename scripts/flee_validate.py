#!/usr/bin/python3
"""Validate the flee model on Flee's Mali 2012 case against UNHCR camp counts.

Runs the scenario for several seeds, reads each run's Flee-style out.csv and computes the
averaged relative difference (ARD, RULES.md) from its camp columns, plain and rescaled:

  E(t)  = sum_c |sim_c - data_c| / max(sum_c data_c, 1),  ARD = mean over days
  E'(t) = the same after scaling sim_c so that sum_c sim_c = sum_c data_c

Prints each seed's figures, then mean, standard deviation and range over the seeds, next to
the reference implementation's 0.38 (plain) and 0.32 (rescaled).

  /usr/bin/python3 scripts/flee_validate.py                  # 10 seeds, full scale
  /usr/bin/python3 scripts/flee_validate.py --seeds 3 --set flee.optimisations.hasten=10
"""
import argparse
import csv
import os
import statistics
import sys

from corridor_io import binary
from corridor_io.repository import ROOT

REFERENCE = {"plain": 0.38, "rescaled": 0.32, "agents": 89991}


def ard_from_out_csv(path):
    """(ARD plain, ARD rescaled, per-day plain, per-day rescaled, agents at the end) from an out.csv."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    camps = [h[: -len(" sim")] for h in header if h.endswith(" sim")]
    col = {h: i for i, h in enumerate(header)}
    plain, rescaled = [], []
    for r in body:
        sim = [float(r[col[c + " sim"]]) for c in camps]
        data = [float(r[col[c + " data"]]) for c in camps]
        total_data, total_sim = sum(data), sum(sim)
        plain.append(sum(abs(s - d) for s, d in zip(sim, data)) / max(total_data, 1.0))
        if total_sim > 0:
            k = total_data / total_sim
            rescaled.append(sum(abs(k * s - d) for s, d in zip(sim, data)) / max(total_data, 1.0))
        else:
            rescaled.append(plain[-1])
    agents = int(body[-1][col["total refugees (simulation)"]])
    return statistics.fmean(plain), statistics.fmean(rescaled), plain, rescaled, agents


def main():
    root = str(ROOT)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    binary.add_option(ap, deprecated=("--bin",))
    ap.add_argument("--scenario", default=os.path.join(root, "scenarios", "flee", "mali2012.yaml"))
    ap.add_argument("--seeds", type=int, default=10, help="number of seeds (1..N)")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out-dir", default=os.path.join(root, "results", "flee_validation"))
    ap.add_argument("--set", action="append", default=[], help="scenario override key=value (repeatable)")
    ap.add_argument("--per-day", help="write the per-day mean E(t) and E'(t) over the seeds to this CSV")
    a = ap.parse_args()
    if a.seeds < 1:
        ap.error("--seeds must be at least 1")
    try:
        exe = binary.find(a.binary)
    except binary.BinaryError as e:
        ap.error(str(e))
    os.makedirs(a.out_dir, exist_ok=True)

    results = []
    print(f"{'seed':>6} {'ARD':>8} {'rescaled':>9} {'agents':>8}")
    for seed in range(a.first_seed, a.first_seed + a.seeds):
        out = os.path.join(a.out_dir, f"mali2012_seed{seed}.h5")
        args = ["--seed", str(seed), "--threads", str(a.threads), "--set", "output.events=false",
                "--set", "output.agents=false"]
        for s in a.set:
            args += ["--set", s]
        p = binary.run(a.scenario, out, *args, binary=exe, cwd=None, check=False)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            sys.exit(p.returncode)
        plain, resc, per_plain, per_resc, agents = ard_from_out_csv(out[: -len(".h5")] + ".out.csv")
        results.append((seed, plain, resc, per_plain, per_resc, agents))
        print(f"{seed:>6} {plain:8.4f} {resc:9.4f} {agents:>8}")

    def summary(values):
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return statistics.fmean(values), sd, min(values), max(values)

    print()
    for name, idx in (("plain", 1), ("rescaled", 2)):
        m, sd, lo, hi = summary([r[idx] for r in results])
        print(f"ARD {name:8}: mean {m:.4f}  sd {sd:.4f}  range [{lo:.4f}, {hi:.4f}]  over {len(results)} seeds"
              f"   reference {REFERENCE[name]:.2f}")
    print(f"agents at the end: {results[0][5]} (reference {REFERENCE['agents']})")

    if a.per_day:
        days = len(results[0][3])
        with open(a.per_day, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["day", "E_plain_mean", "E_rescaled_mean"])
            for d in range(days):
                w.writerow([d, statistics.fmean(r[3][d] for r in results), statistics.fmean(r[4][d] for r in results)])
        print(f"per-day figures: {a.per_day}")


if __name__ == "__main__":
    main()
