// A travel party's columns and waiting times (docs/model.md §1.2, §3.5).
#include "models/corridor/party.hpp"

#include <algorithm>
#include <cmath>

namespace corridor::cm {

void PartyColumns::declare(AgentStore& store, const Limits& l) {
  // Every index a mechanism looks up with is range-checked on a restart, and every day column
  // must be a day (sim/agents.hpp, ColumnRange); counts may hold any value.
  using R = ColumnRange;
  origin = store.add_column<std::uint8_t>("origin", true, R::index_below(l.origins));
  demographic = store.add_column<std::uint8_t>("demographic", true, R::index_below(kDemographics));
  size = store.add_column<std::uint8_t>("party_size", true, R::between(1, 255));
  // Bit 1 (kFlagSmuggler) is what the column's name says; bit 2 is set only while an MPP
  // hearing is postponed by the v2 closures (kFlagHearingDeferred), and cleared at release.
  flags = store.add_column<std::uint8_t>("smuggler", true, R::between(0, kFlagSmuggler | kFlagHearingDeferred));
  route = store.add_column<std::uint32_t>("route", true, R::index_below(l.routes));
  hop = store.add_column<std::uint8_t>("hop", false, R::between(0, static_cast<double>(l.max_hops)));
  progress = store.add_column<float>("progress_km", false, R::between(0, 1e9));
  wait_until = store.add_column<std::int32_t>("wait_until", false, R::day());
  trip_start = store.add_column<std::int32_t>("trip_start", false, R::past_day());
  departure_day = store.add_column<std::int32_t>("departure_day", true, R::past_day());
  us_attempts = store.add_column<std::uint8_t>("us_attempts");
  mx_interceptions = store.add_column<std::uint8_t>("mx_interceptions");
  encounters = store.add_column<std::uint8_t>("encounters");
  last_encounter = store.add_column<std::int32_t>("last_encounter_day", true, R::past_day(/*never=*/true));
  final_day = store.add_column<std::int32_t>("final_day", true, R::past_day(/*never=*/true));
}

PartyRows::PartyRows(AgentStore& s, const PartyColumns& c)
    : id(s.ids()),
      node(s.nodes()),
      state(s.states()),
      origin(s.data(c.origin)),
      demographic(s.data(c.demographic)),
      size(s.data(c.size)),
      flags(s.data(c.flags)),
      route(s.data(c.route)),
      hop(s.data(c.hop)),
      progress(s.data(c.progress)),
      wait_until(s.data(c.wait_until)),
      trip_start(s.data(c.trip_start)),
      departure_day(s.data(c.departure_day)),
      us_attempts(s.data(c.us_attempts)),
      mx_interceptions(s.data(c.mx_interceptions)),
      encounters(s.data(c.encounters)),
      last_encounter(s.data(c.last_encounter)),
      final_day(s.data(c.final_day)) {}

std::int32_t geometric_days(double mean, RandomStream& rng) {
  if (!(mean > 0)) return 0;
  const double q = mean / (1.0 + mean);
  const double k = std::floor(std::log(rng.uniform_pos()) / std::log(q));
  // Written so that a mean too large for q < 1 (k = -inf or NaN) still gives the cap, never an
  // undefined conversion; declared means are at most kMaxDays (limits.hpp).
  return k >= 0 && k < 36500.0 ? static_cast<std::int32_t>(k) : 36500;
}

}  // namespace corridor::cm
