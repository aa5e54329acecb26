#include <fmt/format.h>
#include <omp.h>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <optional>

#include "models/flee/flee_scenario.hpp"
#include "sim/checkpoint.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"

namespace corridor {

namespace {
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

/// --stop-after-day reached: the checkpoint is written, the run ends without a result.
struct StoppedAfterDay {};
}  // namespace

Interrupted::Interrupted(int sig) : std::runtime_error("interrupted by signal " + std::to_string(sig)), signal(sig) {}

int run_command(const RunArgs& args) {
  Cluster& cluster = world();
  const bool multi = cluster.size() > 1;
  std::vector<std::string> overrides = args.overrides;
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));
  // Everything is loaded and checked before the output file is created.
  std::unique_ptr<LoadedScenario> ls;
  std::unique_ptr<CheckpointReader> restart;
  std::string scenario_file;
  if (!args.restart.empty()) {
    if (!args.scenario.empty() || !args.overrides.empty() || args.seed || !args.flee_input.empty())
      throw InputError("--restart continues the checkpoint's own scenario: give no scenario file, --set, --seed or "
                       "--flee with it");
    restart = std::make_unique<CheckpointReader>(args.restart);
    const CheckpointProvenance& prov = restart->provenance();
    scenario_file = prov.scenario_file;
    overrides = prov.overrides;
    ls = load_scenario(scenario_file, overrides);
    if (ls->doc.effective_yaml() != prov.effective_yaml)
      throw InputError(fmt::format("checkpoint {}: the scenario {} (with its --set overrides) changed since the "
                                   "checkpoint was written; a restart needs the very same scenario",
                                   args.restart, scenario_file));
  } else if (!args.flee_input.empty()) {
    if (!args.scenario.empty()) throw InputError("give either a scenario file or --flee, not both");
    if (args.flee_data.empty()) throw InputError("--flee needs --flee-data (the validation folder with data_layout.csv)");
    std::optional<std::filesystem::path> settings;
    if (!args.flee_settings.empty()) settings = args.flee_settings;
    const std::string yaml = flee::scenario_yaml_for_folders(args.flee_input, args.flee_data, settings, args.flee_strict);
    ls = load_scenario(ScenarioDoc::from_text(yaml, "<--flee " + args.flee_input + ">"), overrides);
  } else {
    if (!args.flee_data.empty() || !args.flee_settings.empty() || args.flee_strict)
      throw InputError("--flee-data, --flee-settings and --flee-strict go with --flee (a scenario file sets flee.strict)");
    if (args.scenario.empty()) throw InputError("a scenario file (or --flee INPUT_DIR --flee-data DIR) is required");
    ls = load_scenario(args.scenario, overrides);
    std::error_code ec;
    scenario_file = std::filesystem::absolute(args.scenario, ec).lexically_normal().string();
  }
  const Scenario& sc = ls->scenario;
  const std::filesystem::path out = !args.out.empty() ? std::filesystem::path(args.out)
                                    : restart         ? std::filesystem::path(restart->provenance().output)
                                                      : std::filesystem::path("results") / (sc.name + ".h5");
  // Ranks on one machine share its cores.
  const int threads = args.threads > 0 ? args.threads : std::max(1, omp_get_max_threads() / cluster.local_size());
  const int checkpoint_every =
      args.checkpoint_every >= 0 ? args.checkpoint_every : (restart ? restart->provenance().checkpoint_every : 0);
  const bool checkpoints = checkpoint_every > 0 || args.stop_after_day >= 0;
  std::filesystem::path checkpoint_path = args.checkpoint;
  if (checkpoint_path.empty()) {
    checkpoint_path = out;
    checkpoint_path += ".ckpt";
  }
  if (checkpoints && !args.flee_input.empty())
    throw InputError("--checkpoint-every/--stop-after-day need a scenario file (a --flee run cannot be restarted)");
  if (args.stop_after_day >= sc.calendar.days())
    throw InputError(fmt::format("--stop-after-day {}: the run has only days 0 to {}", args.stop_after_day,
                                 sc.calendar.days() - 1));
  if (restart && restart->engine_state().next_day >= sc.calendar.days())
    throw InputError(fmt::format("checkpoint {}: it is at the end of the run already", args.restart));

  // Only rank 0 writes the result. A failure to create it (e.g. an unwritable --out) is
  // shared with every rank, so that all of them stop with the same message.
  const RunInfo info{ls->doc.effective_yaml(), threads, cluster.size()};
  std::unique_ptr<RunOutput> output;
  std::string setup_error;
  if (cluster.root()) {
    try {
      output = restart ? RunOutput::resume(out, sc, restart->path(), restart->engine_state().next_day, info)
                       : std::make_unique<RunOutput>(out, sc, *ls->network, info);
    } catch (const InputError& e) {
      if (!multi) throw;
      setup_error = e.what();
    }
  }
  if (multi) {
    const auto bytes = cluster.broadcast(std::as_bytes(std::span<const char>(setup_error.data(), setup_error.size())));
    if (!bytes.empty()) throw InputError(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }

  Progress progress(!args.quiet && cluster.root());
  RunOptions opt;
  opt.threads = threads;
  opt.events = sc.output.events;
  opt.write_agents = sc.output.agents;
  opt.cluster = multi ? &cluster : nullptr;
  if (checkpoints) {
    opt.checkpoint_every = checkpoint_every;
    opt.checkpoint_path = checkpoint_path;
    opt.stop_after_day = args.stop_after_day;
    opt.provenance = CheckpointProvenance{scenario_file, overrides, std::filesystem::absolute(out).string(),
                                          ls->doc.effective_yaml(), checkpoint_every};
  }
  opt.restart = restart.get();
  // Ctrl-C or a batch system's SIGTERM ends the run at the end of the day: the temporary
  // output is removed (RunOutput's destructor) and nothing looks complete. With checkpoints
  // on, a checkpoint of that day is written first, to restart from.
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  opt.stop_signal = [] { return static_cast<int>(g_stop_signal); };
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
    stats = ls->runner->run(opt, output.get());
  } catch (const StoppedAfterDay&) {
    if (cluster.root())
      fmt::print(stderr, "stopped after day {} as asked (--stop-after-day); no result written\n", args.stop_after_day);
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
  const bool restarted_from_own = restart && std::filesystem::equivalent(restart->path(), checkpoint_path, ec);
  if (cluster.root() && (checkpoints || restarted_from_own)) {
    // The result is complete: the run's checkpoint has served its purpose.
    std::filesystem::remove(checkpoint_path, ec);
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
