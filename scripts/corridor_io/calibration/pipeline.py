"""The calibration from a spec file to a posterior ensemble (docs/calibration.md).

    Calibration(spec, Options(work=..., table=..., binary=...)).run()

Steps, each resumable (its results are kept in the work directory and the run table, and a
second call with the same spec and binary picks up where the first stopped):

1. Waves of history matching. Wave k draws a space-filling design inside the space that waves
   1..k-1 left (wave 1: a Latin hypercube of the whole box, scipy.stats.qmc), runs it as a
   `corridor sweep` (replicates with their own seeds), stores each run's target values in the
   run table, fits one emulator per output on every run of the table inside that space, and
   rules out the points whose implausibility exceeds the cut-off. A sample of the space left
   is kept for the next wave's design and to measure the space (its share of the box).
2. The posterior ensemble: rejection ABC with the last emulators over a sample of the final
   non-implausible space (docs/calibration.md, "Posterior ensemble"); the ensemble is run
   (`scenarios/posterior/posterior.yaml`) and its best member becomes scenarios/calibrated.yaml.
3. Sensitivity: a design inside the final space run under the spec's scenarios, emulators of
   the headline outcomes, Sobol indices.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import json
import os
import pickle
import resource
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .. import binary as _binary
from ..parameters import Declared
from ..repository import ROOT, SCENARIOS
from ..result import load
from . import scenariofiles as sf
from . import targets as tg
from .emulator import Emulator
from .history import NonImplausible, Wave, fill, implausibility, kth_largest, maximin_subset
from .runtable import RunTable, monthly_block, series_column, target_column
from .sensitivity import marginal_transform, sobol_indices


class CalibrationError(Exception):
    """The calibration cannot go on (the message says why and what to do)."""


class WaitingForRuns(Exception):
    """A wave's runs were handed to a cluster (--emit-slurm): run them, then call again."""


@dataclass
class Options:
    work: Path
    table: Path
    binary: Path
    jobs: int = 2
    launcher: str = ""          # e.g. "mpirun -n 8": put before `corridor sweep`
    emit_slurm: bool = False
    slurm_options: list = field(default_factory=list)
    workers: int = 2            # processes fitting emulators
    posterior_dir: Path = SCENARIOS / "posterior"
    calibrated: Path = SCENARIOS / "calibrated.yaml"
    report_dir: Path = ROOT / "results" / "calibration"
    keep_results: bool = False  # keep each run's HDF5 file after its values are in the run table
    sensitivity: bool = True
    max_waves: int | None = None  # stop after this many of the spec's waves (a budget), then the ensemble
    max_train: int = 300
    log: object = print


def _fit_one(args):
    X, y, noise, max_active, seed = args
    try:
        from threadpoolctl import threadpool_limits
        with threadpool_limits(1):
            return Emulator(max_active=max_active, seed=seed, restarts=0).fit(X, y, noise)
    except ImportError:
        return Emulator(max_active=max_active, seed=seed, restarts=0).fit(X, y, noise)


def _spec_hash(spec, fingerprint: str) -> str:
    return hashlib.sha256(spec.file.read_bytes() + fingerprint.encode()).hexdigest()[:16]


