#pragma once
// Time-varying parameters: piecewise constant by date, with optional linear ramps, and the
// changes a scenario may make to a schedule it inherits (docs/scenarios.md, "Changing an
// inherited schedule").
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/calendar.hpp"

namespace corridor {

/// A change to an inherited schedule, as an intervention states it: on the days in
/// [from, until) the inherited value v becomes clamp(v * scale + add, min, max); `shift_days`
/// moves the inherited schedule later in time (value(t) = inherited(t - shift_days)).
struct ScheduleChange {
  double scale = 1.0;
  double add = 0.0;
  std::optional<Date> from, until;  ///< absent: from the beginning / to the end
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  int shift_days = 0;

  bool applies(Date d) const { return (!from || !(d < *from)) && (!until || d < *until); }
  double apply(double v) const;
};

/// A value that changes with the date. Points are sorted by date; a point's value holds from
/// its date until the next point. A point marked `ramp` is reached linearly from the previous
/// point's value over the days between the two dates. Before the first point the first value
/// holds. A constant is a schedule with one point. Changes (ScheduleChange) apply on top, in
/// the order they were made.
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

  /// This schedule with `change` applied on top of every change so far.
  Schedule changed(const ScheduleChange& change) const;

  double at(Date d) const;
  bool is_constant() const;
  /// The least and greatest value the schedule takes on any date.
  double min_value() const;
  double max_value() const;
  /// The points of the schedule as written, before any change.
  const std::vector<Point>& points() const { return points_; }
  const std::vector<ScheduleChange>& changes() const { return changes_; }

  /// Values for every day of the calendar, for O(1) lookups in the day loop.
  std::vector<double> tabulate(const Calendar& cal) const;

 private:
  double base_at(Date d) const;
  double at(Date d, std::size_t changes) const;
  /// Dates where the value may reach an extreme: every date where its formula changes, and the day before.
  std::vector<Date> critical_dates() const;
  std::vector<Point> points_;
  std::vector<ScheduleChange> changes_;
};

}  // namespace corridor
