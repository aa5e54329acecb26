#pragma once
// Time-varying parameters: piecewise constant by date, with optional linear ramps.
#include <string>
#include <vector>

#include "sim/calendar.hpp"

namespace corridor {

/// A value that changes with the date. Points are sorted by date; a point's value holds from
/// its date until the next point. A point marked `ramp` is reached linearly from the previous
/// point's value over the days between the two dates. Before the first point the first value
/// holds. A constant is a schedule with one point.
class Schedule {
 public:
  struct Point {
    Date date;
    double value = 0;
    bool ramp = false;
  };

  Schedule() = default;
  explicit Schedule(double constant) : points_{Point{Date{}, constant, false}} {}
  explicit Schedule(std::vector<Point> points);  ///< points must be sorted by strictly increasing date

  double at(Date d) const;
  bool is_constant() const;
  double min_value() const;
  double max_value() const;
  const std::vector<Point>& points() const { return points_; }

  /// Values for every day of the calendar, for O(1) lookups in the day loop.
  std::vector<double> tabulate(const Calendar& cal) const;

 private:
  std::vector<Point> points_;
};

}  // namespace corridor
