// models/flee rules of a location: move chance, score with conflict decay, capacity factor,
// and the conflict schedule that feeds them. Expected values are computed by hand from
// docs/flee-rules.md "Move decision", "Location score" and "Route choice".
#include <catch2/catch.hpp>
#include <cmath>

#include "flee_support.hpp"
#include "models/flee/conflicts.hpp"
#include "models/flee/inputs.hpp"
#include "models/flee/scores.hpp"

using namespace corridor::flee;
using corridor::test::flee_location;

TEST_CASE("each location type has Flee's default move chance", "[flee]") {
  const FleeSettings s;
  CHECK(move_chance(LocationType::kConflictZone, s) == 1.0);
  CHECK(move_chance(LocationType::kCamp, s) == 0.001);
  CHECK(move_chance(LocationType::kIdpCamp, s) == 0.1);
  CHECK(move_chance(LocationType::kTown, s) == 0.3);
  CHECK(move_chance(LocationType::kMarker, s) == 1.0);
}

TEST_CASE("a conflict zone outside conflict and a closed camp act as towns, any location in conflict as a conflict zone", "[flee]") {
  CHECK(effective_type(LocationType::kConflictZone, false, false) == LocationType::kTown);
  CHECK(effective_type(LocationType::kConflictZone, true, false) == LocationType::kConflictZone);
  CHECK(effective_type(LocationType::kTown, true, false) == LocationType::kConflictZone);
  CHECK(effective_type(LocationType::kCamp, false, true) == LocationType::kTown);
  CHECK(effective_type(LocationType::kIdpCamp, false, true) == LocationType::kTown);
  CHECK(effective_type(LocationType::kCamp, false, false) == LocationType::kCamp);
}

TEST_CASE("a location whose move chance is below 0.005 counts as a camp", "[flee]") {
  CHECK(counts_as_camp(LocationType::kTown, 0.004));
  CHECK_FALSE(counts_as_camp(LocationType::kTown, 0.005));
  CHECK(counts_as_camp(LocationType::kCamp, 0.5));
}

TEST_CASE("the score multiplies the foreign, camp and decayed conflict weights", "[flee]") {
  FleeSettings s;
  s.foreign_weight = 2.0;
  s.camp_weight = 3.0;
  s.conflict_weight = 0.25;
  CHECK(location_score(s, false, false, false, 1, 1) == 1.0);
  CHECK(location_score(s, true, true, false, 1, 1) == 6.0);
  // 0.25^(decay x intensity): full conflict, then decay 0.5, then half intensity as well.
  CHECK(location_score(s, false, false, true, 1.0, 1.0) == Approx(0.25));
  CHECK(location_score(s, false, false, true, 1.0, 0.5) == Approx(0.5));
  CHECK(location_score(s, false, false, true, 0.5, 0.5) == Approx(std::pow(0.25, 0.25)));
  CHECK(location_score(s, true, false, true, 1.0, 1.0) == Approx(0.5));
}

TEST_CASE("the conflict decay steps through its list every interval and then keeps the last value", "[flee]") {
  const std::vector<double> decay{1.0, 0.5, 0.2};
  CHECK(conflict_decay({}, 30, 400) == 1.0);
  CHECK(conflict_decay(decay, 30, 0) == 1.0);
  CHECK(conflict_decay(decay, 30, 29) == 1.0);
  CHECK(conflict_decay(decay, 30, 30) == 0.5);
  CHECK(conflict_decay(decay, 30, 59) == 0.5);
  CHECK(conflict_decay(decay, 30, 60) == 0.2);
  CHECK(conflict_decay(decay, 30, 10000) == 0.2);
}

TEST_CASE("the capacity factor is 1 up to the buffer, falls linearly and is 0 at capacity", "[flee]") {
  FleeSettings s;  // buffer 0.9, scaling 1
  CHECK(capacity_factor(100, 0, s) == 1.0);
  CHECK(capacity_factor(100, 90, s) == 1.0);
  CHECK(capacity_factor(100, 95, s) == Approx(0.5));
  CHECK(capacity_factor(100, 99, s) == Approx(0.1));
  CHECK(capacity_factor(100, 100, s) == 0.0);
  CHECK(capacity_factor(100, 250, s) == 0.0);
  CHECK(capacity_factor(0.5, 1e9, s) == 1.0);  // capacity below 1: unlimited
  s.capacity_scaling = 2.0;                     // cap 200: buffer from 180
  CHECK(capacity_factor(100, 190, s) == Approx(0.5));
  s.capacity_scaling = 1.0;
  s.capacity_buffer = 0.5;
  CHECK(capacity_factor(100, 75, s) == Approx(0.5));
}

TEST_CASE("a conflict starts when the intensity rises above 0, and its decay counts from that day", "[flee]") {
  FleeCase c;
  c.locations = {flee_location("A", LocationType::kTown), flee_location("B", LocationType::kConflictZone),
                 flee_location("C", LocationType::kConflictZone)};
  c.locations[1].conflict_date = 3;  // B has no conflicts.csv column: from its conflict_date on
  c.conflicts.locations = {0};
  c.conflicts.days = {0, 5, 8, 10};
  c.conflicts.values = {{0.0}, {0.6}, {0.0}, {1.0}};
  c.settings.conflict_spawn_decay = {1.0, 0.5};
  c.settings.conflict_spawn_decay_interval = 2;
  ConflictState st(c);
  st.advance_to(0);
  CHECK_FALSE(st.in_conflict(0));
  CHECK_FALSE(st.in_conflict(1));
  CHECK(st.in_conflict(2));  // a conflict zone with no date and no column: from day 0
  for (int d = 1; d <= 5; ++d) st.advance_to(d);
  CHECK(st.in_conflict(0));
  CHECK(st.intensity(0) == 0.6);
  CHECK(st.start(0) == 5);
  CHECK(st.start(1) == 3);
  CHECK(st.decay(1, 5) == 0.5);  // 2 days after its start on day 3
  CHECK(st.decay(0, 6) == 1.0);
  CHECK(st.decay(0, 7) == 0.5);
  for (int d = 6; d <= 8; ++d) st.advance_to(d);
  CHECK_FALSE(st.in_conflict(0));  // row of day 8: intensity 0 ends it
  CHECK(st.start(0) == -1);
  st.advance_to(9);
  st.advance_to(10);
  CHECK(st.in_conflict(0));
  CHECK(st.start(0) == 10);  // a new conflict, a new start
}
