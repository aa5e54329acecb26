#include <fmt/format.h>
#include <omp.h>

#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"

namespace corridor {

int run_command(const RunArgs& args) {
  std::vector<std::string> overrides = args.overrides;
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));
  // Everything is loaded and checked before the output file is created.
  auto ls = load_scenario(args.scenario, overrides);
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
  opt.on_day = [&](const DayContext& ctx, std::uint64_t active, std::uint64_t steps) {
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
