#!/usr/bin/python3
"""Flee's Mali 2012 case at reduced scale (hasten 10, 100 days) through the corridor binary.

Checks: Flee's out.csv columns and the consistency of its rows with the HDF5 series;
identical HDF5 datasets on 1, 2 and 8 threads; `run --flee DIR --flee-data DIR` equal to
the scenario file; malformed input exits 2 with file:line in the message and writes nothing.
Environment (set by ctest): CORRIDOR_BIN, CORRIDOR_SOURCE_DIR, CORRIDOR_TMP.
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import unittest

import h5py
import numpy as np

BIN = os.environ.get("CORRIDOR_BIN", "build/corridor")
SRC = os.environ.get("CORRIDOR_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TMP = os.path.join(os.environ.get("CORRIDOR_TMP", "/tmp"), "flee_mali")
SCENARIO = os.path.join(SRC, "scenarios", "flee", "mali2012.yaml")
FLEE = os.path.join(SRC, "scenarios", "flee")
REDUCED = ["--set", "flee.optimisations.hasten=10", "--set", "end=2012-06-07"]  # 100 days
CAMPS = ["Fassala-Mbera", "Mentao", "Bobo-Dioulasso", "Abala", "Mangaize", "Niamey", "Tabareybarey"]
# Attributes that differ between identical runs by design.
VOLATILE = {"created", "threads", "seconds", "agent_steps_per_s", "scenario"}


def run(args, expect=0):
    p = subprocess.run([BIN, "run", "--quiet"] + args, capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"exit {p.returncode} (expected {expect}) for {args}\n{p.stderr}")
    return p


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
        out["@attrs"] = {k: v for k, v in f.attrs.items() if k not in VOLATILE}
    return out


def read_out_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


class FleeMali(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(TMP, ignore_errors=True)
        os.makedirs(TMP)
        cls.h5 = {}
        for t in (1, 2, 8):
            out = os.path.join(TMP, f"mali_t{t}.h5")
            run([SCENARIO, "--out", out, "--threads", str(t)] + REDUCED)
            cls.h5[t] = out

    def test_out_csv_has_flee_columns_and_one_row_per_day(self):
        header, rows = read_out_csv(self.h5[1].replace(".h5", ".out.csv"))
        expected = ["Day", "Date"]
        for c in CAMPS:
            expected += [f"{c} sim", f"{c} data", f"{c} error"]
        expected += ["Total error", "refugees in camps (UNHCR)", "total refugees (simulation)",
                     "raw UNHCR refugee count", "refugees in camps (simulation)", "refugee_debt"]
        self.assertEqual(header, expected)
        self.assertEqual(len(rows), 100)
        self.assertEqual(rows[0][:2], ["0", "2012-02-29"])
        self.assertEqual(rows[99][:2], ["99", "2012-06-07"])

    def test_out_csv_rows_agree_with_the_hdf5_series_and_with_themselves(self):
        header, rows = read_out_csv(self.h5[1].replace(".h5", ".out.csv"))
        col = {h: i for i, h in enumerate(header)}
        with h5py.File(self.h5[1], "r") as f:
            occ = f["series/occupancy/value"][()]
            loc = [x.decode() for x in f["series/occupancy/location"][()]]
            data = f["series/camp_data/value"][()]
            debt = f["series/refugee_debt/value"][()]
            transit = f["series/in_transit/value"][()]
            agents = f.attrs["agents"]
        for d, r in enumerate(rows):
            sim = [int(r[col[f"{c} sim"]]) for c in CAMPS]
            dat = [int(r[col[f"{c} data"]]) for c in CAMPS]
            self.assertEqual(sim, [int(occ[d, loc.index(c)]) for c in CAMPS])
            self.assertEqual(dat, [int(x) for x in data[d]])
            self.assertEqual(int(r[col["refugees in camps (simulation)"]]), sum(sim))
            self.assertEqual(int(r[col["refugees in camps (UNHCR)"]]), sum(dat))
            self.assertEqual(int(r[col["refugee_debt"]]), int(debt[d]))
            # Every agent is at a location or on a link.
            self.assertEqual(int(r[col["total refugees (simulation)"]]), int(occ[d].sum() + transit[d]))
            e = sum(abs(s - x) for s, x in zip(sim, dat)) / max(sum(dat), 1)
            self.assertAlmostEqual(float(r[col["Total error"]]), e, places=12)
        self.assertEqual(int(rows[-1][col["total refugees (simulation)"]]), agents)

    def test_results_are_identical_on_1_2_and_8_threads(self):
        ref = datasets(self.h5[1])
        self.assertIn("events/agent", ref)
        self.assertGreater(len(ref["events/agent"]), 1000)
        for t in (2, 8):
            other = datasets(self.h5[t])
            self.assertEqual(sorted(other), sorted(ref))
            for name, v in ref.items():
                if name == "@attrs":
                    self.assertEqual(other[name].keys(), v.keys())
                    for k in v:
                        self.assertTrue(np.array_equal(np.asarray(other[name][k]), np.asarray(v[k])), f"attribute {k}")
                else:
                    self.assertTrue(np.array_equal(other[name], v), f"{name} differs on {t} threads")

    def test_flee_folders_on_the_command_line_run_the_same_case_as_the_scenario_file(self):
        out = os.path.join(TMP, "cli.h5")
        run(["--flee", os.path.join(FLEE, "mali"), "--flee-data", os.path.join(FLEE, "mali2012"),
             "--flee-settings", os.path.join(FLEE, "simsetting.yml"), "--out", out, "--threads", "2"] + REDUCED)
        with open(out.replace(".h5", ".out.csv")) as a, open(self.h5[1].replace(".h5", ".out.csv")) as b:
            self.assertEqual(a.read(), b.read())

    def test_another_seed_gives_a_different_run(self):
        out = os.path.join(TMP, "seed2.h5")
        run([SCENARIO, "--out", out, "--seed", "2", "--threads", "2"] + REDUCED)
        with h5py.File(out) as a, h5py.File(self.h5[1]) as b:
            self.assertFalse(np.array_equal(a["series/occupancy/value"][()], b["series/occupancy/value"][()]))


class FleeBadInput(unittest.TestCase):
    """Malformed Flee input: exit code 2, file:line and the problem in the message, no output."""

    def setUp(self):
        self.dir = os.path.join(TMP, "bad")
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree(FLEE, self.dir, ignore=shutil.ignore_patterns("*.yaml"))
        self.out = os.path.join(self.dir, "out.h5")

    def edit(self, rel, fn):
        path = os.path.join(self.dir, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(fn(text))

    def expect_error(self, pattern):
        p = run(["--flee", os.path.join(self.dir, "mali"), "--flee-data", os.path.join(self.dir, "mali2012"),
                 "--flee-settings", os.path.join(self.dir, "simsetting.yml"), "--out", self.out], expect=2)
        self.assertRegex(p.stderr, pattern)
        self.assertFalse(os.path.exists(self.out))

    def test_an_unknown_location_in_routes_names_file_and_line(self):
        self.edit("mali/routes.csv", lambda t: t.replace("Konna,Mopti,70", "Konna,Moptii,70"))
        self.expect_error(r"routes\.csv:23: column 2 \(name2\): unknown location 'Moptii'")

    def test_a_duplicate_location_name_names_both_lines(self):
        self.edit("mali/locations.csv", lambda t: t.replace('"Konna","Mopti"', '"Mopti","Mopti"'))
        self.expect_error(r"locations\.csv:15: duplicate location name 'Mopti' \(first defined on line 14\)")

    def test_a_camp_missing_from_data_layout_is_named(self):
        self.edit("mali2012/data_layout.csv", lambda t: t.replace("Niamey,nig-niamey.csv\n", ""))
        self.expect_error(r"data_layout\.csv: camp 'Niamey' \(locations\.csv line 23\) is missing")

    def test_a_bad_date_names_file_and_line(self):
        self.edit("mali2012/bf-mentao.csv", lambda t: t.replace("2012-03-21", "2012-03-32", 1))
        self.expect_error(r"bf-mentao\.csv:3: column 1: expected a date as YYYY-MM-DD, got '2012-03-32'")

    def test_an_unknown_settings_key_names_file_and_line(self):
        self.edit("simsetting.yml", lambda t: t.replace("  camp_weight: 1.0", "  camp_weigth: 1.0"))
        self.expect_error(r"simsetting\.yml:\d+: key 'move_rules\.camp_weigth': unknown setting")

    def test_an_unknown_closure_type_names_file_and_line(self):
        self.edit("mali/closures.csv", lambda t: t.replace("country,Mali,Niger", "border,Mali,Niger"))
        self.expect_error(r"closures\.csv:3: column 1 \(closure_type\): unknown type 'border'")


if __name__ == "__main__":
    unittest.main(verbosity=2)
