#include "sim/schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace corridor {

double ScheduleChange::apply(double v) const { return std::clamp(v * scale + add, min, max); }

Schedule::Schedule(std::vector<Point> points) : points_(std::move(points)) {
  if (points_.empty()) throw std::invalid_argument("schedule needs at least one point");
  for (std::size_t i = 1; i < points_.size(); ++i)
    if (!(points_[i - 1].date < points_[i].date))
      throw std::invalid_argument("schedule dates must increase strictly");
}

Schedule Schedule::changed(const ScheduleChange& change) const {
  Schedule s = *this;
  s.changes_.push_back(change);
  return s;
}

double Schedule::base_at(Date d) const {
  // First point whose date is after d; the one before it is in force.
  auto it = std::upper_bound(points_.begin(), points_.end(), d,
                             [](Date x, const Point& p) { return x < p.date; });
  if (it == points_.begin()) return points_.front().value;
  if (it != points_.end() && it->ramp) {
    const Point& prev = *(it - 1);
    const double frac = static_cast<double>(d - prev.date) / static_cast<double>(it->date - prev.date);
    return prev.value + frac * (it->value - prev.value);
  }
  return (it - 1)->value;
}

double Schedule::at(Date d, std::size_t changes) const {
  if (changes == 0) return base_at(d);
  const ScheduleChange& c = changes_[changes - 1];
  const double inherited = at(d.plus_days(-c.shift_days), changes - 1);
  return c.applies(d) ? c.apply(inherited) : inherited;
}

double Schedule::at(Date d) const { return changes_.empty() ? base_at(d) : at(d, changes_.size()); }

std::vector<Date> Schedule::critical_dates() const {
  // Between these dates the value is linear in the date, so its extremes are at them.
  std::vector<Date> base;
  for (const auto& p : points_) base.push_back(p.date);
  for (std::size_t k = 0; k < changes_.size(); ++k) {
    const ScheduleChange& c = changes_[k];
    for (auto& d : base) d = d.plus_days(c.shift_days);  // where the inherited formula changes, seen from outside
    if (c.from) base.push_back(*c.from);
    if (c.until) base.push_back(*c.until);
  }
  std::vector<Date> out;
  for (const Date d : base) {
    out.push_back(d);
    out.push_back(d.plus_days(-1));
  }
  return out;
}

bool Schedule::is_constant() const { return min_value() == max_value(); }

double Schedule::min_value() const {
  double m = at(points_.front().date);
  for (const Date d : critical_dates()) m = std::min(m, at(d));
  return m;
}

double Schedule::max_value() const {
  double m = at(points_.front().date);
  for (const Date d : critical_dates()) m = std::max(m, at(d));
  return m;
}

std::vector<double> Schedule::tabulate(const Calendar& cal) const {
  std::vector<double> v(static_cast<std::size_t>(std::max(cal.days(), 0)));
  for (int d = 0; d < cal.days(); ++d) v[d] = at(cal.date_of(d));
  return v;
}

}  // namespace corridor
