"""Reading a corridor result file (HDF5) into tidy pandas data frames.

The one place that knows the file layout (docs/output.md); the package's top level
re-exports it, so a script writes `corridor_io.load(path)`. Typical use::

    import corridor_io

    r = corridor_io.load("results/markov_chain24.h5")
    r.attrs["model"], r.attrs["days"]     # root attributes, strings decoded
    r.nodes, r.edges                      # network tables (edges gain from_id / to_id)
    r.series_names()                      # ['arrivals', 'edge_flows', 'occupancy']
    occ = r.series("occupancy")           # columns day, date, node, value
    occ.pivot(index="date", columns="node", values="value")
    r.events()                            # day, date, kind, node, agent, other
    r.agents()                            # id, node, state, <model columns>
    corridor_io.open_series(path)         # every series as one xarray.Dataset, named dimensions

`load` refuses a file that is not a corridor result (root attribute format != "corridor"),
one written by a newer format version, and one whose run did not finish (complete != 1:
the simulator writes under a temporary name and marks the file complete just before the
rename, so such a file is a leftover of a crashed or killed run).

Label columns (series dimensions, event kind and node, agent state and node) are pandas
Categoricals whose categories keep the file's label order, so that groupby and plots list
nodes in network order rather than alphabetically. `date` columns are datetime64.

`scripts/result_summary.py RESULT.h5` prints `Result.summary()` of a file.
"""
from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pandas as pd

FORMAT = "corridor"
#: format_version values this reader understands (sim/output.hpp: kFormatVersion): 2 adds
#: dimension scales to the series (docs/output.md, "Format versions"), which this reader does
#: not need, so it reads both.
SUPPORTED_VERSIONS = (1, 2)
#: columns that series() adds itself; a dimension with one of these names could not be told apart.
_SERIES_RESERVED = ("day", "date", "value")


class ResultError(Exception):
    """The file is not a complete corridor result this reader understands."""


