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

void CorridorModel::attempt_crossing(const DayContext& ctx, Row& r, RandomStream& rng, ThreadSink& sink) const {
  if (*r.us_attempts < 255) ++*r.us_attempts;
  const std::uint32_t city = *r.node;
  const auto sector = static_cast<std::size_t>(sector_of_node_[city]);
  const Component comp = rng.bernoulli(p_.port_share[r.demo]) ? kAtPorts : kBetweenPorts;
  if (comp == kBetweenPorts && !rng.bernoulli(encounter_p_)) {
    *r.node = sector_node_[sector];
    sink.tally.add(s_undetected_.at(r.nationality, r.demo), r.size);
    sink.events.add(ctx.day, kEventUndetectedEntry, *r.node, r.id, r.size);
    finish(ctx, r, kInUsUndetected, sink);
    return;
  }
  // Encountered: count it, then apply the policy in force.
  if (*r.encounters > 0 && *r.last_encounter >= 0 && ctx.day - *r.last_encounter <= p_.repeat_window_days)
    sink.tally.add(s_repeat_.at(r.nationality, r.demo), r.size);
  if (*r.encounters == 0) sink.tally.add(s_unique_.at(r.nationality, r.demo), r.size);
  if (*r.encounters < 255) ++*r.encounters;
  *r.last_encounter = ctx.day;

  if (title42_today_ && rng.bernoulli(expel_today_[r.demo])) {
    sink.tally.add(s_encounters_.at(sector, r.nationality, r.demo, kTitle42, comp), r.size);
    sink.tally.add(s_expulsions_.at(r.nationality, r.demo), r.size);
    sink.events.add(ctx.day, kEventEncounter, city, r.id, 42);
    sink.events.add(ctx.day, kEventExpulsion, city, r.id, r.size);
    if (rng.bernoulli(p_.expelled_retry_share[r.nationality][r.demo])) {
      *r.state = kAtBorder;  // back in the Mexican border city
      *r.wait_until = ctx.day + 1 + geometric_days(p_.expelled_retry_delay_days[r.nationality][r.demo], rng);
      pay_smuggler(r, sink);
    } else {
      *r.node = origin_node_[r.origin];
      sink.events.add(ctx.day, kEventGiveUp, *r.node, r.id, r.size);
      finish(ctx, r, kStayedHome, sink);
    }
    return;
  }
  sink.tally.add(s_encounters_.at(sector, r.nationality, r.demo, kTitle8, comp), r.size);
  sink.events.add(ctx.day, kEventEncounter, city, r.id, 8);
  // Never Mexicans (not returned to a third country) nor unaccompanied children (exempt by law;
  // the draw is made for every non-Mexican so that the random sequence does not depend on the rule).
  if (mpp_today_ && r.nationality != kMexico && rng.bernoulli(p_.mpp_share[r.demo]) && r.demo != kChild) {
    *r.state = kRemainInMexico;
    *r.wait_until = ctx.day + 1 + geometric_days(p_.mpp_hearing_days, rng);
    sink.tally.add(s_mpp_.at(r.nationality, r.demo), r.size);
    sink.events.add(ctx.day, kEventMppReturn, city, r.id, r.size);
    return;
  }
  if (rng.bernoulli(p_.removal_share[r.nationality][r.demo])) {
    *r.state = kUsCustody;
    *r.node = sector_node_[sector];
    *r.wait_until = ctx.day + 1 + static_cast<std::int32_t>(p_.custody_days);
    return;
  }
  *r.node = sector_node_[sector];
  sink.tally.add(s_releases_.at(r.nationality, r.demo), r.size);
  sink.events.add(ctx.day, kEventRelease, *r.node, r.id, r.size);
  finish(ctx, r, kInUsReleased, sink);
}

void CorridorModel::custody_ends(const DayContext& ctx, Row& r, RandomStream& rng, ThreadSink& sink) const {
  sink.tally.add(s_removals_.at(r.nationality, r.demo), r.size);
  sink.events.add(ctx.day, kEventRemoval, origin_node_[r.origin], r.id, r.size);
  go_home_or_retry(ctx, r, p_.removed_retry_share, p_.removed_retry_delay_days, rng, sink);
}

void CorridorModel::hearing(const DayContext& ctx, Row& r, RandomStream& rng, ThreadSink& sink) const {
  const double u = rng.uniform();
  if (u < p_.mpp_abandon_share) {
    *r.node = origin_node_[r.origin];
    sink.events.add(ctx.day, kEventGiveUp, *r.node, r.id, r.size);
    finish(ctx, r, kStayedHome, sink);
  } else if (u < p_.mpp_abandon_share + p_.mpp_recross_share) {
    *r.state = kAtBorder;  // crosses again irregularly, from the same city, tomorrow
    *r.wait_until = ctx.day + 1;
    pay_smuggler(r, sink);
  } else {
    const auto sector = static_cast<std::size_t>(sector_of_node_[*r.node]);
    *r.node = sector_node_[sector];
    sink.tally.add(s_releases_.at(r.nationality, r.demo), r.size);
    sink.events.add(ctx.day, kEventRelease, *r.node, r.id, r.size);
    finish(ctx, r, kInUsReleased, sink);
  }
}

}  // namespace corridor::cm
