#!/usr/bin/env -S /usr/bin/python3
"""Plot a corridor-model run's monthly US southwest border encounters, as a PNG.

    scripts/plot_encounters.py RESULT.h5 [--out PNG]

Two panels over calendar months (of the result's `date` column): encounters by
nationality, and by title (Title 8, Title 42), each with the total. The counts are the
`encounters` series summed over sector, demographic and component; they are events in
people, as CBP counts them (one person encountered twice counts twice).

A run at reduced scale (`corridor.scale` < 1, stored as the root attribute model_scale)
simulates only that fraction of departures; its counts are divided by model_scale so that
they read as full-population figures, and the title says so. Months the run covers only in
part (a start or end date inside a month) are left out, so that no month shows a false dip;
the subtitle names them. Default output: RESULT with the extension replaced by
`-encounters.png`. Prints the PNG path. Exits 2 with a message if the file is not a complete
result, has no `encounters` series, or covers no whole month.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on clusters and in tests
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import corridor_io  # noqa: E402


def monthly(frame: pd.DataFrame, by: str, calendar: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """(wide frame: one row per whole calendar month, one column per label of `by`; partial months).

    Rows are indexed by the month's first day. A month is whole if every one of its days is in
    the run's calendar; the others are dropped and returned by name (YYYY-MM).
    """
    month = frame["date"].dt.to_period("M")
    wide = frame.groupby([month, by], observed=False)["value"].sum().unstack(by)
    days_run = calendar["date"].dt.to_period("M").value_counts()
    whole = [m for m in wide.index if days_run.get(m, 0) == m.days_in_month]
    partial = [str(m) for m in wide.index if m not in set(whole)]
    wide = wide.loc[whole]
    wide.index = wide.index.to_timestamp()
    return wide, partial


def draw(ax, wide: pd.DataFrame, title: str, ylabel: str) -> None:
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, label in enumerate(wide.columns):
        ax.plot(wide.index, wide[label].to_numpy(), label=str(label), color=colours[i % len(colours)],
                linewidth=1.5, marker="o", markersize=2.5)
    ax.plot(wide.index, wide.sum(axis=1).to_numpy(), label="total", color="black", linewidth=1.0,
            linestyle="--")
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(fontsize=8, loc="upper left", ncol=2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("result", help="corridor-model result file (.h5)")
    ap.add_argument("--out", help="PNG to write (default: beside RESULT, named RESULT-encounters.png)")
    args = ap.parse_args(argv)

    try:
        r = corridor_io.load(args.result)
        if "encounters" not in r.series_names():
            raise corridor_io.ResultError(f"{args.result}: no 'encounters' series (model "
                                          f"'{r.attrs.get('model', '?')}'; this plot is for the corridor model)")
        frame = r.series("encounters")
    except corridor_io.ResultError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    scale = float(r.attrs.get("model_scale", 1.0))
    if scale != 1.0:
        frame["value"] = frame["value"] / scale
    by_nat, partial = monthly(frame, "nationality", r.calendar)
    by_title, _ = monthly(frame, "title", r.calendar)
    if by_nat.empty:
        print(f"error: {args.result}: the run covers no whole calendar month "
              f"({r.attrs.get('start_date', '?')} to {r.attrs.get('end_date', '?')})", file=sys.stderr)
        return 2

    result = Path(args.result)
    out = Path(args.out) if args.out else result.with_name(f"{result.stem}-encounters.png")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8), dpi=110, sharex=True)
    a = r.attrs
    head = (f"{a.get('scenario_name', '?')}: US southwest border encounters per month (people, events)\n"
            f"model {a.get('model', '?')}, seed {a.get('seed', '?')}, {a.get('start_date', '?')} to "
            f"{a.get('end_date', '?')}")
    if scale != 1.0:
        head += f"; run at scale {scale:g}, counts divided by it"
    if partial:
        head += f"; partial months left out: {', '.join(partial)}"
    fig.suptitle(head, fontsize=10)
    unit = "encounters per month"
    draw(top, by_nat, "by nationality", unit)
    draw(bottom, by_title, "by title", unit)
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(bottom.xaxis.get_major_locator()))
    bottom.set_xlabel("month")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
