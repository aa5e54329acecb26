// Unit tests for sim/schedule: piecewise-constant values with optional linear ramps.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "sim/schedule.hpp"

using corridor::Calendar;
using corridor::Date;
using corridor::Schedule;

namespace {
Date day(int y, unsigned m, unsigned d) { return Date::from_ymd(y, m, d); }
}  // namespace

TEST_CASE("a constant schedule has the same value on every date") {
  const Schedule s(0.25);
  CHECK(s.at(day(1900, 1, 1)) == 0.25);
  CHECK(s.at(day(2020, 6, 1)) == 0.25);
  CHECK(s.at(day(2200, 1, 1)) == 0.25);
  CHECK(s.is_constant());
  CHECK(s.min_value() == 0.25);
  CHECK(s.max_value() == 0.25);
  CHECK(s.points().size() == 1);
}

TEST_CASE("a step schedule holds each value from its date until the next point") {
  const Schedule s({{day(2020, 1, 10), 1.0, false}, {day(2020, 2, 1), 5.0, false}, {day(2020, 3, 1), 2.0, false}});
  CHECK(s.at(day(2019, 12, 1)) == 1.0);  // before the first point the first value holds
  CHECK(s.at(day(2020, 1, 10)) == 1.0);
  CHECK(s.at(day(2020, 1, 31)) == 1.0);
  CHECK(s.at(day(2020, 2, 1)) == 5.0);
  CHECK(s.at(day(2020, 2, 29)) == 5.0);
  CHECK(s.at(day(2020, 3, 1)) == 2.0);
  CHECK(s.at(day(2030, 1, 1)) == 2.0);
  CHECK_FALSE(s.is_constant());
  CHECK(s.min_value() == 1.0);
  CHECK(s.max_value() == 5.0);
}

TEST_CASE("a schedule ramps linearly between two points") {
  const Date start = day(2020, 1, 1);
  const Schedule s({{start, 0.0, false}, {start.plus_days(10), 10.0, true}, {start.plus_days(20), 4.0, true}});
  CHECK(s.at(start.plus_days(-5)) == 0.0);
  CHECK(s.at(start) == 0.0);
  CHECK(s.at(start.plus_days(3)) == Approx(3.0));
  CHECK(s.at(start.plus_days(9)) == Approx(9.0));
  CHECK(s.at(start.plus_days(10)) == 10.0);
  // Second ramp: from 10 down to 4 over 10 days, 0.6 per day.
  CHECK(s.at(start.plus_days(15)) == Approx(7.0));
  CHECK(s.at(start.plus_days(20)) == 4.0);
  CHECK(s.at(start.plus_days(400)) == 4.0);
}

TEST_CASE("a step after a ramp jumps on its date") {
  const Date start = day(2021, 3, 1);
  const Schedule s({{start, 2.0, false}, {start.plus_days(4), 6.0, true}, {start.plus_days(8), 1.0, false}});
  CHECK(s.at(start.plus_days(2)) == Approx(4.0));
  CHECK(s.at(start.plus_days(7)) == 6.0);
  CHECK(s.at(start.plus_days(8)) == 1.0);
}

TEST_CASE("a ramp on the first point has nothing to ramp from and holds its value") {
  const Date start = day(2021, 3, 1);
  const Schedule s({{start, 3.0, true}, {start.plus_days(2), 5.0, false}});
  CHECK(s.at(start.plus_days(-10)) == 3.0);
  CHECK(s.at(start.plus_days(1)) == 3.0);
  CHECK(s.at(start.plus_days(2)) == 5.0);
}

TEST_CASE("a schedule needs at least one point and strictly increasing dates") {
  CHECK_THROWS_AS(Schedule(std::vector<Schedule::Point>{}), std::invalid_argument);
  const Date d = day(2020, 1, 1);
  CHECK_THROWS_AS(Schedule({{d, 1.0, false}, {d, 2.0, false}}), std::invalid_argument);
  CHECK_THROWS_AS(Schedule({{d, 1.0, false}, {d.plus_days(-1), 2.0, false}}), std::invalid_argument);
  CHECK_NOTHROW(Schedule({{d, 1.0, false}, {d.plus_days(1), 2.0, false}}));
}

