"""The calibration spec file (docs/calibration.md, "The spec file"): what is fitted, to what,
with which variances, in how many waves. Everything model-specific of a calibration is in
this YAML file; the code reads it and nothing else (defaults and declared ranges come from the
binary, `corridor params MODEL --json`).

    spec = Spec.load("scenarios/calibration/corridor.yaml")
    spec.parameters[0].name, spec.parameters[0].low, spec.parameters[0].scale
    spec.assignments({"gamma_family": 3.0, ...})   # ["corridor.perception.gamma.family=3", ...]

Parameters are named either by the key path they set (`corridor.perception.initial: [0.02,
0.98, lin]`) or by a name that `settings` uses: `settings` maps key paths to YAML value
templates in which `$name` stands for a parameter's value, so that one parameter can set
several keys (`corridor.us.mpp.share.family: $mpp_share`) or a schedule change
(`"{scale: $mx_enforcement, from: 2019-06-07, max: 1}"`), and one key can combine several
parameters (a schedule of two fitted points).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

NAME_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)")
METRICS = ("log", "share", "linear")


class SpecError(Exception):
    """The spec file is wrong: the message names the file and the key."""


@dataclass(frozen=True)
class Parameter:
    name: str
    low: float
    high: float
    scale: str  # "lin" or "log"
    doc: str = ""

    def from_unit(self, u):
        """Unit-cube coordinate(s) in [0, 1] -> value(s)."""
        u = np.asarray(u, dtype=float)
        if self.scale == "log":
            return np.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        return self.low + u * (self.high - self.low)

    def to_unit(self, v):
        v = np.asarray(v, dtype=float)
        if self.scale == "log":
            return (np.log(v) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return (v - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Target:
    """A model series against a data file, summarised into the outputs the emulators predict."""
    name: str
    series: str                 # the model's series
    data: Path                  # the data file (CSV)
    value: str                  # its column of values
    month: str                  # its column of months YYYY-MM
    match: dict                 # model dimension -> data column (labels must be equal)
    by: tuple                   # the dimensions kept (the others summed)
    select: dict                # model dimension -> labels kept before summing (model side only
                                # when the dimension is not matched)
    keep: dict                  # dimension in `by` -> the categories that become outputs
    months: tuple               # (first, last) YYYY-MM
    period: int                 # months per output (blocks from the first month)
    metric: str                 # log | share | linear
    offset: float               # added before the log (metric log)
    observation_sd: float       # in metric units
    discrepancy_sd: float       # in metric units
    weight: float = 1.0         # in the ensemble's distance
    ard: bool = False           # the report gives the ARD over its categories
    in_waves: tuple = ()        # waves (1-based) whose emulators use it; () = every wave

    def signature(self) -> str:
        """What the stored monthly values depend on (not the period, metric or variances)."""
        key = json.dumps([self.series, str(self.data.name), self.value, self.month, self.match, list(self.by),
                          self.select], sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Wave:
    points: int
    replicates: int


@dataclass(frozen=True)
class Outcome:
    """A headline outcome of the sensitivity analysis: a series summed over a period (and
    optionally minus the same in another scenario)."""
    name: str
    series: str
    months: tuple
    scenario: str = "base"
    minus: str | None = None
    select: dict = field(default_factory=dict)


@dataclass
class Spec:
    file: Path
    name: str
    description: str
    model: str
    scenario: Path
    fixed: dict                 # key path -> YAML value text, every calibration run
    parameters: list
    settings: dict              # key path -> template
    targets: list
    waves: list
    cutoff: float
    measure: int                # the k-th largest implausibility is cut (1 = max)
    samples: int                # size of the non-implausible sample kept between waves
    seed: int
    max_active: int
    stop_fraction: float
    ensemble_size: int
    ensemble_replicates: int
    ensemble_end: str | None
    ensemble_fixed: dict
    sensitivity: dict
    raw: dict

    # ---- reading -----------------------------------------------------------------------

    @classmethod
    def load(cls, path) -> "Spec":
        path = Path(path).resolve()
        try:
            raw = yaml.safe_load(path.read_text())
        except FileNotFoundError:
            raise SpecError(f"{path}: calibration spec not found") from None
        except yaml.YAMLError as e:
            raise SpecError(f"{path}: not valid YAML: {e}") from None
        if not isinstance(raw, dict):
            raise SpecError(f"{path}: expected a map of keys at the top level")
        return cls._from_raw(path, raw)

    @classmethod
    def _from_raw(cls, path: Path, raw: dict) -> "Spec":
        r = _Reader(path, raw, "")
        here = path.parent
        name = r.text("name")
        scenario = (here / r.text("scenario")).resolve()
        if not scenario.is_file():
            r.fail("scenario", f"scenario file {scenario} not found")
        fixed = {k: _yaml_text(v) for k, v in r.map("set", {}).items()}
        params = []
        for pname, pv in r.map("parameters").items():
            params.append(_parameter(r, pname, pv))
        if not params:
            r.fail("parameters", "expected at least one parameter")
        names = {p.name for p in params}
        settings = {}
        for key, template in r.map("settings", {}).items():
            if not isinstance(template, str):
                template = _yaml_text(template)
            used = NAME_RE.findall(template)
            if not used:
                r.fail(f"settings.{key}", "the template uses no parameter ($name)")
            unknown = sorted(set(used) - names)
            if unknown:
                r.fail(f"settings.{key}", f"unknown parameter {', '.join('$' + u for u in unknown)} "
                                          f"(parameters: {', '.join(sorted(names))})")
            settings[key] = template
        for p in params:
            if "." in p.name:
                if p.name in settings:
                    r.fail(f"settings.{p.name}", f"is also the name of a parameter that sets it directly")
                settings[p.name] = f"${p.name}"
        used = {u for t in settings.values() for u in NAME_RE.findall(t)}
        for p in params:
            if p.name not in used:
                r.fail(f"parameters.{p.name}", "no key is set from it: name it by a key path, or use "
                                               f"${p.name} in a template under settings")
        clash = sorted(set(settings) & set(fixed))
        if clash:
            r.fail("set", f"{clash[0]} is both fixed (set) and fitted (settings/parameters)")
        targets = [_target(r, here, tname, tv) for tname, tv in r.map("targets").items()]
        if not targets:
            r.fail("targets", "expected at least one target")
        hm = _Reader(path, r.map("history_matching"), "history_matching")
        waves = []
        for i, w in enumerate(hm.list("waves")):
            wr = _Reader(path, w, f"history_matching.waves.{i}")
            waves.append(Wave(wr.integer("points", lo=2), wr.integer("replicates", hm.integer("replicates", 2, lo=1),
                                                                      lo=1)))
            wr.done()
        if not waves:
            hm.fail("waves", "expected at least one wave")
        for t in targets:
            bad = [w for w in t.in_waves if not 1 <= w <= len(waves)]
            if bad:
                r.fail(f"targets.{t.name}.waves", f"wave {bad[0]} does not exist (there are {len(waves)})")
        cutoff = hm.number("cutoff", 3.0, lo=0.5)
        measure = hm.integer("measure", 1, lo=1, hi=5)
        samples = hm.integer("samples", 4000, lo=50)
        seed = hm.integer("seed", 1, lo=0)
        max_active = hm.integer("max_active", 10, lo=1)
        stop_fraction = hm.number("stop_fraction", 1.0, lo=0.0, hi=1.0)
        hm.done()
        en = _Reader(path, r.map("ensemble"), "ensemble")
        ensemble_size = en.integer("size", 100, lo=2)
        ensemble_replicates = en.integer("replicates", 1, lo=1)
        ensemble_end = en.text("end", None)
        ensemble_fixed = {k: _yaml_text(v) for k, v in en.map("set", {}).items()}
        en.done()
        sensitivity = _sensitivity(path, r.map("sensitivity", {}), targets) if "sensitivity" in raw else {}
        spec = cls(file=path, name=name, description=r.text("description", ""), model=r.text("model"),
                   scenario=scenario, fixed=fixed, parameters=params, settings=settings, targets=targets,
                   waves=waves, cutoff=cutoff, measure=measure, samples=samples, seed=seed, max_active=max_active,
                   stop_fraction=stop_fraction, ensemble_size=ensemble_size,
                   ensemble_replicates=ensemble_replicates, ensemble_end=ensemble_end,
                   ensemble_fixed=ensemble_fixed, sensitivity=sensitivity, raw=raw)
        r.done({"history_matching", "ensemble", "sensitivity"})
        return spec

    # ---- parameters ----------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """[n, d] unit-cube coordinates -> [n, d] parameter values."""
        u = np.atleast_2d(u)
        return np.column_stack([p.from_unit(u[:, j]) for j, p in enumerate(self.parameters)])

    def to_unit(self, v: np.ndarray) -> np.ndarray:
        v = np.atleast_2d(v)
        return np.column_stack([p.to_unit(v[:, j]) for j, p in enumerate(self.parameters)])

    def rendered(self, values) -> dict:
        """{key path: YAML value text} of one parameter set (a dict by name or a row in order)."""
        if not isinstance(values, dict):
            values = dict(zip(self.names, values))
        out = {}
        for key, template in self.settings.items():
            out[key] = NAME_RE.sub(lambda m: _number(values[m.group(1)]), template)
        return out

    def assignments(self, values) -> list[str]:
        return [f"{k}={v}" for k, v in self.rendered(values).items()]

    def check_declared(self, declared) -> list[str]:
        """Checks every key against the model's declarations (corridor_io.parameters.Declared):
        a key set to one parameter's value directly must be declared, with the parameter's range
        inside the declared range; other keys must lie under a declared key (a list item of a
        declared list, a schedule change). Returns the notes for the report; raises SpecError."""
        notes = []
        section = declared.section + "."
        known = set(declared.keys())
        for key, template in self.settings.items():
            if not key.startswith(section):
                raise SpecError(f"{self.file}: settings key {key}: not under the {declared.model} model's section "
                                f"'{declared.section}'")
            rel = key[len(section):]
            direct = NAME_RE.fullmatch(template.strip())
            if rel in known:
                spec = declared.spec(rel)
                if direct and spec["kind"] in ("number", "schedule", "integer"):
                    p = next(p for p in self.parameters if p.name == direct.group(1))
                    lo, hi = declared.bounds(rel)
                    if (lo is not None and p.low < lo) or (hi is not None and p.high > hi):
                        raise SpecError(f"{self.file}: parameter {p.name}: range [{p.low:g}, {p.high:g}] reaches "
                                        f"outside the declared range of {key} ({spec['range']})")
                continue
            parts = rel.split(".")
            prefixes = [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
            parent = next((q for q in prefixes if q in known), None)
            if parent is None:
                raise SpecError(f"{self.file}: settings key {key}: not a declared parameter of the "
                                f"{declared.model} model, nor inside one (`corridor params {declared.model}`)")
            notes.append(f"{key} lies inside the declared {section}{parent} ({declared.spec(parent)['kind']})")
        return notes

    def default_of(self, declared, p: Parameter):
        """The declared default of the key a parameter sets directly, or None."""
        section = declared.section + "."
        for key, template in self.settings.items():
            m = NAME_RE.fullmatch(template.strip())
            if m and m.group(1) == p.name and key.startswith(section):
                try:
                    d = declared.default(key[len(section):])
                except KeyError:
                    return None
                return d if isinstance(d, (int, float)) and not isinstance(d, bool) else None
        return None

    def keys_of(self, p: Parameter) -> list[str]:
        """The key paths whose value uses parameter p."""
        return [k for k, t in self.settings.items() if p.name in NAME_RE.findall(t)]

    # ---- fingerprints ----------------------------------------------------------------------

    def scenario_chain(self) -> list[Path]:
        """The scenario file and every file it extends (nearest first)."""
        chain, f = [], self.scenario
        while f is not None and f not in chain:
            chain.append(f)
            doc = yaml.safe_load(f.read_text()) or {}
            ext = doc.get("extends")
            f = (f.parent / ext).resolve() if ext else None
        return chain

    def setup_fingerprint(self, binary_version: str, binary_file=None) -> str:
        """What a run's result depends on besides its parameters and seed: the binary (its version
        and, when given, the bytes of its file: a rebuilt binary is another binary), the scenario
        files, the fixed overrides and how parameters map to keys. Runs of the run table with
        another fingerprint are never reused."""
        h = hashlib.sha256()
        h.update(binary_version.encode())
        if binary_file is not None:
            h.update(Path(binary_file).read_bytes())
        for f in self.scenario_chain():
            h.update(f.read_bytes())
        h.update(json.dumps([self.fixed, self.settings, [(p.name, p.scale) for p in self.parameters]],
                            sort_keys=True).encode())
        return h.hexdigest()[:16]


# ---- helpers -------------------------------------------------------------------------------


def _number(v: float) -> str:
    return f"{float(v):.10g}"


def _yaml_text(v) -> str:
    """A YAML value as one line of flow YAML (what --set reads)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return _number(v) if isinstance(v, float) else str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    text = yaml.safe_dump(v, default_flow_style=True, width=10 ** 6).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    if "\n" in text:
        raise SpecError(f"cannot write {v!r} as one line of YAML")
    return text


