#include "sim/sweep/runner.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "sim/runner.hpp"
#include "sim/stop_signal.hpp"
#include "sim/sweep/index.hpp"
#include "sim/sweep/launcher.hpp"
#include "sim/sweep/slurm.hpp"
#include "sim/sweep/work_queue.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

/// Loads every distinct scenario of the sweep (at the design's first point) and every design
/// point (with the first scenario), so that a typo in an override or a value out of range fails
/// the sweep at once (exit 2) rather than in every run.
void validate_scenarios(const ModelRegistry& models, const SweepPlan& plan) {
  std::set<std::string> scenarios_done;
  std::set<std::size_t> points_done;
  for (const auto& run : plan.runs) {
    const bool new_scenario = run.point == 0 && scenarios_done.insert(run.scenario).second;
    const bool new_point = run.scenario == plan.scenarios.front() && points_done.insert(run.point).second;
    if (!new_scenario && !new_point) continue;
    std::vector<std::string> o = run.overrides;
    o.push_back(fmt::format("seed={}", run.seed));
    try {
      (void)load_scenario(models, run.base, o);
    } catch (const InputError& e) {
      const std::string point = plan.design.empty() ? "" : fmt::format(", point '{}'", plan.design.points[run.point]);
      throw InputError(fmt::format("sweep {}: scenario '{}'{}: {}", plan.file.string(), run.scenario, point, e.what()));
    }
  }
}

int dry_run(const ModelRegistry& models, const SweepPlan& plan, const SweepRequest& r) {
  validate_scenarios(models, plan);
  const char* seeds = plan.seed_mode == SeedMode::kPerRun         ? "per run"
                      : plan.seed_mode == SeedMode::kPerReplicate ? "per replicate"
                                                                  : "per point";
  const std::string points =
      plan.design.empty() ? "" : fmt::format(" x {} design points", plan.design.points.size());
  fmt::print("sweep {}: {} scenarios{} x {} replicates = {} runs; base {}; seeds {} from sweep seed {}\n", plan.name,
             plan.scenarios.size(), points, plan.replicates, plan.runs.size(), plan.base.string(), seeds, plan.seed);
  std::size_t w = 8;
  for (const auto& s : plan.scenarios) w = std::max(w, s.size());
  const bool design = !plan.design.empty();
  fmt::print("{:<6} {:<{}} {}{:>9} {:>20}  {}\n", "run_id", "scenario", w, design ? "point    " : "", "replicate",
             "seed", "overrides");
  for (const auto& run : plan.runs) {
    std::string o;
    if (plan.own_files && run.base != plan.base) o = "(file " + run.base.string() + ")";
    for (const auto& x : run.overrides) {
      if (!o.empty()) o += " ; ";
      o += x;
    }
    const std::string point = design ? fmt::format("{:<8} ", plan.design.points[run.point]) : "";
    fmt::print("{:<6} {:<{}} {}{:>9} {:>20}  {}\n", run.id, run.scenario, w, point, run.replicate, run.seed, o);
  }
  const fs::path dir = r.out.empty() ? fs::path("DIR") : r.out;
  fmt::print("each run is, e.g. for {}:\n  {}\n", plan.runs.front().id,
             shell_line(run_argv(self_exe(), plan.runs.front(), dir, r.threads)));
  return 0;
}

int emit_slurm(const ModelRegistry& models, const SweepPlan& plan, const SweepRequest& r) {
  if (r.out.empty()) throw InputError("--emit-slurm needs --out DIR (where the array tasks write their runs)");
  SlurmOptions o = r.slurm;
  o.script = r.emit_slurm;
  o.dir = fs::absolute(r.out).lexically_normal();
  o.threads = r.threads;
  check_slurm_options(o);
  validate_scenarios(models, plan);
  write_slurm_script(plan, o);
  fmt::print("wrote {}: a SLURM job array of {} tasks ({} run{} per task) for the sweep '{}'; submit it with: sbatch "
             "{}\n",
             r.emit_slurm.string(), slurm_array_tasks(plan, o), o.runs_per_task, o.runs_per_task == 1 ? "" : "s",
             plan.name, r.emit_slurm.string());
  return 0;
}

