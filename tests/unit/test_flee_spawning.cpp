// models/flee data-driven spawning (docs/flee-rules.md "Spawning"): interpolated counts, the daily
// change, the refugee debt, and where new agents start.
#include <catch2/catch.hpp>

#include "flee_support.hpp"
#include "models/flee/spawning.hpp"

using namespace corridor::flee;

namespace {

CountSeries series(std::vector<int> days, std::vector<double> values) {
  CountSeries s;
  s.days = std::move(days);
  s.values = std::move(values);
  return s;
}

// One camp observed every day: 50, 55, 52, 53, 57, 47, 49, 69, i.e. daily changes
// +5, -3, +1, +4, -10, +2, +20.
ValidationData daily_camp() {
  ValidationData v;
  v.camps = {0};
  v.series = {series({0, 1, 2, 3, 4, 5, 6, 7}, {50, 55, 52, 53, 57, 47, 49, 69})};
  return v;
}

}  // namespace

TEST_CASE("counts are interpolated linearly between dates, truncated, and held before the first and after the last", "[flee]") {
  const CountSeries s = series({0, 10, 12}, {100, 200, 207});
  CHECK(s.at(-5) == 100);
  CHECK(s.at(0) == 100);
  CHECK(s.at(3) == 130);
  CHECK(s.at(10) == 200);
  CHECK(s.at(11) == 203);  // 203.5 truncated, as int() in the reference
  CHECK(s.at(12) == 207);
  CHECK(s.at(400) == 207);
  const CountSeries late = series({5, 15}, {10, 20});
  CHECK(late.at(0) == 10);
}

TEST_CASE("negative daily changes become a debt that later increases pay off before new agents appear", "[flee]") {
  const ValidationData v = daily_camp();
  FleeSettings s;  // insert_day0: day 0 spawns nobody
  DataSpawner sp(v, s);
  const std::vector<std::int64_t> expected_new{0, 5, 0, 0, 2, 0, 0, 12};
  const std::vector<std::int64_t> expected_debt{0, 0, 3, 2, 0, 10, 8, 0};
  for (int d = 0; d < 8; ++d) {
    INFO("day " << d);
    CHECK(sp.advance(d) == expected_new[static_cast<std::size_t>(d)]);
    CHECK(sp.debt() == expected_debt[static_cast<std::size_t>(d)]);
  }
}

TEST_CASE("without insert_day0 the day-0 count itself spawns on day 0", "[flee]") {
  const ValidationData v = daily_camp();
  FleeSettings s;
  s.insert_day0 = false;
  DataSpawner sp(v, s);
  CHECK(sp.advance(0) == 50);
  CHECK(sp.advance(1) == 5);
}

TEST_CASE("agents that cannot be placed are owed to later days as a negative debt", "[flee]") {
  const ValidationData v = daily_camp();
  DataSpawner sp(v, FleeSettings{});
  sp.advance(0);
  CHECK(sp.advance(1, /*can_place=*/false) == 0);
  CHECK(sp.debt() == -5);
  CHECK(sp.advance(2) == 2);  // -3 - (-5)
  CHECK(sp.debt() == 0);
}

TEST_CASE("the daily change sums each camp's truncated count, or follows the total file when asked", "[flee]") {
  ValidationData v;
  v.camps = {0, 1};
  v.series = {series({0, 2}, {0, 3}), series({0, 2}, {0, 3})};  // 1.5 each on day 1: 1 + 1
  v.total = series({0, 2}, {0, 10});
  FleeSettings s;
  DataSpawner camps(v, s);
  CHECK(camps.count(1) == 2);
  CHECK(camps.delta(1) == 2);
  CHECK(camps.delta(2) == 4);
  s.sum_from_camps = false;
  DataSpawner total(v, s);
  CHECK(total.count(1) == 5);
  CHECK(total.delta(2) == 5);
}

TEST_CASE("a spawn location is drawn over the cumulative weights, never at a location of weight zero", "[flee]") {
  // Weights 0, 2, 0, 3.
  const std::vector<double> cum{0, 2, 2, 5};
  CHECK(pick_spawn_location(cum, 0.0) == 1);
  CHECK(pick_spawn_location(cum, 0.39) == 1);
  CHECK(pick_spawn_location(cum, 0.4) == 3);
  CHECK(pick_spawn_location(cum, 0.999999) == 3);
}
