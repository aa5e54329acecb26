#!/usr/bin/env -S /usr/bin/python3
"""`corridor sweep` on one machine (docs/hpc.md): --dry-run lists the runs; a sweep writes one
complete result per run and index.csv; a killed sweep leaves no run looking complete and
--resume finishes it with the same results as an uninterrupted sweep; --task-id I runs
exactly run I; --emit-slurm writes a job-array script that passes `bash -n` and whose task I
runs `corridor sweep FILE --out DIR --task-id I`, or with --runs-per-task N its N runs one
after the other; the --slurm-* options are checked and written.

Runs are the chain24 Markov walk cut to a few days and 20,000 agents: well under a second each.
"""
import os
import re
import shlex
import signal
import subprocess
import time
import unittest

import h5py
import pandas as pd

import harness
from corridor_io.files import differences

SWEEP = """\
name: tiny
description: chain24, short, for the tests
base: {base}
seed: 42
replicates: 2
set:
  markov.initial.0.agents: 12000
  markov.initial.1.agents: 8000
grid:
  - key: end
    values: [2020-01-{last_a}, 2020-01-{last_b}]
scenarios:
  - name: no_events
    set: ["output.events=false"]
"""


# For the killed sweep: its second scenario's runs take about a second (the full chain24
# population for two months), so that the sweep is surely killed in the middle of one.
KILL_SWEEP = """\
name: kill
base: {base}
seed: 3
grid:
  - key: end
    values: [2020-01-04, 2020-02-29]
replicates: 2
"""


def write_sweep(d, last_a="08", last_b="12"):
    f = d / "tiny.yaml"
    f.write_text(SWEEP.format(base=harness.SOURCE / "scenarios/markov/chain24.yaml", last_a=last_a, last_b=last_b))
    return f


def sweep(*args, check=True, timeout=180):
    cmd = [str(harness.BIN), "sweep", *map(str, args)]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    print(f"  {' '.join(cmd[1:])} -> rc {p.returncode} in {time.monotonic() - t0:.1f} s")
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


def complete(path):
    with h5py.File(path, "r") as f:
        return int(f.attrs["complete"]) == 1


class Sweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.scratch("sweep")
        cls.file = write_sweep(cls.dir)
        cls.ref = cls.dir / "ref"
        sweep(cls.file, "--out", cls.ref, "--jobs", "2")
        cls.index = pd.read_csv(cls.ref / "index.csv", dtype={"seed": str})

    def test_dry_run_lists_every_run_with_its_seed_and_overrides_and_writes_nothing(self):
        out = self.dir / "dry"
        p = sweep(self.file, "--dry-run", "--out", out)
        self.assertIn("3 scenarios x 2 replicates = 6 runs", p.stdout)
        lines = [ln for ln in p.stdout.splitlines() if re.match(r"r\d{4} ", ln)]
        self.assertEqual(len(lines), 6)
        self.assertRegex(lines[2], r"^r0002 +end=2020-01-12 +0 +\d+ +markov\.initial\.0\.agents=12000 ; "
                                   r"markov\.initial\.1\.agents=8000 ; end=2020-01-12$")
        self.assertFalse(out.exists(), "--dry-run created the output directory")
        for _, row in self.index.iterrows():
            self.assertIn(f"{row.run_id} ", p.stdout)
            self.assertIn(f" {row.seed} ", p.stdout)

    def test_a_sweep_writes_one_complete_result_per_run_and_the_index(self):
        idx = self.index
        self.assertEqual(list(idx.columns[:10]), ["run_id", "scenario", "replicate", "seed", "status", "output",
                                                  "wall_s", "exit_code", "host", "overrides"])
        self.assertEqual(list(idx["run_id"]), [f"r{i:04d}" for i in range(6)])
        self.assertEqual(list(idx["scenario"]), ["end=2020-01-08"] * 2 + ["end=2020-01-12"] * 2 + ["no_events"] * 2)
        self.assertEqual(list(idx["status"]), ["done"] * 6)
        self.assertTrue((idx["wall_s"] > 0).all())
        self.assertEqual(list(idx["axis.end"].fillna("")), ["2020-01-08"] * 2 + ["2020-01-12"] * 2 + [""] * 2)
        self.assertEqual(idx["seed"].nunique(), 6, "per-run seeds must differ")
        for _, row in idx.iterrows():
            path = self.ref / row.output
            self.assertTrue(complete(path))
            with h5py.File(path, "r") as f:
                self.assertEqual(f.attrs["seed"].decode() if isinstance(f.attrs["seed"], bytes) else f.attrs["seed"],
                                 row.seed)
        self.assertEqual(sorted(p.name for p in (self.ref / "runs").iterdir()), [f"r{i:04d}.h5" for i in range(6)])
        with h5py.File(self.ref / "runs/r0002.h5", "r") as f:
            self.assertEqual(int(f.attrs["days"]), 12)

    def test_each_run_is_exactly_corridor_run_with_its_seed_and_overrides(self):
        row = self.index.iloc[3]
        out = self.dir / "direct.h5"
        args = ["--seed", row.seed, "--threads", "1"]
        for o in row.overrides.split(" ; "):
            args += ["--set", o]
        harness.run("scenarios/markov/chain24.yaml", out, *args)
        self.assertEqual(differences(out, self.ref / row.output), [])

    def test_a_killed_sweep_leaves_no_run_looking_complete_and_resume_finishes_it(self):
        kill_file = self.dir / "kill.yaml"
        kill_file.write_text(KILL_SWEEP.format(base=harness.SOURCE / "scenarios/markov/chain24.yaml"))
        ref = self.dir / "kill_ref"
        sweep(kill_file, "--out", ref, "--jobs", "2")
        out = self.dir / "killed"
        cmd = [str(harness.BIN), "sweep", str(kill_file), "--out", str(out), "--jobs", "1"]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        # Kill the sweep and the run it has going (one process group) in the middle of a slow run.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            idx = out / "index.csv"
            text = idx.read_text() if idx.exists() else ""
            if re.search(r"^r0002,.*,running,", text, re.M):
                time.sleep(0.1)
                break
            time.sleep(0.02)
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        idx = pd.read_csv(out / "index.csv", dtype={"seed": str})
        done = set(idx.loc[idx["status"] == "done", "output"])
        self.assertEqual(done, {"runs/r0000.h5", "runs/r0001.h5"}, "killed while run r0002 was going")
        for f in (out / "runs").iterdir():
            rel = f"runs/{f.name}"
            if f.suffix == ".h5":
                self.assertTrue(complete(f), f"{f} looks like a result but is not complete")
            else:
                self.assertRegex(f.name, r"^r\d{4}\.h5\.tmp-\d+$", "only temporary files may be left")
                self.assertNotIn(rel.split(".tmp-")[0], done)
        # Without --resume the directory is refused; with it the sweep finishes.
        p = sweep(kill_file, "--out", out, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("add --resume", p.stderr)
        p = sweep(kill_file, "--out", out, "--resume", "--jobs", "2")
        self.assertIn("2 complete already, 2 to do", p.stderr)
        idx = pd.read_csv(out / "index.csv")
        self.assertEqual(list(idx["status"]), ["done"] * 4)
        self.assertEqual(sorted(f.name for f in (out / "runs").iterdir()), [f"r{i:04d}.h5" for i in range(4)])
        for i in range(4):
            self.assertEqual(differences(ref / f"runs/r{i:04d}.h5", out / f"runs/r{i:04d}.h5"), [])
        # A resume with nothing left to do changes nothing; another sweep's directory is refused.
        p = sweep(kill_file, "--out", out, "--resume")
        self.assertIn("4 complete already, 0 to do", p.stderr)
        p = sweep(self.file, "--out", out, "--resume", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("holds another sweep", p.stderr)

    def test_task_id_runs_exactly_that_run_and_records_it(self):
        out = self.dir / "task"
        sweep(self.file, "--out", out, "--task-id", "4")
        self.assertEqual(sorted(f.name for f in (out / "runs").iterdir()), ["r0004.h5"])
        self.assertEqual(differences(self.ref / "runs/r0004.h5", out / "runs/r0004.h5"), [])
        idx = pd.read_csv(out / "index.csv")
        self.assertEqual(list(idx["status"]), ["pending"] * 4 + ["done", "pending"])
        # Again with --resume: nothing to do; out of range: bad input.
        p = sweep(self.file, "--out", out, "--task-id", "4", "--resume")
        self.assertIn("complete already", p.stderr)
        p = sweep(self.file, "--out", out, "--task-id", "6", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--task-id 6: the sweep", p.stderr)
        self.assertIn("has runs 0 to 5", p.stderr)

    def test_emit_slurm_writes_a_valid_job_array_whose_task_i_runs_run_i(self):
        out = self.dir / "slurm"
        script = self.dir / "job.sbatch"
        sweep(self.file, "--out", out, "--emit-slurm", script, "--slurm-time", "00:30:00", "--slurm-max-parallel", "3")
        text = script.read_text()
        subprocess.run(["bash", "-n", str(script)], check=True)
        self.assertIn("#SBATCH --array=0-5%3\n", text)
        self.assertIn("#SBATCH --time=00:30:00\n", text)
        self.assertIn(f"#SBATCH --output={out}/logs/slurm-%A_%a.out\n", text)
        self.assertTrue((out / "logs").is_dir(), "SLURM needs the log directory to exist before the job starts")
        exec_line = [ln for ln in text.splitlines() if ln.startswith("exec ")]
        self.assertEqual(len(exec_line), 1)
        for task in (0, 5):
            argv = shlex.split(exec_line[0].replace("$SLURM_ARRAY_TASK_ID", str(task)))[1:]
            self.assertEqual(argv[:6], [str(harness.BIN.resolve()), "sweep", str(self.file.resolve()), "--out",
                                        str(out.resolve()), "--task-id"])
            self.assertEqual(argv[6], str(task))
            self.assertIn("--resume", argv)
        # The script itself runs task 1 correctly outside SLURM when given the variable.
        env = dict(os.environ, SLURM_ARRAY_TASK_ID="1")
        subprocess.run(["bash", str(script)], check=True, env=env, capture_output=True, timeout=120)
        self.assertEqual(differences(self.ref / "runs/r0001.h5", out / "runs/r0001.h5"), [])

    def test_with_runs_per_task_the_script_runs_its_task_s_runs_one_after_the_other(self):
        out = self.dir / "slurm_per_task"
        script = self.dir / "per_task.sbatch"
        p = sweep(self.file, "--out", out, "--emit-slurm", script, "--runs-per-task", "4")
        self.assertIn("a SLURM job array of 2 tasks (4 runs per task)", p.stdout)
        text = script.read_text()
        subprocess.run(["bash", "-n", str(script)], check=True)
        self.assertIn("#SBATCH --array=0-1\n", text)
        # Task 1 of 2 holds the runs 4 and 5 (the last task fewer); outside SLURM, given the variable.
        env = dict(os.environ, SLURM_ARRAY_TASK_ID="1")
        r = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(re.findall(r"run (r\d{4})", r.stderr), ["r0004", "r0005"])
        # stderr is a pipe here: each run reports its progress every tenth, then its summary.
        self.assertEqual(r.stderr.count("summary: "), 2)
        self.assertIn("progress: 100% day=61/61 date=2020-03-01 ", r.stderr)  # no_events: the base end
        idx = pd.read_csv(out / "index.csv")
        self.assertEqual(list(idx["status"]), ["pending"] * 4 + ["done"] * 2)
        for i in (4, 5):
            self.assertEqual(differences(self.ref / f"runs/r{i:04d}.h5", out / f"runs/r{i:04d}.h5"), [])

    def test_slurm_options_are_checked_and_written(self):
        out = self.dir / "slurm_options"
        script = self.dir / "options.sbatch"
        sweep(self.file, "--out", out, "--emit-slurm", script, "--slurm-account", "proj1", "--slurm-mem", "2G",
              "--slurm-extra", "#SBATCH --qos=long", "--slurm-extra", "module load hdf5")
        text = script.read_text()
        subprocess.run(["bash", "-n", str(script)], check=True)
        for line in ("#SBATCH --account=proj1\n", "#SBATCH --mem=2G\n", "#SBATCH --qos=long\n", "\nmodule load hdf5\n"):
            self.assertIn(line, text)
        bad = self.dir / "bad.sbatch"
        p = sweep(self.file, "--out", out, "--emit-slurm", bad, "--slurm-time", "3 hours", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--slurm-time '3 hours': expected a SLURM time limit", p.stderr)
        self.assertFalse(bad.exists(), "a refused script must not be written")

    def test_a_bad_sweep_file_or_override_is_bad_input_before_anything_runs(self):
        bad = self.dir / "bad.yaml"
        bad.write_text(f"name: b\nbase: {harness.SOURCE / 'scenarios/markov/chain24.yaml'}\nseed: 1\n"
                       "scenarios:\n  - name: typo\n    set: {{markov.initail: 3}}\n".replace("{{", "{").replace("}}", "}"))
        out = self.dir / "bad_out"
        p = sweep(bad, "--out", out, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"scenario 'typo': .*unknown key 'markov\.initail'")
        self.assertFalse((out / "runs").exists() and any((out / "runs").iterdir()))


if __name__ == "__main__":
    unittest.main(verbosity=2)
