"""The HTML report of a run or a sweep: one self-contained page (scripts/report.py).

The page holds plotly figures with plotly.js embedded once (Debian's python3-plotly ships it),
so it opens offline and from any folder; it loads nothing from the network. Figures:

- map: the network at its nodes' coordinates (longitude, latitude on plain axes, no base map:
  a base map would need map tiles or a world outline from the network). Nodes are sized by
  `occupancy` and coloured by country; edges are drawn as wide as their `edge_flows` (people
  starting along them per day, averaged over the frame's days). A slider and play button
  step through the run; the timeline under the map shows everyone starting along an edge per
  day, with the real-world policy dates of data/policy_timeline.csv marked (for runs with US
  encounters, i.e. of the corridor model), and a cursor at the slider's date; the slider's
  label carries a ◆ and the policy's name on those dates.
- encounters: monthly US encounters by nationality, demographic and title (the run's, from
  corridor_io.monthly, divided by model_scale) against CBP's (corridor_io.observed), for the
  months CBP's file covers.
- sweep: per scenario, the band of its replicates' monthly encounters (5-95 %, and the mean)
  against CBP's.

Counts are divided by the run's model_scale, so they read as full-population figures.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import observed
from .categories import CITIZENSHIPS, DEMOGRAPHICS, TITLES
from .monthly import MonthlyRun
from .repository import DATA
from .result import Result, ResultError, load

POLICY_FILE = DATA / "policy_timeline.csv"
#: at most this many animation frames (a long run's frames then span several days each).
MAX_FRAMES = 200
#: the ids of the page's figures (the browser test finds them by these).
MAP_ID, ENCOUNTERS_ID, SWEEP_ID = "corridor-map", "corridor-encounters", "corridor-sweep"
#: the name of the map's node trace: one marker per node with coordinates.
NODE_TRACE = "nodes"
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]


@dataclass
class Section:
    title: str
    text: str
    figure: dict | None = None
    div_id: str = ""


@dataclass
class Page:
    title: str
    lines: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


# ---- data ---------------------------------------------------------------------------------


def policy_dates(first, last) -> pd.DataFrame:
    """Real-world policy dates (date, label) between two dates, from data/policy_timeline.csv."""
    d = pd.read_csv(POLICY_FILE, parse_dates=["date"])
    d = d[(d.date >= pd.Timestamp(first)) & (d.date <= pd.Timestamp(last))]
    label = d.model_lever.fillna("").astype(str) + ": " + d.event.astype(str).str.split(r"[;(]").str[0].str.strip()
    return pd.DataFrame({"date": d.date, "label": label}).sort_values("date", kind="stable").reset_index(drop=True)


def scale_of(r: Result) -> float:
    scale = float(r.attrs.get("model_scale", 1.0))
    if not scale > 0:
        raise ResultError(f"{r.path}: root attribute model_scale={scale!r} is not positive")
    return scale


def cbp_months() -> set[str]:
    return set(pd.read_csv(observed.CBP_FILE, usecols=["month"]).month.unique())


# ---- the map ------------------------------------------------------------------------------


def _frame_days(days: int) -> list[tuple[int, int]]:
    """[(first, last)] day windows of the frames: consecutive, each `step` days, covering the run."""
    step = max(1, math.ceil(days / MAX_FRAMES))
    return [(d, min(d + step, days) - 1) for d in range(0, days, step)]


def _size(v: np.ndarray, vmax: float, smallest: float, largest: float) -> np.ndarray:
    """Marker sizes or line widths: area (or width) proportional to the value, on a square-root scale."""
    if vmax <= 0:
        return np.full(v.shape, smallest)
    return smallest + (largest - smallest) * np.sqrt(np.clip(v, 0, None) / vmax)


def _round(a) -> list:
    return [round(float(x), 2) for x in a]


def map_figure(r: Result) -> tuple[dict | None, str]:
    """(figure, explanation): the animated map of a result, or (None, why not)."""
    nodes = r.nodes
    has_xy = np.isfinite(nodes["lat"].to_numpy(float)) & np.isfinite(nodes["lon"].to_numpy(float))
    if not has_xy.any():
        return None, "No map: the network's nodes have no coordinates (lat, lon)."
    names = r.series_names()
    if "occupancy" not in names:
        return None, "No map: the run has no occupancy series."
    occ, occ_info = r.series_array("occupancy")
    if occ.ndim != 2 or occ.shape[1] != len(nodes):
        return None, f"No map: the occupancy series has dims {occ_info['dims']}, not [day, node]."
    scale = scale_of(r)
    dates = r.calendar["date"].to_numpy()[occ_info["day"]]
    days = occ.shape[0]
    flows = None
    if "edge_flows" in names:
        flows, _ = r.series_array("edge_flows")
        flows = flows.astype(float) / scale
    occ = occ.astype(float) / scale
    windows = _frame_days(days)
    node_idx = np.flatnonzero(has_xy)
    lon, lat = nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float)
    edges = r.edges
    edge_idx = [e for e in range(len(edges)) if has_xy[edges["from"].iat[e]] and has_xy[edges["to"].iat[e]]]

    occ_frames = np.array([occ[last] for _, last in windows])                 # [frame, node]
    flow_frames = (np.array([flows[a:b + 1].mean(axis=0) for a, b in windows])  # [frame, edge] per day
                   if flows is not None else None)
    occ_max = float(occ_frames[:, node_idx].max()) if node_idx.size else 0.0
    flow_max = float(flow_frames[:, edge_idx].max()) if flow_frames is not None and edge_idx else 0.0

    countries = sorted(set(nodes["country"].astype(str)))
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(countries)}
    arrow = "->" if r.directed else "--"
    unit = "people" if "people" in occ_info["unit"] else occ_info["unit"]

    # Traces: 0 the network (thin, static); 1..E one per edge (width = flow); then the edges'
    # midpoints (hover text), the nodes, and the timeline with its cursor.
    data = [{
        "type": "scatter", "mode": "lines", "name": "network", "hoverinfo": "skip", "showlegend": False,
        "x": sum(([lon[edges['from'].iat[e]], lon[edges['to'].iat[e]], None] for e in edge_idx), []),
        "y": sum(([lat[edges['from'].iat[e]], lat[edges['to'].iat[e]], None] for e in edge_idx), []),
        "line": {"color": "#c8c8c8", "width": 1}, "xaxis": "x", "yaxis": "y",
    }]
    edge_traces = []
    for e in edge_idx:
        a, b = edges["from"].iat[e], edges["to"].iat[e]
        edge_traces.append(len(data))
        data.append({"type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                     "x": [lon[a], lon[b]], "y": [lat[a], lat[b]], "xaxis": "x", "yaxis": "y",
                     "line": {"color": "rgba(200,60,30,0.55)", "width": 0}})
    edge_labels = [f"{nodes['id'].iat[edges['from'].iat[e]]} {arrow} {nodes['id'].iat[edges['to'].iat[e]]}"
                   for e in edge_idx]

    def edge_text(f: int) -> list[str]:
        if flow_frames is None:
            return edge_labels
        return [f"{lab}: {flow_frames[f, e]:,.1f} {unit}/day" for lab, e in zip(edge_labels, edge_idx)]

    mid_trace = len(data)
    data.append({"type": "scatter", "mode": "markers", "name": "edges", "showlegend": False,
                 "x": [(lon[edges['from'].iat[e]] + lon[edges['to'].iat[e]]) / 2 for e in edge_idx],
                 "y": [(lat[edges['from'].iat[e]] + lat[edges['to'].iat[e]]) / 2 for e in edge_idx],
                 "marker": {"size": 6, "color": "rgba(0,0,0,0)"}, "hoverinfo": "text", "text": edge_text(0),
                 "xaxis": "x", "yaxis": "y"})

    def node_text(f: int) -> list[str]:
        return [f"{nodes['name'].iat[n]} ({nodes['id'].iat[n]}, {nodes['country'].iat[n]}): "
                f"{occ_frames[f, n]:,.0f} {unit}" for n in node_idx]

    node_trace = len(data)
    data.append({"type": "scatter", "mode": "markers", "name": NODE_TRACE, "uid": NODE_TRACE, "showlegend": False,
                 "x": _round(lon[node_idx]), "y": _round(lat[node_idx]), "hoverinfo": "text", "text": node_text(0),
                 "marker": {"size": _round(_size(occ_frames[0, node_idx], occ_max, 4, 40)),
                            "color": [colour[str(nodes["country"].iat[n])] for n in node_idx],
                            "line": {"color": "#333", "width": 0.5}, "opacity": 0.85},
                 "xaxis": "x", "yaxis": "y"})
    # One legend entry per country (empty traces), since the node trace has one colour per node.
    for c in countries:
        data.append({"type": "scatter", "mode": "markers", "name": c or "(no country)", "x": [None], "y": [None],
                     "marker": {"size": 10, "color": colour[c]}, "xaxis": "x", "yaxis": "y"})

    frame_dates = [pd.Timestamp(dates[last]) for _, last in windows]
    if flows is not None:
        timeline_y, timeline_name = flows.sum(axis=1), f"{unit} starting along an edge per day"
    else:
        timeline_y, timeline_name = occ.sum(axis=1), f"{unit} on the network"
    day_dates = pd.DatetimeIndex(dates).strftime("%Y-%m-%d").tolist()
    data.append({"type": "scatter", "mode": "lines", "name": timeline_name, "showlegend": False,
                 "x": day_dates, "y": _round(timeline_y), "line": {"color": "#555", "width": 1},
                 "xaxis": "x2", "yaxis": "y2", "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>"})
    ymax = float(timeline_y.max()) if timeline_y.size else 1.0
    cursor_trace = len(data)

    def cursor(f: int) -> dict:
        d = frame_dates[f].strftime("%Y-%m-%d")
        return {"x": [d, d], "y": [0, ymax]}

    data.append({"type": "scatter", "mode": "lines", "name": "date", "showlegend": False, "hoverinfo": "skip",
                 "line": {"color": "#d62728", "width": 2}, "xaxis": "x2", "yaxis": "y2", **cursor(0)})

    # Frames update only the traces that change.
    animated = edge_traces + [mid_trace, node_trace, cursor_trace]
    frames, steps = [], []
    # The policy timeline is the US-Mexico corridor's: only for runs that model US encounters.
    policies = policy_dates(dates[0], dates[-1]) if "encounters" in names else policy_dates(dates[0], dates[0])[:0]
    policy_of_frame: dict[int, str] = {}
    for _, p in policies.iterrows():
        f = next((i for i, (a, b) in enumerate(windows) if dates[a] <= p.date.to_datetime64() <= dates[b]), None)
        if f is not None:
            policy_of_frame[f] = (policy_of_frame[f] + "; " if f in policy_of_frame else "") + p.label
    for f in range(len(windows)):
        widths = (_size(flow_frames[f, edge_idx], flow_max, 0, 14) if flow_frames is not None
                  else np.zeros(len(edge_idx)))
        fdata = [{"line": {"width": round(float(w), 2)}} for w in widths]
        fdata.append({"text": edge_text(f)})
        fdata.append({"marker": {"size": _round(_size(occ_frames[f, node_idx], occ_max, 4, 40))},
                      "text": node_text(f)})
        fdata.append(cursor(f))
        name = frame_dates[f].strftime("%Y-%m-%d")
        frames.append({"name": name, "data": fdata, "traces": animated})
        label = name + (f" ◆ {policy_of_frame[f]}" if f in policy_of_frame else "")
        steps.append({"method": "animate", "label": label,
                      "args": [[name], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                        "transition": {"duration": 0}}]})

    mid_lat = float(np.nanmean(lat[node_idx]))
    shapes, notes = [], []
    for _, p in policies.iterrows():
        d = p.date.strftime("%Y-%m-%d")
        shapes.append({"type": "line", "xref": "x2", "yref": "paper", "x0": d, "x1": d, "y0": 0, "y1": 0.18,
                       "line": {"color": "#9467bd", "width": 1, "dash": "dot"}})
        notes.append({"xref": "x2", "yref": "paper", "x": d, "y": 0.18, "text": "◆", "showarrow": False,
                      "hovertext": f"{d} {p.label}", "font": {"color": "#9467bd", "size": 11}})
    play = {"type": "buttons", "direction": "left", "x": 0.0, "y": -0.04, "xanchor": "left", "yanchor": "top",
            "showactive": False, "buttons": [
                {"label": "▶ play", "method": "animate",
                 "args": [None, {"frame": {"duration": 150, "redraw": True}, "transition": {"duration": 0},
                                 "fromcurrent": True, "mode": "immediate"}]},
                {"label": "❚❚ pause", "method": "animate",
                 "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                                   "transition": {"duration": 0}}]}]}
    layout = {
        "height": 900, "margin": {"l": 50, "r": 20, "t": 30, "b": 40}, "hovermode": "closest",
        "plot_bgcolor": "#f4f7fa",
        "xaxis": {"domain": [0, 1], "title": {"text": "longitude"}, "showgrid": False, "zeroline": False},
        # Degrees of longitude are shorter than degrees of latitude by cos(latitude).
        "yaxis": {"domain": [0.32, 1], "title": {"text": "latitude"}, "showgrid": False, "zeroline": False,
                  "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(mid_lat))},
        "xaxis2": {"domain": [0, 1], "anchor": "y2", "type": "date"},
        "yaxis2": {"domain": [0.02, 0.18], "anchor": "x2", "title": {"text": "per day"}, "rangemode": "tozero"},
        "legend": {"title": {"text": "country"}, "x": 1, "xanchor": "right", "y": 1},
        "shapes": shapes, "annotations": notes, "updatemenus": [play],
        "sliders": [{"active": 0, "steps": steps, "x": 0.1, "len": 0.9, "y": 0.27, "yanchor": "top",
                     "pad": {"t": 0, "b": 0}, "currentvalue": {"prefix": "date: ", "font": {"size": 13}},
                     "transition": {"duration": 0}}],
    }
    fig = {"data": data, "layout": layout, "frames": frames}
    span = windows[0][1] - windows[0][0] + 1
    text = (f"{len(node_idx)} nodes sized by {occ_info['unit']} at the end of the frame's last day; edges as wide "
            f"as the mean {unit} per day starting along them over the frame's {span} day(s)"
            + ("" if flows is not None else " (this run has no edge_flows series: edges not drawn by flow)")
            + f". Timeline: {timeline_name}"
            + ("; ◆ marks the real-world policy dates of data/policy_timeline.csv (also in the slider's label)"
               if len(policies) else "")
            + ". Drawn on plain longitude/latitude axes, without a base map.")
    return fig, text


# ---- encounters ---------------------------------------------------------------------------


def _policy_shapes(first, last, rows: int) -> list[dict]:
    out = []
    for _, p in policy_dates(first, last).iterrows():
        for k in range(1, rows + 1):
            out.append({"type": "line", "xref": f"x{k if k > 1 else ''}", "yref": f"y{k if k > 1 else ''} domain",
                        "x0": p.date.strftime("%Y-%m-%d"), "x1": p.date.strftime("%Y-%m-%d"), "y0": 0, "y1": 1,
                        "line": {"color": "#9467bd", "width": 1, "dash": "dot"}})
    return out


def _stacked_layout(titles: list[str], height_each: int) -> dict:
    n = len(titles)
    layout = {"height": height_each * n, "margin": {"l": 70, "r": 20, "t": 30, "b": 40}, "hovermode": "x unified",
              "annotations": []}
    gap = 0.06
    h = (1 - gap * (n - 1)) / n
    for k, t in enumerate(titles, start=1):
        top = 1 - (k - 1) * (h + gap)
        suffix = "" if k == 1 else str(k)
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "type": "date", "matches": "x" if k > 1 else None}
        layout[f"yaxis{suffix}"] = {"domain": [top - h, top], "anchor": f"x{suffix}", "rangemode": "tozero",
                                    "title": {"text": "per month"}}
        layout["annotations"].append({"text": f"<b>{t}</b>", "xref": "paper", "yref": "paper", "x": 0, "y": top,
                                      "xanchor": "left", "yanchor": "bottom", "showarrow": False})
        if k == 1:
            del layout["xaxis"]["matches"]
    return layout


def encounters_figure(path) -> tuple[dict | None, str]:
    """Monthly encounters by nationality, demographic and title against CBP's."""
    r = load(path)
    if "encounters" not in r.series_names():
        return None, "No encounters: the run has no encounters series (a corridor-model series)."
    m = MonthlyRun(path)
    whole = [i for i, mo in enumerate(m.months) if mo not in set(m.partial)]
    if not whole:
        return None, "No encounters: the run covers no whole calendar month."
    months = [m.months[i] for i in whole]
    cube = m.cube[whole].sum(axis=1)  # [month, nationality, demographic, title, component]
    have = cbp_months()
    obs_months = [mo for mo in months if mo in have]
    obs = observed.observed_cube(obs_months) if obs_months else None
    x = [f"{mo}-01" for mo in months]
    xo = [f"{mo}-01" for mo in obs_months]
    # Both cubes are [month, nationality, demographic, title, component]: a panel sums the other axes.
    panels = [("by nationality", m.labels["nationality"], (2, 3, 4), CITIZENSHIPS),
              ("by demographic", m.labels["demographic"], (1, 3, 4), DEMOGRAPHICS),
              ("by title", m.labels["title"], (1, 2, 4), TITLES)]
    data = []
    for k, (_, labels, other_axes, obs_labels) in enumerate(panels, start=1):
        suffix = "" if k == 1 else str(k)
        model = cube.sum(axis=other_axes)
        for j, lab in enumerate(labels):
            c = PALETTE[j % len(PALETTE)]
            # One legend group per panel, titled; an item toggles alone.
            group = {"legendgroup": panels[k - 1][0]}
            if j == 0:
                group["legendgrouptitle"] = {"text": panels[k - 1][0]}
            data.append({"type": "scatter", "mode": "lines", "name": f"{lab} (model)", **group,
                         "x": x, "y": _round(model[:, j]), "line": {"color": c, "width": 2},
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
            if obs is not None and lab in obs_labels:
                o = obs.sum(axis=other_axes)[:, obs_labels.index(lab)]
                data.append({"type": "scatter", "mode": "lines", "name": f"{lab} (CBP)", "legendgroup": group["legendgroup"],
                             "x": xo, "y": _round(o), "line": {"color": c, "width": 1.5, "dash": "dot"},
                             "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
    layout = _stacked_layout([p[0] for p in panels], 330)
    layout["legend"] = {"groupclick": "toggleitem", "tracegroupgap": 60}
    layout["shapes"] = _policy_shapes(x[0], x[-1], len(panels))
    text = ("US southwest border encounters per calendar month (people; one person encountered twice counts twice), "
            "the run's (solid, divided by model_scale) and CBP's for the four modelled nationalities (dotted, "
            "data/cbp_swb_encounters_monthly.csv" + (f", {obs_months[0]} to {obs_months[-1]}" if obs_months else
                                                    ", no month of the run") +
            "). Partial months of the run are left out" + (f" ({', '.join(m.partial)})" if m.partial else "") +
            ". Dotted vertical lines: policy dates.")
    return {"data": data, "layout": layout}, text


# ---- sweeps -------------------------------------------------------------------------------


def read_index(sweep_dir: Path) -> pd.DataFrame:
    """index.csv of a sweep directory: its done runs (columns run_id, scenario, replicate, output)."""
    index_file = sweep_dir / "index.csv"
    if not index_file.is_file():
        raise ResultError(f"{sweep_dir}: no index.csv (not a sweep directory written by `corridor sweep`)")
    index = pd.read_csv(index_file, dtype=str, keep_default_na=False)
    for col in ("run_id", "scenario", "status", "output"):
        if col not in index:
            raise ResultError(f"{index_file}: no column '{col}'")
    done = index[index.status == "done"].reset_index(drop=True)
    if done.empty:
        raise ResultError(f"{index_file}: no run is done")
    return done


def sweep_figure(sweep_dir: Path, done: pd.DataFrame) -> tuple[dict | None, str]:
    """Each scenario's band of monthly encounters (all categories) over its replicates, against CBP's."""
    totals: dict[str, list[pd.Series]] = {}
    for _, row in done.iterrows():
        path = sweep_dir / row.output
        if "encounters" not in load(path).series_names():
            return None, "No sweep bands: the runs have no encounters series (a corridor-model series)."
        m = MonthlyRun(path)
        keep = [i for i, mo in enumerate(m.months) if mo not in set(m.partial)]
        totals.setdefault(row.scenario, []).append(
            pd.Series(m.cube[keep].sum(axis=tuple(range(1, m.cube.ndim))), index=[m.months[i] for i in keep]))
    data = []
    for j, (scenario, runs) in enumerate(totals.items()):
        frame = pd.concat(runs, axis=1)
        x = [f"{mo}-01" for mo in frame.index]
        c = PALETTE[j % len(PALETTE)]
        lo, hi = frame.quantile(0.05, axis=1), frame.quantile(0.95, axis=1)
        rgba = "rgba({},{},{},0.2)".format(*(int(c[i:i + 2], 16) for i in (1, 3, 5)))
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": _round(hi), "line": {"width": 0},
                     "legendgroup": scenario, "showlegend": False, "hoverinfo": "skip"})
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": _round(lo), "line": {"width": 0},
                     "fill": "tonexty", "fillcolor": rgba, "legendgroup": scenario, "showlegend": False,
                     "hoverinfo": "skip"})
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": _round(frame.mean(axis=1)),
                     "name": f"{scenario} ({frame.shape[1]} runs)", "legendgroup": scenario,
                     "line": {"color": c, "width": 2}})
    all_months = sorted({mo for runs in totals.values() for s in runs for mo in s.index})
    obs_months = [mo for mo in all_months if mo in cbp_months()]
    if obs_months:
        o = observed.observed_cube(obs_months).sum(axis=(1, 2, 3, 4))
        data.append({"type": "scatter", "mode": "lines", "x": [f"{mo}-01" for mo in obs_months], "y": _round(o),
                     "name": "CBP", "line": {"color": "black", "width": 1.5, "dash": "dot"}})
    layout = _stacked_layout(["encounters per month, all nationalities, demographics and titles"], 480)
    layout["hovermode"] = "closest"
    layout["shapes"] = _policy_shapes(f"{all_months[0]}-01", f"{all_months[-1]}-01", 1)
    text = (f"{len(done)} done runs of {len(totals)} scenarios (index.csv). Per scenario: the mean over its "
            "replicates (line) and their 5-95 % band (numpy's linear interpolation; with few replicates close "
            "to the minimum and maximum: the spread of the replicates, not a confidence interval); CBP's in "
            "the model's scope dotted. Divided by each run's model_scale; partial months left out.")
    return {"data": data, "layout": layout}, text


