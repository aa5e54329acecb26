#include "models/flee/bench.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

#include "models/flee/flee_model.hpp"
#include "models/flee/load_case.hpp"
#include "models/flee/synthetic.hpp"
#include "sim/engine.hpp"
#include "sim/runner.hpp"

namespace corridor::flee {

namespace {

std::uint64_t peak_rss() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

void report(const std::string& name, const RunStats& s, double reference, int threads, std::size_t locations) {
  fmt::print("model=flee case={} locations={} days={} agents={} threads={}\n", name, locations, s.days, s.agents,
             threads);
  fmt::print("agent_steps={}\n", s.agent_steps);
  fmt::print("seconds={:.3f}\n", s.seconds);
  fmt::print("agent_steps_per_s={:.0f}\n", s.agent_steps_per_s());
  if (reference > 0) {
    fmt::print("reference_agent_steps_per_s={:.0f}\n", reference);
    fmt::print("speedup_vs_reference={:.1f}\n", s.agent_steps_per_s() / reference);
  }
  fmt::print("peak_rss_bytes={}\n", peak_rss());
}

}  // namespace

double reference_steps_per_s(const std::string& scenario_name) {
  // RULES.md "Reference figures for Mali 2012" and "More published cases".
  if (scenario_name == "mali2012") return 2.3e5;
  if (scenario_name == "ethiopia2020" || scenario_name == "ssudan2014") return 3e5;
  if (scenario_name == "syria2013") return 6e5;
  return 0;
}

int run_flee_bench(const FleeBenchOptions& o) {
  const bool keep = !o.out.empty();
  const std::filesystem::path out =
      keep ? std::filesystem::path(o.out)
           : std::filesystem::temp_directory_path() / fmt::format("corridor-flee-bench-{}.h5", ::getpid());
  RunStats stats;
  if (!o.scenario.empty()) {
    // A real scenario, loaded and run exactly as `corridor run` does.
    std::vector<std::string> overrides{fmt::format("seed={}", o.seed), "output.agents=false",
                                       fmt::format("output.events={}", o.events ? "true" : "false")};
    auto ls = load_scenario(o.scenario, overrides);
    {
      RunOutput output(out, ls->scenario, *ls->network, RunInfo{ls->doc.effective_yaml(), o.threads, 1});
      RunOptions ro;
      ro.threads = o.threads;
      ro.events = o.events;
      ro.write_agents = false;
      stats = ls->runner->run(ro, &output);
      output.finish(stats);
    }
    report(ls->scenario.name, stats, reference_steps_per_s(ls->scenario.name), o.threads, ls->network->node_count());
  } else {
    FleeCase c = make_synthetic_case(o.locations, o.agents, o.seed, o.awareness_level);
    const Network net = build_network(c);
    Scenario sc;
    sc.name = "flee_synthetic";
    sc.model = "flee";
    sc.seed = o.seed;
    sc.calendar.start = Date::from_ymd(2020, 1, 1);
    sc.calendar.end = sc.calendar.start.plus_days(o.days - 1);
    sc.output.events = o.events;
    sc.output.agents = false;
    FleeModel model(std::move(c), net, sc.calendar);
    EngineOptions eo;
    eo.threads = o.threads;
    eo.write_agents = false;
    eo.events = o.events;
    Engine<FleeModel> engine(sc, model, eo);
    {
      RunOutput output(out, sc, net, RunInfo{"# synthetic flee benchmark\n", o.threads, 1});
      stats = engine.run(&output);
      output.finish(stats);
    }
    report(fmt::format("synthetic_grid_awareness{}", o.awareness_level), stats, kReferenceSyntheticStepsPerS,
           o.threads, net.node_count());
    fmt::print("paths={}\n", model.paths().size());
  }
  if (keep) {
    fmt::print("out={}\n", out.string());
  } else {
    std::error_code ec;
    std::filesystem::remove(out, ec);
    std::filesystem::remove(FleeModel::out_csv_path(out), ec);
  }
  return 0;
}

}  // namespace corridor::flee
