#include "models/flee/movement.hpp"

#include <algorithm>
#include <cmath>

#include "models/flee/case.hpp"
#include "models/flee/first_draws.hpp"
#include "sim/rng.hpp"

namespace corridor::flee {

namespace {
constexpr std::uint64_t kAlways = std::uint64_t{1} << 32;
// Budget left below this share of a day (floating-point residue of km / speed) counts as none.
constexpr double kNoBudget = 1e-9;

/// Agent i's day: decisions, path draws and travel (the rules in movement.hpp's header).
inline void move_one(const MoveWorld& w, const AgentColumns& a, std::size_t i, AgentDraws& rng, int day,
                     const MoveOutput& out, ThreadSink& sink) {
  const PathSet& paths = *w.paths;
  double budget = 1.0;  // share of the day left
  int arrivals = 0;
  bool travelling = a.state[i] == kTravelling;
  for (;;) {
    if (!travelling) {
      // At a location: follow the plan, or decide whether and where to go.
      const std::uint32_t here = a.node[i];
      std::uint32_t next = kNone;
      std::uint32_t plan = a.path[i];
      if (plan != kNone) {
        const std::uint32_t arc = paths.arc(plan, a.hop[i]);
        if (w.arc_closed[arc] || w.drop_plan_to[paths.dest(plan)]) {
          plan = a.path[i] = kNone;
        } else {
          next = arc;
        }
      }
      if (next == kNone) {
        const std::uint64_t thr = w.move_threshold[here];
        if (thr == 0 || (thr < kAlways && rng.next_u32() >= thr)) break;  // stays today
        plan = w.routes->draw(paths, here, rng.uniform());
        if (plan == kNone) break;  // nowhere open to go
        a.path[i] = plan;
        a.hop[i] = 0;
        next = paths.arc(plan, 0);
      }
      // Step onto the link; the plan keeps only what lies beyond it.
      const std::uint8_t h = static_cast<std::uint8_t>(a.hop[i] + 1);
      if (h >= paths.length(plan)) {
        a.path[i] = kNone;
      } else {
        a.hop[i] = h;
      }
      a.arc[i] = next;
      a.link_km[i] = 0.0f;
      a.state[i] = kTravelling;
      travelling = true;
      sink.events.add(day, out.ev_depart, here, a.id[i], w.arcs[next].to);
      out.edge_flows.start(sink.tally, w.arcs[next], 1);
    }
    // On a link: spend the budget left.
    const std::uint32_t arc = a.arc[i];
    const Arc& link = w.arcs[arc];
    const double speed = (w.start_on_foot && a.links[i] == 0) ? w.walk_speed : w.arc_speed[arc];
    const double left_km = link.km - static_cast<double>(a.link_km[i]);
    const double reach_km = speed * budget;
    if (left_km > reach_km) {
      a.link_km[i] = static_cast<float>(static_cast<double>(a.link_km[i]) + reach_km);
      break;  // still on the link tonight
    }
    budget -= left_km / speed;
    if (a.links[i] < 0xFFFF) ++a.links[i];
    a.arc[i] = kNone;
    a.link_km[i] = 0.0f;
    a.state[i] = kAtLocation;
    travelling = false;
    if (w.arc_closed[arc]) {
      // Closed while the agent was on it: finished, then sent back to its start.
      a.node[i] = link.from;
      a.path[i] = kNone;
      sink.events.add(day, out.ev_return, link.from, a.id[i], link.to);
      break;
    }
    a.node[i] = link.to;
    sink.events.add(day, out.ev_arrive, link.to, a.id[i], link.from);
    if (budget <= kNoBudget || ++arrivals >= kMaxLinksPerDay) break;
  }
}

}  // namespace

std::uint64_t move_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return kAlways;
  return static_cast<std::uint64_t>(std::ldexp(p, 32));
}

void move_agents(const MoveWorld& w, const AgentColumns& a, std::size_t begin, std::size_t end, std::uint64_t seed,
                 int day, const MoveOutput& out, ThreadSink& sink) {
  std::int64_t* occ = sink.tally.data() + out.occupancy.offset;
  std::int64_t& transit = sink.tally[out.transit.offset];
  const auto uday = static_cast<std::uint32_t>(day);
  // Every agent's first number of the day, a batch at a time (first_draws.hpp): for an agent
  // sitting in a camp it is the only one.
  constexpr std::size_t kBatch = 256;
  std::uint32_t first[kBatch];
  for (std::size_t batch = begin; batch < end; batch += kBatch) {
    const std::size_t n = std::min(kBatch, end - batch);
    first_draws(a.id + batch, n, seed, uday, kMovePurpose, first);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = batch + k;
      if (a.state[i] == kAtLocation && a.path[i] == kNone) {
        // The common case, decided here without a stream: no plan, and the first number says stay.
        const std::uint32_t here = a.node[i];
        const std::uint64_t thr = w.move_threshold[here];
        if (thr == 0 || (thr < kAlways && first[k] >= thr)) {
          ++occ[here];
          continue;
        }
      }
      AgentDraws rng(first[k], seed, a.id[i], uday, kMovePurpose);
      move_one(w, a, i, rng, day, out, sink);
      if (a.state[i] == kTravelling) {
        ++transit;
      } else {
        ++occ[a.node[i]];
      }
    }
  }
}

}  // namespace corridor::flee
