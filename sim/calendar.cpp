#include "sim/calendar.hpp"

#include <cctype>
#include <cstdio>

namespace corridor {

using namespace std::chrono;

Date Date::from_ymd(int y, unsigned m, unsigned d) {
  const sys_days sd{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return Date{static_cast<std::int32_t>(sd.time_since_epoch().count())};
}

year_month_day Date::ymd() const { return year_month_day{sys_days{std::chrono::days{days_since_epoch}}}; }
int Date::year() const { return static_cast<int>(ymd().year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd().month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd().day()); }

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

std::optional<Date> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  auto num = [&](int pos, int len) {
    int v = 0;
    for (int i = 0; i < len; ++i) v = v * 10 + (s[pos + i] - '0');
    return v;
  };
  const year_month_day ymd{std::chrono::year{num(0, 4)}, std::chrono::month{static_cast<unsigned>(num(5, 2))},
                           std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count())};
}

}  // namespace corridor
