#!/usr/bin/python3
"""The committed corridor network is exactly what the builder makes from data/, and has the
shape the corridor model relies on (docs/network.md).

Rebuilds scenarios/corridor/{nodes,edges,network_check_transitions}.csv into a temporary
folder with scripts/build_corridor_network.py and fails if any committed table differs (so
nobody hand-edits them), then checks: the node kinds and their counts, one sector per
border city named as in the encounters data, every km > 0, every mode known, and every
origin reaching every sector through Mexico. If CORRIDOR_BIN is set, `corridor validate`
must accept scenarios/corridor/network_check.yaml. Exits non-zero on the first failure.
"""
import collections
import csv
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(os.environ.get("CORRIDOR_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
NET = ROOT / "scenarios" / "corridor"
TABLES = ["nodes.csv", "edges.csv", "network_check_transitions.csv"]
KINDS = {"origin", "crossing", "transit", "border_city", "sector", "destination"}
MODES = {"road", "foot", "train"}

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def committed_tables_equal_a_rebuild():
    tmp_root = os.environ.get("CORRIDOR_TMP")
    if tmp_root:
        os.makedirs(tmp_root, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tmp_root) as tmp:
        run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_corridor_network.py"), "--quiet",
                              "--out", tmp], capture_output=True, text=True)
        check(run.returncode == 0, f"the builder runs (exit {run.returncode}) {run.stderr.strip()}")
        for name in TABLES:
            fresh = pathlib.Path(tmp) / name
            same = fresh.exists() and fresh.read_bytes() == (NET / name).read_bytes()
            check(same, f"committed scenarios/corridor/{name} is identical to a rebuild "
                        "(rerun /usr/bin/python3 scripts/build_corridor_network.py and commit)")


def structure():
    nodes = {n["id"]: n for n in rows(NET / "nodes.csv")}
    edges = rows(NET / "edges.csv")
    kinds = collections.Counter(n["kind"] for n in nodes.values())
    check(set(kinds) == KINDS, f"node kinds are exactly {sorted(KINDS)} (found {dict(kinds)})")
    check(kinds["border_city"] == 13, f"13 northern border cities (found {kinds['border_city']})")
    check(kinds["sector"] == 9, f"9 Border Patrol sectors (found {kinds['sector']})")
    check(kinds["origin"] >= 1 and kinds["destination"] >= 1, "at least one origin and one destination")

    encounters = rows(ROOT / "data" / "usbp_swb_encounters_by_sector_monthly.csv")
    labels = {r["sector"] for r in encounters}
    sectors = {n["id"]: n for n in nodes.values() if n["kind"] == "sector"}
    check({s["sector"] for s in sectors.values()} == labels,
          "sector nodes carry exactly the sector names of usbp_swb_encounters_by_sector_monthly.csv")

    def km_of(e):
        try:
            return float(e["km"])
        except ValueError:
            return float("nan")

    bad_km = [f"{e['from']}-{e['to']}" for e in edges if not km_of(e) > 0]
    check(not bad_km, f"all {len(edges)} edges have km > 0" + (f" (not {bad_km})" if bad_km else ""))
    bad_mode = [f"{e['from']}-{e['to']}" for e in edges if e["mode"] not in MODES]
    check(not bad_mode, f"every edge's mode is one of {sorted(MODES)}" + (f" (not {bad_mode})" if bad_mode else ""))
    check(all(e["from"] in nodes and e["to"] in nodes for e in edges), "every edge joins two known nodes")
    pairs = [frozenset((e["from"], e["to"])) for e in edges]
    check(len(pairs) == len(set(pairs)), "no edge is listed twice")
    adj = collections.defaultdict(dict)
    for e in edges:
        adj[e["from"]][e["to"]] = adj[e["to"]][e["from"]] = km_of(e)

    for b in (n for n in nodes.values() if n["kind"] == "border_city"):
        across = [v for v in adj[b["id"]] if nodes[v]["kind"] == "sector"]
        ok = len(across) == 1 and nodes[across[0]]["sector"] == b["sector"] and b["sector"] in labels
        check(ok, f"border city {b['id']} has exactly one sector, {b['sector']!r}, with an edge to it")
    stray = [i for i, n in nodes.items() if n["kind"] not in ("border_city", "sector") and n["sector"]]
    check(not stray, "only border cities and sectors name a sector" + (f" (not {stray})" if stray else ""))

    # Through Mexico only: paths through the US (sector - destination - sector) are cut, so
    # reaching a sector means reaching a border city across from it.
    def reach(start):
        seen, todo = {start}, [start]
        while todo:
            u = todo.pop()
            if nodes[u]["kind"] in ("sector", "destination"):
                continue
            for v in adj[u]:
                if v not in seen and nodes[v]["kind"] != "destination":
                    seen.add(v)
                    todo.append(v)
        return seen

    for o in (i for i, n in nodes.items() if n["kind"] == "origin"):
        missing = sorted(set(sectors) - reach(o))
        check(not missing, f"origin {o} reaches every sector through Mexico" + (f" (not {missing})" if missing else ""))

    transitions = rows(NET / "network_check_transitions.csv")
    out = collections.defaultdict(float)
    for t in transitions:
        out[t["from"]] += float(t["p"])
    check(all(t["to"] in adj[t["from"]] for t in transitions), "every network-check transition follows an edge")
    check(all(p <= 1 + 1e-12 for p in out.values()), "network-check transition rows sum to at most 1")


def validate_scenario():
    binary = os.environ.get("CORRIDOR_BIN")
    if not binary:
        print("skip corridor validate (CORRIDOR_BIN not set)")
        return
    run = subprocess.run([binary, "validate", str(NET / "network_check.yaml")], capture_output=True, text=True)
    check(run.returncode == 0, f"corridor validate scenarios/corridor/network_check.yaml (exit {run.returncode}) "
                               f"{run.stderr.strip()}")


committed_tables_equal_a_rebuild()
structure()
validate_scenario()
if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("all corridor network checks passed")
