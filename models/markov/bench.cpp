#include "models/markov/bench.hpp"

#include <fmt/format.h>

#include "models/markov/synthetic.hpp"
#include "sim/cluster.hpp"
#include "sim/engine.hpp"
#include "sim/rng_batch.hpp"

namespace corridor::markov {

BenchReport run_bench(const BenchRequest& r) {
  SyntheticCase c = make_synthetic(r.nodes, r.agents, r.days, r.seed);
  c.scenario.output.events = r.events;
  c.scenario.output.agents = false;
  MarkovModel model(c.spec, c.network, c.scenario.calendar);
  RunOptions o;
  o.threads = r.threads;
  o.write_agents = false;
  o.events = r.events;
  o.cluster = r.cluster;
  Engine<MarkovModel> engine(c.scenario, model, std::move(o));
  const bool root = !r.cluster || r.cluster->root();
  const int ranks = r.cluster ? r.cluster->size() : 1;
  BenchReport report;
  {
    std::unique_ptr<RunOutput> output;
    if (root)
      output = std::make_unique<RunOutput>(r.out, c.scenario, c.network,
                                           RunInfo{"# synthetic benchmark\n", r.threads, ranks});
    report.stats = engine.run(output.get());
    if (output) output->finish(report.stats);
  }
  report.title = fmt::format("model=markov agents={} days={} nodes={} edges={} threads={} events={}", r.agents, r.days,
                             c.network.node_count(), c.network.edge_count(), r.threads, r.events ? 1 : 0);
  report.figures.emplace_back("store_bytes_per_agent", std::to_string(engine.store().bytes_per_row()));
  report.figures.emplace_back("philox_kernel", std::string(philox_kernel_name(philox_kernel())));
  report.exchange_cells = engine.setup().series.cells() + 4;
  return report;
}

}  // namespace corridor::markov
