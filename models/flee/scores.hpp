#pragma once
// Location rules of one day (docs/flee-rules.md "Move decision", "Location score", "Route choice"):
// what a location is today, how likely agents leave it, how attractive it is and how full.
#include "models/flee/case.hpp"
#include "models/flee/settings.hpp"

namespace corridor::flee {

/// What a location acts as today: a conflict zone while its intensity is > 0; a closed camp
/// and a conflict zone outside conflict act as towns; otherwise its type.
LocationType effective_type(LocationType base, bool in_conflict, bool camp_closed);

/// Daily move chance by effective type (conflict 1.0, camp 0.001, IDP camp 0.1, town 0.3,
/// marker 1.0 by default).
double move_chance(LocationType effective, const FleeSettings& s);

/// S = 1 x foreign_weight (if foreign) x camp_weight (if camp-like) x
///     conflict_weight^(decay x intensity) (if in conflict).
double location_score(const FleeSettings& s, bool foreign, bool camp_like, bool in_conflict, double intensity,
                      double decay);

/// C: 1 if cap < 1 or occupancy <= buffer x cap; 0 at occupancy >= cap; linear in between,
/// with cap = capacity x capacity_scaling.
double capacity_factor(double capacity, double occupancy, const FleeSettings& s);

}  // namespace corridor::flee
