#include <fmt/format.h>
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

#include "models/flee/bench.hpp"
#include "models/markov/synthetic.hpp"
#include "sim/cli/commands.hpp"
#include "sim/engine.hpp"

namespace corridor {

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

int bench_command(const BenchArgs& a) {
  const int threads = a.threads > 0 ? a.threads : omp_get_max_threads();
  if (a.model == "flee")
    return flee::run_flee_bench(flee::FleeBenchOptions{a.scenario, a.nodes, a.agents, a.days, threads, a.seed,
                                                       a.awareness, a.events, a.out});
  // The same code paths as a real run: the model, the engine and the HDF5 series output.
  markov::SyntheticCase c = markov::make_synthetic(a.nodes, a.agents, a.days, a.seed);
  c.scenario.output.events = a.events;
  c.scenario.output.agents = false;
  const bool keep = !a.out.empty();
  const std::filesystem::path out =
      keep ? std::filesystem::path(a.out)
           : std::filesystem::temp_directory_path() / fmt::format("corridor-bench-{}.h5", ::getpid());
  markov::MarkovModel model(c.spec, c.network, c.scenario.calendar);
  Engine<markov::MarkovModel> engine(c.scenario, model, EngineOptions{threads, false, a.events, {}, {}});
  RunStats stats;
  {
    RunOutput output(out, c.scenario, c.network, RunInfo{"# synthetic benchmark\n", threads, 1});
    stats = engine.run(&output);
    output.finish(stats);
  }
  const std::uint64_t rss = peak_rss_bytes();
  fmt::print("model={} agents={} days={} nodes={} edges={} threads={} events={}\n", a.model, a.agents, a.days,
             c.network.node_count(), c.network.edge_count(), threads, a.events ? 1 : 0);
  fmt::print("agent_steps={}\n", stats.agent_steps);
  fmt::print("seconds={:.3f}\n", stats.seconds);
  fmt::print("agent_steps_per_s={:.0f}\n", stats.agent_steps_per_s());
  fmt::print("peak_rss_bytes={}\n", rss);
  fmt::print("bytes_per_agent={:.1f}\n", static_cast<double>(rss) / static_cast<double>(a.agents));
  fmt::print("store_bytes_per_agent={}\n", engine.store().bytes_per_row());
  if (keep) fmt::print("out={}\n", out.string());
  else std::filesystem::remove(out);
  return 0;
}

}  // namespace corridor
