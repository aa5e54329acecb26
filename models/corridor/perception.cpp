// Mechanism 4, perceived US policy (docs/model.md §3.4): the update rule is in perception.hpp.
#include "models/corridor/perception.hpp"

#include <algorithm>
#include <cmath>

namespace corridor::cm {

Perception::Perception(const Parameters& p) : p_(p) {
  for (auto& row : value_) row.fill(p.perception_initial);
}

void Perception::announce(Date date) {
  if (!p_.perception_on) return;
  for (const auto& a : p_.announcements)
    if (a.date == date)
      for (auto& row : value_)
        for (int d = 0; d < kDemographics; ++d)
          if (a.applies[d]) row[d] = std::clamp(row[d] + a.jump, 0.0, 1.0);
}

double Perception::departure_factor(Nationality n, Demographic d) const {
  if (!p_.perception_on) return 1.0;
  return std::exp(p_.perception_gamma[d] * (value_[n][d] - p_.perception_reference));
}

void Perception::report(Date date, const Day& encountered, const Day& let_in) {
  if (!p_.perception_on) return;
  enc_window_.push_back(encountered);
  in_window_.push_back(let_in);
  while (enc_window_.size() > static_cast<std::size_t>(std::max(1.0, p_.report_window_days))) {
    enc_window_.pop_front();
    in_window_.pop_front();
  }
  const double m = p_.misinformation.at(date);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) {
      double enc = 0, in = 0;
      for (std::size_t k = 0; k < enc_window_.size(); ++k) {
        enc += enc_window_[k][n][d];
        in += in_window_[k][n][d];
      }
      if (enc <= 0) continue;  // no reports: the perception holds
      const double actual = in / enc;
      double& v = value_[n][d];
      v = std::clamp(v + (actual + m - v) / p_.perception_relax_days, 0.0, 1.0);
    }
}

}  // namespace corridor::cm