# ---- the page -----------------------------------------------------------------------------


def _describe(r: Result) -> list[str]:
    a = r.attrs
    line = (f"scenario {a.get('scenario_name', '?')}, model {a.get('model', '?')}, seed {a.get('seed', '?')}, "
            f"{a.get('start_date', '?')} to {a.get('end_date', '?')}")
    scale = scale_of(r)
    if scale != 1.0:
        line += f"; run at scale {scale:g}, counts divided by it"
    return [line, f"corridor {a.get('software_version', '?')} (git {a.get('git_commit', '?')}), file {r.path.name}"]


def run_page(path) -> Page:
    r = load(path)
    page = Page(title=f"corridor report: {r.attrs.get('scenario_name', Path(path).stem)}", lines=_describe(r))
    fig, text = map_figure(r)
    page.sections.append(Section("The network day by day: occupancy and flows", text, fig, MAP_ID))
    fig, text = encounters_figure(path)
    page.sections.append(Section("US encounters per month against CBP", text, fig, ENCOUNTERS_ID))
    return page


def sweep_page(sweep_dir) -> Page:
    sweep_dir = Path(sweep_dir)
    done = read_index(sweep_dir)
    first = sweep_dir / done.output.iat[0]
    page = Page(title=f"corridor sweep report: {sweep_dir.name}")
    page.lines = [f"sweep directory {sweep_dir} ({len(done)} done runs)"]
    fig, text = sweep_figure(sweep_dir, done)
    page.sections.append(Section("Encounters per month: each scenario's band", text, fig, SWEEP_ID))
    run = run_page(first)
    for s in run.sections:
        s.title += f" (run {done.run_id.iat[0]}: scenario {done.scenario.iat[0]})"
    page.lines += [f"the map and the categories below are of run {done.run_id.iat[0]}: " + run.lines[0]]
    page.sections += run.sections
    return page


