#!/usr/bin/env -S /usr/bin/python3
"""corridor_io (scripts/corridor_io/result.py) reads a real run correctly, and the run's tables agree with each other.

Runs scenarios/markov/chain24.yaml (100 000 agents, 61 days, 24 nodes) once and checks
corridor_io's frames against what the binary printed and against one another: the
occupancy series is conserved and equals a replay of the event table; moves match the
arrivals series; the agent table holds every agent once, in the documented order, at the
node of its last event. Then checks that corridor_io refuses incomplete or foreign files
and handles empty and disabled tables.
"""
import shutil
import subprocess
import sys
import unittest

import h5py
import numpy as np
import pandas as pd

import harness
import corridor_io

SCENARIO = "scenarios/markov/chain24.yaml"
AGENTS = 100_000
DAYS = 61


class ChainRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("corridor_io")
        cls.path = cls.dir / "chain24.h5"
        proc = harness.run(SCENARIO, cls.path, "--threads", "2")
        cls.summary = harness.summary_line(proc.stderr)
        cls.r = corridor_io.load(cls.path)
        cls.occ = cls.r.series("occupancy")
        cls.arr = cls.r.series("arrivals")
        cls.ev = cls.r.events()
        cls.ag = cls.r.agents()
        cls.n_nodes = len(cls.r.nodes)

    def wide(self, frame):
        """A tidy [day, node] series as an array [day, node] (nodes in network order)."""
        return frame.pivot(index="day", columns="node", values="value").to_numpy()

    def test_root_attributes_describe_the_run(self):
        a = self.r.attrs
        self.assertEqual(a["complete"], 1)
        self.assertEqual(a["format"], "corridor")
        self.assertEqual(a["model"], "markov")
        self.assertEqual(a["days"], DAYS)
        self.assertEqual(a["scenario_name"], "markov_chain24")
        self.assertEqual(a["seed"], "20260101")  # a string: seeds are uint64
        self.assertEqual((a["start_date"], a["end_date"]), ("2020-01-01", "2020-03-01"))
        self.assertEqual(a["threads"], 2)
        self.assertIn("transitions_file", a["scenario"])
        self.assertEqual(list(self.r.calendar["day"]), list(range(DAYS)))
        self.assertTrue((self.r.calendar["date"].diff().dropna() == pd.Timedelta(days=1)).all())
        self.assertEqual(self.r.calendar["date"].iloc[0], pd.Timestamp("2020-01-01"))

    def test_summary_attributes_match_the_summary_line(self):
        a, s = self.r.attrs, self.summary
        self.assertEqual(a["agents"], AGENTS)
        self.assertEqual(a["agents"], int(s["agents"]))
        self.assertEqual(a["agent_steps"], int(s["agent_steps"]))
        self.assertEqual(a["days"], int(s["days"]))
        self.assertEqual(s["out"], str(self.path))
        # Every agent is stepped on day 0 and at most once a day.
        self.assertGreaterEqual(a["agent_steps"], AGENTS)
        self.assertLessEqual(a["agent_steps"], AGENTS * DAYS)
        self.assertAlmostEqual(a["agent_steps_per_s"], a["agent_steps"] / a["seconds"], delta=1.0)

    def test_network_frames_match_the_input_csv(self):
        nodes_csv = pd.read_csv(harness.SOURCE / "scenarios/markov/nodes.csv")
        edges_csv = pd.read_csv(harness.SOURCE / "scenarios/markov/edges.csv")
        self.assertEqual(list(self.r.nodes["id"]), list(nodes_csv["id"]))
        self.assertEqual(list(self.r.nodes["name"]), list(nodes_csv["name"]))
        self.assertEqual(list(self.r.edges["from_id"]), list(edges_csv["from"]))
        self.assertEqual(list(self.r.edges["to_id"]), list(edges_csv["to"]))
        self.assertEqual(list(self.r.edges["km"]), list(edges_csv["km"].astype(float)))
        self.assertFalse(self.r.directed)

    def test_series_frame_is_the_value_array_with_labels(self):
        with h5py.File(self.path, "r") as f:
            raw = f["series/occupancy/value"][()]
            labels = list(f["series/occupancy/node"].asstr()[()])
        self.assertEqual(raw.shape, (DAYS, self.n_nodes))
        self.assertEqual(list(self.occ.columns), ["day", "date", "node", "value"])
        self.assertEqual(labels, list(self.r.nodes["id"]))
        self.assertEqual(list(self.occ["node"].cat.categories), labels)
        np.testing.assert_array_equal(self.wide(self.occ), raw)
        # Spot-check one cell through the labels rather than through the reshape.
        cell = self.occ[(self.occ["date"] == "2020-01-10") & (self.occ["node"] == "n003")]["value"]
        self.assertEqual(int(cell.iloc[0]), raw[9, labels.index("n003")])

    def test_occupancy_sums_to_all_agents_every_day(self):
        per_day = self.occ.groupby("day")["value"].sum()
        self.assertEqual(len(per_day), DAYS)
        self.assertTrue((per_day == AGENTS).all(), per_day[per_day != AGENTS])

    def test_occupancy_equals_a_replay_of_the_events(self):
        ev = self.ev
        self.assertEqual(list(ev["kind"].cat.categories), ["spawn", "move"])
        day = ev["day"].to_numpy()
        node = ev["node"].cat.codes.to_numpy()
        delta = np.zeros((DAYS, self.n_nodes), dtype=np.int64)
        spawn = (ev["kind"] == "spawn").to_numpy()
        move = (ev["kind"] == "move").to_numpy()
        np.add.at(delta, (day[spawn], node[spawn]), 1)
        np.add.at(delta, (day[move], node[move]), 1)
        np.add.at(delta, (day[move], ev["other"].to_numpy()[move]), -1)  # other = the node left
        replay = np.cumsum(delta, axis=0)
        np.testing.assert_array_equal(replay, self.wide(self.occ))
        self.assertEqual(int(spawn.sum()), AGENTS)
        self.assertTrue((day[spawn] == 0).all())

    def test_moves_per_day_equal_arrivals(self):
        moves = self.ev[self.ev["kind"] == "move"]
        per_day = moves.groupby("day").size().reindex(range(DAYS), fill_value=0).to_numpy()
        np.testing.assert_array_equal(per_day, self.arr.groupby("day")["value"].sum().to_numpy())
        # Per node as well: arrivals count the moves into each node.
        per_cell = moves.groupby(["day", "node"], observed=False).size().unstack("node")
        per_cell = per_cell.reindex(range(DAYS), fill_value=0).to_numpy()
        np.testing.assert_array_equal(per_cell, self.wide(self.arr))
        self.assertGreater(per_day.sum(), 0)

    def test_events_are_in_day_order_and_agent_order_within_a_day(self):
        day = self.ev["day"].to_numpy()
        self.assertTrue((np.diff(day) >= 0).all())
        for kind in ("spawn", "move"):
            sub = self.ev[self.ev["kind"] == kind]
            d, a = sub["day"].to_numpy(), sub["agent"].to_numpy().astype(np.int64)
            same_day = d[1:] == d[:-1]
            self.assertTrue((np.diff(a)[same_day] > 0).all(), f"{kind} events not in agent order within a day")
        # A move's previous node differs from its new one.
        moves = self.ev[self.ev["kind"] == "move"]
        self.assertTrue((moves["node"].cat.codes.to_numpy() != moves["other"].to_numpy()).all())

    def test_agent_table_holds_every_agent_once(self):
        ag = self.ag
        self.assertEqual(len(ag), AGENTS)
        self.assertEqual(list(ag.columns), ["id", "node", "state", "absorbed_day"])
        np.testing.assert_array_equal(np.sort(ag["id"].to_numpy()), np.arange(AGENTS))
        self.assertEqual(list(ag["state"].cat.categories), ["active", "absorbed"])
        absorbed = (ag["state"] == "absorbed").to_numpy()
        self.assertTrue(absorbed.any() and (~absorbed).any())
        self.assertTrue((ag["absorbed_day"].to_numpy()[absorbed] >= 0).all())
        self.assertTrue((ag["absorbed_day"].to_numpy()[~absorbed] == -1).all())

    def test_agents_end_where_their_last_event_put_them(self):
        last = self.ev.drop_duplicates("agent", keep="last").set_index("agent")
        ag = self.ag.set_index("id")
        self.assertEqual(len(last), AGENTS)
        last = last.loc[ag.index]
        np.testing.assert_array_equal(ag["node"].cat.codes.to_numpy(), last["node"].cat.codes.to_numpy())
        absorbed = (ag["state"] == "absorbed").to_numpy()
        # An agent is absorbed on the day of its last move.
        np.testing.assert_array_equal(ag["absorbed_day"].to_numpy()[absorbed], last["day"].to_numpy()[absorbed])
        self.assertTrue((last["kind"].to_numpy()[absorbed] == "move").all())
        # The agents' final nodes are the last day's occupancy.
        final = ag["node"].value_counts().reindex(self.r.nodes["id"], fill_value=0).to_numpy()
        np.testing.assert_array_equal(final, self.wide(self.occ)[-1])

    def test_agent_rows_are_in_the_documented_order(self):
        # Absorbed agents first, in the order they left the active set, then active ones by id.
        ag = self.ag
        absorbed = (ag["state"] == "absorbed").to_numpy()
        k = int(absorbed.sum())
        self.assertTrue(absorbed[:k].all() and not absorbed[k:].any(), "absorbed rows are not a prefix")
        self.assertTrue((np.diff(ag["id"].to_numpy()[k:].astype(np.int64)) > 0).all())
        # Agents leave in batches (one per compaction), each batch in id order. So the
        # prefix splits into runs of increasing id, and every agent of a run was absorbed
        # before every agent of the next run.
        ids = ag["id"].to_numpy()[:k].astype(np.int64)
        days = ag["absorbed_day"].to_numpy()[:k]
        starts = np.concatenate([[0], np.nonzero(np.diff(ids) < 0)[0] + 1, [k]])
        runs = [days[a:b] for a, b in zip(starts[:-1], starts[1:])]
        self.assertGreater(len(runs), 1, "expected several compactions in 61 days")
        for i in range(len(runs) - 1):
            self.assertLess(runs[i].max(), runs[i + 1].min(), f"batch {i} overlaps batch {i + 1} in time")