def _decode(value):
    """HDF5 attribute value -> plain Python (str, int, float or list of those)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [_decode(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _strings(ds) -> np.ndarray:
    """A variable-length string dataset as an array of Python str (h5py returns bytes)."""
    if ds.shape[0] == 0:
        return np.array([], dtype=object)
    return ds.asstr()[()]


def _labelled(codes: np.ndarray, labels, what: str) -> pd.Categorical:
    """Index codes -> a Categorical over `labels` (file order), with a clear error on a bad code."""
    codes = np.asarray(codes)
    if codes.size and (codes.min() < 0 or codes.max() >= len(labels)):
        raise ResultError(f"{what}: index {int(codes.max())} out of range of its {len(labels)} labels")
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=pd.Index(list(labels), dtype=object))


class Result:
    """A corridor result file opened for reading. Build it with `load(path)`.

    Small tables (attributes, calendar, network) are read at once; series, events and
    agents are read on each call, so that a script only pays for what it uses.
    """

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise ResultError(f"{self.path}: no such file")
        try:
            f = h5py.File(self.path, "r")
        except OSError as e:
            raise ResultError(f"{self.path}: not an HDF5 file ({e})") from None
        with f:
            self.attrs = {k: _decode(v) for k, v in f.attrs.items()}
            self._check()
            self.calendar = pd.DataFrame({
                "day": f["calendar/day"][()],
                "date": pd.to_datetime(_strings(f["calendar/date"])),
            })
            self.nodes = self._table(f["network/nodes"], first=["id", "name", "kind", "country", "lat", "lon"])
            self.nodes.index.name = "node_index"
            self.edges = self._table(f["network/edges"], first=["from", "to", "km", "mode"])
            ids = self.nodes["id"].to_numpy()
            for end in ("from", "to"):
                col = f"{end}_id"
                if col in self.edges:
                    raise ResultError(f"{self.path}: /network/edges has a column '{col}', which this reader adds")
                idx = self.edges[end].to_numpy()
                if idx.size and idx.max() >= len(ids):
                    raise ResultError(f"{self.path}: /network/edges/{end} names node {int(idx.max())}, "
                                      f"but there are {len(ids)} nodes")
                self.edges.insert(self.edges.columns.get_loc("to") + (1 if end == "from" else 2), col, ids[idx])
            self.edges.index.name = "edge_index"
            self.directed = bool(_decode(f["network/edges"].attrs["directed"]))
            self.events_enabled = bool(_decode(f["events"].attrs["enabled"]))
            self.agents_enabled = bool(_decode(f["agents"].attrs["enabled"]))
            # The kinds the log holds (scenario output.event_kinds); files written before the
            # attribute existed hold every kind.
            written = f["events"].attrs.get("kinds_written")
            self.event_kinds_written = (list(_strings(f["events/kind_labels"])) if written is None
                                        else [_decode(k) for k in written]) if self.events_enabled else []

    def _check(self):
        fmt = self.attrs.get("format")
        if fmt != FORMAT:
            raise ResultError(f"{self.path}: not a corridor result (root attribute format is {fmt!r}, "
                              f"expected {FORMAT!r})")
        version = self.attrs.get("format_version")
        if version not in SUPPORTED_VERSIONS:
            raise ResultError(f"{self.path}: format_version {version!r} is not one this reader understands "
                              f"({', '.join(map(str, SUPPORTED_VERSIONS))}); update scripts/corridor_io/result.py")
        complete = self.attrs.get("complete")
        if complete != 1:
            raise ResultError(f"{self.path}: incomplete result (root attribute complete={complete!r}); the run "
                              "that wrote it did not finish, so its tables may be cut short")

    @staticmethod
    def _table(group, first) -> pd.DataFrame:
        """A group of equal-length 1-D datasets as a frame: the `first` columns in that order, then the rest."""
        names = [n for n in first if n in group] + sorted(n for n in group if n not in first)
        cols = {}
        for n in names:
            ds = group[n]
            cols[n] = _strings(ds) if h5py.check_string_dtype(ds.dtype) else ds[()]
        return pd.DataFrame(cols)

    def _open(self):
        return h5py.File(self.path, "r")

    # ---- series ------------------------------------------------------------------------

    def series_names(self) -> list[str]:
        with self._open() as f:
            return sorted(f["series"].keys())

    def _series_group(self, f, name):
        if name not in f["series"]:
            raise ResultError(f"{self.path}: no series '{name}' (this run has: {', '.join(self.series_names())})")
        return f["series"][name]

    def series_info(self, name: str) -> dict:
        """Metadata of a series: dims (first 'day'), labels (per non-day dim), unit, description, shape."""
        with self._open() as f:
            g = self._series_group(f, name)
            v = g["value"]
            dims = [str(d) for d in _decode(v.attrs["dims"])]
            return {
                "dims": dims,
                "labels": {d: list(_strings(g[d])) for d in dims[1:]},
                "unit": _decode(v.attrs["unit"]),
                "description": _decode(g.attrs["description"]),
                "shape": tuple(v.shape),
            }

    def series_array(self, name: str):
        """(values, info): the raw value array [day, dims...] as int64, with series_info(name)."""
        info = self.series_info(name)
        with self._open() as f:
            g = self._series_group(f, name)
            values = g["value"][()]
            days = g["day"][()]
        self._check_series(name, info, values, days)
        info["day"] = days
        return values, info

    def _check_series(self, name, info, values, days):
        dims = info["dims"]
        if not dims or dims[0] != "day" or len(dims) != values.ndim:
            raise ResultError(f"{self.path}: series '{name}': dims attribute {dims} does not match its "
                              f"{values.ndim}-dimensional value (first must be 'day')")
        for axis, d in enumerate(dims[1:], start=1):
            if d in _SERIES_RESERVED:
                raise ResultError(f"{self.path}: series '{name}' has a dimension named '{d}', which clashes "
                                  "with a column series() adds")
            if len(info["labels"][d]) != values.shape[axis]:
                raise ResultError(f"{self.path}: series '{name}': {len(info['labels'][d])} labels for dimension "
                                  f"'{d}' of size {values.shape[axis]}")
        if days.shape[0] != values.shape[0]:
            raise ResultError(f"{self.path}: series '{name}': {days.shape[0]} days but {values.shape[0]} value rows")
        if days.size and (days.min() < 0 or days.max() >= len(self.calendar)):
            raise ResultError(f"{self.path}: series '{name}': day index outside the calendar")

    def series(self, name: str) -> pd.DataFrame:
        """A series as a tidy frame: day, date, one column per dimension (its labels), value.

        Rows run day by day, and within a day over the dimensions in C order (last fastest),
        as in the value array.
        """
        values, info = self.series_array(name)
        dims = info["dims"][1:]
        inner = values.shape[1:]
        cells = int(np.prod(inner)) if inner else 1
        n_days = values.shape[0]
        out = {
            "day": np.repeat(info["day"], cells),
            "date": np.repeat(self.calendar["date"].to_numpy()[info["day"]], cells),
        }
        # Index of each row along each dimension: the grid of the inner shape, tiled over days.
        grids = np.indices(inner).reshape(len(inner), -1) if inner else np.zeros((0, 1), dtype=np.int64)
        for axis, d in enumerate(dims):
            out[d] = _labelled(np.tile(grids[axis], n_days), info["labels"][d], f"series '{name}' dim '{d}'")
        out["value"] = values.reshape(-1)
        return pd.DataFrame(out)

    def open_series(self, name: str | None = None):
        """Series as an xarray.Dataset with named dimensions and coordinates: one variable per
        series (or only `name`), dimension `day` holding the dates, every other dimension its
        labels; each variable keeps its unit and description as attributes.

        Reads format 1 and 2 alike (from the values and labels, not the dimension scales that
        format 2 adds for netCDF readers, e.g. xarray.open_dataset(path, engine="h5netcdf",
        group="series/NAME")). Raises ResultError when two series give one dimension name
        different labels (open them one at a time then).
        """
        import xarray as xr

        names = [name] if name is not None else self.series_names()
        dates = self.calendar["date"].to_numpy()
        variables = []
        for n in names:
            values, info = self.series_array(n)
            coords = {"day": dates[info["day"]]}
            coords.update({d: np.asarray(info["labels"][d], dtype=object) for d in info["dims"][1:]})
            variables.append(xr.DataArray(values, dims=info["dims"], coords=coords, name=n,
                                          attrs={"unit": info["unit"], "description": info["description"]}))
        try:
            ds = xr.merge(variables, join="exact", combine_attrs="override")
        except ValueError as e:
            raise ResultError(f"{self.path}: the series cannot share one dataset ({e}); open them one at a "
                              "time with open_series(path, name)") from None
        ds.attrs = {k: v for k, v in self.attrs.items() if k in ("scenario_name", "model", "seed", "start_date",
                                                                  "end_date", "format_version")}
        return ds

    # ---- events and agents -------------------------------------------------------------

    def events(self) -> pd.DataFrame:
        """The event table: day, date, kind (label), node (node id), agent, other (model-defined integer).

        Raises ResultError if the run did not write events (scenario output.events: false);
        an enabled but empty table gives an empty frame with these columns. Only the kinds in
        `event_kinds_written` were recorded (scenario output.event_kinds).
        """
        if not self.events_enabled:
            raise ResultError(f"{self.path}: this run did not write events (scenario output.events: false)")
        with self._open() as f:
            g = f["events"]
            labels = list(_strings(g["kind_labels"]))
            day = g["day"][()]
            kind, node, agent, other = (g[c][()] for c in ("kind", "node", "agent", "other"))
        if day.size and (day.min() < 0 or day.max() >= len(self.calendar)):
            raise ResultError(f"{self.path}: /events/day outside the calendar")
        return pd.DataFrame({
            "day": day,
            "date": self.calendar["date"].to_numpy()[day],
            "kind": _labelled(kind, labels, "/events/kind"),
            "node": _labelled(node, self.nodes["id"], "/events/node"),
            "agent": agent,
            "other": other,
        })

    def agents(self) -> pd.DataFrame:
        """The agent table: id, node (node id), state (label), then the model's columns (alphabetical).

        Row order is the file's: agents in the order they left the active set, then the
        agents still active at the end in id order (docs/output.md). Raises ResultError if
        the run did not write agents (scenario output.agents: false).
        """
        if not self.agents_enabled:
            raise ResultError(f"{self.path}: this run did not write the agent table (scenario output.agents: false)")
        with self._open() as f:
            g = f["agents"]
            labels = list(_strings(g["state_labels"]))
            cols = {n: g[n][()] for n in ["id", "node", "state"] + sorted(set(g) - {"id", "node", "state",
                                                                                    "state_labels"})}
        lengths = {n: len(v) for n, v in cols.items()}
        if len(set(lengths.values())) > 1:
            raise ResultError(f"{self.path}: /agents columns differ in length: {lengths}")
        cols["node"] = _labelled(cols["node"], self.nodes["id"], "/agents/node")
        cols["state"] = _labelled(cols["state"], labels, "/agents/state")
        return pd.DataFrame(cols)

    # ---- summary -----------------------------------------------------------------------

    def summary(self) -> str:
        """A few lines describing the file: attributes, network, series and table sizes."""
        lines = [f"{self.path}"]
        for k in sorted(self.attrs):
            v = self.attrs[k]
            if k == "scenario":
                v = f"<{len(str(v).splitlines())} lines of YAML>"
            lines.append(f"  {k} = {v}")
        lines.append(f"network: {len(self.nodes)} nodes, {len(self.edges)} "
                     f"{'directed' if self.directed else 'undirected'} edges")
        lines.append("series:")
        for name in self.series_names():
            info = self.series_info(name)
            shape = " x ".join(f"{d}={n}" for d, n in zip(info["dims"], info["shape"]))
            lines.append(f"  {name} [{shape}] {info['unit']}: {info['description']}")
        with self._open() as f:
            n_events = f["events/day"].shape[0]
            n_agents = f["agents/id"].shape[0]
            kinds = ", ".join(_strings(f["events/kind_labels"]))
            states = ", ".join(_strings(f["agents/state_labels"]))
        if self.events_enabled and len(self.event_kinds_written) < len(kinds.split(", ")):
            kinds = ", ".join(self.event_kinds_written) + " only (output.event_kinds)"
        lines.append(f"events: {n_events} rows (kinds: {kinds})" if self.events_enabled else "events: not written")
        lines.append(f"agents: {n_agents} rows (states: {states})" if self.agents_enabled else "agents: not written")
        return "\n".join(lines)


def load(path) -> Result:
    """Opens a complete corridor result; raises ResultError with the reason otherwise."""
    return Result(path)


def open_series(path, name: str | None = None):
    """The series of a complete result as an xarray.Dataset (Result.open_series)."""
    return Result(path).open_series(name)
