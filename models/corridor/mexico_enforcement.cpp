// Mechanism 6, Mexican enforcement (docs/model.md §3.6). Non-Mexican parties passing a
// southern crossing or a checkpoint in a Mexican transit city are intercepted with the
// day's probability for their demographic (scenario schedules: the June 2019 deployment,
// the 19 March 2021 measures), times smuggler_interception if smuggled. Intercepted parties
// are detained, then either seek asylum in Mexico (waiting in Tapachula, later continuing
// north or settling) or are returned to their origin, from where some try again.
#include "models/corridor/corridor_model.hpp"

namespace corridor::cm {

bool CorridorModel::mexico_intercepts(const DayContext& ctx, const Party& p, std::uint32_t node, RandomStream& rng,
                                      ThreadSink& sink) const {
  double prob = intercept_[node * kDemographics + p.demo];
  prob *= smuggling_.interception_factor(p.smuggled);
  if (!rng.bernoulli(prob)) return false;
  p.state() = kDetainedMexico;
  p.wait_until() = ctx.day + 1 + geometric_days(p_.detention_days, rng);
  if (p.mx_interceptions() < 255) ++p.mx_interceptions();
  sink.tally.add(s_mx_apprehensions_.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventInterception, node, p.id, p.size);
  return true;
}

void CorridorModel::mexico_release(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  if (rng.bernoulli(p_.mx_asylum_share)) {
    p.node() = roles_.asylum_node();
    p.state() = kAsylumMexico;
    p.wait_until() = ctx.day + 1 + geometric_days(p_.mx_asylum_wait_days, rng);
    sink.tally.add(s_mx_asylum_.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventAsylumMexico, roles_.asylum_node(), p.id, p.size);
    return;
  }
  sink.tally.add(s_mx_returns_.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventReturn, roles_.origin_node(p.origin), p.id, p.size);
  departures_.go_home_or_retry(ctx, p, p_.mx_retry_share, p_.mx_retry_delay_days, rng, sink);
}

}  // namespace corridor::cm
