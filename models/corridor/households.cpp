// Model v2 mechanism, who travels (docs/model.md §3.16): the choice is in households.hpp.
#include "models/corridor/households.hpp"

#include <algorithm>
#include <cmath>

#include "models/corridor/limits.hpp"

namespace corridor::cm {

void Households::Params::declare(Declarer& d, Params& p) {
  d.module("Who travels (model v2)", "`Households` in `households.cpp`, §3.16");
  d.flag("households.enabled", p.enabled, false, kModelV2Switch);
  d.number("households.choice_sensitivity", p.choice_sensitivity, 5.0, "per unit openness",
           Bounds::between(0, kMaxCoefficient),
           "how strongly a household with children picks who travels (family, a child alone, a parent alone) by "
           "the openness it believes each meets; 0: the base rates' mix whatever it believes; assumption, "
           "fitted in the v2 refit (scenarios/calibrated.yaml)");
  d.number("households.parent_share", p.parent_share, 0.2, "share", Range::kProbability,
           "single adults leaving at reference conditions who are parents of a household with children, and so "
           "could have brought them or sent them instead; assumption, fitted in the v2 refit");
}

HouseholdChoice choose_who_travels(const PerDemoNumber& households, const PerDemoNumber& believed, double reference,
                                   double kappa) {
  HouseholdChoice out;
  out.inclusive = reference;
  double total = 0;
  for (double h : households) total += h;
  if (!(total > 0)) return out;  // no pool: nobody chooses
  if (kappa <= 0) {              // the limit kappa -> 0: shares at reference, IV the mean prospect
    for (int d = 0; d < kDemographics; ++d) {
      out.share[d] = households[d] / total;
      out.inclusive += out.share[d] * (believed[d] - reference);
    }
    return out;
  }
  // Utilities relative to the best option present, so that exp never overflows.
  double top = -1e300;
  for (int d = 0; d < kDemographics; ++d)
    if (households[d] > 0) top = std::max(top, kappa * (believed[d] - reference));
  double sum = 0;
  for (int d = 0; d < kDemographics; ++d) {
    out.share[d] = households[d] > 0 ? households[d] / total * std::exp(kappa * (believed[d] - reference) - top) : 0;
    sum += out.share[d];
  }
  for (double& s : out.share) s /= sum;
  out.inclusive = reference + (top + std::log(sum)) / kappa;
  return out;
}

Households::Households(const Params& p, const Perception& perception,
                       const std::array<PerDemoNumber, kNationalities>& base, double family_size)
    : p_(p), perception_(perception), base_(base), family_size_(family_size) {}

void Households::declare_series(SeriesLayout& S) {
  if (!p_.enabled) return;  // results without the mechanism keep their layout
  series_.choice = S.add({"household_choice", "ppm",
                          "share of households with children choosing who travels (family; child alone; a parent "
                          "alone, counted as a single adult), parts per million, for the next day",
                          {nationality_dim(), demographic_dim()}});
}

PerDemoNumber Households::pool(const PerDemoNumber& neutral) const {
  PerDemoNumber h{};
  h[kFamily] = neutral[kFamily] / family_size_;
  h[kChild] = neutral[kChild];
  h[kSingleAdult] = p_.parent_share * neutral[kSingleAdult];
  return h;
}

PerDemoNumber Households::believed(Nationality n) const {
  PerDemoNumber b{};
  for (int d = 0; d < kDemographics; ++d)
    b[d] = perception_.enabled() ? perception_.openness(n, static_cast<Demographic>(d)) : perception_.reference();
  return b;
}

HouseholdChoice Households::choice(Nationality n) const {
  return choose_who_travels(pool(base_[n]), believed(n), perception_.reference(), p_.choice_sensitivity);
}

PerDemoNumber Households::people(Nationality n, const PerDemoNumber& neutral) const {
  const PerDemoNumber h = pool(neutral);
  const HouseholdChoice c = choose_who_travels(h, believed(n), perception_.reference(), p_.choice_sensitivity);
  const double leaving = (h[kFamily] + h[kChild] + h[kSingleAdult]) * perception_.factor_at(n, kFamily, c.inclusive);
  PerDemoNumber out{};
  out[kFamily] = leaving * c.share[kFamily] * family_size_;
  out[kChild] = leaving * c.share[kChild];
  out[kSingleAdult] = (1.0 - p_.parent_share) * neutral[kSingleAdult] * perception_.departure_factor(n, kSingleAdult) +
                      leaving * c.share[kSingleAdult];
  return out;
}

double Households::max_people(Nationality n, Demographic d, const PerDemoNumber& neutral) const {
  const PerDemoNumber h = pool(neutral);
  // IV lies in [0, 1] (a weighted log-mean of openness values in [0, 1]), so the pool's factor
  // is at most the families' largest.
  const double pooled = (h[kFamily] + h[kChild] + h[kSingleAdult]) * perception_.max_departure_factor(n, kFamily);
  switch (d) {
    case kFamily: return pooled * family_size_;
    case kChild: return pooled;
    default:
      return (1.0 - p_.parent_share) * neutral[kSingleAdult] * perception_.max_departure_factor(n, kSingleAdult) +
             pooled;
  }
}

void Households::end_day(Tally& totals) const {
  if (!p_.enabled) return;
  for (int n = 0; n < kNationalities; ++n) {
    const HouseholdChoice c = choice(static_cast<Nationality>(n));
    for (int d = 0; d < kDemographics; ++d) totals[series_.choice.at(n, d)] = std::llround(1e6 * c.share[d]);
  }
}

}  // namespace corridor::cm
