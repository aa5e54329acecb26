#include "models/flee/conflicts.hpp"

#include <algorithm>

namespace corridor::flee {

double conflict_decay(const std::vector<double>& decay, int interval, int days_since_start) {
  if (decay.empty()) return 1.0;
  const int i = std::min(std::max(days_since_start, 0) / std::max(interval, 1), static_cast<int>(decay.size()) - 1);
  return decay[static_cast<std::size_t>(i)];
}

ConflictState::ConflictState(const FleeCase& c)
    : table_(c.conflicts),
      column_(c.locations.size(), -1),
      date_(c.locations.size(), -1),
      decay_list_(c.settings.conflict_spawn_decay),
      interval_(c.settings.conflict_spawn_decay_interval),
      intensity_(c.locations.size(), 0.0),
      start_(c.locations.size(), -1) {
  for (std::size_t k = 0; k < table_.locations.size(); ++k) column_[table_.locations[k]] = static_cast<int>(k);
  for (std::size_t i = 0; i < c.locations.size(); ++i) {
    type_.push_back(c.locations[i].type);
    if (c.locations[i].conflict_date) date_[i] = *c.locations[i].conflict_date;
  }
}

double ConflictState::scheduled_intensity(std::uint32_t loc, int day) const {
  if (column_[loc] >= 0) {
    // The last row given on or before `day` holds; before the first row there is no conflict.
    auto it = std::upper_bound(table_.days.begin(), table_.days.end(), day);
    if (it == table_.days.begin()) return 0.0;
    const auto row = static_cast<std::size_t>(it - table_.days.begin() - 1);
    return table_.values[row][static_cast<std::size_t>(column_[loc])];
  }
  if (type_[loc] == LocationType::kConflictZone) return day >= std::max(date_[loc], 0) ? 1.0 : 0.0;
  return 0.0;
}

void ConflictState::advance_to(int day) {
  for (std::uint32_t i = 0; i < intensity_.size(); ++i) {
    const double now = scheduled_intensity(i, day);
    if (now > 0 && !(intensity_[i] > 0)) start_[i] = day;
    if (!(now > 0)) start_[i] = -1;
    intensity_[i] = now;
  }
  day_ = day;
}

double ConflictState::decay(std::uint32_t loc, int day) const {
  if (start_[loc] < 0) return 1.0;
  return conflict_decay(decay_list_, interval_, day - start_[loc]);
}

}  // namespace corridor::flee
