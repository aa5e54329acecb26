// Mechanism 6, Mexican enforcement (docs/model.md §3.6). Non-Mexican parties passing a
// southern crossing or a checkpoint in a Mexican transit city are intercepted with the
// day's probability for their demographic (scenario schedules: the June 2019 deployment,
// the 19 March 2021 measures), times smuggler_interception if smuggled. Intercepted parties
// are detained, then either seek asylum in Mexico (waiting in Tapachula, later continuing
// north or settling) or are returned to their origin, from where some try again.
#include "models/corridor/corridor_model.hpp"

namespace corridor::cm {

bool CorridorModel::mexico_intercepts(const DayContext& ctx, Row& r, std::uint32_t node, RandomStream& rng,
                                      ThreadSink& sink) const {
  double p = intercept_[node * kDemographics + r.demo];
  if (r.flags & kFlagSmuggler) p *= p_.smuggler_interception;
  if (!rng.bernoulli(p)) return false;
  *r.state = kDetainedMexico;
  *r.wait_until = ctx.day + 1 + geometric_days(p_.detention_days, rng);
  if (*r.mx_interceptions < 255) ++*r.mx_interceptions;
  sink.tally.add(s_mx_apprehensions_.at(r.nationality, r.demo), r.size);
  sink.events.add(ctx.day, kEventInterception, node, r.id, r.size);
  return true;
}

void CorridorModel::mexico_release(const DayContext& ctx, Row& r, RandomStream& rng, ThreadSink& sink) const {
  if (rng.bernoulli(p_.mx_asylum_share)) {
    *r.node = asylum_node_;
    *r.state = kAsylumMexico;
    *r.wait_until = ctx.day + 1 + geometric_days(p_.mx_asylum_wait_days, rng);
    sink.tally.add(s_mx_asylum_.at(r.nationality, r.demo), r.size);
    sink.events.add(ctx.day, kEventAsylumMexico, asylum_node_, r.id, r.size);
    return;
  }
  sink.tally.add(s_mx_returns_.at(r.nationality, r.demo), r.size);
  sink.events.add(ctx.day, kEventReturn, origin_node_[r.origin], r.id, r.size);
  go_home_or_retry(ctx, r, p_.mx_retry_share, p_.mx_retry_delay_days, rng, sink);
}

}  // namespace corridor::cm
