#!/usr/bin/env -S /usr/bin/python3
"""Fit report of the calibrated corridor scenario: results/calibration/report.md and PNG plots.

    scripts/fit_report.py [--scenario scenarios/calibrated.yaml] [--replicates 10] [--scale 1]

Runs the scenario UNCHANGED (its own dates, to 2023-09-30) with --replicates seeds, at
`--scale` (counts divided by it), and compares the months October 2018 - September 2021 with
CBP's data (docs/calibration.md): the simulated band (5-95 % over replicates) and the
replicate mean against the observed series, by citizenship, demographic, title and Border
Patrol sector, with ARD, MAPE, correlation and the ratio to the naive seasonal forecast
(corridor_io.fitmetrics); goal 5 (ARD by citizenship <= 0.20, Title 42 share and demographic
mix within 10 points every month); and two checks on data the fit never saw: the share of
encounters with a prior encounter in the past 12 months (data/cbp_reencounter_rates.csv) and
Mexico's annual apprehensions (data/mexico_inm_apprehensions_returns.csv). FY2022-FY2023 are
plotted as the model's out-of-sample forecast (no data in this repository).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from corridor_io import binary, monthly  # noqa: E402
from corridor_io import fitmetrics as fm  # noqa: E402
from corridor_io.categories import CITIZENSHIPS, COMPONENTS, DEMO_KEYS, DEMOGRAPHICS, NAT_KEYS, TITLES  # noqa: E402
from corridor_io.observed import (FIT_FIRST, FIT_LAST, cbp_usbp_inscope_share, month_range,  # noqa: E402
                                  observed_cube, observed_sectors)
from corridor_io.repository import ROOT  # noqa: E402

DPI = 80
SIM_C, OBS_C = "tab:blue", "black"


def run_replicate(exe: Path, scenario: Path, scale: float, seed: int, work: Path) -> dict:
    """One run; returns its monthly arrays (divided by model_scale) and deletes the file."""
    out = work / f"rep_{seed}.h5"
    t0 = time.monotonic()
    binary.run(scenario, out, "--seed", str(seed), "--threads", "1", "--set", f"corridor.scale={scale}",
               "--set", "output.events=false", "--set", "output.agents=false", binary=exe)
    m = monthly.MonthlyRun(out)
    rec = {"months": list(m.months), "cube": m.cube, "sectors": m.labels["sector"], "seconds": time.monotonic() - t0}
    # Unfitted checks: repeat encounters and Mexican apprehensions, by month (people / scale).
    cal = m.result.calendar["date"].to_numpy()
    for name in ("repeat_encounters", "mx_apprehensions"):
        v, info = m.result.series_array(name)
        mon = monthly.month_labels(cal[info["day"]])
        df = pd.DataFrame(v.reshape(v.shape[0], -1).sum(axis=1) / m.scale, index=mon)
        rec[name] = df.groupby(level=0)[0].sum().reindex(m.months).to_numpy()
    out.unlink()
    return rec


def band(a):
    """Mean, 5 % and 95 % over replicates (axis 0)."""
    return a.mean(axis=0), np.quantile(a, 0.05, axis=0), np.quantile(a, 0.95, axis=0)


def plot_panels(path, dates, sims, obs, titles, fit_end, suptitle, ncols, obs_label="CBP", extra=None,
                extra_label=""):
    """Panels of simulated band + mean against observed (obs may hold NaN where no data)."""
    n = len(titles)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.6 * nrows), squeeze=False, sharex=True)
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.axis("off")
            continue
        mean, lo, hi = band(sims[..., i])
        ax.fill_between(dates, lo, hi, color=SIM_C, alpha=0.3, lw=0, label="model 5-95 %")
        ax.plot(dates, mean, color=SIM_C, lw=1.2, label="model mean")
        ax.plot(dates[: len(obs)], obs[:, i], color=OBS_C, lw=1.2, label=obs_label)
        if extra is not None:
            ax.plot(dates[: len(extra)], extra[:, i], color="tab:orange" if "model" in extra_label else "gray",
                    lw=0.8, ls="--", label=extra_label)
        ax.axvline(fit_end, color="gray", lw=0.6, ls=":")
        ax.set_title(titles[i], fontsize=9)
        ax.tick_params(labelsize=7)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda y, _: f"{y / 1000:g}k"))
    axes.flat[0].legend(fontsize=6, loc="upper left")
    fig.suptitle(suptitle, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def plot_shares(path, dates_fit, sim_sh, obs_sh, titles, suptitle):
    n = len(titles)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 2.6), squeeze=False)
    for i, ax in enumerate(axes.flat):
        mean, lo, hi = band(sim_sh[..., i])
        ax.fill_between(dates_fit, lo, hi, color=SIM_C, alpha=0.3, lw=0)
        ax.plot(dates_fit, mean, color=SIM_C, lw=1.2, label="model")
        ax.plot(dates_fit, obs_sh[:, i], color=OBS_C, lw=1.2, label="CBP")
        ax.fill_between(dates_fit, obs_sh[:, i] - 0.1, obs_sh[:, i] + 0.1, color="gray", alpha=0.15, lw=0,
                        label="CBP ± 10 points")
        ax.set_ylim(0, 1)
        ax.set_title(titles[i], fontsize=9)
        ax.tick_params(labelsize=7)
    axes.flat[0].legend(fontsize=6)
    fig.suptitle(suptitle, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def metrics_rows(sim_mean, obs, names):
    """Per series: MAPE, correlation, naive ratio, and the relative error of the period total."""
    rows = []
    for i, nm in enumerate(names):
        s, o = sim_mean[:, i], obs[:, i]
        rows.append({"series": nm, "obs_total": o.sum(), "sim_total": s.sum(),
                     "total_err": s.sum() / o.sum() - 1 if o.sum() > 0 else np.nan,
                     "ard": fm.ard(s, o), "mape": fm.mape(s, o), "corr": fm.correlation(s, o),
                     "naive_ratio": fm.naive_ratio(s, o)})
    rows.append({"series": "**all (breakdown)**", "obs_total": obs.sum(), "sim_total": sim_mean.sum(),
                 "total_err": sim_mean.sum() / obs.sum() - 1, "ard": fm.ard(sim_mean, obs),
                 "mape": fm.mape(sim_mean.sum(1), obs.sum(1)), "corr": fm.correlation(sim_mean.sum(1), obs.sum(1)),
                 "naive_ratio": fm.naive_ratio(sim_mean, obs)})
    return rows


def md_table(rows) -> str:
    out = ["| series | observed | model | total error | ARD | MAPE | correlation | error / naive |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    f = lambda x, d=2: "—" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.{d}f}"
    for r in rows:
        out.append(f"| {r['series']} | {r['obs_total']:,.0f} | {r['sim_total']:,.0f} | {100 * r['total_err']:+.0f} % "
                   f"| {f(r['ard'])} | {f(r['mape'])} | {f(r['corr'])} | {f(r['naive_ratio'])} |")
    return "\n".join(out)


def goal_metrics(cubes, obs, months_all, fit_months) -> dict:
    """ARD by citizenship, ARD of the 24 detailed series and the largest monthly share gaps,
    on the replicate mean over the fit months. cubes: [rep, month, sector, nat, demo, title, comp]."""
    idx = [months_all.index(m) for m in fit_months]
    c = cubes[:, idx].mean(axis=0)
    n = len(fit_months)
    return {"ard_cit": fm.ard(c.sum(axis=(1, 3, 4, 5)), obs.sum(axis=(2, 3, 4))),
            "ard_detail": fm.ard(c.sum(axis=(1, 5)).reshape(n, -1), obs.sum(axis=4).reshape(n, -1)),
            "t42_gap": fm.share_gap(c.sum(axis=(1, 2, 3, 5)), obs.sum(axis=(1, 2, 4)))[0],
            "demo_gap": fm.share_gap(c.sum(axis=(1, 2, 4, 5)), obs.sum(axis=(1, 3, 4)))[0],
            "cit_mean": c.sum(axis=(1, 3, 4, 5))}


def fy(month: str) -> int:
    y, m = int(month[:4]), int(month[5:])
    return y + 1 if m >= 10 else y


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    binary.add_option(ap)
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "calibrated.yaml")
    ap.add_argument("--calibration", type=Path, default=ROOT / "results" / "calibration" / "calibration.json",
                    help="the fit's record (parameters, loss, standard errors) written by calibrate.py")
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--scale", type=float, default=1.0, help="corridor.scale of the runs (counts divided by it)")
    ap.add_argument("--seed", type=int, default=501, help="first seed (replicates use seed, seed+1, ...)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out-dir", type=Path, default=ROOT / "results" / "calibration")
    ap.add_argument("--compare", default=str(ROOT / "scenarios" / "defaults.yaml"),
                    help="a reference scenario whose goal metrics are reported beside (default the uncalibrated defaults.yaml; "
                         "'none' to skip)")
    ap.add_argument("--compare-replicates", type=int, default=3)
    args = ap.parse_args(argv)
    if args.replicates < 2:
        ap.error("--replicates must be at least 2 (the band needs several runs)")
    try:
        args.binary = binary.find(args.binary)
    except binary.BinaryError as e:
        ap.error(str(e))
    t0 = time.monotonic()
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="corridor-report-"))
    try:
        seeds = [args.seed + i for i in range(args.replicates)]
        with cf.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            reps = list(pool.map(lambda s: run_replicate(args.binary, args.scenario, args.scale, s, work), seeds))
            ref = None
            if args.compare.lower() != "none":
                ref_path = Path(args.compare)
                ref = list(pool.map(lambda s: run_replicate(args.binary, ref_path, args.scale, s, work),
                                    seeds[:args.compare_replicates]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run_wall = time.monotonic() - t0
    all_months = reps[0]["months"]
    first = all_months.index(FIT_FIRST) if FIT_FIRST in all_months else 0
    months_all = all_months[first:]                      # Oct 2018 .. end of run
    fit_months = month_range(FIT_FIRST, FIT_LAST)
    nf = len(fit_months)
    cube = np.stack([r["cube"][first:] for r in reps])   # [rep, month, sector, nat, demo, title, comp]
    dates = pd.to_datetime([m + "-15" for m in months_all])
    fit_end = pd.Timestamp("2021-10-01")
    obs = observed_cube(fit_months)                      # [m, nat, demo, title, comp]
    sectors = reps[0]["sectors"]

    # Breakdowns: sims [rep, month, k], obs [month, k]
    sim_cit = cube.sum(axis=(2, 4, 5, 6))
    sim_demo = cube.sum(axis=(2, 3, 5, 6))
    sim_title = cube.sum(axis=(2, 3, 4, 6))
    sim_comp = cube.sum(axis=(2, 3, 4, 5))
    sim_sec = cube[..., 0].sum(axis=(3, 4, 5))
    obs_cit, obs_demo = obs.sum(axis=(2, 3, 4)), obs.sum(axis=(1, 3, 4))
    obs_title, obs_comp = obs.sum(axis=(1, 2, 4)), obs.sum(axis=(1, 2, 3))
    obs_sec_all = observed_sectors(fit_months, sectors)
    inscope = cbp_usbp_inscope_share(fit_months)
    obs_sec = obs_sec_all * inscope[:, None]             # in-scope estimate (see the report)

    ref_metrics = None
    if ref:
        ref_months = ref[0]["months"]
        ref_metrics = goal_metrics(np.stack([r["cube"] for r in ref]), obs, ref_months, fit_months)
    plots = {}
    ref_cit = None
    if ref_metrics:
        ref_cit = ref_metrics["cit_mean"]
    for key, sims, o, names, title, ncols, extra in [
        ("citizenship", sim_cit, obs_cit, CITIZENSHIPS, "US southwest border encounters by citizenship", 2,
         ref_cit),
        ("demographic", sim_demo, obs_demo, DEMOGRAPHICS, "by demographic (four citizenships)", 3, None),
        ("title", sim_title, obs_title, TITLES, "by title (four citizenships)", 2, None),
        ("component", sim_comp, obs_comp, COMPONENTS, "by component (four citizenships)", 2, None),
        ("sector", sim_sec, obs_sec, sectors,
         "Border Patrol by sector: model vs CBP x in-scope share (dashed: all citizenships)", 3, obs_sec_all),
    ]:
        p = out / f"fit_{key}.png"
        plot_panels(p, dates, sims, o, names, fit_end, title, ncols,
                    obs_label="CBP, 4 citizenships (est.)" if key == "sector" else "CBP", extra=extra,
                    extra_label="CBP, all citizenships" if key == "sector" else
                    f"model: {Path(args.compare).stem} (mean)")
        plots[key] = p.name
    sim_total = cube.sum(axis=(2, 3, 4, 5, 6))[..., None]
    plot_panels(out / "fit_total.png", dates, sim_total, obs.sum(axis=(1, 2, 3, 4))[:, None],
                ["total, four citizenships"], fit_end, "US southwest border encounters, model and CBP", 1)
    plots["total"] = "fit_total.png"

    mean = lambda a: a[:, :nf].mean(axis=0)
    tables = {
        "citizenship": metrics_rows(mean(sim_cit), obs_cit, CITIZENSHIPS),
        "demographic": metrics_rows(mean(sim_demo), obs_demo, DEMOGRAPHICS),
        "title": metrics_rows(mean(sim_title), obs_title, TITLES),
        "component": metrics_rows(mean(sim_comp), obs_comp, COMPONENTS),
        "sector": metrics_rows(mean(sim_sec), obs_sec, sectors),
    }
    # citizenship x demographic x title: ARD of the 24-series breakdown
    sim_detail = cube[:, :nf].sum(axis=(2, 6)).mean(axis=0).reshape(nf, -1)
    obs_detail = obs.sum(axis=4).reshape(nf, -1)
    ard_detail = fm.ard(sim_detail, obs_detail)

    # Goal 5: Title 42 share and demographic mix, every month.
    t42_sim = np.stack([fm.shares(sim_title[r, :nf]) for r in range(len(reps))])
    t42_obs = fm.shares(obs_title)
    t42_gap, t42_gap_m = fm.share_gap(t42_sim.mean(0), t42_obs)
    demo_sim = np.stack([fm.shares(sim_demo[r, :nf]) for r in range(len(reps))])
    demo_obs = fm.shares(obs_demo)
    demo_gap, demo_gap_m = fm.share_gap(demo_sim.mean(0), demo_obs)
    dates_fit = dates[:nf]
    plot_shares(out / "shares_title.png", dates_fit, t42_sim[..., 1:], t42_obs[:, 1:], ["Title 42 share"],
                "Title 42 share of encounters (four citizenships)")
    plot_shares(out / "shares_demographic.png", dates_fit, demo_sim, demo_obs, DEMOGRAPHICS,
                "demographic mix of encounters (four citizenships)")
    plots["shares_title"], plots["shares_demographic"] = "shares_title.png", "shares_demographic.png"
    ard_cit = fm.ard(mean(sim_cit), obs_cit)

    # Unfitted check 1: share of encounters with a prior encounter in the past 12 months.
    rep_enc = np.stack([r["repeat_encounters"][first:] for r in reps])
    enc_tot = cube.sum(axis=(2, 3, 4, 5, 6))
    rshare = rep_enc / np.where(enc_tot > 0, enc_tot, np.nan)
    rr = pd.read_csv(ROOT / "data" / "cbp_reencounter_rates.csv")
    fy_idx = np.array([fy(m) for m in months_all])
    re_rows = []
    for y in (2019, 2020, 2021):
        sel = fy_idx == y
        v = rep_enc[:, sel].sum(1) / enc_tot[:, sel].sum(1)
        re_rows.append((f"FY{y}", v.mean(), np.quantile(v, 0.05), np.quantile(v, 0.95)))
    re_months = rr[(rr.period_type == "month") & rr.metric.str.startswith("share of encounters")]
    for _, row in re_months.iterrows():
        i = months_all.index(row.period)
        v = rshare[:, i]
        re_rows.append((row.period, v.mean(), np.quantile(v, 0.05), np.quantile(v, 0.95), row.value / 100))
    data_re = {"FY2019": "0.14-0.15 (FY2014-2019 average; AP quotes 7 % 'recidivism' for FY2019, another "
                         "definition)", "FY2020": "— (no figure)", "FY2021": "0.27"}
    fig, ax = plt.subplots(figsize=(7, 3))
    m_, lo_, hi_ = band(rshare)
    ax.fill_between(dates, lo_, hi_, color=SIM_C, alpha=0.3, lw=0)
    ax.plot(dates, m_, color=SIM_C, label="model: repeat / all encounters")
    ax.plot(pd.to_datetime(re_months.period + "-15"), re_months.value / 100, "ko", label="CBP monthly release")
    ax.hlines([0.14, 0.15], pd.Timestamp("2018-10-01"), pd.Timestamp("2019-09-30"), colors="gray", lw=1,
              label="CBP FY2014-2019 average")
    ax.hlines(0.27, pd.Timestamp("2020-10-01"), pd.Timestamp("2021-09-30"), colors="k", lw=1.5, label="CBP FY2021")
    ax.axvline(fit_end, color="gray", lw=0.6, ls=":")
    ax.set_ylim(0, 1)
    ax.set_title("Not fitted: share of encounters with a prior encounter in the past 12 months", fontsize=9)
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(out / "check_reencounters.png", dpi=DPI)
    plt.close(fig)
    plots["check_reencounters"] = "check_reencounters.png"

    # Unfitted check 2: Mexico's apprehensions by calendar year (model: GT, HN, SV intercepted).
    mx = np.stack([r["mx_apprehensions"][first:] for r in reps])
    years = np.array([int(m[:4]) for m in months_all])
    mx_rows = []
    data_mx = {2019: (179335, "GT+HN+SV, 1 Jan - mid Dec 2019 (Segob); all nationalities 182,940"),
               2020: (82379, "all nationalities (UPM); no split by country for 2020"),
               2021: (127227 + 80717 + 24514, "GT+HN+SV presentados + canalizados (UPM); all 307,569")}
    for y in (2019, 2020, 2021):
        v = mx[:, years == y].sum(1)
        mx_rows.append((y, v.mean(), np.quantile(v, 0.05), np.quantile(v, 0.95), *data_mx[y]))
    fig, ax = plt.subplots(figsize=(5, 3))
    xs = np.arange(3)
    ax.bar(xs - 0.2, [r[1] for r in mx_rows], 0.4, color=SIM_C, label="model (GT, HN, SV)",
           yerr=[[r[1] - r[2] for r in mx_rows], [r[3] - r[1] for r in mx_rows]])
    ax.bar(xs + 0.2, [r[4] for r in mx_rows], 0.4, color="gray", label="Mexico (UPM/Segob)")
    ax.set_xticks(xs, ["2019", "2020", "2021"])
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda y, _: f"{y / 1000:g}k"))
    ax.set_title("Not fitted: Mexico's apprehensions by calendar year", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "check_mexico.png", dpi=DPI)
    plt.close(fig)
    plots["check_mexico"] = "check_mexico.png"

    # Out-of-sample forecast, FY2022-FY2023 (the run's own months after the fit window).
    fc_rows = []
    for y in sorted(set(fy_idx[fy_idx >= 2019])):
        sel = fy_idx == y
        v = cube[:, sel].sum(axis=(1, 2, 3, 4, 5, 6))
        o = obs.sum() if False else None
        obs_y = obs[[fy(m) == y for m in fit_months]].sum() if y <= 2021 else None
        fc_rows.append((y, v.mean(), np.quantile(v, 0.05), np.quantile(v, 0.95), obs_y, int(sel.sum())))

    # ---- report --------------------------------------------------------------------------
    calib = json.loads(args.calibration.read_text()) if args.calibration.is_file() else None
    wall = time.monotonic() - t0
    secs = [r["seconds"] for r in reps]
    L = []
    L.append("# Calibration fit report\n")
    L.append(f"Generated by `scripts/fit_report.py` on {pd.Timestamp.now():%Y-%m-%d %H:%M} from "
             f"`{args.scenario.relative_to(ROOT) if args.scenario.is_relative_to(ROOT) else args.scenario}`, run "
             f"unchanged ({all_months[0]} to {all_months[-1]}) with {len(reps)} replicates (seeds {seeds[0]}-"
             f"{seeds[-1]}) at scale {args.scale:g} (counts divided by it). Band: 5-95 % over the replicates, i.e. "
             "Monte Carlo noise only, not parameter uncertainty. Observed: CBP, four citizenships (Mexico, "
             "Guatemala, Honduras, El Salvador), demographics Single Adults, FMUA, UC / Single Minors ('Other' "
             "citizenship and 'Accompanied Minors' are outside the model and left out), OFO + USBP. Metrics over "
             f"{FIT_FIRST}..{FIT_LAST} (36 months) on the replicate mean; definitions in docs/calibration.md and "
             "scripts/corridor_io/fitmetrics.py. Wall time: "
             f"{run_wall:.0f} s for the runs ({np.mean(secs):.0f} s each, {args.jobs} at a time), {wall:.0f} s in all.\n")
    L.append("## Goal (issue 4, item 5)\n")
    ok_ard, ok_t42, ok_demo = ard_cit <= 0.20, t42_gap <= 0.10, demo_gap <= 0.10
    L.append("| goal | achieved | met |\n|---|---|---|")
    L.append(f"| monthly encounters by citizenship, ARD ≤ 0.20 | ARD = {ard_cit:.3f} | {'yes' if ok_ard else 'NO'} |")
    L.append(f"| Title 42 share within 10 points every month | largest gap {100 * t42_gap:.1f} points "
             f"({fit_months[int(np.nanargmax(t42_gap_m))]}); months over 10: "
             f"{int(np.sum(t42_gap_m > 0.10))} of {nf} | {'yes' if ok_t42 else 'NO'} |")
    L.append(f"| demographic mix within 10 points every month | largest gap {100 * demo_gap:.1f} points "
             f"({fit_months[int(np.nanargmax(demo_gap_m))]}); months over 10: "
             f"{int(np.sum(demo_gap_m > 0.10))} of {nf} | {'yes' if ok_demo else 'NO'} |")
    L.append(f"\nARD of the 24 series citizenship x demographic x title: {ard_detail:.3f}.\n")
    if ref_metrics:
        L.append(f"For comparison, `{Path(args.compare).name}` ({args.compare_replicates} replicates, same scale): "
                 f"ARD by citizenship {ref_metrics['ard_cit']:.3f}, ARD of the 24 series "
                 f"{ref_metrics['ard_detail']:.3f}, largest Title 42 share gap "
                 f"{100 * ref_metrics['t42_gap']:.1f} points, largest demographic share gap "
                 f"{100 * ref_metrics['demo_gap']:.1f} points.\n")
    over_t42 = [m for m, g in zip(fit_months, t42_gap_m) if g > 0.10]
    over_demo = [m for m, g in zip(fit_months, demo_gap_m) if g > 0.10]
    if over_t42:
        L.append(f"Months with the Title 42 share off by more than 10 points: {', '.join(over_t42)}.\n")
    if over_demo:
        L.append(f"Months with a demographic share off by more than 10 points: {', '.join(over_demo)}.\n")
    if calib:
        L.append("## Fitted parameters\n")
        L.append(f"Fit by `scripts/calibrate.py` on {calib['date']} (commit {calib['commit']}): "
                 f"{calib['evals']} candidate evaluations, scale {calib['scale']:g}, seeds {calib['seeds']}, "
                 f"{calib['wall_s'] / 60:.1f} min. Loss (docs/calibration.md): {calib['before']['loss']:.4f} at the "
                 f"default values, {calib['start']['loss']:.4f} with only the base rates profiled, "
                 f"{calib['best']['loss']:.4f} fitted (terms A {calib['best']['A']:.4f}, B {calib['best']['B']:.4f}, "
                 f"C {calib['best']['C']:.4f}, D {calib['best'].get('D', float('nan')):.4f}; "
                 "loss = A + B + D + 0.5 C).\n")
        se = calib.get("standard_errors", {})
        L.append("| parameter | default | fitted | ±1 s.e. range (rough) | bounds | sets |\n|---|---:|---:|---|---|---|")
        for name in calib["params"]:
            spec = calib["param_specs"][name]
            v = calib["best"]["values"][name]
            s = se.get("outer", {}).get(name)
            rng = (f"{s['range_1se'][0]:.3g} – {s['range_1se'][1]:.3g}" if s and s.get("range_1se")
                   else ("flat (curvature ≤ 0)" if s else "—"))
            L.append(f"| {name} | {spec['default']:g} | {v:.3g} | {rng} | [{spec['lo']:g}, {spec['hi']:g}] "
                     f"({spec['scale']}) | {spec['doc']} |")
        L.append("\nBase departure rates (people/day at scale 1; profiled exactly for each candidate):\n")
        L.append("| nationality | demographic | default | fitted | ×/÷ 1 s.e. |\n|---|---|---:|---:|---:|")
        selog = se.get("base_per_day_log")
        for i, n in enumerate(NAT_KEYS):
            for j, d in enumerate(DEMO_KEYS):
                f = f"{np.exp(selog[i * 3 + j]):.2f}" if selog else "—"
                L.append(f"| {n} | {d} | {calib['default_base_per_day'][i][j]:g} | "
                         f"{calib['base_per_day'][i][j]:.1f} | {f} |")
        L.append("\nThe standard errors read the loss as a Gaussian log-likelihood of independent monthly log "
                 "residuals; the residuals are strongly autocorrelated, so they understate the uncertainty.\n")
    sections = [("citizenship", "By citizenship"), ("demographic", "By demographic"), ("title", "By title"),
                ("component", "By component (not a target; port shares are not fitted)"),
                ("sector", "By Border Patrol sector")]
    L.append("## Fit by series\n")
    L.append("Columns: period totals; total error = model / CBP - 1 over the 36 months; ARD = mean over months of "
             "Σ|sim − obs| / Σ obs (for one series = MAPE; for the breakdown row, summed over its series); "
             "correlation of monthly values; error / naive = the model's mean absolute error over FY2020-FY2021 "
             "divided by that of 'same month a year earlier' (below 1: the model beats it).\n")
    L.append("![total](fit_total.png)\n")
    for key, title in sections:
        L.append(f"### {title}\n")
        if key == "sector":
            L.append("The sector file counts all citizenships. The observed series here are CBP's sector counts "
                     "times each month's share of Border Patrol encounters of the four modelled citizenships "
                     "(an estimate that assumes 'Other' citizenships spread over sectors like the rest; nothing in "
                     "data/ says how they spread, and 'Other' reached a third of Border Patrol encounters by "
                     "September 2021); dashed: all citizenships. The fit used only each month's sector shares.")
            empty = [n for n, r in zip(sectors, tables["sector"]) if r["sim_total"] == 0]
            L.append(f" Sectors the model never reaches: {', '.join(empty)}.\n" if empty else
                     " The model reaches every sector.\n")
        L.append(f"![{key}]({plots[key]})\n")
        L.append(md_table(tables[key]) + "\n")
    L.append("### Title 42 share and demographic mix\n")
    L.append("![t42](shares_title.png)\n\n![demo](shares_demographic.png)\n")
    L.append("## Checks on data not fitted\n")
    L.append("### Share of encounters with a prior encounter in the past 12 months\n")
    L.append("Model: `repeat_encounters / encounters` (a party encountered again within 365 days), four "
             "citizenships; CBP's figure covers all citizenships.\n")
    L.append("| period | model mean | model 5-95 % | CBP |\n|---|---:|---|---:|")
    for r in re_rows:
        data_v = data_re.get(r[0], f"{r[4]:.2f}" if len(r) > 4 else "—")
        L.append(f"| {r[0]} | {r[1]:.2f} | {r[2]:.2f} – {r[3]:.2f} | {data_v} |")
    L.append("\n![reencounters](check_reencounters.png)\n")
    L.append("### Mexico's apprehensions by calendar year\n")
    L.append("Model: `mx_apprehensions` (Guatemalans, Hondurans and Salvadorans intercepted in Mexico; the model "
             "has no other nationalities in transit and does not intercept Mexicans). 2021 runs past the fit "
             "window (October-December 2021 are forecast).\n")
    L.append("| year | model mean | model 5-95 % | Mexico | what the figure counts |\n|---|---:|---|---:|---|")
    for y, mm, lo, hi, d, note in mx_rows:
        L.append(f"| {y} | {mm:,.0f} | {lo:,.0f} – {hi:,.0f} | {d:,.0f} | {note} |")
    L.append("\n![mexico](check_mexico.png)\n")
    L.append("## Out-of-sample readiness\n")
    L.append("The scenario ran unchanged to its end; after September 2021 it uses only the policy timeline and "
             "push indicators set in advance. Encounters by fiscal year (four citizenships):\n")
    L.append("| fiscal year | model mean | model 5-95 % | CBP (four citizenships) | months |\n|---|---:|---|---:|---:|")
    for y, mm, lo, hi, o, n in fc_rows:
        L.append(f"| FY{y} | {mm:,.0f} | {lo:,.0f} – {hi:,.0f} | {'not in this repository' if o is None else f'{o:,.0f}'} | {n} |")
    (out / "report.md").write_text("\n".join(L) + "\n")
    summary = {"reference": {k: v for k, v in (ref_metrics or {}).items() if k != "cit_mean"},
               "ard_citizenship": ard_cit, "ard_detail": ard_detail, "t42_gap": t42_gap, "demo_gap": demo_gap,
               "tables": tables, "reencounter": re_rows, "mexico": mx_rows, "forecast": fc_rows,
               "replicates": len(reps), "scale": args.scale, "wall_s": wall}
    (out / "report_summary.json").write_text(json.dumps(summary, indent=1, default=float) + "\n")
    print(f"ARD by citizenship {ard_cit:.3f}; Title 42 share gap {100 * t42_gap:.1f} points; demographic gap "
          f"{100 * demo_gap:.1f} points; wrote {out / 'report.md'} ({wall:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
