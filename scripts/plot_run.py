#!/usr/bin/env -S /usr/bin/python3
"""Plot one series of a corridor result over its dates, as a PNG.

    scripts/plot_run.py RESULT.h5 [--out PNG] [--series NAME] [--by DIM] [--top N]

The series is summed over every dimension but one (--by, default its first non-day
dimension, e.g. `node` for the Markov model's occupancy) and drawn as one line per label of
that dimension. When there are more than --top labels, the --top largest (by their peak
value) are drawn and the others are summed into one "other (k)" line, so a plot of a
large network stays readable and still adds up to the total. A series with no dimension
besides day is drawn as a single line.

Default series: `occupancy` if the run has it, else the first in name order. Default
output: RESULT with the extension replaced by `-<series>.png`. Prints the PNG path.
Exits 2 with a message if the file is not a complete result or the series/dimension is unknown.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on clusters and in tests
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

import corridor_io  # noqa: E402


def lines_to_draw(frame, by: str | None, top: int):
    """[(label, Series indexed by date, is_rest)]: the `top` largest labels of `by`, then the rest summed."""
    if by is None:
        return [("total", frame.groupby("date")["value"].sum(), False)]
    wide = frame.groupby(["date", by], observed=False)["value"].sum().unstack(by)
    order = wide.max().sort_values(ascending=False, kind="stable").index
    keep, rest = list(order[:top]), list(order[top:])
    # Keep the file's label order for the drawn lines (network order reads better than rank order).
    keep = [c for c in wide.columns if c in set(keep)]
    lines = [(str(c), wide[c], False) for c in keep]
    if rest:
        lines.append((f"other ({len(rest)})", wide[rest].sum(axis=1), True))
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("result", help="corridor result file (.h5)")
    ap.add_argument("--out", help="PNG to write (default: beside RESULT, named after it and the series)")
    ap.add_argument("--series", help="series to plot (default: occupancy, else the first)")
    ap.add_argument("--by", help="dimension to keep, one line per label (default: the first non-day dimension)")
    ap.add_argument("--top", type=int, default=10, help="at most this many lines before 'other' (default 10)")
    args = ap.parse_args(argv)
    if args.top < 1:
        ap.error("--top must be at least 1")

    try:
        r = corridor_io.load(args.result)
        names = r.series_names()
        if not names:
            raise corridor_io.ResultError(f"{args.result}: the run wrote no series")
        name = args.series or ("occupancy" if "occupancy" in names else names[0])
        frame = r.series(name)
        info = r.series_info(name)
    except corridor_io.ResultError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    dims = info["dims"][1:]
    by = args.by if args.by is not None else (dims[0] if dims else None)
    if by is not None and by not in dims:
        print(f"error: series '{name}' has no dimension '{by}' (it has: {', '.join(dims) or 'day only'})",
              file=sys.stderr)
        return 2

    result = Path(args.result)
    out = Path(args.out) if args.out else result.with_name(f"{result.stem}-{name}.png")
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    lines = lines_to_draw(frame, by, args.top)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, s, is_rest) in enumerate(lines):
        if is_rest:
            style = {"color": "0.45", "linestyle": "--"}  # the remainder, not a label of its own
        else:
            style = {"color": colours[i % len(colours)], "linestyle": "-" if i < len(colours) else ":"}
        ax.plot(s.index, s.to_numpy(), label=label, linewidth=1.4, **style)
    a = r.attrs
    ax.set_title(f"{a.get('scenario_name', '?')}: {name}" + (f" by {by}" if by else "")
                 + f"\nmodel {a.get('model', '?')}, seed {a.get('seed', '?')}, "
                 f"{a.get('start_date', '?')} to {a.get('end_date', '?')}", fontsize=10)
    ax.set_ylabel(info["unit"] or "value")
    ax.set_xlabel("date")
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(True, alpha=0.3)
    if len(lines) > 1:
        ax.legend(title=by, fontsize=8, ncol=2 if len(lines) > 6 else 1, loc="best")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