class _Reader:
    """Reads one map of the spec, naming file and key path in every error."""

    def __init__(self, file: Path, node, path: str):
        self.file, self.path = file, path
        if not isinstance(node, dict):
            raise SpecError(f"{file}: key '{path}': expected a map")
        self.node = node
        self.used = set()

    def key(self, k):
        return f"{self.path}.{k}" if self.path else k

    def fail(self, k, msg):
        raise SpecError(f"{self.file}: key '{self.key(k)}': {msg}")

    def get(self, k, default=..., kind=None):
        self.used.add(k)
        if k not in self.node or self.node[k] is None:
            if default is ...:
                self.fail(k, "is required but missing")
            return default
        return self.node[k]

    def text(self, k, default=...):
        v = self.get(k, default)
        if v is None or isinstance(v, str):
            return v
        return str(v)

    def number(self, k, default=..., lo=None, hi=None):
        v = self.get(k, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.fail(k, f"expected a number, got {v!r}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.fail(k, f"expected a number in [{lo}, {hi}], got {v}")
        return float(v)

    def integer(self, k, default=..., lo=None, hi=None):
        v = self.get(k, default)
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(k, f"expected an integer, got {v!r}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.fail(k, f"expected an integer in [{lo}, {hi if hi is not None else 'inf'}], got {v}")
        return v

    def map(self, k, default=...):
        v = self.get(k, default)
        if not isinstance(v, dict):
            self.fail(k, f"expected a map, got {v!r}")
        return v

    def list(self, k, default=...):
        v = self.get(k, default)
        if not isinstance(v, list):
            self.fail(k, f"expected a list, got {v!r}")
        return v

    def done(self, nested=()):
        unknown = sorted(set(map(str, self.node)) - self.used - set(nested))
        if unknown:
            raise SpecError(f"{self.file}: unknown key '{self.key(unknown[0])}' (known keys here: "
                            f"{', '.join(sorted(self.used | set(nested)))})")


def _parameter(r: _Reader, name: str, v) -> Parameter:
    key = f"parameters.{name}"
    doc = ""
    if isinstance(v, dict):
        pr = _Reader(r.file, v, key)
        rng = pr.list("range")
        scale = pr.text("scale", "lin")
        doc = pr.text("doc", "")
        pr.done()
        v = list(rng) + [scale]
    if not isinstance(v, list) or len(v) != 3:
        r.fail(key, f"expected [low, high, lin|log] or {{range: [low, high], scale: lin|log, doc: text}}, got {v!r}")
    low, high, scale = v
    if any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in (low, high)):
        r.fail(key, f"expected numbers low and high, got {low!r}, {high!r}")
    if not low < high:
        r.fail(key, f"low ({low}) must be below high ({high})")
    if scale not in ("lin", "log"):
        r.fail(key, f"expected the scale lin or log, got {scale!r}")
    if scale == "log" and low <= 0:
        r.fail(key, f"a log scale needs low > 0, got {low}")
    if "." not in name and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        r.fail(key, "a parameter is named by a key path or by a name of letters, digits and _")
    return Parameter(name, float(low), float(high), scale, doc)


def _month(r: _Reader, k: str, v) -> str:
    s = str(v)
    if not re.fullmatch(r"\d{4}-\d{2}", s):
        r.fail(k, f"expected a month YYYY-MM, got {v!r}")
    return s


def _target(r: _Reader, here: Path, name: str, v) -> Target:
    tr = _Reader(r.file, v, f"targets.{name}")
    data = (here / tr.text("data")).resolve()
    if not data.is_file():
        tr.fail("data", f"data file {data} not found")
    match = tr.map("match", {})
    by = tuple(tr.list("by", []))
    select = tr.map("select", {})
    keep = tr.map("keep", {})
    for d in keep:
        if d not in by:
            tr.fail("keep", f"'{d}' is not one of the dimensions in by ({', '.join(by) or 'none'})")
    for d in by:
        if d not in match:
            tr.fail("by", f"'{d}' must be matched to a data column (match: {{{d}: COLUMN}})")
    months = tr.list("months")
    if len(months) != 2:
        tr.fail("months", "expected [first, last] as YYYY-MM")
    first, last = (_month(tr, "months", m) for m in months)
    if first > last:
        tr.fail("months", f"{first} is after {last}")
    period = tr.integer("period", 1, lo=1)
    metric = tr.text("metric", "log")
    if metric not in METRICS:
        tr.fail("metric", f"expected one of {', '.join(METRICS)}, got {metric!r}")
    if metric == "share" and not by:
        tr.fail("metric", "a share needs the categories it is a share of (by)")
    in_waves = tr.get("waves", [])
    if not isinstance(in_waves, list) or not all(isinstance(w, int) for w in in_waves):
        tr.fail("waves", f"expected a list of wave numbers, got {in_waves!r}")
    t = Target(name=name, series=tr.text("series"), data=data, value=tr.text("value"), month=tr.text("month", "month"),
               match={str(k): str(c) for k, c in match.items()}, by=by,
               select={str(k): [str(x) for x in vs] for k, vs in select.items()},
               keep={str(k): [str(x) for x in vs] for k, vs in keep.items()},
               months=(first, last), period=period, metric=metric, offset=tr.number("offset", 0.0, lo=0.0),
               observation_sd=tr.number("observation_sd", lo=0.0), discrepancy_sd=tr.number("discrepancy_sd", lo=0.0),
               weight=tr.number("weight", 1.0, lo=0.0), ard=bool(tr.get("ard", False)), in_waves=tuple(in_waves))
    if t.observation_sd == 0 and t.discrepancy_sd == 0:
        tr.fail("discrepancy_sd", "observation_sd and discrepancy_sd cannot both be 0")
    if metric == "log" and t.offset == 0:
        tr.fail("offset", "a log metric needs an offset > 0 (people added before the log)")
    tr.done()
    return t


def _sensitivity(path: Path, node: dict, targets) -> dict:
    sr = _Reader(path, node, "sensitivity")
    points = sr.integer("points", 100, lo=4)
    replicates = sr.integer("replicates", 1, lo=1)
    samples = sr.integer("samples", 1024, lo=16)
    end = sr.text("end", None)
    scenarios = {}
    for sname, sets in sr.map("scenarios", {}).items():
        if sname == "base":
            sr.fail("scenarios.base", "'base' is the calibrated scenario itself; name the others")
        if not isinstance(sets, dict):
            sr.fail(f"scenarios.{sname}", "expected a map {key.path: value}")
        scenarios[str(sname)] = {k: _yaml_text(v) for k, v in sets.items()}
    outcomes = []
    for oname, ov in sr.map("outcomes").items():
        orr = _Reader(path, ov, f"sensitivity.outcomes.{oname}")
        months = orr.list("months")
        if len(months) != 2:
            orr.fail("months", "expected [first, last] as YYYY-MM")
        o = Outcome(name=oname, series=orr.text("series"), months=tuple(_month(orr, "months", m) for m in months),
                    scenario=orr.text("scenario", "base"), minus=orr.text("minus", None),
                    select={str(k): [str(x) for x in vs] for k, vs in orr.map("select", {}).items()})
        for s in (o.scenario, o.minus):
            if s is not None and s != "base" and s not in scenarios:
                orr.fail("scenario", f"'{s}' is not a scenario of sensitivity.scenarios (nor 'base')")
        orr.done()
        outcomes.append(o)
    sr.done()
    return {"points": points, "replicates": replicates, "samples": samples, "end": end, "scenarios": scenarios,
            "outcomes": outcomes}