/// --task-id I: run I, in this process, recording it in the index under a file lock.
int run_task(const ModelRegistry& models, const SweepPlan& plan, const SweepRequest& r, const fs::path& dir) {
  if (r.task_id < 0 || static_cast<std::size_t>(r.task_id) >= plan.runs.size())
    throw InputError(fmt::format("--task-id {}: the sweep {} has runs 0 to {}", r.task_id, plan.file.string(),
                                 plan.runs.size() - 1));
  const SweepRun& run = plan.runs[static_cast<std::size_t>(r.task_id)];
  fs::create_directories(dir / "runs");
  fs::create_directories(dir / "logs");
  IndexRow row;
  row.host = this_host();
  if (r.resume && result_complete(dir / run.output(), run.seed)) {
    fmt::print(stderr, "sweep: run {} ({}) is complete already; nothing to do\n", run.id, run.scenario);
    row.status = "done";
    row.exit_code = 0;
    // Keep a wall time recorded earlier.
    std::error_code ec;
    if (fs::exists(dir / "index.csv", ec)) row.wall_s = read_index(dir, plan).at(run.index).wall_s;
    update_index_locked(dir, plan, run.index, row);
    return 0;
  }
  row.status = "running";
  update_index_locked(dir, plan, run.index, row);
  RunRequest rr;
  rr.scenario = run.base;
  rr.out = dir / run.output();
  rr.seed = run.seed;
  rr.threads = r.threads;
  rr.overrides = run.overrides;
  rr.quiet = false;  // a batch job's log shows the run's progress every tenth (sim/progress.hpp)
  fmt::print(stderr, "sweep {}: run {} ({}, replicate {}, seed {})\n", plan.name, run.id, run.scenario, run.replicate,
             run.seed);
  const auto t0 = std::chrono::steady_clock::now();
  auto record = [&](const char* status, int code) {
    row.status = status;
    row.exit_code = code;
    row.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    update_index_locked(dir, plan, run.index, row);
  };
  int code = 0;
  try {
    code = run_scenario(models, rr);
  } catch (const Interrupted& e) {
    record("interrupted", 128 + e.signal);
    throw;
  } catch (const InputError&) {
    record("failed", 2);
    throw;
  } catch (const std::exception&) {
    record("failed", 1);
    throw;
  }
  const bool complete = code == 0 && result_complete(dir / run.output(), run.seed);
  record(complete ? "done" : "failed", code);
  return complete ? 0 : 1;
}

/// Rank 0 prepares the directory and the index: the runs still to do, the rows so far.
std::vector<std::size_t> prepare_directory(const SweepPlan& plan, const SweepRequest& r, const fs::path& dir,
                                           std::vector<IndexRow>& rows) {
  std::vector<std::size_t> todo;
  fs::create_directories(dir / "runs");
  fs::create_directories(dir / "logs");
  std::error_code ec;
  if (fs::exists(dir / "index.csv", ec)) {
    if (!r.resume)
      throw InputError(fmt::format("{} holds a sweep already (index.csv): add --resume to continue it, or give "
                                   "another --out",
                                   dir.string()));
    rows = read_index(dir, plan);
  }
  for (const auto& run : plan.runs) {
    IndexRow& row = rows[run.index];
    if (result_complete(dir / run.output(), run.seed)) {
      row.status = "done";
      row.exit_code = 0;
    } else {
      row = IndexRow{};  // pending again, whatever an interrupted sweep had written
      todo.push_back(run.index);
    }
  }
  write_index(dir, plan, rows);
  return todo;
}

/// Every rank's host name (a collective: every rank takes part), for the index.
std::vector<std::string> rank_hosts(Cluster& cluster) {
  std::vector<std::string> hosts;
  const std::string me = this_host();
  const auto parts = cluster.gather(std::as_bytes(std::span<const char>(me.data(), me.size())));
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::string h(reinterpret_cast<const char*>(parts[k].data()), parts[k].size());
    hosts.push_back(cluster.size() > 1 ? fmt::format("{}/rank{}", h, k) : h);
  }
  return hosts;
}

}  // namespace

int run_sweep(const ModelRegistry& models, const SweepRequest& r) {
  Cluster& cluster = world();
  const SweepPlan plan = read_sweep(r.file);
  if (r.dry_run) return cluster.root() ? dry_run(models, plan, r) : 0;
  if (!r.emit_slurm.empty()) return cluster.root() ? emit_slurm(models, plan, r) : 0;
  if (r.out.empty()) throw InputError("--out DIR is required (where the runs and index.csv go)");
  const fs::path dir = fs::absolute(r.out).lexically_normal();
  if (r.task_id >= 0) {
    if (cluster.size() > 1) throw InputError("--task-id runs one run in one process: start it without mpirun");
    return run_task(models, plan, r, dir);
  }
  validate_scenarios(models, plan);

  std::vector<IndexRow> rows(plan.runs.size());
  std::vector<std::size_t> todo;
  on_root_or_fail_together(cluster, [&] { todo = prepare_directory(plan, r, dir, rows); });
  const std::vector<std::string> hosts = rank_hosts(cluster);

  // Runs at once on this rank: its share of the machine's cores, divided by each run's threads.
  const int cores = std::max(1, omp_get_num_procs() / std::max(1, cluster.local_size()));
  const int jobs = r.jobs > 0 ? r.jobs : std::max(1, cores / std::max(1, r.threads));
  install_stop_handlers();
  Launcher launcher(plan, dir, jobs, r.threads);
  if (!cluster.root()) {
    const QueueResult q = work_for_root(cluster, launcher);
    return q.signal ? 128 + q.signal : 0;
  }
  const auto t0 = std::chrono::steady_clock::now();
  fmt::print(stderr, "sweep {}: {} runs, {} complete already, {} to do on {} rank(s) x {} job(s)\n", plan.name,
             plan.runs.size(), plan.runs.size() - todo.size(), todo.size(), cluster.size(), jobs);
  IndexKeeper index(dir, plan, std::move(rows));
  const QueueResult q = serve_runs(cluster, plan, dir, todo, index, launcher, hosts);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "sweep {}: {} of {} runs done, {} failed or interrupted, {:.1f} s; index {}\n", plan.name, q.done,
             plan.runs.size(), q.failed, wall, (dir / "index.csv").string());
  if (q.signal) return 128 + q.signal;
  return q.done == plan.runs.size() ? 0 : 1;
}

}  // namespace corridor
