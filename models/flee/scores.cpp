#include "models/flee/scores.hpp"

#include <cmath>

#include "models/flee/inputs.hpp"

namespace corridor::flee {

LocationType effective_type(LocationType base, bool in_conflict, bool camp_closed) {
  if (in_conflict) return LocationType::kConflictZone;
  if (base == LocationType::kConflictZone) return LocationType::kTown;
  if (camp_closed && (base == LocationType::kCamp || base == LocationType::kIdpCamp)) return LocationType::kTown;
  return base;
}

double move_chance(LocationType effective, const FleeSettings& s) { return base_move_chance(effective, s); }

double location_score(const FleeSettings& s, bool foreign, bool camp_like, bool in_conflict, double intensity,
                      double decay) {
  double score = 1.0;
  if (foreign) score *= s.foreign_weight;
  if (camp_like) score *= s.camp_weight;
  if (in_conflict) score *= std::pow(s.conflict_weight, decay * intensity);
  return score;
}

double capacity_factor(double capacity, double occupancy, const FleeSettings& s) {
  const double cap = capacity * s.capacity_scaling;
  if (cap < 1.0) return 1.0;
  const double full_from = s.capacity_buffer * cap;
  if (occupancy <= full_from) return 1.0;
  if (occupancy >= cap) return 0.0;
  return 1.0 - (occupancy - full_from) / (cap - full_from);
}

}  // namespace corridor::flee
