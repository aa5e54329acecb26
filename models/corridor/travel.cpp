// Mechanism 5b, travel (docs/model.md §3.5): the rule is in travel.hpp.
#include "models/corridor/travel.hpp"

#include "models/corridor/event_kinds.hpp"

namespace corridor::cm {

void Travel::Params::declare(Declarer& d, Params& p) {
  d.module("Travel", "`Travel` in `travel.cpp`, §3.5");
  d.number("travel.speed_km_per_day.road", p.speed_road, 400, "km/day", Range::kPositive,
           "bus or car; docs/network.md (assumption)");
  d.number("travel.speed_km_per_day.foot", p.speed_foot, 25, "km/day", Range::kPositive, "walking; docs/network.md");
  d.number("travel.speed_km_per_day.train", p.speed_train, 200, "km/day", Range::kPositive,
           "freight train while riding; docs/network.md");
  d.number("travel.stop_days.crossing", p.stop_days_crossing, 3, "days (mean)", Range::kNonNegative,
           "rest at a Guatemala-Mexico crossing (geometric); assumption");
  d.number("travel.stop_days.transit", p.stop_days_transit, 4, "days (mean)", Range::kNonNegative,
           "rest at a transit city (shelters, work, waiting for a train); assumption");
  d.number("travel.border_wait_days", p.border_wait_days, 7, "days (mean)", Range::kNonNegative,
           "time in a northern border city before a crossing attempt; assumption");
}

Travel::Travel(const Params& p, const Network& net, const RouteChoice& routes, const Smuggling& smuggling,
               const MexicanEnforcement& mexico)
    : p_(p), net_(net), routes_(routes), smuggling_(smuggling), mexico_(mexico) {
  arc_speed_.resize(net.arc_count());
  for (std::uint32_t a = 0; a < net.arc_count(); ++a) {
    const std::string& mode = net.edge(net.arc(a).edge).mode;
    arc_speed_[a] = static_cast<float>(mode == "foot" ? p.speed_foot : mode == "train" ? p.speed_train : p.speed_road);
  }
  stop_mean_.assign(net.node_count(), p.stop_days_transit);
  for (std::uint32_t i = 0; i < net.node_count(); ++i)
    if (net.node(i).kind == "crossing") stop_mean_[i] = p.stop_days_crossing;
}

void Travel::declare_series(SeriesLayout& S) {
  series_.border_arrivals = S.add({"border_arrivals", "people",
                                   "people reaching a northern border city at the end of a trip", {nationality_dim()}});
  series_.transit_days = S.add({"transit_days", "person-days",
                                "sum over border_arrivals of the days their trip took (mean = transit_days / "
                                "border_arrivals)",
                                {nationality_dim()}});
}

void Travel::declare_edge_flows(SeriesLayout& S) { edge_flows_.declare(S, net_, "people"); }

void Travel::move(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  const auto nodes = routes_.route_nodes(p.route());
  const auto arcs = routes_.route_arcs(p.route());
  const double speed_factor = smuggling_.speed_factor(p.smuggled);
  double budget = 1.0;  // days of travel left today
  while (p.hop() + 1u < nodes.size()) {
    const std::uint32_t a = arcs[p.hop()];
    // A party starts along an edge when it first spends time on it; with no budget left it
    // starts tomorrow (its progress is still 0 then).
    if (p.progress() == 0 && budget > 0) edge_flows_.start(sink.tally, net_.arc(a), p.size);
    const double speed = arc_speed_[a] * speed_factor;
    const double need = (net_.arc(a).km - p.progress()) / speed;
    if (need > budget) {
      p.progress() += static_cast<float>(budget * speed);
      return;
    }
    budget -= need;
    ++p.hop();
    p.progress() = 0;
    const std::uint32_t at = nodes[p.hop()];
    p.node() = at;
    sink.events.add(ctx.day, kEventArrival, at, p.id, p.size);
    if (p.hop() + 1u == nodes.size()) {  // the border city: the trip through Mexico is over
      p.state() = kAtBorder;
      p.wait_until() = ctx.day + 1 + geometric_days(p_.border_wait_days / speed_factor, rng);
      sink.tally.add(series_.border_arrivals.at(p.nationality), p.size);
      sink.tally.add(series_.transit_days.at(p.nationality),
                     static_cast<std::int64_t>(p.size) * (ctx.day - p.trip_start()));
      return;
    }
    if (mexico_.intercepts(ctx, p, at, rng, sink)) return;
    const std::int32_t rest = geometric_days(stop_mean_[at] / speed_factor, rng);
    if (rest > 0) {
      p.wait_until() = ctx.day + rest;
      return;
    }
  }
}

}  // namespace corridor::cm
