#!/usr/bin/env -S /usr/bin/python3
"""The bad-input catalogue (docs/reliability.md): well over a hundred ways an adversarial user
can feed corridor bad input, each of which must end with the exit code it deserves (2 for bad
input), a message that matches, no output file and every input unchanged.

Each case gets a folder with a small valid markov scenario (base.yaml, nodes.csv, edges.csv)
and, for the Flee cases, a small valid Flee case (flee.yaml and case/); the case then breaks
one thing: a file, a key, a value, an option or an output path. Outputs are pointed into the
case's out/ folder, which must stay empty. A control test runs the unbroken fixtures, so that
every case fails for its stated reason and not because the fixtures are bad.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import unittest
from dataclasses import dataclass, field
from pathlib import Path

import harness

BASE_YAML = """\
name: cat_base
model: markov
seed: 7
start: 2021-01-01
end: 2021-01-10
network:
  nodes: nodes.csv
  edges: edges.csv
  origins: [a]
  destinations: [d]
markov:
  initial:
    - {node: a, agents: 100}
  transitions:
    - {from: a, to: b, p: 0.5}
    - {from: b, to: c, p: 0.5}
    - {from: c, to: d, p: 0.5}
"""
NODES = "id,name,kind\na,Alpha,start\nb,Bravo,transit\nc,Charlie,transit\nd,Delta,sink\n"
EDGES = "from,to,km,mode\na,b,10,road\nb,c,12.5,road\nc,d,7,foot\n"
TRANSITIONS = "from,to,p\na,b,0.5\nb,c,0.5\nc,d,0.5\n"

FLEE_YAML = """\
name: cat_flee
model: flee
seed: 1
start: 2020-01-01
end: 2020-01-20
flee:
  input: case
  validation: case
  settings: case/simsetting.yml
