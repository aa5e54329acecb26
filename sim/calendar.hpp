#pragma once
// Calendar: ISO dates and the day indices the engine counts in (day 0 = the scenario's start).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corridor {

/// A civil date (proleptic Gregorian), stored as days since 1970-01-01.
struct Date {
  std::int32_t days_since_epoch = 0;

  static Date from_ymd(int year, unsigned month, unsigned day);
  std::chrono::year_month_day ymd() const;
  int year() const;
  unsigned month() const;
  unsigned day() const;
  std::string iso() const;  ///< "YYYY-MM-DD"
  Date plus_days(int n) const { return Date{days_since_epoch + n}; }
  friend auto operator<=>(const Date&, const Date&) = default;
  friend int operator-(Date a, Date b) { return a.days_since_epoch - b.days_since_epoch; }
};

/// Parses exactly "YYYY-MM-DD" with a valid month and day; nullopt otherwise.
std::optional<Date> parse_iso_date(std::string_view text);

/// The simulated period: days [0, days) from `start`; `end` is inclusive.
struct Calendar {
  Date start;
  Date end;
  int days() const { return end - start + 1; }
  Date date_of(int day) const { return start.plus_days(day); }
  int day_of(Date d) const { return d - start; }
};

}  // namespace corridor