def _figure_html(div_id: str, figure: dict) -> str:
    """A div and the script that draws `figure` into it (then adds its animation frames)."""
    from plotly.utils import PlotlyJSONEncoder  # Debian python3-plotly

    def js(value) -> str:  # JSON that cannot end the script element early
        return json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":")).replace("</", "<\\/")

    height = figure.get("layout", {}).get("height", 500)
    frames = figure.get("frames") or []
    config = {"responsive": True, "displaylogo": False}
    return (f"<div id='{div_id}' class='plotly-graph-div' style='height:{height}px;width:100%'></div>\n"
            f"<script>Plotly.newPlot({js(div_id)}, {js(figure['data'])}, {js(figure['layout'])}, {js(config)})"
            + (f".then(function (gd) {{ return Plotly.addFrames(gd, {js(frames)}); }})" if frames else "")
            + ";</script>")


def render(page: Page) -> str:
    """The page as one HTML document with plotly.js embedded (offline: it fetches nothing)."""
    from plotly.offline import get_plotlyjs  # Debian python3-plotly: its plotly.min.js

    parts = []
    for s in page.sections:
        parts.append(f"<h2>{html.escape(s.title)}</h2>\n<p>{html.escape(s.text)}</p>")
        if s.figure is not None:
            parts.append(_figure_html(s.div_id, s.figure))
    head = "".join(f"<p class='meta'>{html.escape(line)}</p>" for line in page.lines)
    return (f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>{html.escape(page.title)}</title>\n<style>body{{font-family:sans-serif;margin:1em 2em;"
            f"max-width:1400px}} p.meta{{color:#555;margin:0.2em 0}}</style>\n"
            f"<script type='text/javascript'>{get_plotlyjs()}</script>\n</head>\n<body>\n"
            f"<h1>{html.escape(page.title)}</h1>\n{head}\n" + "\n".join(parts) + "\n</body>\n</html>\n")
