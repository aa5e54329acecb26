#!/usr/bin/env -S /usr/bin/python3
"""Compare the scenarios of a corridor sweep on the headline outcomes (docs/hpc.md).

    scripts/compare.py SWEEP_DIR [--baseline NAME] [--out DIR] [--from DATE] [--to DATE] [--no-rescale]

SWEEP_DIR is what `corridor sweep FILE --out SWEEP_DIR` wrote: index.csv and runs/*.h5. Only
runs whose status is `done` are read (every file through corridor_io, which refuses an
incomplete one). For each scenario its runs are aggregated, per outcome and month, into the
mean and the 5 % and 95 % percentiles over runs (numpy's linear interpolation). When the sweep
has a design (the policy matrix runs every policy over the posterior ensemble of
scenarios/posterior/, docs/calibration.md), a scenario's runs are its design points x
replicates, so the band holds parameter uncertainty as well as Monte Carlo noise; otherwise it
is the spread of the replicates alone (with 5 replicates close to their minimum and maximum).

Outcomes (corridor model series; docs/output.md, docs/model.md):
  encounters          people encountered at the US southwest border, by nationality and title
  unique_encountered  people encountered for the first time (unique people encountered)
  entries_us          people entering the US: releases + undetected entries
  expulsions          Title 42 expulsions
  repeat_encounters   encounters of people encountered within the repeat window
  mx_apprehensions    people apprehended by Mexican authorities
  waiting_at_border   people waiting in the northern border cities (a stock: monthly mean of days)
  transit_days        mean days from departure to a northern border city, over the month's arrivals
Counts are divided by the run's model_scale (root attribute) unless --no-rescale, so that
they read as real-population numbers; transit days are not rescaled.

Writes to --out (default SWEEP_DIR/compare):
  outcomes.csv      tidy: scenario, outcome, nationality, title, period (YYYY-MM or 'total'),
                    unit, runs, mean, p05, p95 (nationality/title 'all' when summed)
  differences.md    per scenario, each outcome's total over the period against the baseline:
                    scenario and baseline means with their 5-95 % bands, and the difference
                    with its 5-95 % band. When the scenarios share seeds (seeds: per_replicate,
                    or per_point with a design) the differences are paired by design point and
                    replicate (same parameters, common random numbers); otherwise taken over
                    all pairs.
It also prints the effects table: each scenario's difference from the baseline in encounters,
unique people encountered and entries to the US, with the 90 % band of the paired differences.
  plots/*.png       monthly mean and 5-95 % band per scenario, one figure per outcome
                    (encounters also by nationality and by title)
--from / --to restrict every figure to the days between two dates (e.g. --from 2018-10-01 to
leave out the spin-up months of scenarios/calibrated.yaml).
Exit status: 0, or 2 with a message on bad input (no index, unknown baseline, no done run).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import corridor_io

COUNT_OUTCOMES = ("encounters", "unique_encountered", "entries_us", "expulsions", "repeat_encounters",
                  "mx_apprehensions")
ALL_OUTCOMES = COUNT_OUTCOMES + ("waiting_at_border", "transit_days")
UNITS = {"encounters": "people", "unique_encountered": "people", "entries_us": "people", "expulsions": "people",
         "repeat_encounters": "people", "mx_apprehensions": "people", "waiting_at_border": "people (monthly mean)",
         "transit_days": "days (mean per border arrival)"}
#: the outcomes of the printed effects table (issue 12: every policy answer with a band)
HEADLINE = ("encounters", "unique_encountered", "entries_us")


class InputProblem(Exception):
    pass


def run_outcomes(path: Path, rescale: bool, start=None, end=None) -> pd.DataFrame:
    """One run's outcomes: rows (outcome, nationality, title, period, value), periods monthly and 'total'.

    Works on the raw series arrays (corridor_io.Result.series_array) rather than tidy frames:
    a five-year run has tens of thousands of cells per day and a sweep has dozens of runs.
    """
    r = corridor_io.load(path)
    if r.attrs.get("model") != "corridor":
        raise InputProblem(f"{path}: model {r.attrs.get('model')!r}; compare.py reads corridor model results")
    scale = float(r.attrs.get("model_scale", 1.0)) if rescale else 1.0
    months = r.calendar["date"].dt.strftime("%Y-%m").to_numpy()
    dates = r.calendar["date"].to_numpy()
    rows = []

    def by_day(name, keep):
        """Series `name` summed over every dimension but `keep`: (array [day, *keep], labels of keep, month per day)."""
        values, info = r.series_array(name)
        dims = info["dims"][1:]
        drop = tuple(1 + i for i, d in enumerate(dims) if d not in keep)
        a = values.sum(axis=drop) if drop else values
        day = info["day"]
        inside = np.ones(len(day), dtype=bool)  # --from / --to: the days that count
        if start is not None:
            inside &= dates[day] >= start
        if end is not None:
            inside &= dates[day] <= end
        return a[inside].astype(np.float64), [info["labels"][d] for d in dims if d in keep], months[day[inside]]

    def monthly(a, month_of_day, how):
        """Rows of `a` [day, ...] grouped by month: sums (flows) or means (stocks); plus the total."""
        periods, inverse = np.unique(month_of_day, return_inverse=True)
        acc = np.zeros((len(periods),) + a.shape[1:])
        np.add.at(acc, inverse, a)
        if how == "mean":
            acc /= np.bincount(inverse, minlength=len(periods)).reshape((-1,) + (1,) * (a.ndim - 1))
            total = a.mean(axis=0)
        else:
            total = a.sum(axis=0)
        return periods, acc, total

    def emit(outcome, periods, acc, total, nationality="all", title="all"):
        for p, v in zip(periods, acc):
            rows.append((outcome, nationality, title, p, float(v) / scale))
        rows.append((outcome, nationality, title, "total", float(total) / scale))

    a, (nat, title), mday = by_day("encounters", ("nationality", "title"))  # [day, nat, title]
    periods, acc, total = monthly(a, mday, "sum")
    emit("encounters", periods, acc.sum(axis=(1, 2)), total.sum())
    for i, n in enumerate(nat):
        emit("encounters", periods, acc[:, i, :].sum(axis=1), total[i, :].sum(), nationality=n)
    for j, t in enumerate(title):
        emit("encounters", periods, acc[:, :, j].sum(axis=1), total[:, j].sum(), title=t)
    for i, n in enumerate(nat):
        for j, t in enumerate(title):
            emit("encounters", periods, acc[:, i, j], total[i, j], nationality=n, title=t)
    for name in ("unique_encountered", "expulsions", "repeat_encounters", "mx_apprehensions"):
        a, _, mday = by_day(name, ())
        periods, acc, total = monthly(a, mday, "sum")
        emit(name, periods, acc, total)
    # Entries to the US: released (at the encounter or after an MPP hearing) or never encountered.
    rel, _, mday = by_day("releases", ())
    und, _, _ = by_day("undetected_entries", ())
    periods, acc, total = monthly(rel + und, mday, "sum")
    emit("entries_us", periods, acc, total)
    a, _, mday = by_day("waiting_at_border", ())
    periods, acc, total = monthly(a, mday, "mean")
    emit("waiting_at_border", periods, acc, total)
    # Mean transit time: person-days over people, month by month and over the whole run.
    td, _, mday = by_day("transit_days", ())
    ba, _, _ = by_day("border_arrivals", ())
    periods, num, num_t = monthly(td, mday, "sum")
    _, den, den_t = monthly(ba, mday, "sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    for p, v in zip(periods, mean):
        rows.append(("transit_days", "all", "all", p, float(v)))
    rows.append(("transit_days", "all", "all", "total", float(num_t / den_t) if den_t > 0 else np.nan))
    return pd.DataFrame(rows, columns=["outcome", "nationality", "title", "period", "value"])


def load_sweep(sweep_dir: Path, rescale: bool, start=None, end=None):
    index_file = sweep_dir / "index.csv"
    if not index_file.is_file():
        raise InputProblem(f"{index_file}: not found (is {sweep_dir} the --out of `corridor sweep`?)")
    index = pd.read_csv(index_file, dtype={"run_id": str, "scenario": str, "seed": str, "status": str, "point": str})
    if "point" not in index.columns:
        index["point"] = ""
    for col in ("run_id", "scenario", "replicate", "seed", "status", "output"):
        if col not in index.columns:
            raise InputProblem(f"{index_file}: no column '{col}'")
    done = index[index["status"] == "done"]
    skipped = index[index["status"] != "done"]
    if len(skipped):
        print(f"compare: {len(skipped)} of {len(index)} runs are not done and are left out "
              f"({', '.join(skipped['run_id'].head(8))}{' ...' if len(skipped) > 8 else ''})", file=sys.stderr)
    if done.empty:
        raise InputProblem(f"{index_file}: no run is done yet")
    frames = []
    for _, row in done.iterrows():
        try:
            o = run_outcomes(sweep_dir / row["output"], rescale, start, end)
        except corridor_io.ResultError as e:
            raise InputProblem(str(e)) from None
        o.insert(0, "replicate", int(row["replicate"]))
        o.insert(0, "point", row["point"])
        o.insert(0, "seed", row["seed"])
        o.insert(0, "scenario", row["scenario"])
        frames.append(o)
    order = list(dict.fromkeys(index["scenario"]))
    return index, pd.concat(frames, ignore_index=True), order


def aggregate(per_run: pd.DataFrame) -> pd.DataFrame:
    keys = ["scenario", "outcome", "nationality", "title", "period"]
    g = per_run.groupby(keys, sort=False)["value"]
    out = g.agg(runs="count", mean="mean").reset_index()
    out["p05"] = g.quantile(0.05).to_numpy()
    out["p95"] = g.quantile(0.95).to_numpy()
    out.insert(5, "unit", out["outcome"].map(UNITS))
    return out


def paired_seeds(index: pd.DataFrame) -> bool:
    """True when every scenario's run at (design point, replicate) has the same seed: same
    parameters and common random numbers, so differences can be paired."""
    seeds = index.groupby(["point", "replicate"])["seed"].nunique()
    return bool((seeds == 1).all()) and index["scenario"].nunique() > 1


def differences(per_run: pd.DataFrame, scenarios: list[str], baseline: str, paired: bool) -> pd.DataFrame:
    tot = per_run[per_run["period"] == "total"]
    base = tot[tot["scenario"] == baseline]
    rows = []
    for sc in scenarios:
        if sc == baseline:
            continue
        cur = tot[tot["scenario"] == sc]
        for key, g in cur.groupby(["outcome", "nationality", "title"], sort=False):
            b = base[(base["outcome"] == key[0]) & (base["nationality"] == key[1]) & (base["title"] == key[2])]
            if b.empty:
                continue
            if paired:
                m = g.merge(b, on=["point", "replicate"], suffixes=("", "_b"))
                d = (m["value"] - m["value_b"]).to_numpy()
            else:
                d = (g["value"].to_numpy()[:, None] - b["value"].to_numpy()[None, :]).ravel()
            d = d[~np.isnan(d)]
            bm = b["value"].mean()
            rows.append({
                "scenario": sc, "outcome": key[0], "nationality": key[1], "title": key[2],
                "mean": g["value"].mean(), "p05": g["value"].quantile(0.05), "p95": g["value"].quantile(0.95),
                "baseline_mean": bm, "baseline_p05": b["value"].quantile(0.05),
                "baseline_p95": b["value"].quantile(0.95),
                "diff_mean": d.mean() if d.size else np.nan,
                "diff_p05": np.percentile(d, 5) if d.size else np.nan,
                "diff_p95": np.percentile(d, 95) if d.size else np.nan,
                "diff_pct": 100.0 * d.mean() / bm if d.size and bm else np.nan,
            })
    return pd.DataFrame(rows)


def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.2f} M"
    if a >= 1e4:
        return f"{v / 1e3:.0f} k"
    if a >= 100:
        return f"{v:.0f}"
    return f"{v:.1f}"


def markdown(diff: pd.DataFrame, baseline: str, paired: bool, index: pd.DataFrame, rescale: bool,
             period: str = "the run's period") -> str:
    done = index[index["status"] == "done"]
    n = done.groupby("scenario").size()
    points = done["point"].nunique() if (done["point"] != "").any() else 0
    runs = (f"design points x replicates ({points} points: parameter uncertainty and Monte Carlo noise)" if points
            else "replicates (Monte Carlo noise only)")
    lines = [f"# Scenario differences from `{baseline}`", ""]
    lines.append(f"Totals over {period}; {'real-population numbers (counts divided by model_scale)' if rescale else 'simulated counts'}. "
                 f"Each cell: mean over the runs [5 %, 95 % of the runs]; a scenario's runs are its {runs}. "
                 f"Difference: {'paired by design point and replicate (same parameters and seeds)' if paired else 'over all pairs of runs'}; "
                 f"{'its band is the 5-95 % range of the paired differences' if paired else 'its band is the 5-95 % range of the pairwise differences'}.")
    lines.append(f"Runs: {', '.join(f'{k} {v}' for k, v in n.items())}.")
    for sc, g in diff.groupby("scenario", sort=False):
        lines += ["", f"## {sc}", "", "| outcome | nationality | title | scenario | baseline | difference | % |",
                  "|---|---|---|---:|---:|---:|---:|"]
        for _, r in g.iterrows():
            lines.append(f"| {r.outcome} | {r.nationality} | {r.title} | {_fmt(r['mean'])} [{_fmt(r.p05)}, {_fmt(r.p95)}] | "
                         f"{_fmt(r.baseline_mean)} [{_fmt(r.baseline_p05)}, {_fmt(r.baseline_p95)}] | "
                         f"{_fmt(r.diff_mean)} [{_fmt(r.diff_p05)}, {_fmt(r.diff_p95)}] | "
                         f"{'n/a' if np.isnan(r.diff_pct) else f'{r.diff_pct:+.1f}'} |")
    return "\n".join(lines) + "\n"


def effects_table(diff: pd.DataFrame, baseline: str) -> str:
    """The headline effects, one row per scenario: difference from the baseline [5 %, 95 %] (%)."""
    head = diff[(diff["nationality"] == "all") & (diff["title"] == "all") & diff["outcome"].isin(HEADLINE)]
    cols = [o for o in HEADLINE if o in set(head["outcome"])]
    lines = [f"| scenario (vs {baseline}) | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for sc, g in head.groupby("scenario", sort=False):
        cells = []
        for o in cols:
            r = g[g["outcome"] == o]
            if r.empty:
                cells.append("n/a")
                continue
            r = r.iloc[0]
            pct = "n/a" if np.isnan(r.diff_pct) else f"{r.diff_pct:+.1f} %"
            cells.append(f"{_fmt(r.diff_mean)} [{_fmt(r.diff_p05)}, {_fmt(r.diff_p95)}] ({pct})")
        lines.append(f"| {sc} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plots(agg: pd.DataFrame, scenarios: list[str], out_dir: Path) -> list[Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    monthly = agg[agg["period"] != "total"].copy()
    monthly["month"] = pd.to_datetime(monthly["period"] + "-01")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    written = []

    def panel(ax, frame, title):
        for i, sc in enumerate(scenarios):
            f = frame[frame["scenario"] == sc].sort_values("month")
            if f.empty:
                continue
            c = colors[i % len(colors)]
            ax.plot(f["month"], f["mean"], color=c, lw=1.2, label=sc)
            ax.fill_between(f["month"], f["p05"], f["p95"], color=c, alpha=0.15, lw=0)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)

    for outcome in ALL_OUTCOMES:
        f = monthly[(monthly["outcome"] == outcome) & (monthly["nationality"] == "all") & (monthly["title"] == "all")]
        fig, ax = plt.subplots(figsize=(9, 4.5))
        panel(ax, f, f"{outcome} ({UNITS[outcome]}), mean and 5-95 % of the runs")
        ax.legend(fontsize=6, ncol=2)
        fig.tight_layout()
        p = out_dir / f"{outcome}.png"
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)
    enc = monthly[monthly["outcome"] == "encounters"]
    for by in ("nationality", "title"):
        other = "title" if by == "nationality" else "nationality"
        f = enc[(enc[by] != "all") & (enc[other] == "all")]
        groups = list(dict.fromkeys(f[by]))
        if not groups:
            continue
        fig, axes = plt.subplots(len(groups), 1, figsize=(9, 2.4 * len(groups)), sharex=True, squeeze=False)
        for ax, gname in zip(axes[:, 0], groups):
            panel(ax, f[f[by] == gname], f"encounters, {by} {gname}")
        axes[0, 0].legend(fontsize=6, ncol=2)
        fig.tight_layout()
        p = out_dir / f"encounters_by_{by}.png"
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep_dir", type=Path, help="the --out directory of `corridor sweep`")
    ap.add_argument("--baseline", help="scenario to compare against (default: the sweep's first scenario)")
    ap.add_argument("--out", type=Path, help="output directory (default: SWEEP_DIR/compare)")
    ap.add_argument("--no-rescale", action="store_true", help="keep simulated counts (do not divide by model_scale)")
    ap.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    ap.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                    help="count only days from this date (e.g. after a spin-up period)")
    ap.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="count only days up to this date")
    a = ap.parse_args(argv)
    try:
        bounds = []
        for flag, v in (("--from", a.start), ("--to", a.end)):
            try:
                bounds.append(np.datetime64(pd.Timestamp(v).date()) if v else None)
            except ValueError:
                raise InputProblem(f"{flag} {v!r}: expected a date YYYY-MM-DD") from None
        index, per_run, scenarios = load_sweep(a.sweep_dir, not a.no_rescale, *bounds)
        present = list(dict.fromkeys(per_run["scenario"]))
        scenarios = [s for s in scenarios if s in present]
        baseline = a.baseline or scenarios[0]
        if baseline not in scenarios:
            raise InputProblem(f"--baseline {baseline!r}: no done run of that scenario (scenarios: {', '.join(scenarios)})")
    except InputProblem as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = a.out or a.sweep_dir / "compare"
    out.mkdir(parents=True, exist_ok=True)
    agg = aggregate(per_run)
    agg.to_csv(out / "outcomes.csv", index=False)
    paired = paired_seeds(index[index["status"] == "done"])
    diff = differences(per_run, scenarios, baseline, paired)
    period = ("the days " + (f"from {a.start} " if a.start else "") + (f"to {a.end}" if a.end else "")).strip() \
        if (a.start or a.end) else "the run's period"
    text = markdown(diff, baseline, paired, index, not a.no_rescale, period)
    table = effects_table(diff, baseline)
    (out / "differences.md").write_text(text + "\n## Effects (difference from the baseline, 90 % band)\n\n" + table)
    print(f"Effects over {period} (mean difference from {baseline} [5 %, 95 % of the "
          f"{'paired ' if paired else ''}differences]):")
    print(table, end="")
    written = [] if a.no_plots else plots(agg, scenarios, out / "plots")
    print(f"compare: {len(scenarios)} scenarios, {per_run[['scenario', 'point', 'replicate']].drop_duplicates().shape[0]} runs; "
          f"baseline {baseline}; wrote {out / 'outcomes.csv'}, {out / 'differences.md'}"
          f"{f' and {len(written)} plots in ' + str(out / 'plots') if written else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
