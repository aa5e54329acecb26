// `corridor sweep FILE --out DIR`: every run of a sweep (sim/sweep.hpp; docs/hpc.md).
//
// Each run is a child process of this same binary, `corridor run BASE --out DIR/runs/rNNNN.h5
// --seed S --set ...`, so that a run that fails or is killed cannot take the others with it and
// its result is written exactly as a lone run writes it (temporary name, then rename). Up to
// --jobs runs go at once. Under mpirun every rank launches runs the same way and asks rank 0
// for the next run whenever it has a free slot (dynamic assignment: a long run does not hold
// up the rest); rank 0 keeps DIR/index.csv. `--task-id I` (a SLURM array task) runs run I in
// this process and updates the index under a file lock.
#include <fcntl.h>
#include <fmt/format.h>
#include <omp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/runner.hpp"
#include "sim/sweep.hpp"

extern char** environ;

namespace corridor {

namespace fs = std::filesystem;

namespace {

volatile std::sig_atomic_t g_sweep_signal = 0;
extern "C" void on_sweep_signal(int sig) { g_sweep_signal = sig; }

enum Message : std::int64_t { kRequest = 1, kDone = 2, kFinished = 3 };
enum Outcome : std::int64_t { kOutcomeDone = 1, kOutcomeFailed = 2, kOutcomeInterrupted = 3 };

const char* outcome_name(std::int64_t o) {
  return o == kOutcomeDone ? "done" : o == kOutcomeInterrupted ? "interrupted" : "failed";
}

fs::path self_exe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's path (/proc/self/exe)");
  return p;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// The command line of one run.
std::vector<std::string> run_argv(const fs::path& exe, const SweepPlan& plan, const SweepRun& run, const fs::path& dir,
                                  int threads) {
  std::vector<std::string> a{exe.string(), "run",       plan.base.string(), "--out", (dir / run.output()).string(),
                             "--seed",     std::to_string(run.seed), "--threads", std::to_string(threads), "--quiet"};
  for (const auto& o : run.overrides) {
    a.push_back("--set");
    a.push_back(o);
  }
  return a;
}

struct Finished {
  std::size_t index;
  std::int64_t outcome;
  double wall_s;
  int exit_code;
};

/// Runs as child processes, at most `slots` at once.
class Launcher {
 public:
  Launcher(const SweepPlan& plan, fs::path dir, int slots, int threads)
      : plan_(plan), dir_(std::move(dir)), slots_(slots), threads_(threads), exe_(self_exe()) {}

  bool has_free_slot() const { return static_cast<int>(running_.size()) < slots_; }
  bool idle() const { return running_.empty(); }

  void start(std::size_t index) {
    const SweepRun& run = plan_.runs.at(index);
    // A leftover of an earlier, killed attempt is never a result: clear the way.
    for (const auto& e : fs::directory_iterator(dir_ / "runs"))
      if (e.path().filename().string().rfind(run.id + ".h5.tmp-", 0) == 0) fs::remove(e.path());
    std::error_code ec;
    fs::remove(dir_ / run.output(), ec);
    const auto args = run_argv(exe_, plan_, run, dir_, threads_);
    std::vector<char*> argv;
    for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    // The child must not take itself for an MPI rank (its environment says mpirun started it).
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e)
      if (std::string(*e).rfind("CORRIDOR_NO_MPI=", 0) != 0) env_store.emplace_back(*e);
    env_store.emplace_back("CORRIDOR_NO_MPI=1");
    std::vector<char*> envp;
    for (auto& s : env_store) envp.push_back(s.data());
    envp.push_back(nullptr);
    const std::string log = (dir_ / "logs" / (run.id + ".log")).string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
    running_[pid] = Running{index, std::chrono::steady_clock::now()};
  }

  /// Runs that ended since the last call.
  std::vector<Finished> reap() {
    std::vector<Finished> out;
    for (auto it = running_.begin(); it != running_.end();) {
      int status = 0;
      const pid_t r = ::waitpid(it->first, &status, WNOHANG);
      if (r == 0) {
        ++it;
        continue;
      }
      const SweepRun& run = plan_.runs.at(it->second.index);
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.start).count();
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      // 'done' only when the file is there and marked complete, whatever the exit code says.
      const bool complete = code == 0 && result_complete(dir_ / run.output(), run.seed);
      const std::int64_t outcome = complete ? kOutcomeDone : (killed_ ? kOutcomeInterrupted : kOutcomeFailed);
      out.push_back(Finished{it->second.index, outcome, wall, code});
      it = running_.erase(it);
    }
    return out;
  }

  void terminate_all() {
    killed_ = true;
    for (const auto& [pid, r] : running_) ::kill(pid, SIGTERM);
  }

