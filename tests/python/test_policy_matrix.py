#!/usr/bin/env -S /usr/bin/python3
"""The shipped policy matrix (scenarios/sweeps/policy_matrix.yaml) crosses the counterfactual
scenario files; its single-policy runs must equal those files. Runs r0005 (aid 4 bn), r0010
(Mexican enforcement surge) and r0020 (no Title 42) of the sweep, run with --task-id, give
the same series as scenarios/aid_4bn.yaml, mx_enforcement_surge.yaml and no_title42.yaml with
the same seed and settings. This fails when a recalibration changes the counterfactuals and
the sweep's restated schedules are not updated with them.
"""
import subprocess
import unittest

import h5py
import numpy as np
import pandas as pd

import harness

SWEEP = harness.SOURCE / "scenarios/sweeps/policy_matrix.yaml"
PAIRS = {"r0005": "scenarios/aid_4bn.yaml", "r0010": "scenarios/mx_enforcement_surge.yaml",
         "r0020": "scenarios/no_title42.yaml"}


class PolicyMatrix(unittest.TestCase):
    def test_single_policy_runs_equal_the_counterfactual_scenarios(self):
        d = harness.scratch("policy_matrix")
        p = subprocess.run([str(harness.BIN), "sweep", str(SWEEP), "--dry-run"], capture_output=True, text=True,
                           check=True, timeout=120)
        rows = {ln.split()[0]: ln.split() for ln in p.stdout.splitlines() if ln.startswith("r0")}
        for run_id, scenario in PAIRS.items():
            index = int(run_id[1:])
            subprocess.run([str(harness.BIN), "sweep", str(SWEEP), "--out", str(d / "sweep"), "--task-id", str(index)],
                           check=True, capture_output=True, timeout=240)
            seed = rows[run_id][3]
            out = d / f"{run_id}-file.h5"
            harness.run(scenario, out, "--seed", seed, "--set", "corridor.scale=0.1", "--set", "output.events=false",
                        "--set", "output.agents=false", "--threads", "1")
            with h5py.File(d / "sweep" / "runs" / f"{run_id}.h5", "r") as a, h5py.File(out, "r") as b:
                self.assertEqual(set(a["series"]), set(b["series"]))
                for name in a["series"]:
                    self.assertTrue(np.array_equal(a["series"][name]["value"][()], b["series"][name]["value"][()]),
                                    f"{run_id} and {scenario}: series {name} differs")
        idx = pd.read_csv(d / "sweep" / "index.csv")
        self.assertEqual(sorted(idx.loc[idx["status"] == "done", "run_id"]), sorted(PAIRS))


if __name__ == "__main__":
    unittest.main(verbosity=2)
