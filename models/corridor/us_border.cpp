// Mechanism 7, the US border (docs/model.md §3.7). From its border city a party presents at
// a port of entry (OFO) or crosses between ports into the sector across (USBP), where it is
// encountered with the day's probability; the rest get through undetected. An encountered
// party's outcome depends on the policy in force that day:
//   Title 42 (between its dates): expelled to the Mexican border city with the day's share for
//     its demographic; expelled parties may try again after a delay (share and delay by
//     nationality group and demographic);
//   otherwise Title 8: non-Mexican adults and families (never unaccompanied children, by law)
//     may be returned to wait in Mexico under MPP (in its periods); else removal to origin
//     (after custody) or release into the US (children: transfer to care, then sponsors).
// Repeat encounters are not imposed: they arise from parties trying again. A smuggled party
// pays the smuggler's fee again, per person, when it decides to retry after an expulsion or
// to cross again from MPP (pay_smuggler).
#include "models/corridor/corridor_model.hpp"

namespace corridor::cm {

void CorridorModel::attempt_crossing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  if (p.us_attempts() < 255) ++p.us_attempts();
  const std::uint32_t city = p.node();
  const auto sector = roles_.sector_of(city);
  const Component comp = rng.bernoulli(p_.port_share[p.demo]) ? kAtPorts : kBetweenPorts;
  if (comp == kBetweenPorts && !rng.bernoulli(encounter_p_)) {
    p.node() = roles_.sector_node(sector);
    sink.tally.add(s_undetected_.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventUndetectedEntry, p.node(), p.id, p.size);
    p.finish(ctx.day, kInUsUndetected, sink);
    return;
  }
  // Encountered: count it, then apply the policy in force.
  if (p.encounters() > 0 && p.last_encounter() >= 0 && ctx.day - p.last_encounter() <= p_.repeat_window_days)
    sink.tally.add(s_repeat_.at(p.nationality, p.demo), p.size);
  if (p.encounters() == 0) sink.tally.add(s_unique_.at(p.nationality, p.demo), p.size);
  if (p.encounters() < 255) ++p.encounters();
  p.last_encounter() = ctx.day;

  if (title42_today_ && rng.bernoulli(expel_today_[p.demo])) {
    sink.tally.add(s_encounters_.at(sector, p.nationality, p.demo, kTitle42, comp), p.size);
    sink.tally.add(s_expulsions_.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventEncounter, city, p.id, 42);
    sink.events.add(ctx.day, kEventExpulsion, city, p.id, p.size);
    if (rng.bernoulli(p_.expelled_retry_share[p.nationality][p.demo])) {
      p.state() = kAtBorder;  // back in the Mexican border city
      p.wait_until() = ctx.day + 1 + geometric_days(p_.expelled_retry_delay_days[p.nationality][p.demo], rng);
      smuggling_.pay(p, sink);
    } else {
      departures_.give_up(ctx, p, sink);
    }
    return;
  }
  sink.tally.add(s_encounters_.at(sector, p.nationality, p.demo, kTitle8, comp), p.size);
  sink.events.add(ctx.day, kEventEncounter, city, p.id, 8);
  // Never Mexicans (not returned to a third country) nor unaccompanied children (exempt by law;
  // the draw is made for every non-Mexican so that the random sequence does not depend on the rule).
  if (mpp_today_ && p.nationality != kMexico && rng.bernoulli(p_.mpp_share[p.demo]) && p.demo != kChild) {
    p.state() = kRemainInMexico;
    p.wait_until() = ctx.day + 1 + geometric_days(p_.mpp_hearing_days, rng);
    sink.tally.add(s_mpp_.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventMppReturn, city, p.id, p.size);
    return;
  }
  if (rng.bernoulli(p_.removal_share[p.nationality][p.demo])) {
    p.state() = kUsCustody;
    p.node() = roles_.sector_node(sector);
    p.wait_until() = ctx.day + 1 + static_cast<std::int32_t>(p_.custody_days);
    return;
  }
  p.node() = roles_.sector_node(sector);
  sink.tally.add(s_releases_.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventRelease, p.node(), p.id, p.size);
  p.finish(ctx.day, kInUsReleased, sink);
}

void CorridorModel::custody_ends(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  sink.tally.add(s_removals_.at(p.nationality, p.demo), p.size);
  sink.events.add(ctx.day, kEventRemoval, roles_.origin_node(p.origin), p.id, p.size);
  departures_.go_home_or_retry(ctx, p, p_.removed_retry_share, p_.removed_retry_delay_days, rng, sink);
}

void CorridorModel::hearing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  const double u = rng.uniform();
  if (u < p_.mpp_abandon_share) {
    departures_.give_up(ctx, p, sink);
  } else if (u < p_.mpp_abandon_share + p_.mpp_recross_share) {
    p.state() = kAtBorder;  // crosses again irregularly, from the same city, tomorrow
    p.wait_until() = ctx.day + 1;
    smuggling_.pay(p, sink);
  } else {
    const auto sector = roles_.sector_of(p.node());
    p.node() = roles_.sector_node(sector);
    sink.tally.add(s_releases_.at(p.nationality, p.demo), p.size);
    sink.events.add(ctx.day, kEventRelease, p.node(), p.id, p.size);
    p.finish(ctx.day, kInUsReleased, sink);
  }
}

}  // namespace corridor::cm
