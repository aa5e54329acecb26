#pragma once
// Conflict schedules (docs/flee-rules.md "Time and order of a day", step 1): each day sets every
// location's intensity; a location whose intensity goes from 0 to > 0 becomes a conflict zone
// and records the day as its conflict start; > 0 to 0 ends it.
#include <cstdint>
#include <vector>

#include "models/flee/case.hpp"

namespace corridor::flee {

/// decay(days since the conflict started): the list entry floor(days / interval), the last
/// entry holding after the list ends; 1 when no list is given (docs/flee-rules.md "Location score").
double conflict_decay(const std::vector<double>& decay, int interval, int days_since_start);

class ConflictState {
 public:
  explicit ConflictState(const FleeCase& c);

  /// Applies day `day`'s intensities. Days must be visited in increasing order.
  void advance_to(int day);

  double intensity(std::uint32_t loc) const { return intensity_[loc]; }
  bool in_conflict(std::uint32_t loc) const { return intensity_[loc] > 0; }
  int start(std::uint32_t loc) const { return start_[loc]; }
  /// The decay factor of `loc` on `day` (1 when not in conflict).
  double decay(std::uint32_t loc, int day) const;

  /// Intensity of `loc` on `day` from the inputs: its conflicts.csv column if it has one,
  /// else 1 from its conflict_date on for conflict zones (day 0 when no date is given).
  double scheduled_intensity(std::uint32_t loc, int day) const;

 private:
  ConflictTable table_;  ///< a copy, so that the state never refers into a moved case
  std::vector<int> column_;  ///< location -> conflicts.csv column, -1 if none
  std::vector<LocationType> type_;
  std::vector<int> date_;    ///< conflict_date, -1 if none
  std::vector<double> decay_list_;
  int interval_;
  std::vector<double> intensity_;
  std::vector<int> start_;
  int day_ = -1;
};

}  // namespace corridor::flee
