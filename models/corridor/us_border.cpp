// Mechanism 7, the US border (docs/model.md §3.7): the rules are in us_border.hpp.
#include "models/corridor/us_border.hpp"

#include "models/corridor/event_kinds.hpp"
#include "models/corridor/limits.hpp"

namespace corridor::cm {

void Title42::declare(Declarer& d, Title42& p) {
  d.flag("us.title42.enabled", p.enabled, true, "mechanism switch");
  d.date("us.title42.start", p.start, "2020-03-20", "policy_timeline.csv");
  d.date("us.title42.end", p.end, "2023-05-11", "policy_timeline.csv");
}

void RemainInMexico::declare(Declarer& d, RemainInMexico& p) {
  d.flag("us.mpp.enabled", p.enabled, true, "mechanism switch");
  std::string leaf;
  auto s = d.custom("us.mpp.periods", "2019-01-29..2021-01-20; 2021-12-06..2022-08-08", "list of {start, end}",
                    "Migrant Protection Protocols (policy_timeline.csv)", leaf);
  p.periods = {{*parse_iso_date("2019-01-29"), *parse_iso_date("2021-01-20")},
               {*parse_iso_date("2021-12-06"), *parse_iso_date("2022-08-08")}};
  if (s && s->has(leaf)) {
    p.periods.clear();
    for (const Section& per : s->list(leaf)) {
      const Date a = per.date("start"), b = per.date("end");
      if (b < a) per.fail("end", "end date is before start date");
      p.periods.push_back({a, b});
    }
  }
}

bool RemainInMexico::in_force(Date date) const {
  if (!enabled) return false;
  for (const auto& [a, b] : periods)
    if (!(date < a) && date < b) return true;
  return false;
}

void UsBorder::Params::declare(Declarer& d, Params& p) {
  d.module("The US border", "`UsBorder`, `Title42`, `RemainInMexico` in `us_border.cpp`, §3.7");
  d.per_demo("us.port_share", p.port_share, {0.08, 0.10, 0.15}, "share", Range::kProbability,
             "parties that present at a port of entry rather than cross between ports (OFO was ~13% of FY2019 "
             "encounters)");
  d.schedule("us.encounter_probability", p.encounter_probability, "0.8", "probability", Range::kProbability,
             "chance that a crossing between ports is encountered by Border Patrol (the rest get away); DHS "
             "apprehension-rate estimates of 0.75-0.85");
  d.number("us.repeat_window_days", p.repeat_window_days, 365, "days", positive_at_most(kMaxTimeConstantDays),
           "an encounter is a repeat if the party was encountered within this window (CBP's definition)");
  Title42::declare(d, p.title42);
  d.per_demo_schedule("us.title42.expel_share", p.expel_share,
                      {"0.9", "2020-03-20:0.6, 2021-02-01:0.35", "2020-03-20:0.5, 2020-11-18:0"}, "share",
                      Range::kProbability,
                      "share of encountered parties expelled while Title 42 is in force; families only in part; "
                      "children not after the injunction (2020-11-18) and the exception (2021-02-17); calibrated");
  d.per_group_demo("us.title42.retry_share", p.expelled_retry_share, {{{0.6, 0.6, 0.6}, {0.6, 0.6, 0.6}}}, "share",
                   Range::kProbability,
                   "expelled parties who try again (TRAC: most Title 42 apprehensions had a prior one); by nationality "
                   "group, since Mexicans are expelled into their own country near home and retry cheaply, Central "
                   "Americans into a Mexican border city far from home, and families retry less than single adults; "
                   "`us.title42.retry_share` may be one number for everyone, and each group one number for all its "
                   "demographics; calibrated");
  d.per_group_demo("us.title42.retry_delay_days", p.expelled_retry_delay_days, {{{10, 10, 10}, {10, 10, 10}}},
                   "days (mean)", non_negative_at_most(kMaxDays),
                   "time in the border city before the next attempt; one number, by group, or by group and "
                   "demographic, as retry_share; calibrated");
  for (int n = 0; n < kNationalities; ++n) {
    const PerDemoNumber def = n == kMexico ? PerDemoNumber{0.85, 0.5, 0.9} : PerDemoNumber{0.5, 0.15, 0.0};
    d.per_demo("us.title8.removal_share." + kNationalityKeys[n], p.removal_share[n], def, "share",
               Range::kProbability,
               "Title 8 outcome: removal (else release; children go to ORR care, then sponsors); Mexicans are mostly "
               "returned; assumption, calibrated");
  }
  d.number("us.title8.custody_days", p.custody_days, 20, "days", non_negative_at_most(kMaxDays), "detention before removal");
  d.number("us.title8.retry_share", p.removed_retry_share, 0.3, "share", Range::kProbability,
           "removed parties who try again");
  d.number("us.title8.retry_delay_days", p.removed_retry_delay_days, 60, "days (mean)", non_negative_at_most(kMaxDays),
           "time before trying again after removal");
  RemainInMexico::declare(d, p.mpp);
  d.number("us.mpp.share.single_adult", p.mpp_share[kSingleAdult], 0.12, "share", Range::kProbability,
           "Title 8 non-Mexican parties returned to wait in Mexico (about 70,000 people in MPP 1.0)");
  d.number("us.mpp.share.family", p.mpp_share[kFamily], 0.12, "share", Range::kProbability,
           "as single_adult, for family units");
  // Unaccompanied children are never placed in MPP: a rule of the model, not a parameter.
  p.mpp_share[kChild] = 0;
  d.forbid("us.mpp.share.child",
           "unaccompanied children are exempt from Remain in Mexico by law (TVPRA 2008, 8 U.S.C. 1232: they are "
           "transferred to ORR care), so the MPP share has single_adult and family only");
  d.number("us.mpp.hearing_days", p.mpp_hearing_days, 150, "days (mean)", non_negative_at_most(kMaxDays),
           "wait for the hearing in the border city");
  d.number("us.mpp.abandon_share", p.mpp_abandon_share, 0.3, "share", Range::kProbability,
           "MPP parties who give up and go home");
  d.number("us.mpp.recross_share", p.mpp_recross_share, 0.3, "share", Range::kProbability,
           "MPP parties who cross again irregularly (the rest are released at the hearing)");
}

UsBorder::UsBorder(const Params& p, const NetworkRoles& roles, const Smuggling& smuggling,
                   const Departures& departures, const Closures& closures, const Retries& retries,
                   const TripNews& news)
    : p_(p),
      roles_(roles),
      smuggling_(smuggling),
      departures_(departures),
      closures_(closures),
      retries_(retries),
      news_(news) {}

void UsBorder::declare_series(SeriesLayout& S) {
  const Dimension nat = nationality_dim(), demo = demographic_dim();
  series_.encounters = S.add({"encounters", "people", "US southwest border encounters (events, in people)",
                              {roles_.sector_dim(), nat, demo, title_dim(), component_dim()}});
  series_.expulsions = S.add({"expulsions", "people", "Title 42 expulsions to Mexico", {nat, demo}});
  series_.removals = S.add({"removals", "people", "Title 8 removals to the origin", {nat, demo}});
  series_.releases = S.add(
      {"releases", "people", "people released into the US (children: to care, then sponsors)", {nat, demo}});
  series_.mpp = S.add({"mpp_returns", "people", "people returned to Mexico under Remain in Mexico", {nat, demo}});
  series_.repeat = S.add(
      {"repeat_encounters", "people", "encounters of people encountered within the repeat window", {nat, demo}});
  series_.unique = S.add({"unique_encountered", "people", "people encountered for the first time", {nat, demo}});
  series_.undetected =
      S.add({"undetected_entries", "people", "people who crossed without being encountered", {nat, demo}});
  series_.waiting = S.add({"waiting_at_border", "people",
                           "people waiting in each northern border city (to cross, expelled, or under MPP)",
                           {roles_.border_city_dim()}});
}

void UsBorder::begin_day(Date date) {
  encounter_p_ = p_.encounter_probability.at(date);
  title42_today_ = p_.title42.in_force(date);
  mpp_today_ = p_.mpp.in_force(date);
  for (int d = 0; d < kDemographics; ++d) expel_today_[d] = p_.expel_share[d].at(date);
}

void UsBorder::attempt_crossing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  if (p.us_attempts() < 255) ++p.us_attempts();
  const std::uint32_t city = p.node();
  const Component comp = rng.bernoulli(p_.port_share[p.demo]) ? kAtPorts : kBetweenPorts;
  if (comp == kBetweenPorts && !rng.bernoulli(encounter_p_)) {
    p.node() = roles_.sector_node(roles_.sector_of(city));
    sink.tally.add(series_.undetected.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventUndetectedEntry, p.node(), p.id, p.size);
    news_.count(p, TripNews::kArrived, sink);
    p.finish(ctx.day, kInUsUndetected, sink);
    return;
  }
  encountered(ctx, p, city, comp, rng, sink);
}

