#include <fmt/format.h>

#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/run.hpp"
#include "sim/runner.hpp"

namespace corridor {

int validate_command(const ModelRegistry& models, const ValidateArgs& args) {
  auto ls = load_scenario(models, args.scenario, args.overrides);
  const Scenario& sc = ls->scenario;
  fmt::print("scenario: {} ({})\n", sc.name, args.scenario);
  if (!sc.description.empty()) fmt::print("description: {}\n", sc.description);
  fmt::print("model: {}\n", sc.model);
  fmt::print("period: {} to {} ({} days), seed {}\n", sc.calendar.start.iso(), sc.calendar.end.iso(),
             sc.calendar.days(), sc.seed);
  if (sc.network.given)
    fmt::print("network: {} nodes ({}), {} {} edges ({})\n", ls->network->node_count(), sc.network.nodes.string(),
               ls->network->edge_count(), ls->network->directed() ? "directed" : "undirected",
               sc.network.edges.string());
  else
    fmt::print("network: {} nodes, {} edges (built by the model from its own inputs)\n", ls->network->node_count(),
               ls->network->edge_count());
  if (!sc.network.origins.empty() || !sc.network.destinations.empty())
    fmt::print("routes: every one of {} destinations reachable from each of {} origins\n",
               sc.network.destinations.size(), sc.network.origins.size());
  fmt::print("output: events {}, agents {}, compression {}\n",
             !sc.output.events              ? "off"
             : sc.output.event_kinds.empty() ? "on (every kind)"
                                             : fmt::format("on ({})", fmt::join(sc.output.event_kinds, ", ")),
             sc.output.agents ? "on" : "off", sc.output.compression);
  for (const auto& line : ls->runner->describe()) fmt::print("{}\n", line);
  // What `corridor run` would refuse, validate refuses too (the estimate is for this machine).
  Cluster& cluster = world();
  fmt::print("{}\n", check_run_memory(*ls, default_threads(args.threads, cluster), cluster, args.no_memory_check));
  fmt::print("OK: scenario is valid\n");
  return 0;
}

}  // namespace corridor
