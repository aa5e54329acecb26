#include "sim/run.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "sim/checkpoint.hpp"
#include "sim/cluster.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"
#include "sim/stop_signal.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

/// --stop-after-day reached: the checkpoint is written, the run ends without a result.
struct StoppedAfterDay {};

struct Loaded {
  std::unique_ptr<LoadedScenario> scenario;
  std::unique_ptr<CheckpointReader> restart;
  std::string scenario_file;  ///< absolute, for checkpoints (empty: not restartable)
  std::vector<std::string> overrides;
};

/// Everything is loaded and checked before the output file is created.
Loaded load(const ModelRegistry& models, const RunRequest& r) {
  Loaded l;
  l.overrides = r.overrides;
  if (r.seed) l.overrides.push_back(fmt::format("seed={}", *r.seed));
  if (!r.restart.empty()) {
    if (!r.scenario.empty() || !r.overrides.empty() || r.seed || r.imported)
      throw InputError("--restart continues the checkpoint's own scenario: give no scenario file, --set, --seed or "
                       "import options with it");
    l.restart = std::make_unique<CheckpointReader>(r.restart);
    const CheckpointProvenance& prov = l.restart->provenance();
    l.scenario_file = prov.scenario_file;
    l.overrides = prov.overrides;
    l.scenario = load_scenario(models, fs::path(l.scenario_file), l.overrides);
    if (l.scenario->doc.effective_yaml() != prov.effective_yaml)
      throw InputError(fmt::format("checkpoint {}: the scenario {} (with its --set overrides) changed since the "
                                   "checkpoint was written; a restart needs the very same scenario",
                                   r.restart.string(), l.scenario_file));
  } else if (r.imported) {
    if (!r.scenario.empty()) throw InputError("give either a scenario file or a model's import options, not both");
    l.scenario = load_scenario(models, ScenarioDoc::from_text(r.imported->yaml, r.imported->name), l.overrides);
  } else {
    if (r.scenario.empty()) throw InputError("a scenario file (or a model's import options, e.g. --flee) is required");
    l.scenario = load_scenario(models, r.scenario, l.overrides);
    std::error_code ec;
    l.scenario_file = fs::absolute(r.scenario, ec).lexically_normal().string();
  }
  return l;
}

}  // namespace

int run_scenario(const ModelRegistry& models, const RunRequest& r) {
  Cluster& cluster = world();
  const bool multi = cluster.size() > 1;
  Loaded l = load(models, r);
  const LoadedScenario& ls = *l.scenario;
  const Scenario& sc = ls.scenario;
  const CheckpointReader* restart = l.restart.get();
  const fs::path out = !r.out.empty() ? r.out
                       : restart     ? fs::path(restart->provenance().output)
                                     : fs::path("results") / (sc.name + ".h5");
  const int threads = default_threads(r.threads, cluster);
  const int checkpoint_every =
      r.checkpoint_every >= 0 ? r.checkpoint_every : (restart ? restart->provenance().checkpoint_every : 0);
  const bool checkpoints = checkpoint_every > 0 || r.stop_after_day >= 0;
  fs::path checkpoint_path = r.checkpoint;
  if (checkpoint_path.empty()) {
    checkpoint_path = out;
    checkpoint_path += ".ckpt";
  }
  if (checkpoints && r.imported)
    throw InputError("--checkpoint-every/--stop-after-day need a scenario file (an imported case cannot be restarted)");
  if (r.stop_after_day >= sc.calendar.days())
    throw InputError(fmt::format("--stop-after-day {}: the run has only days 0 to {}", r.stop_after_day,
                                 sc.calendar.days() - 1));
  if (restart && restart->engine_state().next_day >= sc.calendar.days())
    throw InputError(fmt::format("checkpoint {}: it is at the end of the run already", r.restart.string()));

  // Only rank 0 writes the result; a failure to create it (e.g. an unwritable --out) stops every rank.
  const RunInfo info{ls.doc.effective_yaml(), threads, cluster.size()};
  std::unique_ptr<RunOutput> output;
  on_root_or_fail_together(cluster, [&] {
    output = restart ? RunOutput::resume(out, sc, restart->path(), restart->engine_state().next_day, info)
                     : std::make_unique<RunOutput>(out, sc, *ls.network, info);
  });

  Progress progress(!r.quiet && cluster.root(), restart ? restart->engine_state().next_day : 0,
                    restart ? restart->engine_state().agent_steps : 0);
  RunOptions opt;
  opt.threads = threads;
  opt.events = sc.output.events;
  opt.write_agents = sc.output.agents;
  opt.cluster = multi ? &cluster : nullptr;
  if (checkpoints) {
    opt.checkpoint_every = checkpoint_every;
    opt.checkpoint_path = checkpoint_path;
    opt.stop_after_day = r.stop_after_day;
    opt.provenance = CheckpointProvenance{l.scenario_file, l.overrides, fs::absolute(out).string(),
                                          ls.doc.effective_yaml(), checkpoint_every};
  }
  opt.restart = restart;
  // Ctrl-C or a batch system's SIGTERM ends the run at the end of the day: the temporary
  // output is removed (RunOutput's destructor) and nothing looks complete. With checkpoints
  // on, a checkpoint of that day is written first, to restart from.
  install_stop_handlers();
  opt.stop_signal = stop_signal;
  opt.on_stop = [&](int sig, bool checkpointed) {
    progress.clear();
    if (cluster.root() && checkpointed)
      fmt::print(stderr, "checkpoint written: {} (continue with: corridor run --restart {})\n",
                 checkpoint_path.string(), checkpoint_path.string());
    if (sig == 0) throw StoppedAfterDay{};
    throw Interrupted(sig);
  };
  opt.on_day = [&](const DayContext& ctx, std::uint64_t active, std::uint64_t steps) {
    progress.update(ctx.date.iso(), ctx.day, ctx.days, active, steps);
  };
  RunStats stats;
  try {
    stats = ls.runner->run(opt, output.get());
  } catch (const StoppedAfterDay&) {
    if (cluster.root())
      fmt::print(stderr, "stopped after day {} as asked (--stop-after-day); no result written\n", r.stop_after_day);
    return 0;
  } catch (const Interrupted&) {
    throw;  // every rank stops on the same day (the engine agrees on it), nobody waits
  } catch (const InputError&) {
    // Found alike by every rank from the same inputs (a model that cannot be partitioned, a
    // checkpoint of another model), before any of them waits for the others.
    throw;
  } catch (const std::exception& e) {
    if (!multi) throw;
    // One rank failed while the others may be waiting in a collective: end them all.
    fmt::print(stderr, "rank {}: internal error: {}\n", cluster.rank(), e.what());
    cluster.abort(1);
  }
  if (output) output->finish(stats);
  progress.clear();
  std::error_code ec;
  const bool restarted_from_own = restart && fs::equivalent(restart->path(), checkpoint_path, ec);
  if (cluster.root() && (checkpoints || restarted_from_own)) {
    // The result is complete: the run's checkpoint has served its purpose.
    fs::remove(checkpoint_path, ec);
  }
  if (cluster.root())
    fmt::print(stderr,
               "summary: days={} agents={} agent_steps={} seconds={:.3f} agent_steps_per_s={:.0f}{} out={}\n",
               stats.days, stats.agents, stats.agent_steps, stats.seconds, stats.agent_steps_per_s(),
               multi ? fmt::format(" ranks={} reduce_seconds={:.3f} gather_seconds={:.3f}", cluster.size(),
                                   stats.reduce_seconds, stats.gather_seconds)
                     : std::string(),
               out.string());
  return 0;
}

}  // namespace corridor
