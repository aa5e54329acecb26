// Unit tests for sim/calendar: ISO date parsing, civil dates and day indices.
#include <catch2/catch.hpp>

#include "sim/calendar.hpp"

using corridor::Calendar;
using corridor::Date;
using corridor::parse_iso_date;

TEST_CASE("parse_iso_date accepts valid dates including leap days") {
  const auto leap = parse_iso_date("2020-02-29");
  REQUIRE(leap);
  CHECK(leap->year() == 2020);
  CHECK(leap->month() == 2u);
  CHECK(leap->day() == 29u);
  CHECK(leap->iso() == "2020-02-29");

  CHECK(parse_iso_date("2000-02-29"));  // divisible by 400: a leap year
  CHECK(parse_iso_date("2021-12-31"));
  CHECK(parse_iso_date("1970-01-01")->days_since_epoch == 0);
  CHECK(parse_iso_date("2000-03-01")->days_since_epoch == 11017);  // 10957 days to 2000-01-01, +31 +29
  CHECK(parse_iso_date("1969-12-31")->days_since_epoch == -1);
}

TEST_CASE("parse_iso_date rejects impossible dates and any other layout") {
  CHECK_FALSE(parse_iso_date("2021-02-29"));  // 2021 is not a leap year
  CHECK_FALSE(parse_iso_date("1900-02-29"));  // divisible by 100 but not 400
  CHECK_FALSE(parse_iso_date("2020-13-01"));
  CHECK_FALSE(parse_iso_date("2020-00-10"));
  CHECK_FALSE(parse_iso_date("2020-01-00"));
  CHECK_FALSE(parse_iso_date("2020-04-31"));
  CHECK_FALSE(parse_iso_date("2020-1-01"));
  CHECK_FALSE(parse_iso_date("2020-01-1"));
  CHECK_FALSE(parse_iso_date("x"));
  CHECK_FALSE(parse_iso_date(""));
  CHECK_FALSE(parse_iso_date("2020/01/01"));
  CHECK_FALSE(parse_iso_date(" 2020-01-01"));
  CHECK_FALSE(parse_iso_date("2020-01-01 "));
  CHECK_FALSE(parse_iso_date("+020-01-01"));
  CHECK_FALSE(parse_iso_date("2020-0a-01"));
  CHECK_FALSE(parse_iso_date("20200101"));
}

TEST_CASE("every date from 1900 to 2100 round-trips through iso text and year-month-day") {
  const Date first = Date::from_ymd(1900, 1, 1), last = Date::from_ymd(2100, 12, 31);
  int checked = 0, mismatches = 0;
  for (Date d = first; d <= last; d = d.plus_days(1)) {
    const auto back = parse_iso_date(d.iso());
    if (!back || *back != d || Date::from_ymd(d.year(), d.month(), d.day()) != d) ++mismatches;
    ++checked;
  }
  CHECK(mismatches == 0);
  // 201 years, 49 leap years (1904..2096 every 4 years except 2000 is leap, 1900 and 2100 not).
  CHECK(checked == 201 * 365 + 49);
}

TEST_CASE("dates compare and subtract as day counts") {
  const Date a = Date::from_ymd(2020, 2, 28), b = Date::from_ymd(2020, 3, 1);
  CHECK(a < b);
  CHECK(b - a == 2);
  CHECK(a.plus_days(2) == b);
  CHECK(b.plus_days(-2) == a);
  CHECK(Date::from_ymd(2021, 3, 1) - Date::from_ymd(2021, 2, 28) == 1);
}

TEST_CASE("a calendar counts its end date inclusively and maps day indices to dates and back") {
  Calendar leap{Date::from_ymd(2020, 1, 1), Date::from_ymd(2020, 12, 31)};
  CHECK(leap.days() == 366);
  Calendar plain{Date::from_ymd(2021, 1, 1), Date::from_ymd(2021, 12, 31)};
  CHECK(plain.days() == 365);
  Calendar one{Date::from_ymd(2021, 5, 5), Date::from_ymd(2021, 5, 5)};
  CHECK(one.days() == 1);

  CHECK(leap.date_of(0) == leap.start);
  CHECK(leap.date_of(leap.days() - 1) == leap.end);
  CHECK(leap.date_of(59).iso() == "2020-02-29");
  for (int d = 0; d < leap.days(); ++d) REQUIRE(leap.day_of(leap.date_of(d)) == d);
  CHECK(leap.day_of(Date::from_ymd(2019, 12, 31)) == -1);
}
