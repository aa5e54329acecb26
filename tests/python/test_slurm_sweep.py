#!/usr/bin/env -S /usr/bin/python3
"""The job array that `corridor sweep --emit-slurm` writes, run by a real SLURM (docs/hpc.md).

The test starts its own single-node SLURM in a scratch directory (HPC-NOTES.md): munged with a
fresh key and a private socket, slurmctld and slurmd on free ports with a slurm.conf of its own
(SLURM_CONF), submits the script with sbatch, waits for the array to finish, checks that every
task ran its own run (index.csv all done, each file the same content as the run made without
SLURM) and stops the daemons it started. Nothing outside the scratch directory is touched.
A second array runs five runs per task (--runs-per-task 5) and checks each task's log: its
runs in order, each with a progress line every tenth of its days (stderr is not a terminal
under SLURM) and its summary line.

Skipped (exit 77, ctest: not run) with the reason when slurm-wlm or munge is not installed or
the daemons do not come up (e.g. in a container that forbids them).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest

import pandas as pd

import harness
from corridor_io.files import differences

NEEDED = ["munged", "munge", "unmunge", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo"]
SEARCH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/bin"])
TOOLS = {n: shutil.which(n, path=SEARCH) for n in NEEDED}


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalSlurm:
    """munged + slurmctld + slurmd under `root`, all state inside it."""

    def __init__(self, root):
        self.root = root
        self.pidfiles = []
        for d in ("munge", "state", "spool", "log"):
            (root / d).mkdir(parents=True, exist_ok=True)
        os.chmod(root / "munge", 0o700)
        key = root / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chmod(key, 0o400)
        self.sock = root / "munge" / "munge.sock"
        self.conf = root / "slurm.conf"
        self.env = dict(os.environ, SLURM_CONF=str(self.conf))

    def start(self):
        r = self.root
        pid = r / "munge" / "munged.pid"
        self.pidfiles.append(pid)
        subprocess.run([TOOLS["munged"], "--force", f"--socket={self.sock}", f"--key-file={r}/munge/munge.key",
                        f"--log-file={r}/log/munged.log", f"--pid-file={pid}", f"--seed-file={r}/munge/seed"],
                       check=True, capture_output=True, timeout=30)
        cred = subprocess.run([TOOLS["munge"], "-S", str(self.sock), "-n"], capture_output=True, timeout=30)
        check = subprocess.run([TOOLS["unmunge"], "-S", str(self.sock)], input=cred.stdout, capture_output=True,
                               timeout=30)
        if b"Success" not in check.stdout:
            raise RuntimeError(f"munge does not work: {check.stdout!r} {check.stderr!r}")
        host = socket.gethostname().split(".")[0]
        mem = max(256, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20 // 2)
        self.conf.write_text(f"""\
