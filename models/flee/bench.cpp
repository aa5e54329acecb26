#include "models/flee/bench.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "models/flee/flee_model.hpp"
#include "models/flee/load_case.hpp"
#include "models/flee/synthetic.hpp"
#include "models/registry.hpp"
#include "sim/engine.hpp"
#include "sim/runner.hpp"

namespace corridor::flee {

namespace {

void describe(BenchReport& report, const std::string& name, const BenchRequest& r, double reference,
              std::size_t locations) {
  const RunStats& s = report.stats;
  report.title = fmt::format("model=flee case={} locations={} days={} agents={} threads={}", name, locations, s.days,
                             s.agents, r.threads);
  if (reference <= 0) return;  // no reference figure for this case
  report.figures.emplace_back("reference_agent_steps_per_s", fmt::format("{:.0f}", reference));
  report.figures.emplace_back("speedup_vs_reference", fmt::format("{:.1f}", s.agent_steps_per_s() / reference));
}

int awareness_level(const BenchRequest& r) {
  const auto it = r.options.find("--awareness");
  if (it == r.options.end()) return 1;
  int level = -1;
  try {
    level = std::stoi(it->second);
  } catch (const std::exception&) {
  }
  if (level < 0 || level > 6)
    throw InputError(fmt::format("--awareness: expected an awareness level 0 to 6, got '{}'", it->second));
  return level;
}

}  // namespace

double reference_steps_per_s(const std::string& scenario_name) {
  // docs/flee.md §7 (from docs/flee-rules.md): the reference implementation on each published case.
  if (scenario_name == "mali2012") return 2.3e5;
  if (scenario_name == "ethiopia2020" || scenario_name == "ssudan2014") return 3e5;
  if (scenario_name == "syria2013") return 6e5;
  return 0;
}

BenchReport run_bench(const BenchRequest& r) {
  BenchReport report;
  if (!r.scenario.empty()) {
    // A real scenario, loaded and run exactly as `corridor run` does.
    std::vector<std::string> overrides{fmt::format("seed={}", r.seed), "output.agents=false",
                                       fmt::format("output.events={}", r.events ? "true" : "false")};
    auto ls = load_scenario(models::registry(), r.scenario, overrides);
    {
      RunOutput output(r.out, ls->scenario, *ls->network, RunInfo{ls->doc.effective_yaml(), r.threads, 1});
      RunOptions ro;
      ro.threads = r.threads;
      ro.events = r.events;
      ro.write_agents = false;
      report.stats = ls->runner->run(ro, &output);
      output.finish(report.stats);
    }
    describe(report, ls->scenario.name, r, reference_steps_per_s(ls->scenario.name), ls->network->node_count());
  } else {
    const int awareness = awareness_level(r);
    FleeCase c = make_synthetic_case(r.nodes, r.agents, r.seed, awareness);
    const Network net = build_network(c);
    Scenario sc;
    sc.name = "flee_synthetic";
    sc.model = "flee";
    sc.seed = r.seed;
    sc.calendar.start = Date::from_ymd(2020, 1, 1);
    sc.calendar.end = sc.calendar.start.plus_days(r.days - 1);
    sc.output.events = r.events;
    sc.output.agents = false;
    FleeModel model(std::move(c), net, sc.calendar);
    RunOptions ro;
    ro.threads = r.threads;
    ro.write_agents = false;
    ro.events = r.events;
    Engine<FleeModel> engine(sc, model, ro);
    {
      RunOutput output(r.out, sc, net, RunInfo{"# synthetic flee benchmark\n", r.threads, 1});
      report.stats = engine.run(&output);
      output.finish(report.stats);
    }
    describe(report, fmt::format("synthetic_grid_awareness{}", awareness), r, kReferenceSyntheticStepsPerS,
             net.node_count());
    report.figures.emplace_back("paths", std::to_string(model.paths().size()));
  }
  if (!r.keep) {
    std::error_code ec;
    std::filesystem::remove(FleeModel::out_csv_path(r.out), ec);
  }
  return report;
}

}  // namespace corridor::flee
