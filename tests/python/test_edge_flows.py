#!/usr/bin/env -S /usr/bin/python3
"""The series edge_flows[day, edge] (docs/output.md) agrees with the event log, and does not
depend on the number of threads, in the three models that move agents along edges.

- markov: a move starts and ends on one day, and its `move` event names both ends, so each
  day's flows are exactly the day's move events per edge.
- flee: a `depart` event is written where an agent steps onto a link (node = the link's
  start, other = its end), so each day's flows are exactly the day's depart events per edge.
- corridor: a party's trip is a `departure` event followed by one `arrival` event per node
  of its route (a trip restarts with a new departure), so each arrival names the edge that was
  travelled; its start may lie days before. With travel speeds so high that every edge is
  crossed the day it is started, each day's flows are exactly the day's arrivals (in people,
  the events' `other`) per edge. At the model's speeds, the people who started along an edge
  by any day are at least those who arrived through it, and the difference at the end, over
  all edges, is at most the people still travelling.
"""
import os
import unittest

import numpy as np

import corridor_io
import harness

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

CORRIDOR = ("--set", "corridor.scale=0.01", "--set", "end=2019-06-30", "--set", "output.events=true",
            "--set", "output.agents=true")
FAST = tuple(a for mode in ("road", "foot", "train")
             for a in ("--set", f"corridor.travel.speed_km_per_day.{mode}=1000000"))


def edge_index(r: corridor_io.Result) -> dict:
    """(from node index, to node index) -> edge index, both ways for an undirected network."""
    out = {}
    for e, (a, b) in enumerate(zip(r.edges["from"].to_numpy(), r.edges["to"].to_numpy())):
        out[(int(a), int(b))] = e
        if not r.directed:
            out[(int(b), int(a))] = e
    return out


def node_codes(r: corridor_io.Result, column) -> np.ndarray:
    """Node ids of an event column as node indices."""
    index = {node_id: i for i, node_id in enumerate(r.nodes["id"])}
    return np.array([index[n] for n in column.astype(str)], dtype=np.int64)


def tally(r, days, pairs, weights) -> np.ndarray:
    """[day, edge] sums of weights over (day, (from, to)) pairs."""
    edges = edge_index(r)
    out = np.zeros((len(r.calendar), len(r.edges)), dtype=np.int64)
    for d, pair, w in zip(days, pairs, weights):
        if pair not in edges:
            raise AssertionError(f"the event log moves along {pair}, which is no edge of the network")
        out[d, edges[pair]] += w
    return out


def corridor_arrivals_by_edge(r) -> np.ndarray:
    """[day, edge] people arriving at a node through each edge, from the departure/arrival events."""
    ev = r.events()
    ev = ev[ev.kind.isin(["departure", "arrival"])]
    node = node_codes(r, ev.node)
    kind, agent = ev.kind.astype(str).to_numpy(), ev.agent.to_numpy()
    days, pairs, people = [], [], []
    at = {}
    for k, a, n, d, size in zip(kind, agent, node, ev.day.to_numpy(), ev.other.to_numpy()):
        if k == "arrival":
            if a not in at:
                raise AssertionError(f"agent {a} arrives at node {n} on day {d} without a departure")
            days.append(d)
            pairs.append((at[a], int(n)))
            people.append(int(size))
        at[a] = int(n)
    return tally(r, days, pairs, people)


class EdgeFlows(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("edge_flows")

    def flows(self, path):
        r = corridor_io.load(path)
        values, info = r.series_array("edge_flows")
        self.assertEqual(info["dims"], ["day", "edge"])
        arrow = "->" if r.directed else "--"
        self.assertEqual(info["labels"]["edge"], [f"{a}{arrow}{b}" for a, b in zip(r.edges.from_id, r.edges.to_id)])
        return r, values

    def test_markov_flows_are_the_move_events(self):
        out = self.dir / "markov.h5"
        harness.run("scenarios/markov_demo.yaml", out, "--threads", "2")
        r, flows = self.flows(out)
        ev = r.events()
        moves = ev[ev.kind == "move"]
        to = node_codes(r, moves.node)
        pairs = list(zip(moves.other.astype(int), to.astype(int)))
        expected = tally(r, moves.day.to_numpy(), pairs, np.ones(len(pairs), dtype=np.int64))
        self.assertGreater(flows.sum(), 1000)
        np.testing.assert_array_equal(flows, expected)
        self.same_on_other_threads("scenarios/markov_demo.yaml", flows, ())

    def test_flee_flows_are_the_depart_events(self):
        out = self.dir / "flee.h5"
        args = ("--set", "end=2020-12-31")
        harness.run("scenarios/flee/ethiopia2020.yaml", out, "--threads", "2", *args)
        r, flows = self.flows(out)
        ev = r.events()
        departs = ev[ev.kind == "depart"]
        pairs = list(zip(node_codes(r, departs.node).astype(int), departs.other.astype(int)))
        expected = tally(r, departs.day.to_numpy(), pairs, np.ones(len(pairs), dtype=np.int64))
        self.assertGreater(flows.sum(), 1000)
        np.testing.assert_array_equal(flows, expected)
        self.same_on_other_threads("scenarios/flee/ethiopia2020.yaml", flows, args)

    def test_corridor_flows_at_high_speed_are_the_arrivals(self):
        out = self.dir / "corridor-fast.h5"
        harness.run("scenarios/defaults.yaml", out, "--threads", "2", *CORRIDOR, *FAST)
        r, flows = self.flows(out)
        arrivals = corridor_arrivals_by_edge(r)
        self.assertGreater(arrivals.sum(), 1000)
        np.testing.assert_array_equal(flows, arrivals)

    def test_corridor_flows_bound_the_arrivals(self):
        out = self.dir / "corridor.h5"
        harness.run("scenarios/defaults.yaml", out, "--threads", "2", *CORRIDOR)
        r, flows = self.flows(out)
        arrivals = corridor_arrivals_by_edge(r)
        started, arrived = flows.cumsum(axis=0), arrivals.cumsum(axis=0)
        self.assertGreater(arrived[-1].sum(), 1000)
        self.assertTrue((started >= arrived).all(), "more people arrived through an edge than started along it")
        # Slow edges: some parties are on an edge at the end (foot edges take days).
        on_edges = int((started[-1] - arrived[-1]).sum())
        agents = r.agents()
        travelling = int(agents.loc[agents.state == "travelling", "party_size"].sum())
        print(f"  corridor: {int(started[-1].sum())} people started along edges, {int(arrived[-1].sum())} "
              f"arrived, {on_edges} on an edge at the end, {travelling} travelling")
        self.assertGreater(on_edges, 0)
        self.assertLessEqual(on_edges, travelling)
        self.same_on_other_threads("scenarios/defaults.yaml", flows, CORRIDOR)

    def same_on_other_threads(self, scenario, flows, args):
        out = self.dir / "threads.h5"
        for threads in ("1", "3"):
            harness.run(scenario, out, "--threads", threads, *args)
            _, other = self.flows(out)
            np.testing.assert_array_equal(other, flows, f"edge_flows differ on --threads {threads}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