ClusterName=corridortest
SlurmctldHost={host}
SlurmUser=root
SlurmdUser=root
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.sock}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/slurmctld.pid
SlurmdPidFile={r}/slurmd.pid
SlurmctldLogFile={r}/log/slurmctld.log
SlurmdLogFile={r}/log/slurmd.log
ReturnToService=2
MpiDefault=none
NodeName={host} CPUs={os.cpu_count()} RealMemory={mem} State=UNKNOWN
PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP
""")
        for daemon in ("slurmctld", "slurmd"):
            self.pidfiles.append(r / f"{daemon}.pid")
            subprocess.run([TOOLS[daemon], "-f", str(self.conf)], check=True, capture_output=True, timeout=30,
                           env=self.env)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            p = subprocess.run([TOOLS["sinfo"], "-h", "-o", "%t"], capture_output=True, text=True, env=self.env,
                               timeout=30)
            if p.returncode == 0 and p.stdout.strip() == "idle":
                return
            time.sleep(0.5)
        raise RuntimeError("the SLURM node did not become idle within 40 s (see " + str(r / "log") + ")")

    def stop(self):
        # Only the daemons this test started, by the pids they wrote.
        for pidfile in reversed(self.pidfiles):
            try:
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGTERM)
            except (OSError, ValueError):
                pass
        time.sleep(0.5)


class SlurmArray(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = [n for n, p in TOOLS.items() if p is None]
        if missing:
            skip(f"SLURM test needs {', '.join(missing)} (Debian packages slurm-wlm and munge)")
        if os.geteuid() != 0:
            skip("the local SLURM of this test runs its daemons as root")
        cls.dir = harness.scratch("slurm")
        cls.slurm = LocalSlurm(cls.dir / "s")
        try:
            cls.slurm.start()
        except (RuntimeError, subprocess.SubprocessError, OSError) as e:
            cls.slurm.stop()
            skip(f"SLURM could not start here: {e}")

    @classmethod
    def tearDownClass(cls):
        cls.slurm.stop()

    def submit_and_wait(self, script):
        """Submits `script`, waits until the array has left the queue; returns the job id."""
        p = subprocess.run([TOOLS["sbatch"], "--parsable", str(script)], capture_output=True, text=True,
                           env=self.slurm.env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        job = p.stdout.strip().split(";")[0]
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            q = subprocess.run([TOOLS["squeue"], "-h", "-j", job], capture_output=True, text=True, env=self.slurm.env,
                               timeout=30)
            if q.returncode == 0 and not q.stdout.strip():
                return job
            time.sleep(0.5)
        self.fail(f"job array {job} still queued or running after 180 s")

    def sweep_file(self, name, body):
        f = self.dir / f"{name}.yaml"
        f.write_text(f"name: {name}\nbase: {harness.SOURCE / 'scenarios/markov/chain24.yaml'}\n{body}")
        return f

    def emit(self, f, out, *options):
        script = out.with_suffix(".sbatch")
        subprocess.run([str(harness.BIN), "sweep", str(f), "--out", str(out), "--emit-slurm", str(script), *options],
                       check=True, capture_output=True, timeout=60)
        return script

    def assert_same_files_as_a_plain_sweep(self, f, out, runs):
        ref = out.parent / (out.name + "_ref")
        subprocess.run([str(harness.BIN), "sweep", str(f), "--out", str(ref), "--jobs", "2"], check=True,
                       capture_output=True, timeout=120)
        for i in range(runs):
            self.assertEqual(differences(ref / f"runs/r{i:04d}.h5", out / f"runs/r{i:04d}.h5"), [])

    def test_the_emitted_job_array_runs_every_run_of_the_sweep_under_slurm(self):
        f = self.sweep_file("slurm", "seed: 5\nreplicates: 2\n"
                            "set: {markov.initial.0.agents: 6000, markov.initial.1.agents: 4000}\n"
                            "grid: [{key: end, values: [2020-01-05, 2020-01-09]}]\n")
        out = self.dir / "out"
        job = self.submit_and_wait(self.emit(f, out))
        idx = pd.read_csv(out / "index.csv")
        logs = sorted(p.name for p in (out / "logs").glob("slurm-*.out"))
        self.assertEqual(list(idx["status"]), ["done"] * 4, f"index:\n{idx}\nlogs: {logs}")
        self.assertEqual(logs, [f"slurm-{job}_{i}.out" for i in range(4)])
        for i in range(4):
            self.assertIn(f"run r{i:04d}", (out / "logs" / f"slurm-{job}_{i}.out").read_text())
        # Each task's file is the run a plain sweep makes.
        self.assert_same_files_as_a_plain_sweep(f, out, 4)

    def test_with_five_runs_per_task_each_task_runs_its_five_runs_and_logs_their_progress(self):
        # 11 runs in 3 tasks: 0-4, 5-9 and 10 alone.
        f = self.sweep_file("per_task", "seed: 8\nreplicates: 11\nset: {end: 2020-01-10, "
                            "markov.initial.0.agents: 3000, markov.initial.1.agents: 2000}\n")
        out = self.dir / "per_task"
        script = self.emit(f, out, "--runs-per-task", "5", "--slurm-time", "00:10:00", "--slurm-mem", "500M")
        self.assertIn("#SBATCH --array=0-2\n", script.read_text())
        job = self.submit_and_wait(script)
        idx = pd.read_csv(out / "index.csv")
        logs = {p.name: p.read_text() for p in (out / "logs").glob("slurm-*.out")}
        self.assertEqual(list(idx["status"]), ["done"] * 11, f"index:\n{idx}\nlogs: {logs}")
        self.assertEqual(sorted(logs), [f"slurm-{job}_{t}.out" for t in range(3)])
        for t, runs in enumerate([range(0, 5), range(5, 10), range(10, 11)]):
            log = logs[f"slurm-{job}_{t}.out"]
            self.assertEqual(re.findall(r"run (r\d{4})", log), [f"r{i:04d}" for i in runs], log)
            # Not a terminal: each run reports every tenth of its 10 days, then its summary.
            self.assertEqual(log.count("progress: 100% day=10/10 date=2020-01-10 "), len(runs), log)
            self.assertEqual(log.count("progress: "), 10 * len(runs), log)
            self.assertEqual(log.count("summary: "), len(runs), log)
        self.assert_same_files_as_a_plain_sweep(f, out, 11)


if __name__ == "__main__":
    unittest.main(verbosity=2)
