// Mechanism 6, Mexican enforcement (docs/model.md §3.6): the rule is in mexico_enforcement.hpp.
#include "models/corridor/mexico_enforcement.hpp"

#include <algorithm>

#include "models/corridor/event_kinds.hpp"
#include "models/corridor/limits.hpp"

namespace corridor::cm {

void MexicanEnforcementPolicy::declare(Declarer& d, MexicanEnforcementPolicy& p) {
  d.flag("mexico.enabled", p.enabled, true, "mechanism switch");
  d.per_demo_schedule("mexico.interception.crossing", p.crossing,
                      {"2018-10-01:0.04, 2019-06-07:0.09", "2018-10-01:0.03, 2019-06-07:0.07, 2021-03-19:0.14",
                       "2018-10-01:0.03, 2019-06-07:0.07, 2021-03-19:0.16"},
                      "probability", Range::kProbability,
                      "per passage of a southern crossing; raised by the June 2019 National Guard deployment and the "
                      "19 March 2021 measures aimed at children and families (policy_timeline.csv); levels calibrated");
  d.per_demo_schedule("mexico.interception.checkpoint", p.checkpoint,
                      {"2018-10-01:0.010, 2019-06-07:0.020", "2018-10-01:0.008, 2019-06-07:0.016, 2021-03-19:0.03",
                       "2018-10-01:0.008, 2019-06-07:0.016, 2021-03-19:0.035"},
                      "probability", Range::kProbability, "per Mexican transit city passed (checkpoints on the roads)");
}

double MexicanEnforcementPolicy::probability(InterceptionPoint point, Demographic d, Date date) const {
  if (!in_force(date)) return 0.0;
  switch (point) {
    case InterceptionPoint::kCrossing: return crossing[d].at(date);
    case InterceptionPoint::kCheckpoint: return checkpoint[d].at(date);
    default: return 0.0;
  }
}

std::vector<Date> MexicanEnforcementPolicy::phase_starts() const {
  std::vector<Date> dates;
  for (const PerDemo* kind : {&crossing, &checkpoint})
    for (const Schedule& s : *kind)
      for (std::size_t i = 1; i < s.points().size(); ++i) dates.push_back(s.points()[i].date);
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

int MexicanEnforcementPolicy::phase(Date date) const {
  const auto starts = phase_starts();
  return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), date) - starts.begin());
}

void MexicanEnforcement::Params::declare(Declarer& d, Params& p) {
  d.module("Mexican enforcement",
           "`MexicanEnforcement`, `MexicanEnforcementPolicy` in `mexico_enforcement.cpp`, §3.6");
  MexicanEnforcementPolicy::declare(d, p.policy);
  d.number("mexico.detention_days", p.detention_days, 10, "days", non_negative_at_most(kMaxDays),
           "time in an estacion migratoria before return; assumption");
  d.number("mexico.asylum_share", p.asylum_share, 0.1, "share", Range::kProbability,
           "intercepted parties who seek asylum in Mexico (COMAR applications ~70,000 in 2019)");
  d.text("mexico.asylum_node", p.asylum_node, "TAP", "node id",
         "where asylum seekers wait (Tapachula, COMAR's main office)");
  d.number("mexico.asylum_wait_days", p.asylum_wait_days, 120, "days (mean)", non_negative_at_most(kMaxDays),
           "COMAR processing; assumption");
  d.number("mexico.continue_share", p.continue_share, 0.5, "share", Range::kProbability,
           "asylum seekers in Mexico who later continue north");
  d.number("mexico.retry_share", p.retry_share, 0.5, "share", Range::kProbability,
           "parties returned to origin by Mexico who try again");
  d.number("mexico.retry_delay_days", p.retry_delay_days, 45, "days (mean)", non_negative_at_most(kMaxDays),
           "time at home before trying again; assumption");
}

MexicanEnforcement::MexicanEnforcement(const Params& p, const NetworkRoles& roles, const Smuggling& smuggling,
                                       const Departures& departures, const EnforcementSections& sections,
                                       const TripNews& news)
    : p_(p),
      roles_(roles),
      smuggling_(smuggling),
      departures_(departures),
      sections_(sections),
      news_(news),
      intercept_(roles.network().node_count() * kDemographics, 0.0) {}

void MexicanEnforcement::declare_series(SeriesLayout& S) {
  const std::vector<Dimension> by = {nationality_dim(), demographic_dim()};
  series_.apprehensions = S.add({"mx_apprehensions", "people", "people intercepted by Mexican authorities", by});
  series_.returns = S.add({"mx_returns", "people", "people returned from Mexico to their origin", by});
  series_.asylum = S.add({"mx_asylum", "people", "intercepted people who seek asylum in Mexico", by});
}

void MexicanEnforcement::begin_day(Date date) {
  const std::size_t n = roles_.network().node_count();
  for (std::uint32_t i = 0; i < n; ++i)
    for (int d = 0; d < kDemographics; ++d)
      intercept_[i * kDemographics + d] =
          p_.policy.probability(roles_.interception_point(i), static_cast<Demographic>(d), date);
}

bool MexicanEnforcement::intercepts(const DayContext& ctx, const Party& p, std::uint32_t node, RandomStream& rng,
                                    ThreadSink& sink) const {
  // Mexico does not intercept its own nationals.
  if (p.nationality == kMexico || roles_.interception_point(node) == InterceptionPoint::kNone) return false;
  double prob;
  if (sections_.enabled()) {
    sections_.charge_at(p, node, sink);
    prob = sections_.at_point(p.route(), node, p.demo, p.smuggled);
  } else {
    prob = probability(node, p.demo) * smuggling_.interception_factor(p.smuggled);
  }
  if (!rng.bernoulli(prob)) return false;
  p.state() = kDetainedMexico;
  p.wait_until() = ctx.day + 1 + geometric_days(p_.detention_days, rng);
  if (p.mx_interceptions() < 255) ++p.mx_interceptions();
  sink.tally.add(series_.apprehensions.at(p.nationality, p.demo), p.size);
  sections_.count_apprehension(p, node, sink);
  sink.events.add(ctx.day, kEventInterception, node, p.id, p.size);
  return true;
}

void MexicanEnforcement::release(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  if (rng.bernoulli(p_.asylum_share)) {
    p.node() = roles_.asylum_node();
    p.state() = kAsylumMexico;
    p.wait_until() = ctx.day + 1 + geometric_days(p_.asylum_wait_days, rng);
    sink.tally.add(series_.asylum.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventAsylumMexico, roles_.asylum_node(), p.id, p.size);
    return;
  }
  sink.tally.add(series_.returns.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventReturn, roles_.origin_node(p.origin), p.id, p.size);
  departures_.go_home_or_retry(ctx, p, p_.retry_share, p_.retry_delay_days, rng, sink);
}

bool MexicanEnforcement::asylum_ends(const DayContext& ctx, const Party& p, RandomStream& rng,
                                     ThreadSink& sink) const {
  if (rng.bernoulli(p_.continue_share)) {
    departures_.set_out_again(ctx, p, roles_.asylum_node(), rng, sink);
    return true;
  }
  news_.count(p, TripNews::kGaveUp, sink);
  p.finish(ctx.day, kSettledMexico, sink);
  return false;
}

}  // namespace corridor::cm