"""
FLEE_CASE = {
    "locations.csv": "#name,region,country,lat,lon,location_type,conflict_date,pop/cap\n"
                     "A,r,X,0,0,conflict_zone,0,1000\nB,r,X,1,0,town,,\nC,r,Y,2,0,camp,,500\n",
    "routes.csv": "#name1,name2,distance,forced_redirection\nA,B,100\nB,C,50,0\n",
    "sim_period.csv": "StartDate,2020-01-01\nLength,20\n",
    "conflicts.csv": "#Day,A\n0,1\n10,0.5\n",
    "closures.csv": "#closure_type,name1,name2,closure_start,closure_end\nlink,A,B,5,8\n",
    "data_layout.csv": "total,total.csv\nC,c.csv\n",
    "total.csv": "2020-01-01,10\n2020-01-15,40\n",
    "c.csv": "Date,count\n2020-01-01,10\n2020-01-10,30\n",
    "simsetting.yml": "move_rules:\n  max_move_speed: 200\n  awareness_level: 1\n"
                      "spawn_rules:\n  conflict_spawn_decay: [1, 0.5]\noptimisations:\n  hasten: 1\n",
}

SWEEP_YAML = "name: cat_sweep\nbase: base.yaml\nseed: 3\nreplicates: 2\n"

HELD = []  # lock files the sweep-lock cases hold open

# Special file contents.
FIFO = object()
DIR = object()


def link(target: str):
    return ("symlink", target)


def big(megabytes: float, line: str = "# padding\n"):
    return ("big", megabytes, line)


def alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def nested(depth: int) -> str:
    return "x: " + "[" * depth + "1" + "]" * depth + "\n"


@dataclass
class Case:
    name: str
    args: list[str]            # after `corridor`; {d}: the case folder, {out}: its out/ folder,
                               # {src}: the repository (the corridor model's scenarios)
    regex: str                 # must match stderr
    files: dict = field(default_factory=dict)  # name -> text, FIFO, DIR, link(...), big(...)
    code: int = 2
    flee: bool = False
    env: dict = field(default_factory=dict)
    setup: object = None       # callable(case folder) before the run
    category: str = ""


def run_case(d: Path, c: Case):
    args = [a.replace("{d}", str(d)).replace("{out}", str(d / "out")).replace("{src}", str(harness.SOURCE))
            for a in c.args]
    env = dict(os.environ, **c.env)
    return subprocess.run([str(harness.BIN), *args], cwd=d, capture_output=True, text=True, timeout=60, env=env)


def set_(*assignments: str) -> list[str]:
    out = []
    for a in assignments:
        out += ["--set", a]
    return out


RUN = ["run", "--quiet", "{d}/base.yaml", "--out", "{out}/r.h5"]
VALIDATE = ["validate", "{d}/base.yaml"]
FLEE_RUN = ["run", "--quiet", "{d}/flee.yaml", "--out", "{out}/r.h5"]
CORRIDOR_RUN = ["run", "--quiet", "{src}/scenarios/defaults.yaml", "--out", "{out}/c.h5"]
CORRIDOR_VALIDATE = ["validate", "{src}/scenarios/defaults.yaml"]
PUSH_TABLE = "{src}/data/push_factors_by_country_year.csv"


def push_table(row: str, value: str = None, new_row: str = None) -> dict:
    """The corridor's push-factors table with one row changed (its value, or the start `row`
    itself), as push.csv of the case."""
    text = (harness.SOURCE / "data" / "push_factors_by_country_year.csv").read_text()
    assert "\n" + row in text, row
    if value is not None:
        text = re.sub("^(" + re.escape(row) + ")[^,]*", lambda m: m.group(1) + value, text, count=1, flags=re.M)
    else:
        text = text.replace("\n" + row, "\n" + new_row, 1)
    return {"push.csv": text}


def cases() -> list[Case]:
    C: list[Case] = []

    def add(category, *items):
        for it in items:
            it.category = category
            C.append(it)

    # ---------------------------------------------------------------- YAML
    rec = "x: &a [1, *a]\n"
    add("yaml",
        Case("recursive_alias", ["run", "{d}/rec.yaml", "--out", "{out}/r.h5"], r"rec\.yaml:3: a recursive alias",
             {"rec.yaml": "name: x\nmodel: markov\n" + rec}),
        Case("recursive_alias_three_lines", ["validate", "{d}/rec.yaml"], r"rec\.yaml:3: a recursive alias",
             {"rec.yaml": "a: 1\nb: 2\n" + rec}),
        Case("recursive_alias_map", ["validate", "{d}/rec.yaml"], r"rec\.yaml:1: a recursive alias",
             {"rec.yaml": "x: &a {y: *a}\n"}),
        Case("recursive_alias_nested", ["validate", "{d}/rec.yaml"], r"rec\.yaml:3: a recursive alias",
             {"rec.yaml": "x: &a\n  - y:\n      - *a\n"}),
        Case("recursive_alias_in_set", RUN + set_("markov.extra=&a [1, *a]"),
             r"--set markov\.extra:1: a recursive alias"),
        Case("recursive_alias_in_sweep_file", ["sweep", "{d}/sweep.yaml", "--out", "{out}/s"],
             r"sweep\.yaml:5: a recursive alias", {"sweep.yaml": SWEEP_YAML + "x: &a [1, *a]\n"}),
        Case("recursive_alias_in_extended_file", ["validate", "{d}/child.yaml"], r"parent\.yaml:1: a recursive alias",
             {"child.yaml": "extends: parent.yaml\n", "parent.yaml": rec}),
        Case("alias_bomb", ["validate", "{d}/bomb.yaml"], r"bomb\.yaml:\d+: the document has more than 200000 values",
             {"bomb.yaml": alias_bomb()}),
        Case("alias_bomb_in_set", VALIDATE + set_("x={a: &a [1,1,1,1,1,1,1,1,1,1], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a],"
                                                  " c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], d: &d [*c,*c,*c,*c,*c,*c,*c,"
                                                  "*c,*c,*c], e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d], f: [*e,*e,*e,*e,"
                                                  "*e,*e,*e,*e,*e,*e]}"),
             r"--set x:1: the document has more than 200000 values"),
        Case("alias_bomb_in_sweep_file", ["sweep", "{d}/sweep.yaml", "--dry-run"],
             r"sweep\.yaml:\d+: the document has more than 200000 values", {"sweep.yaml": SWEEP_YAML + alias_bomb()}),
        Case("duplicate_top_key", RUN, r"base\.yaml:4: key 'seed' given twice in one map \(first on line 3\)",
             {"base.yaml": BASE_YAML.replace("start: 2021", "seed: 8\nstart: 2021")}),
        Case("duplicate_nested_key", RUN, r"base\.yaml:15: key 'p' given twice",
             {"base.yaml": BASE_YAML.replace("{from: a, to: b, p: 0.5}", "{from: a, to: b, p: 0.5, p: 0.9}")}),
        Case("duplicate_block_key", RUN, r"base\.yaml:\d+: key 'nodes' given twice",
             {"base.yaml": BASE_YAML.replace("  edges: edges.csv", "  nodes: nodes.csv\n  edges: edges.csv")}),
        Case("duplicate_key_in_set_value", RUN + set_("output={events: true, events: false}"),
             r"--set output:1: key 'events' given twice"),
        Case("duplicate_key_in_sweep_file", ["sweep", "{d}/sweep.yaml", "--dry-run"],
             r"sweep\.yaml:5: key 'seed' given twice", {"sweep.yaml": SWEEP_YAML + "seed: 4\n"}),
        Case("duplicate_key_in_extended_file", ["validate", "{d}/child.yaml"], r"parent\.yaml:2: key 'seed' given twice",
             {"child.yaml": "extends: parent.yaml\n", "parent.yaml": "seed: 1\nseed: 2\n"}),
        Case("duplicate_key_in_flee_settings", FLEE_RUN, r"simsetting\.yml:3: key 'max_move_speed' given twice",
             {"case/simsetting.yml": "move_rules:\n  max_move_speed: 200\n  max_move_speed: 300\n"}, flee=True),
        Case("list_as_key", RUN, r"base\.yaml:\d+: a key that is not a scalar \(a list\)",
             {"base.yaml": BASE_YAML + "[a, b]: 1\n"}),
        Case("map_as_key", RUN, r"base\.yaml:\d+: a key that is not a scalar \(a map\)",
             {"base.yaml": BASE_YAML + "{a: 1}: 2\n"}),
        Case("alias_of_list_as_key", ["validate", "{d}/k.yaml"], r"k\.yaml:2: a key that is not a scalar \(an alias",
             {"k.yaml": "x: &l [1]\n*l : 3\n"}),
        Case("null_key", ["validate", "{d}/k.yaml"], r"k\.yaml:1: a key with no name", {"k.yaml": "~: 1\n"}),
        Case("second_document", RUN, r"base\.yaml: more than one YAML document",
             {"base.yaml": BASE_YAML + "---\nname: other\n"}),
        Case("nesting_too_deep", ["validate", "{d}/deep.yaml"], r"deep\.yaml:1: maps and lists nested more than 64 deep",
             {"deep.yaml": nested(80)}),
        Case("nesting_far_too_deep", ["validate", "{d}/deep.yaml"], r"deep\.yaml:1: maps and lists nested more than 64 deep",
             {"deep.yaml": nested(5000)}),
        Case("syntax_error", RUN, r"base\.yaml:\d+: YAML syntax error",
             {"base.yaml": BASE_YAML.replace("start: 2021-01-01", "start: [2021-01-01")}),
        Case("unclosed_quote", RUN, r"base\.yaml:\d+: YAML syntax error",
             {"base.yaml": BASE_YAML.replace("origins: [a]", 'origins: ["a]')}),
        Case("top_level_list", ["validate", "{d}/l.yaml"], r"l\.yaml: expected a YAML map of scenario keys",
             {"l.yaml": "- a\n- b\n"}),
        Case("top_level_scalar", ["validate", "{d}/l.yaml"], r"l\.yaml: expected a YAML map of scenario keys",
             {"l.yaml": "just text\n"}),
        Case("set_value_not_yaml", RUN + set_("markov.initial=[1, 2"), r"--set markov\.initial: value is not valid YAML"),
        Case("binary_garbage", ["validate", "{d}/g.yaml"], r"g\.yaml",
             {"g.yaml": "name: \x00\x01\x02\xff\xfe\n: : :\n"}),
        )

    # ---------------------------------------------------------------- files read
    add("files",
        Case("scenario_is_directory", ["run", "{d}/sc", "--out", "{out}/r.h5"], r"sc: is a directory, expected a scenario file",
             {"sc": DIR}),
        Case("scenario_is_fifo", ["run", "{d}/sc.yaml", "--out", "{out}/r.h5"], r"sc\.yaml: is a FIFO \(named pipe\), expected a scenario file",
             {"sc.yaml": FIFO}),
        Case("scenario_is_dev_zero", ["run", "{d}/sc.yaml", "--out", "{out}/r.h5"], r"sc\.yaml: is a character device",
             {"sc.yaml": link("/dev/zero")}),
        Case("scenario_is_dev_null", ["validate", "/dev/null"], r"/dev/null: is a character device"),
        Case("scenario_missing", ["run", "{d}/none.yaml", "--out", "{out}/r.h5"], r"none\.yaml: scenario file not found"),
        Case("scenario_too_large", ["--max-input-mb", "1", "validate", "{d}/huge.yaml"],
             r"huge\.yaml: the scenario file is \d+ bytes; inputs are limited to 1 MiB", {"huge.yaml": big(1.5)}),
        Case("scenario_too_large_env", ["validate", "{d}/huge.yaml"], r"huge\.yaml: the scenario file is \d+ bytes",
             {"huge.yaml": big(1.5)}, env={"CORRIDOR_MAX_INPUT_MB": "1"}),
        Case("table_is_fifo", RUN, r"key 'network\.nodes': '.*n\.csv' is a FIFO", {"n.csv": FIFO, "base.yaml":
             BASE_YAML.replace("nodes: nodes.csv", "nodes: n.csv")}),
        Case("table_is_dev_zero", RUN + set_("network.edges=z.csv"), r"key 'network\.edges': '.*z\.csv' is a character device",
             {"z.csv": link("/dev/zero")}),
        Case("table_is_directory", RUN + set_("network.edges=t"), r"key 'network\.edges': '.*t' is a directory", {"t": DIR}),
        Case("table_missing", RUN + set_("network.nodes=none.csv"), r"key 'network\.nodes': table '.*none\.csv' not found"),
        Case("table_too_large", ["--max-input-mb", "1", *RUN, "--set", "network.nodes=big.csv"],
             r"key 'network\.nodes': .*big\.csv: the table is \d+ bytes; inputs are limited to 1 MiB",
             {"big.csv": big(1.5, "zz,Zulu,x\n")}),
        Case("transitions_file_is_fifo", RUN + set_("markov.transitions_file=tr.csv"), r"'.*tr\.csv' is a FIFO",
             {"tr.csv": FIFO}),
        Case("extends_directory", ["validate", "{d}/child.yaml"],
             r"child\.yaml:1: key 'extends': .*sub: is a directory, expected a scenario file",
             {"child.yaml": "extends: sub\n", "sub": DIR}),
        Case("extends_fifo", ["validate", "{d}/child.yaml"], r"child\.yaml:1: key 'extends': .*p\.yaml: is a FIFO",
             {"child.yaml": "extends: p.yaml\n", "p.yaml": FIFO}),
        Case("extends_dev_zero", ["validate", "{d}/child.yaml"], r"child\.yaml:1: key 'extends': .*is a character device",
             {"child.yaml": "extends: p.yaml\n", "p.yaml": link("/dev/zero")}),
        Case("extends_missing", ["validate", "{d}/child.yaml"], r"child\.yaml:1: key 'extends': scenario file '.*p\.yaml' not found",
             {"child.yaml": "extends: p.yaml\n"}),
        Case("extends_cycle", ["validate", "{d}/a.yaml"], r"extends itself \(cycle\)",
             {"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}),
        Case("flee_locations_is_fifo", FLEE_RUN, r"locations\.csv: is a FIFO", {"case/locations.csv": FIFO}, flee=True),
        Case("flee_count_file_is_dev_zero", FLEE_RUN, r"c\.csv: is a character device",
             {"case/c.csv": link("/dev/zero")}, flee=True),
        Case("flee_routes_is_directory", FLEE_RUN, r"routes\.csv: is a directory", {"case/routes.csv": DIR}, flee=True),
        Case("flee_settings_is_directory", FLEE_RUN, r"key 'flee\.settings': '.*simsetting\.yml' is a directory",
             {"case/simsetting.yml": DIR}, flee=True),
        Case("flee_input_is_file", FLEE_RUN + set_("flee.input=case/routes.csv"), r"is a file, expected a folder", flee=True),
        Case("sweep_file_is_fifo", ["sweep", "{d}/s.yaml", "--out", "{out}/s"], r"s\.yaml: is a FIFO", {"s.yaml": FIFO}),
        Case("sweep_file_is_directory", ["sweep", "{d}/s", "--out", "{out}/s"], r"s: is a directory", {"s": DIR}),
        Case("sweep_base_is_dev_zero", ["sweep", "{d}/s.yaml", "--dry-run"], r"is a character device",
             {"s.yaml": "name: s\nbase: z.yaml\nseed: 1\n", "z.yaml": link("/dev/zero")}),
        )

    # ---------------------------------------------------------------- numbers and ranges
    big_agents = "{node: a, agents: 100}"
    add("ranges",
        Case("seed_negative_option", RUN + ["--seed", "-1"], r"--seed: expected a seed: a non-negative integer"),
        Case("seed_too_large_option", RUN + ["--seed", "18446744073709551616"], r"--seed: expected a seed below 2\^64"),
        Case("seed_text_option", RUN + ["--seed", "seven"], r"--seed: expected a seed"),
        Case("seed_negative_key", RUN + set_("seed=-1"), r"key 'seed': expected a non-negative 64-bit integer, got '-1'"),
        Case("seed_float_key", RUN + set_("seed=1e3"), r"key 'seed': expected a non-negative 64-bit integer"),
        Case("agents_1e308", RUN + set_("markov.initial.0.agents=1e308"), r"key 'markov\.initial\.0\.agents': expected an integer in \[0, 4000000000\]"),
        Case("agents_above_max", RUN + set_("markov.initial.0.agents=4000000001"), r"expected an integer in \[0, 4000000000\]"),
        Case("agents_fraction", RUN + set_("markov.initial.0.agents=2.5"), r"expected an integer in \[0, 4000000000\], got '2\.5'"),
        Case("agents_negative", RUN + set_("markov.initial.0.agents=-4"), r"expected an integer in \[0, 4000000000\]"),
        Case("agents_int64_edge", RUN + set_("markov.initial.0.agents=9223372036854775808"), r"expected an integer in"),
        Case("probability_1e308", RUN + set_("markov.transitions.0.p=1e308"), r"expected a probability in \[0,1\], got '1e308'"),
        Case("probability_nan", RUN + set_("markov.transitions.0.p=.nan"), r"expected a probability in \[0,1\]"),
        Case("probability_inf", RUN + set_("markov.transitions.0.p=.inf"), r"expected a probability in \[0,1\]"),
        Case("probability_hex", RUN + set_("markov.transitions.0.p=0x1p-1"), r"expected a probability in \[0,1\]"),
        Case("capacity_1e20", RUN + set_("markov.capacities=[{node: d, per_day: 1e20}]"), r"per_day': expected an integer in \[0, 4000000000\]"),
        Case("compression_10", RUN + set_("output.compression=10"), r"key 'output\.compression': expected an integer in \[0, 9\]"),
        Case("compression_1e308", RUN + set_("output.compression=1e308"), r"key 'output\.compression': expected an integer in \[0, 9\]"),
        Case("start_before_1900", RUN + set_("start=1800-01-01"), r"key 'start': 1800-01-01 is outside the dates"),
        Case("end_after_2199", RUN + set_("end=2300-01-01"), r"key 'end': 2300-01-01 is outside the dates"),
        Case("period_over_100_years", RUN + set_("start=1950-01-01", "end=2150-01-01"), r"key 'end': the simulated period exceeds 100 years"),
        Case("schedule_change_overflows", RUN + set_("markov.transitions.0.p={scale: 1e308}"), r"markov\.transitions\.0\.p"),
        Case("shift_days_huge", RUN + set_("markov.transitions.0.p={shift_days: 1e9}"), r"shift_days': expected a whole number of days in \[-36600, 36600\]"),
        Case("edge_km_1e308", RUN, r"e\.csv:2: column 'km': expected a (length in km in \(0, 100000\]|positive number)",
             {"e.csv": "from,to,km\na,b,1e308\nb,c,1\nc,d,1\n", "base.yaml": BASE_YAML.replace("edges.csv", "e.csv")}),
        Case("edge_km_1e6", RUN, r"e\.csv:2: column 'km': expected a length in km in \(0, 100000\]",
             {"e.csv": "from,to,km\na,b,1e6\nb,c,1\nc,d,1\n", "base.yaml": BASE_YAML.replace("edges.csv", "e.csv")}),
        Case("edge_km_inf", RUN, r"e\.csv:2: column 'km': expected a positive number, got 'inf'",
             {"e.csv": "from,to,km\na,b,inf\nb,c,1\nc,d,1\n", "base.yaml": BASE_YAML.replace("edges.csv", "e.csv")}),
        Case("node_lat_1e308", RUN, r"n\.csv:2: column 'lat': expected a coordinate in \[-90, 90\]",
             {"n.csv": "id,lat\na,1e308\nb,0\nc,0\nd,0\n", "base.yaml": BASE_YAML.replace("nodes.csv", "n.csv")}),
        Case("flee_max_move_speed_1e308", FLEE_RUN, r"simsetting\.yml:2: key 'move_rules\.max_move_speed': expected a value in \[1e-09, 100000\]",
             {"case/simsetting.yml": "move_rules:\n  max_move_speed: 1e308\n"}, flee=True),
        Case("flee_weight_power_1e6", FLEE_RUN, r"key 'move_rules\.weight_power': expected a value in \[0, 10\]",
             {"case/simsetting.yml": "move_rules:\n  weight_power: 1e6\n"}, flee=True),
        Case("flee_distance_power_inf", FLEE_RUN, r"key 'move_rules\.distance_power': expected a number",
             {"case/simsetting.yml": "move_rules:\n  distance_power: .inf\n"}, flee=True),
        Case("flee_capacity_scaling_1e9", FLEE_RUN, r"key 'move_rules\.capacity_scaling': expected a value in \[0, 1e\+06\]",
             {"case/simsetting.yml": "move_rules:\n  capacity_scaling: 1e9\n"}, flee=True),
        Case("flee_hasten_1e10", FLEE_RUN, r"key 'optimisations\.hasten': expected a value in \[1, 1e\+09\]",
             {"case/simsetting.yml": "optimisations:\n  hasten: 1e10\n"}, flee=True),
        Case("flee_awareness_7", FLEE_RUN, r"key 'move_rules\.awareness_level': expected a value in \[0, 6\]",
             {"case/simsetting.yml": "move_rules:\n  awareness_level: 7\n"}, flee=True),
        Case("flee_decay_item_1e308", FLEE_RUN, r"key 'spawn_rules\.conflict_spawn_decay': item 1: expected a number in \[0, 1e\+06\]",
             {"case/simsetting.yml": "spawn_rules:\n  conflict_spawn_decay: [1, 1e308]\n"}, flee=True),
        Case("flee_setting_override_1e308", FLEE_RUN + set_("flee.move_rules.softening=1e308"),
             r"key 'flee\.move_rules\.softening': expected a value in \[0, 100000\]", flee=True),
        Case("flee_population_1e308", FLEE_RUN, r"locations\.csv:2: column 8 \(population\): expected a number in \[0, 1e\+10\]",
             {"case/locations.csv": FLEE_CASE["locations.csv"].replace(",0,1000", ",0,1e308")}, flee=True),
        Case("flee_conflict_date_1e308", FLEE_RUN, r"locations\.csv:2: column 7 \(conflict_date\): expected a day index in \[0, 36600\]",
             {"case/locations.csv": FLEE_CASE["locations.csv"].replace(",0,1000", ",1e308,1000")}, flee=True),
        Case("flee_distance_1e308", FLEE_RUN, r"routes\.csv:2: column 3 \(distance\): expected km in \(0, 100000\]",
             {"case/routes.csv": "#h\nA,B,1e308\nB,C,50\n"}, flee=True),
        Case("flee_count_1e308", FLEE_RUN, r"c\.csv:3: column 2 \(count\): expected a count in \[0, 1e\+10\]",
             {"case/c.csv": "Date,count\n2020-01-01,10\n2020-01-10,1e308\n"}, flee=True),
        Case("flee_length_1e9", FLEE_RUN, r"sim_period\.csv:2: (Length: expected a number of days|column 2 \(Length\): expected an integer)",
             {"case/sim_period.csv": "StartDate,2020-01-01\nLength,1000000000000\n"}, flee=True),
        Case("flee_intensity_2", FLEE_RUN, r"conflicts\.csv:2: column 2 \(A\): expected an intensity in \[0,1\]",
             {"case/conflicts.csv": "#Day,A\n0,2\n"}, flee=True),
        Case("threads_zero", RUN + ["--threads", "0"], r"--threads: Value 0 not in range 1 to 4096"),
        Case("threads_huge", RUN + ["--threads", "100000"], r"--threads: Value 100000 not in range"),
        Case("checkpoint_every_zero", RUN + ["--checkpoint-every", "0"], r"--checkpoint-every: Value 0 not in range"),
        Case("stop_after_day_past_end", RUN + ["--stop-after-day", "50"], r"--stop-after-day 50: the run has only days 0 to 9"),
        Case("max_input_mb_zero", ["--max-input-mb", "0", *VALIDATE], r"--max-input-mb: Value 0 not in range"),
        Case("agents_beyond_32_bit_rows", VALIDATE + set_("markov.initial=[{node: a, agents: 4000000000}, {node: b, agents: 4000000000}]"),
             r"the run would hold up to 8000000000 agents in one process .*at most 4294967295 fit"),
        Case("memory_estimate_refuses", RUN + set_("markov.initial.0.agents=3000000000"),
             r"the run needs about [0-9.]+ GiB of memory but .* is available: agents .*; estimated from markov\.initial"),
        Case("memory_estimate_refuses_validate", VALIDATE + set_("markov.initial.0.agents=3000000000"),
             r"the run needs about [0-9.]+ GiB of memory"),
        )

    # ---------------------------------------------------------------- corridor parameters
    # Every corridor parameter has a finite range (models/corridor/limits.hpp): a huge value
    # is refused at load (validate too) instead of ending in bad_alloc or an undefined
    # float-to-integer conversion; departures, whose factors multiply, are foreseen day by day.
    def corridor(name, assignment, regex, run=False):
        return Case(name, (CORRIDOR_RUN if run else CORRIDOR_VALIDATE) + set_(assignment), regex)

    def in_range(key, rng):
        return rf"--set corridor\.{re.escape(key)}: key 'corridor\.{re.escape(key)}': expected a number in {re.escape(rng)}, got"

    add("corridor",
        corridor("corridor_season_amplitude_1e308", "corridor.departures.season_amplitude=1e308",
                 in_range("departures.season_amplitude", "[0, 1]")),
        corridor("corridor_season_amplitude_1e308_run", "corridor.departures.season_amplitude=1e308",
                 in_range("departures.season_amplitude", "[0, 1]"), run=True),
        corridor("corridor_beta_gdp_1e6", "corridor.departures.beta_gdp=1e6", in_range("departures.beta_gdp", "[-2, 2]")),
        corridor("corridor_beta_gdp_1e6_run", "corridor.departures.beta_gdp=1e6", in_range("departures.beta_gdp", "[-2, 2]"),
                 run=True),
        corridor("corridor_beta_homicide_minus_1e6", "corridor.departures.beta_homicide=-1e6",
                 in_range("departures.beta_homicide", "[-2, 2]")),
        corridor("corridor_beta_hurricane_1e308", "corridor.departures.beta_hurricane=1e308",
                 in_range("departures.beta_hurricane", "[-60, 60]")),
        corridor("corridor_scale_1e9", "corridor.scale=1e9", in_range("scale", "(0, 1000]")),
        corridor("corridor_scale_1e9_run", "corridor.scale=1e9", in_range("scale", "(0, 1000]"), run=True),
        corridor("corridor_scale_x1000_memory", "corridor.scale=1000",
                 r"the run needs about [0-9.]+ [GT]iB of memory but .* is available|the run would hold up to [0-9]+ agents",
                 run=True),
        corridor("corridor_scale_x1000_memory_validate", "corridor.scale=1000",
                 r"corridor: about [0-9]+ parties set out over the run"),
        corridor("corridor_base_per_day_1e308", "corridor.departures.base_per_day.GT.single_adult=1e308",
                 in_range("departures.base_per_day.GT.single_adult", "[0, 100000]")),
        Case("corridor_departures_beyond_a_day", CORRIDOR_VALIDATE + set_("corridor.scale=1000",
             "corridor.departures.base_per_day.GT.single_adult=1e5"),
             r"defaults\.yaml: corridor: departures would reach [0-9.e+]+ people a day \(GT single_adult from GUA on "
             r"[0-9-]+\), more than the 1e\+07"),
        Case("corridor_departures_scale_times_base", CORRIDOR_VALIDATE + set_("corridor.scale=1000",
             "corridor.departures.base_per_day.MX.single_adult=50000"), r"departures would reach .* \(MX single_adult from"),
        corridor("corridor_gamma_1e6", "corridor.perception.gamma.family=1e6", in_range("perception.gamma.family", "[-60, 60]")),
        corridor("corridor_gamma_at_its_end", "corridor.perception.gamma.family=60",
                 r"departures would reach .* people a day \([A-Z]+ family from"),
        corridor("corridor_relax_days_1e308", "corridor.perception.relax_days=1e308",
                 in_range("perception.relax_days", "(0, 36500]")),
        corridor("corridor_report_window_1e12", "corridor.perception.report_window_days=1e12",
                 in_range("perception.report_window_days", "(0, 3650]"), run=True),
        corridor("corridor_misinformation_1e308", "corridor.perception.misinformation=1e308",
                 r"key 'corridor\.perception\.misinformation': expected a number in \[-1, 1\]"),
        corridor("corridor_announcement_jump_1e308", "corridor.perception.announcements=[{date: 2021-01-20, jump: 1e308}]",
                 r"key 'corridor\.perception\.announcements\.0\.jump': expected a number in \[-1, 1\]"),
        corridor("corridor_mobility_1e308", "corridor.departures.mobility=1e308",
                 r"key 'corridor\.departures\.mobility': expected a number in \[0, 1000\]"),
        corridor("corridor_family_size_1e308", "corridor.departures.family_size.3=1e308",
                 in_range("departures.family_size.3", "[0, 1000]")),
        corridor("corridor_origin_share_1e308", "corridor.departures.origins=[{node: GUA, nationality: GT, share: 1e308}]",
                 r"key 'corridor\.departures\.origins\.0\.share': expected a number in \[0, 1000\]"),
        corridor("corridor_season_peak_day_1e9", "corridor.departures.season_peak_day=1e9",
                 in_range("departures.season_peak_day", "[0, 366]")),
        corridor("corridor_hurricane_decay_1e308", "corridor.departures.hurricane_decay_days=1e308",
                 in_range("departures.hurricane_decay_days", "(0, 36500]")),
        corridor("corridor_beta_km_1e308", "corridor.route_choice.beta_km=1e308", in_range("route_choice.beta_km", "[0, 60]")),
        corridor("corridor_fare_1e308", "corridor.route_choice.fare_per_km.road=1e308",
                 in_range("route_choice.fare_per_km.road", "[0, 1e+06]")),
        corridor("corridor_attraction_1e308", "corridor.route_choice.attraction={TIJ: 1e308}",
                 r"--set corridor\.route_choice\.attraction: key 'corridor\.route_choice\.attraction\.TIJ': expected a "
                 r"number in \[-100, 100\], got '1e308'"),
        corridor("corridor_speed_1e308", "corridor.travel.speed_km_per_day.road=1e308",
                 in_range("travel.speed_km_per_day.road", "(0, 100000]")),
        corridor("corridor_border_wait_1e308", "corridor.travel.border_wait_days=1e308",
                 in_range("travel.border_wait_days", "[0, 3650]"), run=True),
        corridor("corridor_smuggler_speed_tiny", "corridor.travel.smuggler_speed=1e-300",
                 in_range("travel.smuggler_speed", "[0.01, 100]")),
        corridor("corridor_smuggler_fee_1e300", "corridor.travel.smuggler_fee_usd=1e300",
                 in_range("travel.smuggler_fee_usd", "[0, 1e+06]")),
        corridor("corridor_detention_days_1e308", "corridor.mexico.detention_days=1e308",
                 in_range("mexico.detention_days", "[0, 3650]")),
        corridor("corridor_custody_days_1e10", "corridor.us.title8.custody_days=1e10",
                 in_range("us.title8.custody_days", "[0, 3650]"), run=True),
        corridor("corridor_hearing_days_1e308", "corridor.us.mpp.hearing_days=1e308",
                 in_range("us.mpp.hearing_days", "[0, 3650]")),
        corridor("corridor_repeat_window_1e12", "corridor.us.repeat_window_days=1e12",
                 in_range("us.repeat_window_days", "(0, 36500]")),
        corridor("corridor_retry_delay_1e308", "corridor.us.title42.retry_delay_days=1e308",
                 r"key 'corridor\.us\.title42\.retry_delay_days': expected a number in \[0, 3650\]"),
        corridor("corridor_aid_1e300", "corridor.aid.amount_usd=1e300", in_range("aid.amount_usd", "[0, 1e+13]")),
        corridor("corridor_aid_hump_1e6", "corridor.aid.hump=1e6", in_range("aid.hump", "[0, 1]")),
        corridor("corridor_news_noise_1e308", "corridor.news.noise_sd=1e308", in_range("news.noise_sd", "[0, 20]")),
        corridor("corridor_news_distortion_1e308", "corridor.news.distortion=1e308",
                 r"key 'corridor\.news\.distortion': expected a number in \[-20, 20\]"),
        corridor("corridor_news_delay_1e9", "corridor.news.delay_days=1e9",
                 r"key 'corridor\.news\.delay_days': expected an integer in \[0, 3650\]"),
        corridor("corridor_news_gamma_1e6", "corridor.news.gamma.central_american.child=1e6",
                 in_range("news.gamma.central_american.child", "[-60, 60]")),
        Case("corridor_news_gamma_at_its_end", CORRIDOR_VALIDATE + set_("corridor.news.enabled=true",
             "corridor.news.gamma.central_american.child=60"),
             r"departures would reach .* people a day \((GT|HN|SV) child from"),
        corridor("corridor_diaspora_elasticity_1e308", "corridor.diaspora.departure_elasticity=1e308",
                 in_range("diaspora.departure_elasticity", "[0, 10]")),
        corridor("corridor_diaspora_max_pull_below_1", "corridor.diaspora.max_pull=0.5",
                 in_range("diaspora.max_pull", "[1, 1000]")),
        Case("corridor_diaspora_on_without_table", CORRIDOR_VALIDATE + set_("corridor.diaspora.enabled=true",
             "corridor.diaspora.table=null"),
             r"key 'corridor\.diaspora\.enabled': the diaspora mechanism needs diaspora\.table"),
        Case("corridor_diaspora_table_missing_country", CORRIDOR_VALIDATE + set_("corridor.diaspora.table={d}/fb.csv"),
             r"fb\.csv: no row for country SV \(expected one row for each of MX, GT, HN, SV\)",
             {"fb.csv": "country,foreign_born\nMX,100\nGT,20\nHN,10\n"}),
        Case("corridor_diaspora_table_zero_stock", CORRIDOR_VALIDATE + set_("corridor.diaspora.table={d}/fb.csv"),
             r"fb\.csv:3: column 'foreign_born'",
             {"fb.csv": "country,foreign_born\nMX,100\nGT,0\nHN,10\nSV,5\n"}),
        Case("corridor_push_population_zero", CORRIDOR_VALIDATE + set_("corridor.push_factors_table={d}/push.csv"),
             r"push\.csv:[0-9]+: column 'value': expected people in \(0, 1e\+10\], got '0'",
             push_table("HND,Honduras,2020,population_total,", "0")),
        Case("corridor_push_homicide_1e308", CORRIDOR_VALIDATE + set_("corridor.push_factors_table={d}/push.csv"),
             r"push\.csv:[0-9]+: column 'value': expected a rate per 100,000 in \[0, 1000\], got '1e308'",
             push_table("GTM,Guatemala,2019,intentional_homicide_rate,", "1e308")),
        Case("corridor_push_year_huge", CORRIDOR_VALIDATE + set_("corridor.push_factors_table={d}/push.csv"),
             r"push\.csv:[0-9]+: column 'year': expected a year in \[1900, 2199\], got '2147483648'",
             push_table("GTM,Guatemala,2019,", new_row="GTM,Guatemala,2147483648,")),
        )

    # ---------------------------------------------------------------- keys
    add("keys",
        Case("set_trailing_dot", RUN + set_("seed.=7"), r"--set seed\.: empty component in key path 'seed\.'"),
        Case("set_leading_dot", RUN + set_(".seed=7"), r"empty component in key path '\.seed'"),
        Case("set_double_dot", RUN + set_("markov..initial=7"), r"empty component in key path 'markov\.\.initial'"),
        Case("set_no_key", RUN + set_("=7"), r"--set '=7': expected key\.path=value"),
        Case("set_no_value_sign", RUN + set_("seed"), r"--set 'seed': expected key\.path=value"),
        Case("set_bad_index", RUN + set_("markov.initial.9.agents=1"), r"'markov\.initial' is a list of 1 items; '9' is not an index"),
        Case("set_index_of_scalar", RUN + set_("seed.x=1"), r"--set seed\.x: cannot set a key inside a scalar"),
        Case("unknown_key", RUN + set_("colour=red"), r"unknown key 'colour'"),
        Case("unknown_nested_key", RUN + set_("network.colour=red"), r"unknown key 'network\.colour' \(known keys here: .*nodes"),
        Case("misspelled_key", RUN, r"base\.yaml:9: unknown key 'network\.directd'",
             {"base.yaml": BASE_YAML.replace("  origins: [a]", "  directd: true\n  origins: [a]")}),
        Case("extra_column_slash", RUN, r"n\.csv:1: column 'a/b': an extra column keeps its name in the result file",
             {"n.csv": "id,a/b\na,1\nb,1\nc,1\nd,1\n", "base.yaml": BASE_YAML.replace("nodes.csv", "n.csv")}),
        Case("extra_column_dotdot", RUN, r"n\.csv:1: column '\.\.': an extra column",
             {"n.csv": "id,..\na,1\nb,1\nc,1\nd,1\n", "base.yaml": BASE_YAML.replace("nodes.csv", "n.csv")}),
        Case("edge_extra_column_slash", RUN, r"e\.csv:1: column 'x/y': an extra column",
             {"e.csv": "from,to,km,x/y\na,b,1,q\nb,c,1,q\nc,d,1,q\n", "base.yaml": BASE_YAML.replace("edges.csv", "e.csv")}),
        Case("name_escapes_results", ["run", "--quiet", "{d}/base.yaml"], r"key 'name': expected a plain file name .* starts with '\.'",
             {"base.yaml": BASE_YAML.replace("name: cat_base", "name: ../../x")}),
        Case("name_with_slash", ["run", "--quiet", "{d}/base.yaml"], r"key 'name': expected a plain file name .* holds a '/'",
             {"base.yaml": BASE_YAML.replace("name: cat_base", "name: sub/x")}),
        Case("name_absolute", VALIDATE + set_("name=/tmp/x"), r"key 'name': expected a plain file name"),
        Case("name_hidden", VALIDATE + set_("name=.hidden"), r"key 'name': expected a plain file name .* starts with '\.'"),
        Case("name_empty", VALIDATE + set_("name=''"), r"key 'name': expected a plain file name .* it is empty"),
        Case("name_too_long", VALIDATE + set_("name=" + "n" * 200), r"key 'name': expected a plain file name .* longer than 120 bytes"),
        Case("name_control_character", ["validate", "{d}/base.yaml"], r"key 'name': expected a plain file name .* control character",
             {"base.yaml": BASE_YAML.replace("name: cat_base", 'name: "a\\tb"')}),
        Case("model_unknown", RUN + set_("model=marcov"), r"key 'model': unknown model 'marcov'"),
        Case("network_not_a_map", RUN + set_("network=3"), r"key 'network': expected a map of keys"),
        )

    # ---------------------------------------------------------------- output paths
    def holds_lock(d: Path):
        # As a running sweep holds it (sim/sweep/lock.hpp): flock, exclusive.
        (d / "out" / "s").mkdir()
        f = open(d / "out" / "s" / ".sweep.lock", "w")
        fcntl.flock(f, fcntl.LOCK_EX)
        HELD.append(f)

    add("outputs",
        Case("out_is_the_scenario", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/base.yaml"],
             r"--out .*base\.yaml: is an input of this run"),
        Case("out_is_a_table", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/nodes.csv"],
             r"--out .*nodes\.csv: is an input of this run"),
        Case("out_is_the_extended_file", ["run", "--quiet", "{d}/child.yaml", "--out", "{d}/base.yaml"],
             r"--out .*base\.yaml: is an input of this run", {"child.yaml": "extends: base.yaml\n"}),
        Case("out_is_a_hard_link_to_the_scenario", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/hard.h5"],
             r"--out .*hard\.h5: is an input of this run", setup=lambda d: os.link(d / "base.yaml", d / "hard.h5")),
        Case("out_is_a_symlink_to_a_table", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/soft.h5"],
             r"--out .*soft\.h5: is an input of this run", {"soft.h5": link("edges.csv")}),
        Case("out_is_a_flee_input", ["run", "--quiet", "{d}/flee.yaml", "--out", "{d}/case/locations.csv"],
             r"--out .*locations\.csv: is an input of this run", flee=True),
        Case("out_is_dev_null_link", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/null.h5"],
             r"--out .*null\.h5: is a character device; expected a new file or a regular file", {"null.h5": link("/dev/null")}),
        Case("out_is_fifo", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/fifo.h5"], r"--out .*fifo\.h5: is a FIFO",
             {"fifo.h5": FIFO}),
        Case("out_is_directory", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/outdir"], r"--out .*outdir: is a directory",
             {"outdir": DIR}),
        Case("out_parent_is_a_file", ["run", "--quiet", "{d}/base.yaml", "--out", "{d}/nodes.csv/r.h5"],
             r"--out .*nodes\.csv/r\.h5: cannot be created: .*nodes\.csv is a regular file, not a folder"),
        Case("out_names_no_file", ["run", "--quiet", "{d}/base.yaml", "--out", "{out}/"], r"--out '.*out/': expected a file name"),
        Case("checkpoint_is_out", RUN + ["--checkpoint-every", "2", "--checkpoint", "{out}/r.h5"],
             r"--checkpoint .*r\.h5: is the same file as --out"),
        Case("checkpoint_is_scenario", RUN + ["--checkpoint-every", "2", "--checkpoint", "{d}/base.yaml"],
             r"--checkpoint .*base\.yaml: is an input of this run"),
        Case("checkpoint_is_directory", RUN + ["--checkpoint-every", "2", "--checkpoint", "{d}/cdir"],
             r"--checkpoint .*cdir: is a directory", {"cdir": DIR}),
        Case("checkpoint_is_fifo", RUN + ["--stop-after-day", "3", "--checkpoint", "{d}/c.fifo"],
             r"--checkpoint .*c\.fifo: is a FIFO", {"c.fifo": FIFO}),
        Case("flee_out_csv_is_directory", ["run", "--quiet", "{d}/flee.yaml", "--out", "{out}/f.h5"],
             r"output file .*f\.out\.csv: is a directory", flee=True,
             setup=lambda d: (d / "out" / "f.out.csv").mkdir()),
        Case("sweep_out_is_a_file", ["sweep", "{d}/sweep.yaml", "--out", "{d}/nodes.csv"],
             r"--out .*nodes\.csv: cannot use it as the sweep directory", {"sweep.yaml": SWEEP_YAML}),
        Case("sweep_locked_by_another", ["sweep", "{d}/sweep.yaml", "--out", "{out}/s", "--resume"],
             r"--out .*s: another corridor sweep is using this directory", {"sweep.yaml": SWEEP_YAML}, setup=holds_lock),
        Case("sweep_task_beside_a_sweep", ["sweep", "{d}/sweep.yaml", "--out", "{out}/s", "--task-id", "0"],
             r"--out .*s: another corridor sweep is using this directory", {"sweep.yaml": SWEEP_YAML}, setup=holds_lock),
        Case("emit_slurm_onto_sweep_file", ["sweep", "{d}/sweep.yaml", "--out", "{out}/s", "--emit-slurm", "{d}/sweep.yaml"],
             r"--emit-slurm .*sweep\.yaml: is an input of this run", {"sweep.yaml": SWEEP_YAML}),
        Case("emit_slurm_onto_directory", ["sweep", "{d}/sweep.yaml", "--out", "{out}/s", "--emit-slurm", "{d}/sdir"],
             r"--emit-slurm .*sdir: is a directory", {"sweep.yaml": SWEEP_YAML, "sdir": DIR}),
        Case("bench_out_is_directory", ["bench", "--agents", "100", "--days", "2", "--nodes", "10", "--out", "{d}/bdir"],
             r"--out .*bdir: is a directory", {"bdir": DIR}),
        Case("bench_out_is_dev_null_link", ["bench", "--agents", "100", "--days", "2", "--nodes", "10", "--out",
                                            "{d}/null.h5"], r"--out .*null\.h5: is a character device",
             {"null.h5": link("/dev/null")}),
        Case("emit_slurm_onto_a_table", ["sweep", "{d}/sweep.yaml", "--out", "{out}/s", "--emit-slurm", "{d}/edges.csv"],
             r"--emit-slurm .*edges\.csv: is an input of this run", {"sweep.yaml": SWEEP_YAML}),
        )
    return C


def write_files(d: Path, files: dict):
    for name, content in files.items():
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p)
        if content is FIFO:
            os.mkfifo(p)
        elif content is DIR:
            p.mkdir()
        elif isinstance(content, tuple) and content[0] == "symlink":
            p.symlink_to(content[1])
        elif isinstance(content, tuple) and content[0] == "big":
            line = content[2]
            p.write_text(line * (int(content[1] * (1 << 20)) // len(line) + 1))
        else:
            p.write_text(content)


def snapshot(d: Path) -> dict:
    """Every regular file under d (but out/) with a hash of its bytes: inputs must stay unchanged."""
    state = {}
    for root, dirs, files in os.walk(d, followlinks=False):
        for name in dirs + files:
            p = Path(root) / name
            rel = str(p.relative_to(d))
            if rel == "out" or rel.startswith("out/"):
                continue
            if p.is_symlink():
                state[rel] = "link:" + os.readlink(p)
            elif p.is_fifo():
                state[rel] = "fifo"
            elif p.is_dir():
                state[rel] = "dir"
            elif p.is_file():
                state[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return state


def outputs_left(d: Path) -> list[str]:
    left = []
    for root, dirs, files in os.walk(d / "out"):
        for name in files:
            p = Path(root) / name
            if name == ".sweep.lock":
                continue
            left.append(str(p.relative_to(d)))
    return sorted(left)


class BadInputCatalogue(unittest.TestCase):
    def prepare(self, c: Case) -> Path:
        d = harness.scratch(f"catalogue/{c.name}")
        (d / "out").mkdir()
        base = {"base.yaml": BASE_YAML, "nodes.csv": NODES, "edges.csv": EDGES}
        if c.flee:
            base.update({"flee.yaml": FLEE_YAML, **{f"case/{k}": v for k, v in FLEE_CASE.items()}})
        write_files(d, base)
        write_files(d, c.files)
        if c.setup:
            c.setup(d)
        return d

    def test_the_fixtures_are_valid(self):
        # The control: unbroken, both fixtures run; so each case below fails for its own reason.
        for name, flee in (("control_markov", False), ("control_flee", True)):
            c = Case(name, FLEE_RUN if flee else RUN, "", flee=flee)
            d = self.prepare(c)
            p = run_case(d, c)
            self.assertEqual(p.returncode, 0, f"{name}: {p.stderr}")
            self.assertTrue((d / "out" / "r.h5").is_file(), name)
        c = Case("control_sweep", ["sweep", "{d}/sweep.yaml", "--dry-run"], "", {"sweep.yaml": SWEEP_YAML})
        p = run_case(self.prepare(c), c)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_catalogue(self):
        all_cases = cases()
        names = [c.name for c in all_cases]
        self.assertEqual(len(names), len(set(names)), "two cases share a name")
        self.assertGreaterEqual(len(all_cases), 100, "the catalogue must hold at least 100 cases")
        by_category = {}
        failures = []
        for c in all_cases:
            by_category[c.category] = by_category.get(c.category, 0) + 1
            d = self.prepare(c)
            before = snapshot(d)
            try:
                p = run_case(d, c)
            except subprocess.TimeoutExpired:
                failures.append(f"{c.name}: hung (no answer within 60 s)")
                continue
            problems = []
            if p.returncode != c.code:
                problems.append(f"exit code {p.returncode}, expected {c.code}")
            if not re.search(c.regex, p.stderr):
                problems.append(f"stderr does not match /{c.regex}/")
            if "internal error" in p.stderr or "Segmentation" in p.stderr:
                problems.append("an internal error")
            left = outputs_left(d)
            if left:
                problems.append(f"left output files {left}")
            after = snapshot(d)
            if after != before:
                changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
                problems.append(f"changed its inputs: {changed}")
            if problems:
                failures.append(f"{c.name} [{c.category}]: {'; '.join(problems)}\n    corridor {' '.join(p.args[1:])}\n"
                                f"    stderr: {p.stderr.strip()[:600]}")
        for f in HELD:
            f.close()
        print(f"  {len(all_cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())))
        self.assertFalse(failures, "\n" + "\n".join(failures))


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
