#pragma once
// Mechanism 3, departures (docs/model.md §3.3). Residents are counts, not agents: each day
// the expected number of people leaving, per nationality and demographic, is
//
//   lambda = scale * base_per_day[n][d] * exp(push(n, t)) * perception(n, d, t) * aid(n, t)
//            * season(t) * mobility(t),
//   push(n, t) = b_hom (hom(n,t) - hom(n,ref)) + b_gdp 100 (1 - gdp(n,t)/gdp(n,ref))
//              + b_hur (affected(n)/pop(n)) exp(-(t - t_hur)/tau) [t >= t_hur]
//              + b_gov (mean CPI - CPI(n)),
//   season(t) = 1 + A cos(2 pi (day_of_year - peak) / 365.25),
//
// and the number of parties from each origin is Poisson(lambda * share / mean party size).
#include <array>

#include "models/corridor/categories.hpp"
#include "models/corridor/parameters.hpp"
#include "models/corridor/push_factors.hpp"

namespace corridor::cm {

/// Corruption Perceptions Index 2019 (Transparency International): MX 29, GT 26, HN 26, SV 34.
inline constexpr std::array<double, kNationalities> kCpi2019 = {29, 26, 26, 34};

/// The exponent push(n, t) above.
double push_exponent(const Parameters& p, const PushIndicators& push, Nationality n, Date date);
/// season(t) above.
double seasonality(const Parameters& p, Date date);
/// Expected people leaving per day (perception and aid factors supplied by their mechanisms).
double expected_departures(const Parameters& p, const PushIndicators& push, Nationality n, Demographic d, Date date,
                           double perception_factor, double aid_factor);
/// Mean size of a party of demographic d (family sizes 2-6 by their weights; others 1).
double mean_party_size(const Parameters& p, Demographic d);
/// Draws a party size for demographic d from one uniform number in [0, 1).
int draw_party_size(const Parameters& p, Demographic d, double u);

}  // namespace corridor::cm
