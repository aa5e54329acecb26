#pragma once
// Mechanism 8, aid at origin (docs/model.md §3.8). Aid disbursed per head by date t:
//   a(n, t) = amount * allocation(n) * clamp((t - start) / ramp_days, 0, 1) / population(n, t)
// and departures scale by (1 + hump * a) * exp(-effect * a): with hump > effect the first
// dollars raise departures (the "migration hump"), later ones lower them.
#include <algorithm>
#include <cmath>

#include "models/corridor/parameters.hpp"
#include "models/corridor/push_factors.hpp"

namespace corridor::cm {

inline double aid_per_capita(const Parameters& p, const PushIndicators& push, Nationality n, Date date) {
  if (!p.aid_on || p.aid_usd <= 0 || date < p.aid_start) return 0.0;
  const double frac = std::clamp(static_cast<double>(date - p.aid_start) / p.aid_ramp_days, 0.0, 1.0);
  return p.aid_usd * p.aid_allocation[n] * frac / push.population(n, date);
}

inline double aid_factor(const Parameters& p, const PushIndicators& push, Nationality n, Date date) {
  const double a = aid_per_capita(p, push, n, date);
  return (1.0 + p.aid_hump * a) * std::exp(-p.aid_effect * a);
}

}  // namespace corridor::cm
