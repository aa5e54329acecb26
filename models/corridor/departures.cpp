// Mechanism 3, departures (docs/model.md §3.3): the equations are in departures.hpp.
#include "models/corridor/departures.hpp"

#include <cmath>
#include <numeric>

namespace corridor::cm {

double push_exponent(const Parameters& p, const PushIndicators& push, Nationality n, Date date) {
  const double hom = push.homicide_rate(n, date) - push.homicide_rate_year(n, p.reference_year);
  const double gdp_loss = 100.0 * (1.0 - push.gdp_per_capita(n, date) / push.gdp_per_capita_year(n, p.reference_year));
  double hurricane = 0;
  if (!(date < p.hurricane_date))
    hurricane = push.hurricane_affected(n) / push.population(n, p.hurricane_date) *
                std::exp(-static_cast<double>(date - p.hurricane_date) / p.hurricane_decay_days);
  const double cpi_mean = std::accumulate(kCpi2019.begin(), kCpi2019.end(), 0.0) / kNationalities;
  return p.beta_homicide * hom + p.beta_gdp * gdp_loss + p.beta_hurricane * hurricane +
         p.beta_governance * (cpi_mean - kCpi2019[n]);
}

double seasonality(const Parameters& p, Date date) {
  const double doy = static_cast<double>(date - Date::from_ymd(date.year(), 1, 1));
  return 1.0 + p.season_amplitude * std::cos(2.0 * M_PI * (doy - p.season_peak_day) / 365.25);
}

double expected_departures(const Parameters& p, const PushIndicators& push, Nationality n, Demographic d, Date date,
                           double perception_factor, double aid_factor) {
  if (!p.departures_on) return 0.0;
  return p.scale * p.base_per_day[n][d] * std::exp(push_exponent(p, push, n, date)) * perception_factor * aid_factor *
         std::max(0.0, seasonality(p, date)) * p.mobility.at(date);
}

double mean_party_size(const Parameters& p, Demographic d) {
  if (d != kFamily) return 1.0;
  double w = 0, s = 0;
  for (int k = 0; k < 5; ++k) {
    w += p.family_size_weights[k];
    s += p.family_size_weights[k] * (k + 2);
  }
  return s / w;
}

int draw_party_size(const Parameters& p, Demographic d, double u) {
  if (d != kFamily) return 1;
  double total = 0;
  for (double w : p.family_size_weights) total += w;
  double acc = 0;
  for (int k = 0; k < 5; ++k) {
    acc += p.family_size_weights[k] / total;
    if (u < acc) return k + 2;
  }
  return 6;
}

}  // namespace corridor::cm