class Calibration:
    def __init__(self, spec, opts: Options):
        self.spec, self.o = spec, opts
        self.log = opts.log
        self.version = _binary.version(opts.binary)
        self.fp = spec.setup_fingerprint(self.version, opts.binary)
        self.declared = Declared.from_binary(spec.model, opts.binary)
        self.notes = spec.check_declared(self.declared)
        self.table = RunTable(opts.table)
        self.work = Path(opts.work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.state_file = self.work / "state.json"
        self.hash = _spec_hash(spec, self.fp)
        self.state = {}
        if self.state_file.is_file():
            st = json.loads(self.state_file.read_text())
            if st.get("spec_hash") != self.hash:
                raise CalibrationError(
                    f"{self.work} holds a calibration of another spec or binary (spec hash {st.get('spec_hash')}, "
                    f"now {self.hash}): give another --work, or --fresh to start this one over (the run table "
                    f"{opts.table} is kept and its runs of the same setup are reused)")
            self.state = st
        self.state.setdefault("spec", str(spec.file))
        self.state["spec_hash"] = self.hash
        self.state["fingerprint"] = self.fp
        self.state["binary"] = self.version
        self.state.setdefault("waves", [])
        self.state.setdefault("timing", {})
        self.labels = self.state.get("labels")
        self.waves: list[Wave] = []
        self.samples: list[np.ndarray] = []
        self.d = len(spec.parameters)
        self.last_sweep_cpu = 0.0

    # ---- bookkeeping ---------------------------------------------------------------------

    def save_state(self):
        tmp = self.state_file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.state, indent=1, default=_json_default) + "\n")
        os.replace(tmp, self.state_file)

    def _time(self, key, seconds):
        self.state["timing"][key] = self.state["timing"].get(key, 0.0) + seconds

    # ---- running sweeps ---------------------------------------------------------------------

    def _sweep_complete(self, out_dir: Path) -> bool:
        idx = out_dir / "index.csv"
        if not idx.is_file():
            return False
        d = pd.read_csv(idx, dtype=str)
        return bool((d["status"] == "done").all())

    def run_sweep(self, sweep_file: Path, out_dir: Path, what: str) -> None:
        """Runs (or, with --emit-slurm, hands out) a sweep; returns when every run is done."""
        if self._sweep_complete(out_dir):
            return
        exe = str(self.o.binary)
        log = out_dir.parent / f"{out_dir.name}.log"
        if self.o.emit_slurm:
            script = out_dir.parent / f"{out_dir.name}.sbatch"
            cmd = [exe, "sweep", str(sweep_file), "--out", str(out_dir), "--emit-slurm", str(script),
                   *self.o.slurm_options]
            p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if p.returncode != 0:
                raise CalibrationError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
            raise WaitingForRuns(f"{what}: submit `sbatch {script}` ({sweep_file}), and when its runs are done "
                                 "call this command again")
        cmd = [*shlex.split(self.o.launcher), exe, "sweep", str(sweep_file), "--out", str(out_dir)]
        if not self.o.launcher:
            cmd += ["--jobs", str(self.o.jobs)]
        if (out_dir / "index.csv").is_file():
            cmd.append("--resume")
        self.log(f"  {what}: {shlex.join(cmd)}")
        t0 = time.monotonic()
        cpu0 = _children_cpu()
        with open(log, "a") as f:
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
        cpu = _children_cpu() - cpu0
        self.last_sweep_cpu = cpu
        self._time("runs_cpu_s", cpu)
        self.log(f"  {what}: {time.monotonic() - t0:.0f} s, {cpu:.0f} CPU s (log {log})")
        if p.returncode != 0:
            raise CalibrationError(f"{what}: `corridor sweep` exited {p.returncode}; see {log} and "
                                   f"{out_dir}/logs/ (call again to retry the runs that did not finish)")

    # ---- run values ---------------------------------------------------------------------------

    def _target_months(self, t, end_month=None):
        last = t.months[1] if end_month is None else max(t.months[1], end_month)
        return tg.month_range(t.months[0], last)

    def ingest(self, out_dir: Path, fp: str, source: str, values_by_point: dict, end_month=None,
               series=()) -> int:
        """Stores each done run's values in the run table (then removes its result file)."""
        index = pd.read_csv(out_dir / "index.csv", dtype=str, keep_default_na=False)
        rows, read = [], []  # result files are removed only once the table holding their values is saved
        for _, r in index[index["status"] == "done"].iterrows():
            point = r.get("point", "base") or "base"
            rep, scen = int(r["replicate"]), r["scenario"]
            path = out_dir / r["output"]
            if self.table.has(fp, point, rep, scen):
                if path.is_file() and not self.o.keep_results:
                    path.unlink()
                continue
            res = load(path)
            cache = tg.SeriesCache(res)
            rec = {"fingerprint": fp, "source": source, "scenario": scen, "point": point, "replicate": rep,
                   "seed": r["seed"]}
            for name, v in zip(self.spec.names, values_by_point[point]):
                rec[f"p:{name}"] = float(v)
            labels = self.labels or {}
            for t in self.spec.targets:
                if t.series not in labels:
                    labels[t.series] = cache.get(t.series)[1]["labels"]
                months = self._target_months(t, end_month)
                cats = tg.categories(t, labels[t.series])
                m = tg.model_monthly(cache, t, months)
                for i, mo in enumerate(months):
                    for j, c in enumerate(cats):
                        if np.isfinite(m[i, j]):
                            rec[target_column(t, mo, c)] = m[i, j]
            self.labels = labels
            for name, select in series:
                values, info, day_month = cache.get(name)
                a = values
                dims = info["dims"][1:]
                for dname, keep in select.items():
                    idx = [i for i, x in enumerate(info["labels"][dname]) if x in keep]
                    a = np.take(a, idx, axis=1 + dims.index(dname))
                tot = a.reshape(a.shape[0], -1).sum(axis=1) / cache.scale
                for mo, v in pd.Series(tot).groupby(day_month).sum().items():
                    rec[series_column(_series_key(name, select), mo)] = float(v)
            rows.append(rec)
            read.append(path)
        self.table.add(rows)
        self.table.save()
        if not self.o.keep_results:
            for path in read:
                path.unlink()
        self.state["labels"] = self.labels
        return len(rows)

    # ---- summaries -------------------------------------------------------------------------------

    def outputs(self, wave: int | None = None):
        """(names, target index per output) of the outputs of the targets a wave uses."""
        names, owner = [], []
        for ti, t in enumerate(self.spec.targets):
            if wave is not None and t.in_waves and wave not in t.in_waves:
                continue
            months = tg.month_range(*t.months)
            cats = tg.categories(t, self.labels[t.series])
            n = tg.output_names(t, months, cats)
            names += n
            owner += [ti] * len(n)
        return names, np.array(owner, dtype=int)

    def summaries(self, rows: pd.DataFrame, wave: int | None = None) -> np.ndarray:
        """[row, output] of stored runs."""
        parts = []
        for t in self.spec.targets:
            if wave is not None and t.in_waves and wave not in t.in_waves:
                continue
            months = tg.month_range(*t.months)
            cats = tg.categories(t, self.labels[t.series])
            parts.append(tg.summarise(t, monthly_block(rows, t, months, cats), months, cats))
        return np.concatenate(parts, axis=1)

    def observed(self, wave: int | None = None):
        """(z, V_obs, V_disc) of the outputs."""
        z, vo, vd = [], [], []
        for t in self.spec.targets:
            if wave is not None and t.in_waves and wave not in t.in_waves:
                continue
            months = tg.month_range(*t.months)
            cats = tg.categories(t, self.labels[t.series])
            y = tg.summarise(t, tg.observed_monthly(t, self.labels[t.series], months), months, cats)
            a, b = tg.variances(t, len(y))
            z.append(y)
            vo.append(a)
            vd.append(b)
        return np.concatenate(z), np.concatenate(vo), np.concatenate(vd)

    def by_point(self, rows: pd.DataFrame, wave: int | None = None):
        """Per design point: (labels, unit coordinates, mean summaries, replicates, sample variances)."""
        Y = self.summaries(rows, wave)
        pts = rows["point"].to_numpy()
        labels, inverse = np.unique(pts, return_inverse=True)
        U = self.spec.to_unit(rows[[f"p:{n}" for n in self.spec.names]].to_numpy(float))
        k = len(labels)
        mean = np.zeros((k, Y.shape[1]))
        var = np.full((k, Y.shape[1]), np.nan)
        reps = np.bincount(inverse, minlength=k)
        Upt = np.zeros((k, self.d))
        for i in range(k):
            sel = inverse == i
            mean[i] = np.nanmean(Y[sel], axis=0) if sel.sum() > 0 else np.nan
            if sel.sum() > 1:
                var[i] = np.nanvar(Y[sel], axis=0, ddof=1)
            Upt[i] = U[sel][0]
        return labels, Upt, mean, reps, var

    # ---- the waves --------------------------------------------------------------------------------

    def box_sample(self) -> np.ndarray:
        m = int(2 ** np.ceil(np.log2(self.spec.samples)))
        return qmc.Sobol(self.d, scramble=True, seed=self.spec.seed).random(m)[: self.spec.samples]

    def run(self) -> dict:
        t_start = time.monotonic()
        cpu_start = time.process_time()
        spec = self.spec
        self.log(f"calibration {spec.name}: {self.d} parameters, {len(spec.targets)} targets, {len(spec.waves)} "
                 f"waves; binary {self.version}; setup {self.fp}; run table {self.o.table} "
                 f"({len(self.table.rows(self.fp))} runs of this setup)")
        if not self.labels:
            self.labels = self.probe_labels()
            self.state["labels"] = self.labels
        self.samples = [self.box_sample()]
        self.state["volume"] = [1.0]
        last = len(spec.waves) if self.o.max_waves is None else min(len(spec.waves), self.o.max_waves)
        if last < len(spec.waves):
            self.log(f"--max-waves {last}: the ensemble comes from the space left after wave {last} of "
                     f"{len(spec.waves)}")
        for k in range(1, last + 1):
            stop = self.wave(k)
            if stop:
                self.log(f"wave {k}: the space left shrank by less than {100 * (1 - spec.stop_fraction):.0f} %: "
                         "no further wave")
                break
        self.ensemble()
        if self.o.sensitivity and spec.sensitivity:
            self.sensitivity()
        self.state["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        self._time("total_s", time.monotonic() - t_start)
        self._time("python_cpu_s", time.process_time() - cpu_start)
        self.save_state()
        return self.state

    def probe_labels(self) -> dict:
        """The labels of the targets' series, from a one-day run of the spec's scenario."""
        doc = sf.merged_scenario(self.spec.scenario)
        start = str(doc.get("start"))
        out = self.work / "probe.h5"
        args = []
        for k, v in self.spec.fixed.items():
            args += ["--set", f"{k}={v}"]
        _binary.run(self.spec.scenario, out, *args, "--set", f"end={start}", "--threads", "1", binary=self.o.binary)
        res = load(out)
        labels = {t.series: res.series_info(t.series)["labels"] for t in self.spec.targets}
        out.unlink()
        return labels

    def _load_wave(self, k):
        wdir = self.work / f"wave{k}"
        with open(wdir / "emulators.pkl", "rb") as f:
            w = pickle.load(f)
        return w, np.load(wdir / "sample.npy")

    def wave(self, k: int) -> bool:
        spec, wv = self.spec, self.spec.waves[k - 1]
        wdir = self.work / f"wave{k}"
        wdir.mkdir(exist_ok=True)
        if len(self.state["waves"]) >= k and (wdir / "emulators.pkl").is_file():
            w, sample = self._load_wave(k)
            self.waves.append(w)
            self.samples.append(sample)
            info = self.state["waves"][k - 1]
            self.state["volume"].append(info["volume"])
            self.log(f"wave {k}: done before ({info['runs_new']} new runs, space left {info['volume']:.3g})")
            return info["fraction"] >= spec.stop_fraction
        rng = np.random.default_rng([spec.seed, k])
        space = NonImplausible(self.waves)
        prev = self.samples[-1]
        t0 = time.monotonic()
        # Design: wave 1 a Latin hypercube of the box; later waves the points of the previous
        # sample farthest from each other and from the runs already inside the space.
        design_unit = wdir / "design_unit.npy"
        labels_file = wdir / "design_points.txt"
        if design_unit.is_file():
            U = np.load(design_unit)
            labels = labels_file.read_text().split()
        else:
            if k == 1:
                U = qmc.LatinHypercube(self.d, seed=spec.seed).random(wv.points)
            else:
                old = self.table.rows(self.fp, "wave")
                existing = None
                if len(old):
                    _, Uold, _, _, _ = self.by_point(old, k)
                    existing = Uold[space.passes(Uold)]
                U = prev[maximin_subset(prev, wv.points, rng, existing)]
            labels = [f"w{k}p{i:04d}" for i in range(len(U))]
            values = spec.from_unit(U)
            sf.write_design(wdir / "design.csv", spec, labels, values)
            np.save(design_unit, U)
            labels_file.write_text("\n".join(labels) + "\n")
            sf.write_sweep(wdir / "sweep.yaml", name=f"{spec.name}_wave{k}",
                           description=f"calibration {spec.name}, wave {k} of history matching",
                           base=spec.scenario, seed=spec.seed * 1000 + k, seeds="per_run", replicates=wv.replicates,
                           fixed=spec.fixed, design=wdir / "design.csv",
                           header=f"Written by the calibration of {spec.file.name} (docs/calibration.md): wave {k}.")
        values = spec.from_unit(U)
        missing = [(lab, r) for lab in labels for r in range(wv.replicates) if not self.table.has(self.fp, lab, r)]
        new_runs = 0
        self.last_sweep_cpu = 0.0
        if missing:
            self.run_sweep(wdir / "sweep.yaml", wdir / "sweep", f"wave {k} ({len(U)} points x {wv.replicates})")
            new_runs = self.ingest(wdir / "sweep", self.fp, f"wave{k}", dict(zip(labels, values)))
        t_runs = time.monotonic() - t0
        self._time(f"wave{k}_runs_s", t_runs)
        # Emulators on every run of this setup inside the space the earlier waves left.
        t1 = time.monotonic()
        rows = self.table.rows(self.fp, "wave")
        names, owner = self.outputs(k)
        plabels, Up, Ym, reps, Yv = self.by_point(rows, k)
        inside = space.passes(Up)
        tr = np.flatnonzero(inside)
        if len(tr) > self.o.max_train:
            tr = tr[maximin_subset(Up[tr], self.o.max_train, rng)]
        z, vo, vd = self.observed(k)
        pooled = np.nanmean(Yv[tr], axis=0) if np.isfinite(Yv[tr]).any() else np.full(len(names), np.nan)
        v_mc = np.where(np.isfinite(pooled), pooled, 0.0)
        jobs, use = [], []
        for j in range(len(names)):
            ok = np.isfinite(Ym[tr, j])
            if not np.isfinite(z[j]) or ok.sum() < 5 or np.ptp(Ym[tr[ok], j]) == 0:
                continue
            use.append(j)
            jobs.append((Up[tr[ok]], Ym[tr[ok], j], v_mc[j] / reps[tr[ok]], spec.max_active, spec.seed + j))
        cpu0 = _children_cpu()
        with cf.ProcessPoolExecutor(max_workers=max(1, self.o.workers)) as ex:
            ems = list(ex.map(_fit_one, jobs))
        self._time("emulator_workers_cpu_s", _children_cpu() - cpu0)
        diag, keep_j, keep_em, excluded = {}, [], [], []
        for j, em in zip(use, ems):
            s = em.summary(spec.names)
            diag[names[j]] = s
            if s["loo_outside_3sd"] > 0.05 or not np.isfinite(s["loo_r2"]):
                excluded.append(names[j])
                continue
            keep_j.append(j)
            keep_em.append(em)
        t_em = time.monotonic() - t1
        self._time(f"wave{k}_emulators_s", t_em)
        if not keep_j:
            raise CalibrationError(f"wave {k}: no output could be emulated (too few runs inside the space?)")
        keep_j = np.array(keep_j)
        w = Wave(number=k, outputs=[names[j] for j in keep_j], emulators=keep_em, z=z[keep_j],
                 var_other=vo[keep_j] + vd[keep_j] + v_mc[keep_j], cutoff=spec.cutoff, measure=spec.measure)
        # The space left: the previous sample's points this wave does not rule out. When too few
        # of them pass (a small space in many dimensions is rarely hit by a uniform sample), a
        # ladder of cut-offs descends to it: each rung keeps the least implausible fifth of a
        # uniform sample of the rung above and refills it, until the stated cut-off keeps enough
        # points or the implausibility stops falling (then the model cannot reach the data within
        # the stated variances, and the wave keeps the least implausible points it found).
        t2 = time.monotonic()
        keep_min = max(20, int(0.01 * len(prev)), 2 * self.d)
        pts, meas = prev, w.measure_of(prev)
        fraction, ladder = 1.0, []
        while np.sum(meas <= spec.cutoff) < keep_min and len(ladder) < 30:
            level = float(np.quantile(meas, 0.2))
            if ladder and level > 0.97 * ladder[-1]:
                break
            ladder.append(level)
            fraction *= float(np.mean(meas <= level))
            w.cutoff = level
            pts = fill(NonImplausible(self.waves + [w]), pts[meas <= level], spec.samples, rng, steps=1)
            meas = w.measure_of(pts)
            self.log(f"  wave {k}: cut-off {level:.2f} keeps a fifth; least implausible now {meas.min():.2f}")
        raised = None
        if np.sum(meas <= spec.cutoff) >= keep_min:
            w.cutoff = spec.cutoff
        else:
            raised = max(spec.cutoff, float(np.sort(meas)[keep_min - 1]))
            w.cutoff = raised
            self.log(f"wave {k}: no {keep_min} sampled points with implausibility <= {spec.cutoff:g} (ladder of "
                     f"cut-offs {', '.join(f'{c:.2f}' for c in ladder)}): the model cannot reach the data within the "
                     f"stated variances here; cut-off raised to {raised:.2f} to keep the least implausible points")
        survivors = pts[meas <= w.cutoff]
        fraction *= len(survivors) / len(pts)
        self.waves.append(w)
        sample = fill(NonImplausible(self.waves), survivors, spec.samples, rng)
        t_samp = time.monotonic() - t2
        self._time(f"wave{k}_sampling_s", t_samp)
        volume = self.state["volume"][-1] * fraction
        self.state["volume"].append(volume)
        # The runs themselves against the data: the implausibility of each run mean (no emulator).
        z_all, vo_all, vd_all = self.observed(k)
        run_I = implausibility(z_all[keep_j], Ym[:, keep_j], 0.0,
                               vo_all[keep_j] + vd_all[keep_j] + v_mc[keep_j] / np.maximum(reps[:, None], 1))
        best_run = int(np.argmin(kth_largest(run_I, spec.measure)))
        per_target = {}
        for ti, t in enumerate(spec.targets):
            cols = [i for i, j in enumerate(keep_j) if owner[j] == ti]
            if cols:
                per_target[t.name] = {"max": float(run_I[best_run, cols].max()),
                                      "mean": float(run_I[best_run, cols].mean()), "outputs": len(cols)}
        info = {
            "wave": k, "points": int(len(U)), "replicates": wv.replicates, "runs_new": new_runs,
            "training_points": int(len(tr)), "outputs": len(names), "outputs_used": len(keep_j),
            "outputs_excluded": excluded, "cutoff": w.cutoff, "cutoff_raised": raised, "ladder": ladder,
            "measure": spec.measure,
            "fraction": fraction, "volume": volume, "sample_min_implausibility": float(meas.min()),
            "sample_median_implausibility": float(np.median(meas)),
            "best_run": {"point": str(plabels[best_run]), "implausibility": float(kth_largest(run_I, spec.measure)[best_run]),
                         "per_target": per_target},
            "v_mc": {names[j]: float(v_mc[j]) for j in keep_j},
            "diagnostics": diag, "seconds": {"runs": t_runs, "emulators": t_em, "sampling": t_samp,
                                             "runs_cpu": self.last_sweep_cpu},
        }
        self.state["waves"] = self.state["waves"][: k - 1] + [info]
        with open(wdir / "emulators.pkl", "wb") as f:
            pickle.dump(w, f)
        np.save(wdir / "sample.npy", sample)
        self.samples.append(sample)
        self.save_state()
        loo = np.array([diag[n]["loo_r2"] for n in w.outputs])
        self.log(f"wave {k}: {len(U)} points x {wv.replicates} ({new_runs} new runs, {t_runs:.0f} s), "
                 f"{len(tr)} training points, {len(keep_j)}/{len(names)} outputs emulated (median LOO R^2 "
                 f"{np.median(loo):.2f}; {t_em:.0f} s), space left {100 * fraction:.1f} % of wave {k - 1}'s, "
                 f"{volume:.3g} of the box ({t_samp:.0f} s); best run {plabels[best_run]}: implausibility "
                 f"{info['best_run']['implausibility']:.2f}")
        return fraction >= spec.stop_fraction

    # ---- the posterior ensemble ---------------------------------------------------------------------

    def final_emulators(self):
        """For each output, the emulator of the latest wave that used it."""
        latest = {}
        for w in self.waves:
            for j, name in enumerate(w.outputs):
                latest[name] = (w, j)
        return latest

    def ensemble(self):
        spec, o = self.spec, self.o
        t0 = time.monotonic()
        edir = self.work / "posterior"
        # An ensemble drawn after fewer waves (an earlier call with --max-waves) is drawn again.
        if self.state.get("ensemble", {}).get("after_wave", len(self.waves)) != len(self.waves) and edir.is_dir():
            shutil.rmtree(edir)
        edir.mkdir(exist_ok=True)
        names, owner = self.outputs(None)
        z, vo, vd = self.observed(None)
        latest = self.final_emulators()
        S = self.samples[-1]
        rng = np.random.default_rng([spec.seed, 999])
        # Rejection ABC with the emulators: a synthetic observation per sampled point, its
        # distance to the data standardised by V_obs + V_disc and averaged per target, the
        # closest `size` points kept.
        dist = np.zeros(len(S))
        weights = np.zeros(len(S))
        for ti, t in enumerate(spec.targets):
            cols = [j for j in range(len(names)) if owner[j] == ti and names[j] in latest]
            if not cols:
                continue
            acc = np.zeros(len(S))
            for j in cols:
                w, jj = latest[names[j]]
                m, v = w.emulators[jj].predict(S)
                v_mc = self.state["waves"][w.number - 1]["v_mc"][names[j]]
                y = m + np.sqrt(v + v_mc) * rng.standard_normal(len(S))
                acc += (y - z[j]) ** 2 / (vo[j] + vd[j])
            dist += t.weight * acc / len(cols)
            weights += t.weight
        dist /= np.maximum(weights, 1e-12)
        order = np.argsort(dist)[: spec.ensemble_size]
        U = S[order]
        values = spec.from_unit(U)
        labels = [f"e{i:03d}" for i in range(len(U))]
        # Run the ensemble (the posterior predictive), then order it best first.
        design = edir / "design.csv"
        sweep = edir / "posterior.yaml"
        if not design.is_file():
            sf.write_design(design, spec, labels, values)
            np.save(edir / "design_unit.npy", U)
            self._write_posterior_sweep(sweep, design)
        else:
            U = np.load(edir / "design_unit.npy")
            values = spec.from_unit(U)
        # The members' labels repeat from one draw to the next: their values are part of the key.
        fp_post = self.fp + ":posterior:" + hashlib.sha256(
            json.dumps(spec.ensemble_fixed, sort_keys=True).encode() + np.ascontiguousarray(U).tobytes()).hexdigest()[:8]
        missing = [(lab, r) for lab in labels for r in range(spec.ensemble_replicates)
                   if not self.table.has(fp_post, lab, r)]
        if missing:
            self.run_sweep(sweep, edir / "sweep", f"posterior ensemble ({len(U)} x {spec.ensemble_replicates})")
            end = self._ensemble_end_month()
            self.ingest(edir / "sweep", fp_post, "posterior", dict(zip(labels, values)), end_month=end)
        rows = self.table.rows(fp_post)
        rows = rows[rows["point"].isin(labels)]
        plabels, Up, Ym, reps, Yv = self.by_point(rows)
        v_mc_run = np.nanmean(Yv, axis=0) if np.isfinite(Yv).any() else np.zeros(Ym.shape[1])
        v_mc_run = np.where(np.isfinite(v_mc_run), v_mc_run, 0.0)
        # the actual distance of each member (its runs' mean against the data)
        d_run = np.zeros(len(plabels))
        wsum = 0.0
        for ti, t in enumerate(spec.targets):
            cols = np.flatnonzero(owner == ti)
            r = (Ym[:, cols] - z[cols]) ** 2 / (vo[cols] + vd[cols] + v_mc_run[cols] / np.maximum(reps[:, None], 1))
            d_run += t.weight * np.nanmean(r, axis=1)
            wsum += t.weight
        d_run /= wsum
        I_run = implausibility(z, Ym, 0.0, vo + vd + v_mc_run / np.maximum(reps[:, None], 1))
        best = int(np.argmin(d_run))
        best_label = str(plabels[best])
        order_lab = [best_label] + [lab for lab in labels if lab != best_label]
        pos = {lab: i for i, lab in enumerate(labels)}
        ordered_values = values[[pos[lab] for lab in order_lab]]
        o.posterior_dir.mkdir(parents=True, exist_ok=True)
        sf.write_design(o.posterior_dir / "design.csv", spec, order_lab, ordered_values)
        dist_by = dict(zip(plabels, d_run))
        sf.write_parameters(o.posterior_dir / "parameters.csv", spec, order_lab, ordered_values,
                            {"distance_runs": [dist_by.get(lab, np.nan) for lab in order_lab]})
        self._write_posterior_sweep(o.posterior_dir / "posterior.yaml", o.posterior_dir / "design.csv")
        per_target = {}
        for ti, t in enumerate(spec.targets):
            cols = np.flatnonzero(owner == ti)
            per_target[t.name] = {"max": float(np.nanmax(I_run[best, cols])),
                                  "mean": float(np.nanmean(I_run[best, cols])),
                                  "share_above_3": float(np.nanmean(I_run[best, cols] > 3)), "outputs": int(len(cols))}
        self.state["ensemble"] = {
            "size": len(labels), "replicates": spec.ensemble_replicates, "fingerprint": fp_post,
            "after_wave": len(self.waves), "waves_in_spec": len(spec.waves),
            "best": best_label, "best_values": dict(zip(spec.names, map(float, values[pos[best_label]]))),
            "best_distance": float(d_run[best]), "distance_median": float(np.median(d_run)),
            "abc_distance_max": float(dist[order].max()), "abc_distance_min": float(dist[order].min()),
            "best_implausibility": per_target, "order": order_lab,
            "posterior_dir": _shown(o.posterior_dir), "seconds": time.monotonic() - t0,
        }
        self._time("ensemble_s", time.monotonic() - t0)
        self._write_calibrated(values[pos[best_label]], best_label)
        self.save_state()
        self.log(f"posterior ensemble: {len(labels)} members x {spec.ensemble_replicates} run; best {best_label} "
                 f"(distance {d_run[best]:.2f}, median {np.median(d_run):.2f}); wrote {o.posterior_dir} and "
                 f"{o.calibrated}")

    def _ensemble_end_month(self):
        end = self.spec.ensemble_end
        if end is None:
            doc = sf.merged_scenario(self.spec.scenario)
            end = str(doc.get("end"))
        return str(end)[:7]

    def _write_posterior_sweep(self, path: Path, design: Path):
        spec = self.spec
        fixed = dict(spec.ensemble_fixed)
        if spec.ensemble_end:
            fixed["end"] = spec.ensemble_end
        sf.write_sweep(path, name=f"{spec.name}_posterior",
                       description=f"posterior ensemble of the calibration {spec.name} ({spec.ensemble_size} "
                                   "parameter sets; docs/calibration.md)",
                       base=spec.scenario, seed=spec.seed + 7, seeds="per_point", replicates=spec.ensemble_replicates,
                       fixed=fixed, design=design,
                       header=(f"The posterior ensemble of {spec.file.name}: every row of design.csv is a parameter "
                               "set of the\nfinal non-implausible space accepted by ABC (docs/calibration.md). "
                               "GENERATED by scripts/calibrate.py;\nthe first row is the point of the calibrated scenario it "
                               f"wrote (--calibrated). Run it with\n  corridor sweep {_shown(path)} --out DIR\n"
                               f"binary: {self.version}   setup: {self.fp}"))

    def _write_calibrated(self, values, label):
        spec = self.spec
        waves = self.state["waves"]
        hdr = (f"Calibrated scenario: the best member ({label}) of the posterior ensemble of {spec.file.name}.\n"
               "GENERATED by scripts/calibrate.py; rerun it rather than editing by hand (docs/calibration.md).\n"
               f"date: {dt.datetime.now():%Y-%m-%d %H:%M}   binary: {self.version}\n"
               f"history matching: {len(waves)} waves, "
               f"{sum(w['runs_new'] for w in waves)} runs in this call; space left "
               f"{self.state['volume'][-1]:.3g} of the box; ensemble of {spec.ensemble_size} in "
               f"{_shown(self.o.posterior_dir)}/ (its first row is this point)\n"
               "Fitted at a reduced scale; every value is for scale 1 (the scale is not set here).")
        sf.write_point_scenario(self.o.calibrated, spec, values, name="calibrated",
                                description=f"the best point of the calibration {spec.name} (docs/calibration.md)",
                                header=hdr)
        p = _binary.call(["validate", self.o.calibrated], self.o.binary, check=False)
        if p.returncode != 0:
            raise CalibrationError(f"{self.o.calibrated} does not validate:\n{p.stdout}\n{p.stderr}")

    # ---- sensitivity ----------------------------------------------------------------------------------

    def sensitivity(self):
        spec, o = self.spec, self.o
        sens = spec.sensitivity
        t0 = time.monotonic()
        sdir = self.work / "sensitivity"
        sdir.mkdir(exist_ok=True)
        S = self.samples[-1]
        rng = np.random.default_rng([spec.seed, 555])
        design = sdir / "design.csv"
        if (sdir / "design_unit.npy").is_file():
            U = np.load(sdir / "design_unit.npy")
        else:
            U = S[maximin_subset(S, sens["points"], rng)]
            np.save(sdir / "design_unit.npy", U)
        labels = [f"s{i:03d}" for i in range(len(U))]
        values = spec.from_unit(U)
        fixed = dict(spec.fixed)
        if sens["end"]:
            fixed["end"] = sens["end"]
        scenarios = {"base": {}, **sens["scenarios"]}
        if not design.is_file():
            sf.write_design(design, spec, labels, values)
            sf.write_sweep(sdir / "sweep.yaml", name=f"{spec.name}_sensitivity",
                           description="sensitivity design inside the final non-implausible space",
                           base=spec.scenario, seed=spec.seed + 11, seeds="per_point", replicates=sens["replicates"],
                           fixed=fixed, design=design, scenarios=scenarios,
                           header="Written by the calibration (docs/calibration.md, Sensitivity).")
        fp_s = self.fp + ":sensitivity:" + hashlib.sha256(json.dumps([fixed, scenarios], sort_keys=True).encode()
                                                          ).hexdigest()[:8]
        series = sorted({(oc.series, json.dumps(oc.select, sort_keys=True)) for oc in sens["outcomes"]})
        series = [(s, json.loads(sel)) for s, sel in series]
        missing = [1 for sc in scenarios for lab in labels for r in range(sens["replicates"])
                   if not self.table.has(fp_s, lab, r, sc)]
        if missing:
            self.run_sweep(sdir / "sweep.yaml", sdir / "sweep",
                           f"sensitivity ({len(U)} points x {len(scenarios)} scenarios x {sens['replicates']})")
            self.ingest(sdir / "sweep", fp_s, "sensitivity", dict(zip(labels, values)), series=series)
        rows = self.table.rows(fp_s)
        results = {}
        for oc in sens["outcomes"]:
            key = _series_key(oc.series, oc.select)
            months = tg.month_range(*oc.months)
            cols = [series_column(key, m) for m in months]

            def total(scen):
                r = rows[rows["scenario"] == scen]
                v = r[[c for c in cols if c in r.columns]].sum(axis=1)
                return pd.Series(v.to_numpy(), index=pd.MultiIndex.from_arrays([r["point"], r["replicate"].astype(int)]))

            y = total(oc.scenario)
            if oc.minus:
                y = (y - total(oc.minus)).dropna()
            per_point = y.groupby(level=0).mean()
            pts = per_point.index.to_numpy()
            Upts = U[[labels.index(p) for p in pts]]
            yv = per_point.to_numpy(float)
            rep_var = y.groupby(level=0).var().mean() if sens["replicates"] > 1 else 0.0
            em = Emulator(max_active=spec.max_active, seed=spec.seed, restarts=0).fit(
                Upts, yv, (rep_var if np.isfinite(rep_var) else 0.0) / sens["replicates"] + 1e-12 * np.var(yv))
            sm = em.summary(spec.names)
            si = sobol_indices(em.mean, self.d, n=sens["samples"], transform=marginal_transform(S), seed=spec.seed)
            results[oc.name] = {
                "scenario": oc.scenario, "minus": oc.minus, "series": oc.series, "months": list(oc.months),
                "mean": float(np.mean(yv)), "p05": float(np.percentile(yv, 5)), "p95": float(np.percentile(yv, 95)),
                "emulator": sm, "S1": dict(zip(spec.names, si["S1"].tolist())),
                "ST": dict(zip(spec.names, si["ST"].tolist())),
                "S1_band": dict(zip(spec.names, si["S1_band"].tolist())),
                "ST_band": dict(zip(spec.names, si["ST_band"].tolist())), "n": si["n"],
            }
        self.state["sensitivity"] = {"points": len(U), "scenarios": list(scenarios), "outcomes": results,
                                     "seconds": time.monotonic() - t0}
        self._time("sensitivity_s", time.monotonic() - t0)
        self.save_state()
        self.log(f"sensitivity: {len(U)} points x {len(scenarios)} scenarios; "
                 + "; ".join(f"{k}: largest total index {max(v['ST'], key=v['ST'].get)} "
                             f"{max(v['ST'].values()):.2f} (emulator LOO R^2 {v['emulator']['loo_r2']:.2f})"
                             for k, v in results.items()))


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process (and theirs) so far: the runs."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _series_key(name: str, select: dict) -> str:
    if not select:
        return name
    return name + "[" + ";".join(f"{k}={','.join(v)}" for k, v in sorted(select.items())) + "]"


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(type(o))


def clear_work(work: Path) -> None:
    """--fresh: remove a work directory's state (never the run table)."""
    if work.is_dir():
        shutil.rmtree(work)


def _shown(path: Path) -> str:
    """`path` relative to the repository when it lies inside it (for generated headers), else as given."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
