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
