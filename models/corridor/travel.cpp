// Mechanism 5, travel (docs/model.md §3.5): a party moves along its chosen route at the speed
// of each edge's mode (faster with a smuggler), with a budget of one day per day shared
// across edges. At each stop it may be intercepted (mechanism 6) and rests for a geometric
// number of days (mean by kind of place, shorter with a smuggler); at the end of the route it
// waits in the border city before attempting to cross (mechanism 7).
#include "models/corridor/corridor_model.hpp"

namespace corridor::cm {

void CorridorModel::travel(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  const auto nodes = route_choice_.route_nodes(p.route());
  const auto arcs = route_choice_.route_arcs(p.route());
  const double speed_factor = smuggling_.speed_factor(p.smuggled);
  double budget = 1.0;  // days of travel left today
  while (p.hop() + 1u < nodes.size()) {
    const std::uint32_t a = arcs[p.hop()];
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
      sink.tally.add(s_border_arrivals_.at(p.nationality), p.size);
      sink.tally.add(s_transit_days_.at(p.nationality), static_cast<std::int64_t>(p.size) * (ctx.day - p.trip_start()));
      return;
    }
    if (p.nationality != kMexico && roles_.interception_point(at) != InterceptionPoint::kNone && mexico_intercepts(ctx, p, at, rng, sink)) return;
    const std::int32_t rest = geometric_days(stop_mean_[at] / speed_factor, rng);
    if (rest > 0) {
      p.wait_until() = ctx.day + rest;
      return;
    }
  }
}

}  // namespace corridor::cm
