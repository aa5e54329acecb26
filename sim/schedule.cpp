#include "sim/schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace corridor {

Schedule::Schedule(std::vector<Point> points) : points_(std::move(points)) {
  if (points_.empty()) throw std::invalid_argument("schedule needs at least one point");
  for (std::size_t i = 1; i < points_.size(); ++i)
    if (!(points_[i - 1].date < points_[i].date))
      throw std::invalid_argument("schedule dates must increase strictly");
}

double Schedule::at(Date d) const {
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

bool Schedule::is_constant() const { return min_value() == max_value(); }

double Schedule::min_value() const {
  double m = points_.front().value;
  for (const auto& p : points_) m = std::min(m, p.value);
  return m;
}

double Schedule::max_value() const {
  double m = points_.front().value;
  for (const auto& p : points_) m = std::max(m, p.value);
  return m;
}

std::vector<double> Schedule::tabulate(const Calendar& cal) const {
  std::vector<double> v(static_cast<std::size_t>(std::max(cal.days(), 0)));
  for (int d = 0; d < cal.days(); ++d) v[d] = at(cal.date_of(d));
  return v;
}

}  // namespace corridor
