"""Files a calibration writes for the simulator: design tables, sweep files and the scenario
of one parameter set (docs/calibration.md, "What it writes").

A parameter set becomes a scenario as the calibration's runs see it: the spec's scenario
(`scenario:`), with each fitted key path set to its rendered value, exactly as `--set` would
(Spec.rendered). In a scenario *file* a key path that runs through a list (an element of a list
of announcements) cannot be written as a path: the list is restated from the scenario it
extends, with that element changed; everything else is written as nested maps.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

import pandas as pd
import yaml

from ..repository import ROOT


def write_design(path: Path, spec, labels: list[str], values) -> None:
    """A design CSV (docs/hpc.md, "Designs"): point labels and the rendered key-path values."""
    rows = [{"point": lab, **spec.rendered(v)} for lab, v in zip(labels, values)]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False, lineterminator="\n")


def write_parameters(path: Path, spec, labels: list[str], values, extra: dict | None = None) -> None:
    """The same points by parameter name (for people and the report)."""
    df = pd.DataFrame(values, columns=spec.names)
    df.insert(0, "point", labels)
    for k, v in (extra or {}).items():
        df[k] = v
    df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")


def relative(path: Path, start: Path) -> str:
    """`path` relative to `start` when both are in the repository (files that travel with it), else absolute."""
    p, s = Path(path).resolve(), Path(start).resolve()
    if p.is_relative_to(ROOT) and s.is_relative_to(ROOT):
        return os.path.relpath(p, s)
    return str(p)


def write_sweep(path: Path, *, name: str, description: str, base: Path, seed: int, seeds: str, replicates: int,
                fixed: dict, design: Path | None = None, scenarios: dict | None = None, header: str = "") -> None:
    """A sweep file; paths relative to it. `fixed` and each scenario's overrides are {key: YAML text}."""
    here = Path(path).parent
    here.mkdir(parents=True, exist_ok=True)
    lines = [f"# {ln}" if ln else "#" for ln in header.strip().splitlines()] if header else []
    lines += [f"name: {name}", f"description: {_quote(description)}", f"base: {relative(base, here)}", f"seed: {seed}",
              f"seeds: {seeds}", f"replicates: {replicates}"]
    if fixed:
        lines.append("set:")
        lines += [f"  {k}: {_flow(v)}" for k, v in fixed.items()]
    if design is not None:
        lines.append(f"design: {relative(design, here)}")
    if scenarios:
        lines.append("scenarios:")
        for sname, sets in scenarios.items():
            if sets:
                inner = ", ".join(f"{k}: {_flow(v)}" for k, v in sets.items())
                lines.append(f"  - {{name: {sname}, set: {{{inner}}}}}")
            else:
                lines.append(f"  - {{name: {sname}}}")
    Path(path).write_text("\n".join(lines) + "\n")


def _quote(s: str) -> str:
    return yaml.safe_dump(s, default_style='"', width=10 ** 6).strip()


def _flow(text: str) -> str:
    """A value's YAML text, quoted when it would not read back as itself inside a flow map."""
    try:
        yaml.safe_load(f"k: {text}")
        return text
    except yaml.YAMLError:
        return _quote(text)


def merged_scenario(path: Path) -> dict:
    """The scenario file with everything it extends laid under it (maps merge, anything else is
    replaced), as the simulator merges them; enough to find the lists a key path runs through."""
    path = Path(path).resolve()
    doc = yaml.safe_load(path.read_text()) or {}
    ext = doc.pop("extends", None)
    if not ext:
        return doc
    base = merged_scenario(path.parent / ext)
    return _merge(base, doc)


def _merge(base, top):
    if isinstance(base, dict) and isinstance(top, dict):
        out = dict(base)
        for k, v in top.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return top


def overlay(base: dict, rendered: dict) -> dict:
    """The nested settings of a file that extends `base` (merged) and sets each key path of
    `rendered` to its YAML value; a list on the way is restated from base with the element changed."""
    out: dict = {}
    for key, text in rendered.items():
        value = yaml.safe_load(text)
        parts = key.split(".")
        node, b = out, base
        for i, part in enumerate(parts[:-1]):
            if isinstance(node, list):
                idx = int(part)
                node, b = node[idx], (b[idx] if isinstance(b, list) and idx < len(b) else None)
                continue
            b_next = b.get(part) if isinstance(b, dict) else None
            if part not in node:
                if parts[i + 1].isdigit():
                    if not isinstance(b_next, list) or int(parts[i + 1]) >= len(b_next):
                        raise ValueError(f"{key}: {'.'.join(parts[:i + 1])} is not a list of more than "
                                         f"{parts[i + 1]} items in the scenario it extends")
                    node[part] = copy.deepcopy(b_next)
                else:
                    node[part] = {}
            node, b = node[part], b_next
        if isinstance(node, list):
            node[int(parts[-1])] = value
        else:
            node[parts[-1]] = value
    return out


def _dump(settings: dict) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def represent_list(dumper, data):  # schedules and small lists on one line
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    def represent_dict(dumper, data):  # a map of plain values (a schedule change) on one line too
        flow = all(not isinstance(v, (dict, list)) for v in data.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)

    Dumper.add_representer(list, represent_list)
    Dumper.add_representer(dict, represent_dict)
    Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))
    return yaml.dump(settings, Dumper=Dumper, sort_keys=False, default_flow_style=False, width=10 ** 6)


def write_point_scenario(path: Path, spec, values, *, name: str, description: str, header: str) -> None:
    """A scenario file: the spec's scenario with one parameter set (Spec.rendered)."""
    path = Path(path)
    base = merged_scenario(spec.scenario)
    settings = overlay(base, spec.rendered(values))
    lines = [f"# {ln}" if ln else "#" for ln in header.strip().splitlines()]
    lines += [f"extends: {relative(spec.scenario, path.parent)}", f"name: {name}", f"description: {_quote(description)}"]
    path.write_text("\n".join(lines) + "\n" + _dump(settings))
