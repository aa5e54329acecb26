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
             for a in ("--set", f"corridor.travel.speed_km_per_day.{mode}=100000"))


def edge_lookup(r: corridor_io.Result) -> np.ndarray:
    """[from node, to node] -> edge index (-1: no edge), both ways for an undirected network."""
    n = len(r.nodes)
    out = np.full((n, n), -1, dtype=np.int64)
    a, b = r.edges["from"].to_numpy(np.int64), r.edges["to"].to_numpy(np.int64)
    out[a, b] = np.arange(len(a))
    if not r.directed:
        out[b, a] = np.arange(len(a))
    return out


def node_codes(r: corridor_io.Result, column) -> np.ndarray:
    """Node ids of an event column as node indices."""
    index = {node_id: i for i, node_id in enumerate(r.nodes["id"])}
    return np.array([index[n] for n in column.astype(str)], dtype=np.int64)


def tally(r, days, from_nodes, to_nodes, weights) -> np.ndarray:
    """[day, edge] sums of weights over moves (day, from, to)."""
    edge = edge_lookup(r)[np.asarray(from_nodes, np.int64), np.asarray(to_nodes, np.int64)]
    if (edge < 0).any():
        k = int(np.flatnonzero(edge < 0)[0])
        raise AssertionError(f"the event log moves from node {from_nodes[k]} to {to_nodes[k]}, which is no edge")
    out = np.zeros((len(r.calendar), len(r.edges)), dtype=np.int64)
    np.add.at(out, (np.asarray(days, np.int64), edge), np.asarray(weights, np.int64))
    return out


def corridor_arrivals_by_edge(r) -> np.ndarray:
    """[day, edge] people arriving at a node through each edge, from the departure/arrival events."""
    ev = r.events()
    ev = ev[ev.kind.isin(["departure", "arrival"])]
    node = node_codes(r, ev.node)
    kind, agent = ev.kind.astype(str).to_numpy(), ev.agent.to_numpy()
    days, froms, tos, people = [], [], [], []
    at = {}
    for k, a, n, d, size in zip(kind, agent, node, ev.day.to_numpy(), ev.other.to_numpy()):
        if k == "arrival":
            if a not in at:
                raise AssertionError(f"agent {a} arrives at node {n} on day {d} without a departure")
            days.append(d)
            froms.append(at[a])
            tos.append(n)
            people.append(size)
        at[a] = n
    return tally(r, days, froms, tos, people)


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
        args = ("--set", "end=2020-01-20")
        harness.run("scenarios/markov_demo.yaml", out, "--threads", "2", *args)
        r, flows = self.flows(out)
        ev = r.events()
        moves = ev[ev.kind == "move"]
        expected = tally(r, moves.day, moves.other, node_codes(r, moves.node), np.ones(len(moves)))
        self.assertGreater(flows.sum(), 1000)
        np.testing.assert_array_equal(flows, expected)
        self.same_on_other_threads("scenarios/markov_demo.yaml", flows, args)

    def test_flee_flows_are_the_depart_events(self):
        out = self.dir / "flee.h5"
        args = ("--set", "end=2020-12-31")
        harness.run("scenarios/flee/ethiopia2020.yaml", out, "--threads", "2", *args)
        r, flows = self.flows(out)
        ev = r.events()
        departs = ev[ev.kind == "depart"]
        expected = tally(r, departs.day, node_codes(r, departs.node), departs.other, np.ones(len(departs)))
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
        harness.run(scenario, out, "--threads", "1", *args)  # the first run had 2
        _, other = self.flows(out)
        np.testing.assert_array_equal(other, flows, "edge_flows differ on --threads 1 and 2")


if __name__ == "__main__":
    unittest.main(verbosity=2)
