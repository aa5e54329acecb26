#include "models/flee/case.hpp"

#include <cmath>

namespace corridor::flee {

const char* type_name(LocationType t) {
  switch (t) {
    case LocationType::kTown: return "town";
    case LocationType::kConflictZone: return "conflict_zone";
    case LocationType::kCamp: return "camp";
    case LocationType::kIdpCamp: return "idpcamp";
    case LocationType::kMarker: return "marker";
  }
  return "?";
}

std::int64_t CountSeries::at(int day) const {
  if (days.empty()) return 0;
  if (day <= days.front()) return static_cast<std::int64_t>(std::trunc(values.front()));
  for (std::size_t i = 1; i < days.size(); ++i) {
    if (day < days[i]) {
      const double fraction = static_cast<double>(day - days[i - 1]) / static_cast<double>(days[i] - days[i - 1]);
      return static_cast<std::int64_t>(std::trunc(values[i - 1] + fraction * (values[i] - values[i - 1])));
    }
  }
  return static_cast<std::int64_t>(std::trunc(values.back()));
}

void apply_hasten(FleeCase& c) {
  const double n = c.settings.hasten;
  if (n == 1) return;
  for (auto& l : c.locations) l.population /= n;
  if (c.validation) {
    if (c.validation->total)
      for (auto& v : c.validation->total->values) v /= n;
    for (auto* group : {&c.validation->series, &c.validation->uncompared})
      for (auto& s : *group)
        for (auto& v : s.values) v /= n;
  }
}

}  // namespace corridor::flee
