#include <fmt/format.h>
#include <omp.h>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <optional>

#include "models/flee/flee_scenario.hpp"
#include "sim/cli/commands.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"

namespace corridor {

namespace {
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }
}  // namespace

Interrupted::Interrupted(int sig) : std::runtime_error("interrupted by signal " + std::to_string(sig)), signal(sig) {}

int run_command(const RunArgs& args) {
  std::vector<std::string> overrides = args.overrides;
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));
  // Everything is loaded and checked before the output file is created.
  std::unique_ptr<LoadedScenario> ls;
  if (!args.flee_input.empty()) {
    if (!args.scenario.empty()) throw InputError("give either a scenario file or --flee, not both");
    if (args.flee_data.empty()) throw InputError("--flee needs --flee-data (the validation folder with data_layout.csv)");
    std::optional<std::filesystem::path> settings;
    if (!args.flee_settings.empty()) settings = args.flee_settings;
    const std::string yaml = flee::scenario_yaml_for_folders(args.flee_input, args.flee_data, settings);
    ls = load_scenario(ScenarioDoc::from_text(yaml, "<--flee " + args.flee_input + ">"), overrides);
  } else {
    if (!args.flee_data.empty() || !args.flee_settings.empty())
      throw InputError("--flee-data and --flee-settings go with --flee");
    if (args.scenario.empty()) throw InputError("a scenario file (or --flee INPUT_DIR --flee-data DIR) is required");
    ls = load_scenario(args.scenario, overrides);
  }
  const Scenario& sc = ls->scenario;
  const std::filesystem::path out = args.out.empty() ? std::filesystem::path("results") / (sc.name + ".h5")
                                                     : std::filesystem::path(args.out);
  const int threads = args.threads > 0 ? args.threads : omp_get_max_threads();

  RunOutput output(out, sc, *ls->network, RunInfo{ls->doc.effective_yaml(), threads, 1});
  Progress progress(!args.quiet);
  RunOptions opt;
  opt.threads = threads;
  opt.events = sc.output.events;
  opt.write_agents = sc.output.agents;
  // Ctrl-C or a batch system's SIGTERM ends the run at the end of the day: the temporary
  // output is removed (RunOutput's destructor) and nothing looks complete.
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  opt.on_day = [&](const DayContext& ctx, std::uint64_t active, std::uint64_t steps) {
    if (g_stop_signal) throw Interrupted(g_stop_signal);
    progress.update(ctx.date.iso(), ctx.day, ctx.days, active, steps);
  };
  const RunStats stats = ls->runner->run(opt, &output);
  output.finish(stats);
  progress.clear();
  fmt::print(stderr, "summary: days={} agents={} agent_steps={} seconds={:.3f} agent_steps_per_s={:.0f} out={}\n",
             stats.days, stats.agents, stats.agent_steps, stats.seconds, stats.agent_steps_per_s(), out.string());
  return 0;
}

}  // namespace corridor