void UsBorder::encountered(const DayContext& ctx, const Party& p, std::uint32_t city, Component comp,
                           RandomStream& rng, ThreadSink& sink) const {
  const std::size_t sector = roles_.sector_of(city);
  // Count it, then apply the policy in force.
  if (p.encounters() > 0 && p.last_encounter() >= 0 && ctx.day - p.last_encounter() <= p_.repeat_window_days)
    sink.tally.add(series_.repeat.at(p.nationality, p.demo), p.size);
  if (p.encounters() == 0) sink.tally.add(series_.unique.at(p.nationality, p.demo), p.size);
  retries_.count_encounter(ctx, p, sink);
  if (p.encounters() < 255) ++p.encounters();
  p.last_encounter() = ctx.day;

  if (title42_today_ && rng.bernoulli(expel_today_[p.demo])) {
    expel(ctx, p, city, sector, comp, rng, sink);
    return;
  }
  sink.tally.add(series_.encounters.at(sector, p.nationality, p.demo, kTitle8, comp), p.size);
  sink.events.add(ctx.day, kEventEncounter, city, p.id, 8);
  // Never Mexicans (not returned to a third country) nor unaccompanied children (exempt by law;
  // the draw is made for every non-Mexican so that the random sequence does not depend on the rule).
  if (mpp_today_ && p.nationality != kMexico && rng.bernoulli(p_.mpp_share[p.demo]) && p.demo != kChild) {
    p.state() = kRemainInMexico;
    p.wait_until() = ctx.day + 1 + geometric_days(p_.mpp_hearing_days, rng);
    sink.tally.add(series_.mpp.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventMppReturn, city, p.id, p.size);
    return;
  }
  if (rng.bernoulli(p_.removal_share[p.nationality][p.demo])) {
    p.state() = kUsCustody;
    p.node() = roles_.sector_node(sector);
    p.wait_until() = ctx.day + 1 + static_cast<std::int32_t>(p_.custody_days);
    return;
  }
  release(ctx, p, sector, sink);
}