TEST_CASE("a schedule whose points all hold one value is constant") {
  const Date d = day(2020, 1, 1);
  CHECK(Schedule({{d, 0.5, false}, {d.plus_days(3), 0.5, true}}).is_constant());
}

TEST_CASE("tabulate gives the value of every day of the calendar") {
  const Calendar cal{day(2020, 2, 25), day(2020, 3, 5)};
  const Date start = cal.start;
  const Schedule s({{start.plus_days(2), 1.0, false}, {start.plus_days(6), 9.0, true}});
  const auto v = s.tabulate(cal);
  REQUIRE(v.size() == static_cast<std::size_t>(cal.days()));
  REQUIRE(v.size() == 10);
  for (int d = 0; d < cal.days(); ++d) CHECK(v[d] == s.at(cal.date_of(d)));
  CHECK(v[0] == 1.0);
  CHECK(v[4] == Approx(5.0));
  CHECK(v[9] == 9.0);
}

// ---- changes of an inherited schedule (interventions, docs/scenarios.md) ----

TEST_CASE("a change scales the inherited schedule from its date, capped by its max") {
  const Schedule calibrated({{day(2018, 10, 1), 0.03, false}, {day(2019, 6, 7), 0.28, false}, {day(2021, 3, 19), 0.55, false}});
  corridor::ScheduleChange surge;
  surge.scale = 2;
  surge.from = day(2021, 3, 19);
  surge.max = 1;
  const Schedule s = calibrated.changed(surge);
  CHECK(s.at(day(2019, 1, 1)) == 0.03);          // before the change: as inherited
  CHECK(s.at(day(2021, 3, 18)) == 0.28);
  CHECK(s.at(day(2021, 3, 19)) == 1.0);          // 2 x 0.55 capped at 1
  CHECK(s.at(day(2023, 1, 1)) == 1.0);
  CHECK(s.max_value() == 1.0);
  CHECK(s.min_value() == 0.03);
  CHECK(s.points().size() == 3);  // the inherited points are kept as written
  CHECK(s.changes().size() == 1);
}

TEST_CASE("a doubled probability is bit for bit the doubled number written out") {
  // Why the enforcement surge could state a change instead of restating fitted numbers: x2 is exact.
  const Schedule inherited(0.356319);
  corridor::ScheduleChange c;
  c.scale = 2;
  CHECK(inherited.changed(c).at(day(2021, 6, 1)) == 0.712638);
}

TEST_CASE("a change applies only from its from date until before its until date, and adds before it clamps") {
  const Schedule base(0.5);
  corridor::ScheduleChange c;
  c.add = 0.7;
  c.from = day(2020, 1, 1);
  c.until = day(2020, 2, 1);
  c.max = 1.0;
  const Schedule s = base.changed(c);
  CHECK(s.at(day(2019, 12, 31)) == 0.5);
  CHECK(s.at(day(2020, 1, 1)) == 1.0);
  CHECK(s.at(day(2020, 1, 31)) == 1.0);
  CHECK(s.at(day(2020, 2, 1)) == 0.5);
  CHECK(s.max_value() == 1.0);
  CHECK_FALSE(s.is_constant());
}

TEST_CASE("shift_days moves the inherited schedule later, ramps included") {
  const Schedule base({{day(2020, 1, 1), 0.0, false}, {day(2020, 1, 11), 10.0, true}});
  corridor::ScheduleChange c;
  c.shift_days = 30;
  const Schedule s = base.changed(c);
  CHECK(s.at(day(2020, 1, 11)) == 0.0);
  CHECK(s.at(day(2020, 2, 5)) == Approx(5.0));  // 2020-01-06 of the inherited ramp
  CHECK(s.at(day(2020, 2, 10)) == 10.0);
  CHECK(s.min_value() == 0.0);
  CHECK(s.max_value() == 10.0);
}

TEST_CASE("changes compose in the order they were made") {
  const Schedule base(1.0);
  corridor::ScheduleChange twice, plus_one;
  twice.scale = 2;
  plus_one.add = 1;
  CHECK(base.changed(twice).changed(plus_one).at(day(2020, 1, 1)) == 3.0);
  CHECK(base.changed(plus_one).changed(twice).at(day(2020, 1, 1)) == 4.0);
}
