#!/usr/bin/env -S /usr/bin/python3
"""A corridor run's written output agrees with itself: series, event log and agent table.

One run of defaults.yaml at 2% scale over FY2019-FY2020 (about 60,000 parties, events and agents
written, compaction of finished parties as in any run). Then:

- conservation: on every day, people of active parties (occupancy, summed over nodes) plus
  people of parties that had reached a final state by that day (agent table: state, final_day)
  equal the cumulative departures series; every party appears exactly once in the agent table;
- the departures + redepartures series equal, day by day, the people (party sizes) of the
  departure events, and each party's first departure event is on its departure day, at its
  origin, with its size;
- families stay together: every event that carries a party size carries the party's size
  from the agent table;
- encounters: each party's encounter events number its `encounters` column; the people first
  encountered equal the unique_encountered series; a repeat (an encounter within 365 days of
  the party's previous one, rebuilt here from the event log) sums to the repeat_encounters
  series; and unique encountered people never exceed total encounters.
"""
import os
import sys
import unittest

import numpy as np
import pandas as pd

import harness
import corridor_io

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see test_corridor_determinism.py

# Events whose `other` column is the party size (models/corridor: encounter events carry the title instead).
SIZED_EVENTS = ["departure", "arrival", "interception", "expulsion", "removal", "release", "return",
                "mpp_return", "asylum_mexico", "undetected_entry", "give_up"]
FINAL_STATES = ["in_us_released", "in_us_undetected", "stayed_home", "settled_mexico"]


class CorridorOutputConsistency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = harness.scratch("corridor_output")
        cls.path = d / "defaults.h5"
        p = harness.run("scenarios/defaults.yaml", cls.path, "--threads", "2", "--set", "corridor.scale=0.02",
                        "--set", "end=2020-09-30", "--set", "output.events=true", "--set", "output.agents=true")
        cls.summary = harness.summary_line(p.stderr)
        cls.r = corridor_io.load(cls.path)
        cls.ev = cls.r.events()
        cls.ag = cls.r.agents()
        cls.days = len(cls.r.calendar)

    def daily(self, name):
        values, _ = self.r.series_array(name)
        return values.reshape(values.shape[0], -1).sum(axis=1)

    def test_every_person_who_departed_is_in_exactly_one_state_on_every_day(self):
        ag = self.ag
        self.assertEqual(len(ag), int(self.summary["agents"]))
        self.assertTrue(ag["id"].is_unique)
        np.testing.assert_array_equal(np.sort(ag["id"].to_numpy()), np.arange(len(ag)))
        departed = np.cumsum(self.daily("departures"))
        self.assertEqual(departed[-1], ag["party_size"].sum())
        final = ag[ag["state"].isin(FINAL_STATES)]
        self.assertTrue((final["final_day"] >= 0).all())
        self.assertTrue((ag.loc[~ag["state"].isin(FINAL_STATES), "final_day"] == -1).all())
        finished_by_day = np.cumsum(np.bincount(final["final_day"], weights=final["party_size"],
                                                minlength=self.days))
        occupancy = self.daily("occupancy")
        np.testing.assert_array_equal(occupancy + finished_by_day, departed)
        # Every final state occurs, so the check covers all of them.
        self.assertEqual(set(final["state"].unique()), set(FINAL_STATES))
        print(f"  {len(ag)} parties, {departed[-1]} people; conservation holds on all {self.days} days")

    def test_departure_events_carry_the_people_of_the_departures_series(self):
        dep = self.ev[self.ev["kind"] == "departure"]
        people = np.bincount(dep["day"], weights=dep["other"], minlength=self.days)
        np.testing.assert_array_equal(people, self.daily("departures") + self.daily("redepartures"))
        first = dep.groupby("agent", sort=True).first()
        ag = self.ag.set_index("id").loc[first.index]
        np.testing.assert_array_equal(first["day"].to_numpy(), ag["departure_day"].to_numpy())
        np.testing.assert_array_equal(first["other"].to_numpy(), ag["party_size"].to_numpy())
        origins = self.r.series_info("departures")["labels"]["origin"]
        np.testing.assert_array_equal(first["node"].astype(str).to_numpy(),
                                      np.array(origins, dtype=object)[ag["origin"].to_numpy()])

    def test_families_stay_together_in_every_event(self):
        sized = self.ev[self.ev["kind"].isin(SIZED_EVENTS)]
        size = self.ag.set_index("id")["party_size"]
        self.assertGreater(len(sized), 100000)
        np.testing.assert_array_equal(sized["other"].to_numpy(), size.loc[sized["agent"]].to_numpy())
        families = self.ag[self.ag["demographic"] == 1]["party_size"]
        self.assertTrue(families.between(2, 6).all())
        self.assertTrue((self.ag[self.ag["demographic"] != 1]["party_size"] == 1).all())

    def test_encounters_unique_people_and_repeats_agree_with_the_event_log(self):
        enc = self.ev[self.ev["kind"] == "encounter"].sort_values(["agent", "day"], kind="stable")
        self.assertTrue(enc["other"].isin([8, 42]).all())  # the title
        ag = self.ag.set_index("id")
        per_agent = enc.groupby("agent").size()
        counted = ag["encounters"].reindex(per_agent.index)
        np.testing.assert_array_equal(np.minimum(per_agent.to_numpy(), 255), counted.to_numpy())
        self.assertEqual(int(ag.loc[ag["encounters"] == 0].shape[0]), len(ag) - len(per_agent))
        # Unique people: first encounter of each party, by day.
        size = ag["party_size"]
        firsts = enc.drop_duplicates("agent")
        unique = np.bincount(firsts["day"], weights=size.loc[firsts["agent"]].to_numpy(), minlength=self.days)
        np.testing.assert_array_equal(unique, self.daily("unique_encountered"))
        # Repeats: the same party's previous encounter at most 365 days earlier.
        prev_day = enc.groupby("agent")["day"].shift(1)
        repeat = enc[(prev_day.notna()) & (enc["day"] - prev_day <= 365)]
        repeats = np.bincount(repeat["day"], weights=size.loc[repeat["agent"]].to_numpy(), minlength=self.days)
        np.testing.assert_array_equal(repeats, self.daily("repeat_encounters"))
        self.assertGreater(repeats.sum(), 1000)
        # Encounters in people: the encounter series equals the sizes of the encounter events.
        people = np.bincount(enc["day"], weights=size.loc[enc["agent"]].to_numpy(), minlength=self.days)
        np.testing.assert_array_equal(people, self.daily("encounters"))
        self.assertTrue((np.cumsum(self.daily("unique_encountered")) <= np.cumsum(self.daily("encounters"))).all())
        print(f"  {len(enc)} encounter events, {int(repeats.sum())} repeat encounters (people) rebuilt exactly")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