void UsBorder::expel(const DayContext& ctx, const Party& p, std::uint32_t city, std::size_t sector, Component comp,
                     RandomStream& rng, ThreadSink& sink) const {
  sink.tally.add(series_.encounters.at(sector, p.nationality, p.demo, kTitle42, comp), p.size);
  sink.tally.add(series_.expulsions.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventEncounter, city, p.id, 42);
  sink.events.add(ctx.day, kEventExpulsion, city, p.id, p.size);
  if (rng.bernoulli(
          retries_.share(Retries::kAfterExpulsion, p_.expelled_retry_share[p.nationality][p.demo], p.us_attempts()))) {
    p.state() = kAtBorder;  // back in the Mexican border city
    p.wait_until() = ctx.day + 1 + geometric_days(p_.expelled_retry_delay_days[p.nationality][p.demo], rng);
    smuggling_.pay(p, sink);
  } else {
    departures_.give_up(ctx, p, sink);
  }
}

void UsBorder::release(const DayContext& ctx, const Party& p, std::size_t sector, ThreadSink& sink) const {
  p.node() = roles_.sector_node(sector);
  sink.tally.add(series_.releases.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventRelease, p.node(), p.id, p.size);
  news_.count(p, TripNews::kArrived, sink);
  p.finish(ctx.day, kInUsReleased, sink);
}

void UsBorder::custody_ends(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  sink.tally.add(series_.removals.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventRemoval, roles_.origin_node(p.origin), p.id, p.size);
  departures_.go_home_or_retry(ctx, p, retries_.share(Retries::kAfterRemoval, p_.removed_retry_share, p.us_attempts()),
                               p_.removed_retry_delay_days, rng, sink);
}

void UsBorder::hearing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  if (p.flags() & kFlagHearingDeferred) {  // postponed by the suspension of hearings, now processed
    p.flags() &= static_cast<std::uint8_t>(~kFlagHearingDeferred);
    release(ctx, p, roles_.sector_of(p.node()), sink);
    return;
  }
  // Re-crossing wears out with the attempts made (Retries); the share lost goes to giving up.
  const double recross = retries_.share(Retries::kFromMpp, p_.mpp_recross_share, p.us_attempts());
  const double abandon = p_.mpp_abandon_share + (p_.mpp_recross_share - recross);
  const double u = rng.uniform();
  if (u < abandon) {
    departures_.give_up(ctx, p, sink);
  } else if (u < abandon + recross) {
    p.state() = kAtBorder;  // crosses again irregularly, from the same city, tomorrow
    p.wait_until() = ctx.day + 1;
    smuggling_.pay(p, sink);
  } else if (const auto resume = closures_.hearings_resume(ctx.date)) {
    // Hearings are suspended (Closures): the party waits for them to resume, then is released.
    p.flags() |= kFlagHearingDeferred;
    p.wait_until() = ctx.day + (*resume - ctx.date) + geometric_days(p_.mpp_hearing_days, rng);
  } else {
    release(ctx, p, roles_.sector_of(p.node()), sink);
  }
}

Perception::Reports UsBorder::reports(const Tally& totals) const {
  Perception::Reports r;
  for (std::size_t s = 0; s < roles_.sector_count(); ++s)
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d)
        for (int t = 0; t < 2; ++t)
          for (int c = 0; c < 2; ++c)
            r.encountered[n][d] += static_cast<double>(totals[series_.encounters.at(s, n, d, t, c)]);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) {
      r.let_in[n][d] = static_cast<double>(totals[series_.releases.at(n, d)] + totals[series_.undetected.at(n, d)]);
      r.encountered[n][d] += static_cast<double>(totals[series_.undetected.at(n, d)]);  // crossers learn too
    }
  return r;
}

}  // namespace corridor::cm