 private:
  struct Running {
    std::size_t index;
    std::chrono::steady_clock::time_point start;
  };
  const SweepPlan& plan_;
  fs::path dir_;
  int slots_, threads_;
  fs::path exe_;
  std::map<pid_t, Running> running_;
  bool killed_ = false;
};

void pause_briefly() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

/// Loads every distinct scenario of the sweep once, so that a typo in an override fails the
/// sweep at once (exit 2) rather than in every run.
void validate_scenarios(const SweepPlan& plan) {
  std::set<std::string> done;
  for (const auto& run : plan.runs) {
    if (!done.insert(run.scenario).second) continue;
    std::vector<std::string> o = run.overrides;
    o.push_back(fmt::format("seed={}", run.seed));
    try {
      (void)load_scenario(plan.base, o);
    } catch (const InputError& e) {
      throw InputError(fmt::format("sweep {}: scenario '{}': {}", plan.file.string(), run.scenario, e.what()));
    }
  }
}

int dry_run(const SweepPlan& plan, const SweepArgs& args) {
  validate_scenarios(plan);
  fmt::print("sweep {}: {} scenarios x {} replicates = {} runs; base {}; seeds {} from sweep seed {}\n", plan.name,
             plan.scenarios.size(), plan.replicates, plan.runs.size(), plan.base.string(),
             plan.seed_mode == SeedMode::kPerRun ? "per run" : "per replicate", plan.seed);
  std::size_t w = 8;
  for (const auto& s : plan.scenarios) w = std::max(w, s.size());
  fmt::print("{:<6} {:<{}} {:>9} {:>20}  {}\n", "run_id", "scenario", w, "replicate", "seed", "overrides");
  for (const auto& r : plan.runs) {
    std::string o;
    for (const auto& x : r.overrides) {
      if (!o.empty()) o += " ; ";
      o += x;
    }
    fmt::print("{:<6} {:<{}} {:>9} {:>20}  {}\n", r.id, r.scenario, w, r.replicate, r.seed, o);
  }
  const fs::path dir = args.out.empty() ? fs::path("DIR") : fs::path(args.out);
  std::string cmd;
  for (const auto& a : run_argv(self_exe(), plan, plan.runs.front(), dir, args.threads))
  {
    if (!cmd.empty()) cmd += ' ';
    cmd += shell_quote(a);
  }
  fmt::print("each run is, e.g. for {}:\n  {}\n", plan.runs.front().id, cmd);
  return 0;
}

