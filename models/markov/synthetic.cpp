#include "models/markov/synthetic.hpp"

#include <fmt/format.h>

#include <set>

namespace corridor::markov {

SyntheticCase make_synthetic(std::uint32_t nodes, std::uint64_t agents, int days, std::uint64_t seed) {
  std::vector<NodeInfo> ns(nodes);
  for (std::uint32_t i = 0; i < nodes; ++i) ns[i].id = ns[i].name = fmt::format("s{}", i);
  std::vector<EdgeInfo> es;
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (std::uint32_t i = 0; i < nodes; ++i)
    for (std::uint32_t step : {1u, 7u, 31u}) {
      const std::uint32_t j = (i + step) % nodes;
      if (i == j || !seen.insert({std::min(i, j), std::max(i, j)}).second) continue;
      es.push_back(EdgeInfo{i, j, 10.0 + step, "road"});
    }
  SyntheticCase c{Network::build(std::move(ns), std::move(es), false), {}, {}};
  for (std::uint32_t i = 0; i < nodes; ++i) {
    const auto arcs = c.network.out_arcs(i);
    for (const Arc& a : arcs)
      c.spec.transitions.push_back(Transition{i, a.to, Schedule(0.5 / static_cast<double>(arcs.size()))});
    c.spec.initial.push_back(Placement{i, agents / nodes + (i < agents % nodes ? 1 : 0)});
  }
  c.scenario.name = "bench";
  c.scenario.model = "markov";
  c.scenario.seed = seed;
  c.scenario.calendar.start = Date::from_ymd(2020, 1, 1);
  c.scenario.calendar.end = c.scenario.calendar.start.plus_days(days - 1);
  return c;
}

}  // namespace corridor::markov