class Refusals(unittest.TestCase):
    """corridor_io refuses files it must not read, with a message naming the reason."""

    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("corridor_io_refusals")
        cls.good = cls.dir / "good.h5"
        harness.run(SCENARIO, cls.good, "--set", "markov.initial.0.agents=100",
                    "--set", "markov.initial.1.agents=100", "--set", "end=2020-01-05")

    def altered(self, name, **attrs):
        path = self.dir / name
        shutil.copyfile(self.good, path)
        with h5py.File(path, "r+") as f:
            for k, v in attrs.items():
                f.attrs[k] = v
        return path

    def test_an_incomplete_file_is_refused(self):
        path = self.altered("incomplete.h5", complete=np.int64(0))
        with self.assertRaisesRegex(corridor_io.ResultError, "incomplete.*complete=0"):
            corridor_io.load(path)

    def test_a_foreign_file_is_refused(self):
        with self.assertRaisesRegex(corridor_io.ResultError, "not a corridor result.*'flee'"):
            corridor_io.load(self.altered("foreign.h5", format="flee"))
        bare = self.dir / "bare.h5"
        with h5py.File(bare, "w") as f:
            f["x"] = [1, 2]
        with self.assertRaisesRegex(corridor_io.ResultError, "not a corridor result.*None"):
            corridor_io.load(bare)
        text = self.dir / "text.h5"
        text.write_text("not HDF5\n")
        with self.assertRaisesRegex(corridor_io.ResultError, "not an HDF5 file"):
            corridor_io.load(text)
        with self.assertRaisesRegex(corridor_io.ResultError, "no such file"):
            corridor_io.load(self.dir / "missing.h5")

    def test_a_newer_format_version_is_refused(self):
        with self.assertRaisesRegex(corridor_io.ResultError, "format_version 99"):
            corridor_io.load(self.altered("future.h5", format_version=np.int64(99)))

    def test_command_line_summary_and_exit_codes(self):
        script = harness.SOURCE / "scripts/result_summary.py"
        ok = subprocess.run([sys.executable, str(script), str(self.good)], capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn("model = markov", ok.stdout)
        self.assertIn("occupancy [day=5 x node=24]", ok.stdout)
        self.assertIn("agents: 200 rows", ok.stdout)
        bad = subprocess.run([sys.executable, str(script), str(self.altered("cli_incomplete.h5",
                                                                            complete=np.int64(0)))],
                             capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("incomplete", bad.stderr)

    def test_an_unknown_series_is_named(self):
        with self.assertRaisesRegex(corridor_io.ResultError, "no series 'nope'.*arrivals, edge_flows, occupancy"):
            corridor_io.load(self.good).series("nope")


class EmptyAndDisabledTables(unittest.TestCase):
    def test_a_run_without_agents_gives_empty_frames(self):
        path = harness.scratch("corridor_io_empty") / "empty.h5"
        harness.run(SCENARIO, path, "--set", "markov.initial.0.agents=0", "--set", "markov.initial.1.agents=0")
        r = corridor_io.load(path)
        self.assertEqual(r.attrs["agents"], 0)
        ev, ag = r.events(), r.agents()
        self.assertEqual((len(ev), list(ev.columns)), (0, ["day", "date", "kind", "node", "agent", "other"]))
        self.assertEqual((len(ag), list(ag.columns)), (0, ["id", "node", "state", "absorbed_day"]))
        occ = r.series("occupancy")
        self.assertEqual(len(occ), DAYS * len(r.nodes))
        self.assertTrue((occ["value"] == 0).all())

    def test_disabled_tables_are_refused_not_faked_empty(self):
        path = harness.scratch("corridor_io_disabled") / "disabled.h5"
        harness.run(SCENARIO, path, "--set", "output.events=false", "--set", "output.agents=false",
                    "--set", "end=2020-01-10")
        r = corridor_io.load(path)
        self.assertFalse(r.events_enabled or r.agents_enabled)
        with self.assertRaisesRegex(corridor_io.ResultError, "did not write events"):
            r.events()
        with self.assertRaisesRegex(corridor_io.ResultError, "did not write the agent table"):
            r.agents()
        self.assertEqual(r.series("occupancy").groupby("day")["value"].sum().tolist(), [AGENTS] * 10)


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