int emit_slurm(const SweepPlan& plan, const SweepArgs& args) {
  if (args.out.empty()) throw InputError("--emit-slurm needs --out DIR (where the array tasks write their runs)");
  const fs::path dir = fs::absolute(args.out).lexically_normal();
  validate_scenarios(plan);
  // SLURM does not create the folder of --output: the tasks' logs go to DIR/logs, made now.
  fs::create_directories(dir / "logs");
  fs::create_directories(dir / "runs");
  std::string array = fmt::format("0-{}", plan.runs.size() - 1);
  if (args.slurm_max_parallel > 0) array += fmt::format("%{}", args.slurm_max_parallel);
  std::string s;
  s += "#!/bin/bash\n";
  s += fmt::format("# Written by `corridor sweep --emit-slurm` for the sweep '{}' ({} runs).\n", plan.name,
                   plan.runs.size());
  s += "# One array task per run: task I runs exactly run I of the sweep and updates the index\n";
  s += fmt::format("# {}. Submit with `sbatch {}`; submitting it again reruns only the\n",
                   (dir / "index.csv").string(), fs::path(args.emit_slurm).filename().string());
  s += "# runs that are not complete (--resume). See docs/hpc.md.\n";
  s += fmt::format("#SBATCH --job-name=corridor-{}\n", plan.name);
  s += fmt::format("#SBATCH --array={}\n", array);
  s += "#SBATCH --ntasks=1\n";
  s += fmt::format("#SBATCH --cpus-per-task={}\n", args.threads);
  s += fmt::format("#SBATCH --output={}\n", (dir / "logs" / "slurm-%A_%a.out").string());
  if (!args.slurm_time.empty()) s += fmt::format("#SBATCH --time={}\n", args.slurm_time);
  if (!args.slurm_partition.empty()) s += fmt::format("#SBATCH --partition={}\n", args.slurm_partition);
  s += "set -euo pipefail\n";
  s += fmt::format("export OMP_NUM_THREADS={}\n", args.threads);
  s += fmt::format("exec {} sweep {} --out {} --task-id \"$SLURM_ARRAY_TASK_ID\" --threads {} --resume\n",
                   shell_quote(self_exe().string()), shell_quote(plan.file.string()), shell_quote(dir.string()),
                   args.threads);
  const fs::path script = args.emit_slurm;
  if (script.has_parent_path()) fs::create_directories(script.parent_path());
  {
    std::ofstream f(script, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(fmt::format("--emit-slurm {}: cannot write the file", script.string()));
    f << s;
  }
  fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
  fmt::print("wrote {}: a SLURM job array of {} tasks for the sweep '{}'; submit it with: sbatch {}\n",
             script.string(), plan.runs.size(), plan.name, script.string());
  return 0;
}

/// --task-id I: run I, in this process.
int run_task(const SweepPlan& plan, const SweepArgs& args, const fs::path& dir) {
  if (args.task_id < 0 || static_cast<std::size_t>(args.task_id) >= plan.runs.size())
    throw InputError(fmt::format("--task-id {}: the sweep {} has runs 0 to {}", args.task_id, plan.file.string(),
                                 plan.runs.size() - 1));
  const SweepRun& run = plan.runs[static_cast<std::size_t>(args.task_id)];
  fs::create_directories(dir / "runs");
  fs::create_directories(dir / "logs");
  IndexRow row;
  row.host = this_host();
  if (args.resume && result_complete(dir / run.output(), run.seed)) {
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
  RunArgs ra;
  ra.scenario = plan.base.string();
  ra.out = (dir / run.output()).string();
  ra.seed = run.seed;
  ra.threads = args.threads;
  ra.overrides = run.overrides;
  ra.quiet = true;
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
    code = run_command(ra);
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

}  // namespace

int sweep_command(const SweepArgs& args) {
  Cluster& cluster = world();
  const SweepPlan plan = read_sweep(args.file);
  if (args.dry_run) return cluster.root() ? dry_run(plan, args) : 0;
  if (!args.emit_slurm.empty()) return cluster.root() ? emit_slurm(plan, args) : 0;
  if (args.out.empty()) throw InputError("--out DIR is required (where the runs and index.csv go)");
  const fs::path dir = fs::absolute(args.out).lexically_normal();
  if (args.task_id >= 0) {
    if (cluster.size() > 1) throw InputError("--task-id runs one run in one process: start it without mpirun");
    return run_task(plan, args, dir);
  }
  validate_scenarios(plan);

  // Rank 0 prepares the directory and the index; the others wait for it (a shared file system).
  std::vector<IndexRow> rows(plan.runs.size());
  std::vector<std::size_t> todo;
  std::string setup_error;
  if (cluster.root()) {
    try {
      fs::create_directories(dir / "runs");
      fs::create_directories(dir / "logs");
      std::error_code ec;
      if (fs::exists(dir / "index.csv", ec)) {
        if (!args.resume)
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
    } catch (const InputError& e) {
      if (cluster.size() == 1) throw;
      setup_error = e.what();
    }
  }
  if (cluster.size() > 1) {
    const auto bytes = cluster.broadcast(std::as_bytes(std::span<const char>(setup_error.data(), setup_error.size())));
    if (!bytes.empty()) throw InputError(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  // Host names for the index (a collective: every rank takes part).
  std::vector<std::string> hosts;
  {
    const std::string me = this_host();
    const auto parts = cluster.gather(std::as_bytes(std::span<const char>(me.data(), me.size())));
    for (std::size_t r = 0; r < parts.size(); ++r) {
      std::string h(reinterpret_cast<const char*>(parts[r].data()), parts[r].size());
      hosts.push_back(cluster.size() > 1 ? fmt::format("{}/rank{}", h, r) : h);
    }
  }

  const int cores = std::max(1, omp_get_num_procs() / std::max(1, cluster.local_size()));
  const int jobs = args.jobs > 0 ? args.jobs : std::max(1, cores / std::max(1, args.threads));
  std::signal(SIGINT, on_sweep_signal);
  std::signal(SIGTERM, on_sweep_signal);
  Launcher launcher(plan, dir, jobs, args.threads);
  const auto t0 = std::chrono::steady_clock::now();
  bool stopping = false;

  if (!cluster.root()) {
    // A worker: ask rank 0 for a run whenever a slot is free; report each run's end.
    bool no_more = false;
    for (;;) {
      for (const auto& f : launcher.reap())
        cluster.send(0, std::vector<std::int64_t>{kDone, static_cast<std::int64_t>(f.index), f.outcome,
                                                  static_cast<std::int64_t>(f.wall_s * 1000), f.exit_code});
      if (g_sweep_signal && !stopping) {
        stopping = no_more = true;
        launcher.terminate_all();
      }
      if (!no_more && launcher.has_free_slot()) {
        cluster.send(0, std::vector<std::int64_t>{kRequest});
        const auto reply = cluster.receive(0);
        if (reply.at(0) < 0) no_more = true;
        else launcher.start(static_cast<std::size_t>(reply[0]));
        continue;
      }
      if (no_more && launcher.idle()) {
        cluster.send(0, std::vector<std::int64_t>{kFinished});
        break;
      }
      pause_briefly();
    }
    return g_sweep_signal ? 128 + g_sweep_signal : 0;
  }

  // Rank 0 (or the only process): hands out runs, launches its own, keeps the index.
  std::size_t next = 0;
  int finished_workers = 0;
  std::size_t done = 0, failed = 0;
  for (const auto& r : rows) done += r.status == "done" ? 1 : 0;
  // The index is rewritten after each start and end of a run, but for a large sweep at most
  // every N/2000 seconds (capped at 5 s): a rewrite costs O(N), and the result files, not the
  // index, say which runs are complete.
  const double min_interval = std::min(5.0, static_cast<double>(plan.runs.size()) / 2000.0);
  auto last_write = std::chrono::steady_clock::now() - std::chrono::hours(1);
  bool dirty = false;
  auto save_index = [&](bool force) {
    dirty = true;
    const auto now = std::chrono::steady_clock::now();
    if (!force && std::chrono::duration<double>(now - last_write).count() < min_interval) return;
    write_index(dir, plan, rows);
    last_write = now;
    dirty = false;
  };
  auto record = [&](const Finished& f, int rank) {
    IndexRow& row = rows[f.index];
    row.status = outcome_name(f.outcome);
    row.wall_s = f.wall_s;
    row.exit_code = f.exit_code;
    row.host = hosts.at(static_cast<std::size_t>(rank));
    if (f.outcome == kOutcomeDone) ++done;
    else ++failed;
    const SweepRun& run = plan.runs[f.index];
    fmt::print(stderr, "sweep: {} {} ({}, replicate {}) in {:.1f} s{}\n", run.id, row.status, run.scenario,
               run.replicate, f.wall_s,
               f.outcome == kOutcomeDone ? "" : fmt::format(" (exit {}; log {})", f.exit_code,
                                                            (dir / "logs" / (run.id + ".log")).string()));
    save_index(false);
  };
  auto mark_running = [&](std::size_t idx, int rank) {
    rows[idx].status = "running";
    rows[idx].host = hosts.at(static_cast<std::size_t>(rank));
    save_index(false);
  };
  fmt::print(stderr, "sweep {}: {} runs, {} complete already, {} to do on {} rank(s) x {} job(s)\n", plan.name,
             plan.runs.size(), plan.runs.size() - todo.size(), todo.size(), cluster.size(), jobs);
  for (;;) {
    bool busy = false;
    int from = 0;
    std::vector<std::int64_t> m;
    while (cluster.size() > 1 && cluster.try_receive(from, m)) {
      busy = true;
      if (m.at(0) == kRequest) {
        std::int64_t idx = -1;
        if (!stopping && next < todo.size()) {
          idx = static_cast<std::int64_t>(todo[next++]);
          mark_running(static_cast<std::size_t>(idx), from);
        }
        cluster.send(from, std::vector<std::int64_t>{idx});
      } else if (m.at(0) == kDone) {
        record(Finished{static_cast<std::size_t>(m.at(1)), m.at(2), static_cast<double>(m.at(3)) / 1000.0,
                        static_cast<int>(m.at(4))},
               from);
      } else if (m.at(0) == kFinished) {
        ++finished_workers;
      }
    }
    for (const auto& f : launcher.reap()) {
      busy = true;
      record(f, 0);
    }
    if (g_sweep_signal && !stopping) {
      stopping = true;
      launcher.terminate_all();
    }
    while (!stopping && launcher.has_free_slot() && next < todo.size()) {
      mark_running(todo[next], 0);
      launcher.start(todo[next++]);
      busy = true;
    }
    if (finished_workers == cluster.size() - 1 && launcher.idle() && (stopping || next == todo.size())) break;
    if (dirty) save_index(false);
    if (!busy) pause_briefly();
  }
  // Runs never started stay pending; interrupted ones were recorded as such.
  if (stopping)
    for (std::size_t k = next; k < todo.size(); ++k) rows[todo[k]] = IndexRow{};
  save_index(true);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "sweep {}: {} of {} runs done, {} failed or interrupted, {:.1f} s; index {}\n", plan.name, done,
             plan.runs.size(), failed, wall, (dir / "index.csv").string());
  if (g_sweep_signal) return 128 + g_sweep_signal;
  return done == plan.runs.size() ? 0 : 1;
}

}  // namespace corridor
