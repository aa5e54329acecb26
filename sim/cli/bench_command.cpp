#include <fmt/format.h>
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include "models/flee/bench.hpp"
#include "models/markov/synthetic.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/engine.hpp"

namespace corridor {

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

int bench_command(const BenchArgs& a) {
  Cluster& cluster = world();
  const bool multi = cluster.size() > 1;
  // Ranks on one machine share its cores.
  const int threads = a.threads > 0 ? a.threads : std::max(1, omp_get_max_threads() / cluster.local_size());
  if (a.model == "flee") {
    if (multi) throw InputError("corridor bench --model flee runs on one rank (the flee model cannot be partitioned yet)");
    return flee::run_flee_bench(flee::FleeBenchOptions{a.scenario, a.nodes, a.agents, a.days, threads, a.seed,
                                                       a.awareness, a.events, a.out});
  }
  // The same code paths as a real run: the model, the engine and the HDF5 series output.
  // Under mpirun the agents are partitioned over the ranks as in `corridor run` (docs/hpc.md).
  markov::SyntheticCase c = markov::make_synthetic(a.nodes, a.agents, a.days, a.seed);
  c.scenario.output.events = a.events;
  c.scenario.output.agents = false;
  const bool keep = !a.out.empty();
  const std::filesystem::path out =
      keep ? std::filesystem::path(a.out)
           : std::filesystem::temp_directory_path() / fmt::format("corridor-bench-{}.h5", ::getpid());
  markov::MarkovModel model(c.spec, c.network, c.scenario.calendar);
  EngineOptions eo{threads, false, a.events, {}, {}};
  eo.cluster = multi ? &cluster : nullptr;
  Engine<markov::MarkovModel> engine(c.scenario, model, std::move(eo));
  RunStats stats;
  {
    std::unique_ptr<RunOutput> output;
    if (cluster.root())
      output = std::make_unique<RunOutput>(out, c.scenario, c.network,
                                           RunInfo{"# synthetic benchmark\n", threads, cluster.size()});
    stats = engine.run(output.get());
    if (output) output->finish(stats);
  }
  // The day's exchange alone (no stepping, so no waiting for a slower rank): an Allreduce of
  // the same length as the engine's, 10 times to warm up, then timed 200 times; the median
  // is the call's cost (a mean would mostly measure the other work preempting a rank).
  double allreduce_us = 0, allreduce_mean_us = 0;
  const std::size_t cells = engine.setup().series.cells() + 4;
  if (multi) {
    std::vector<std::int64_t> buf(cells, 1);
    for (int k = 0; k < 10; ++k) cluster.allreduce_sum(buf.data(), buf.size());
    std::vector<double> us;
    for (int k = 0; k < 200; ++k) {
      cluster.barrier();
      const auto t0 = std::chrono::steady_clock::now();
      cluster.allreduce_sum(buf.data(), buf.size());
      us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    for (double u : us) allreduce_mean_us += u / static_cast<double>(us.size());
    std::nth_element(us.begin(), us.begin() + static_cast<std::ptrdiff_t>(us.size() / 2), us.end());
    allreduce_us = us[us.size() / 2];
  }
  const std::uint64_t rss = peak_rss_bytes();
  if (!cluster.root()) return 0;
  fmt::print("model={} agents={} days={} nodes={} edges={} threads={} events={}\n", a.model, a.agents, a.days,
             c.network.node_count(), c.network.edge_count(), threads, a.events ? 1 : 0);
  fmt::print("agent_steps={}\n", stats.agent_steps);
  fmt::print("seconds={:.3f}\n", stats.seconds);
  fmt::print("agent_steps_per_s={:.0f}\n", stats.agent_steps_per_s());
  fmt::print("peak_rss_bytes={}\n", rss);
  fmt::print("bytes_per_agent={:.1f}\n", static_cast<double>(rss) / static_cast<double>(a.agents));
  fmt::print("store_bytes_per_agent={}\n", engine.store().bytes_per_row());
  if (multi) {
    fmt::print("ranks={}\n", cluster.size());
    fmt::print("reduce_seconds={:.4f}\n", stats.reduce_seconds);
    fmt::print("gather_seconds={:.4f}\n", stats.gather_seconds);
    fmt::print("allreduce_cells={}\n", cells);
    fmt::print("allreduce_us={:.1f}\n", allreduce_us);
    fmt::print("allreduce_mean_us={:.1f}\n", allreduce_mean_us);
  }
  if (keep) fmt::print("out={}\n", out.string());
  else std::filesystem::remove(out);
  return 0;
}

}  // namespace corridor
