#pragma once
// Mechanism 4, perceived US policy (docs/model.md §3.4). For each nationality n and
// demographic d, a perceived openness P in [0, 1] (the chance of being let in, as people at
// origin believe it). Each day
//
//   P <- P + (O_d + m(t) - P) / relax_days        (returnees' reports; m = misinformation)
//   P <- P + jump                                  (on the date of an announcement)
//
// where O_d is the actual openness: the share of people encountered at the US border in
// the last `report_window_days` who were released or got in (yesterday's figures), by
// nationality and demographic. It scales departures by exp(gamma_d (P - P_ref)), so a larger
// gamma for families and children shifts the mix toward them when the border seems open.
#include <array>
#include <deque>

#include <hdf5.h>

#include "models/corridor/categories.hpp"
#include "models/corridor/parameters.hpp"

namespace corridor::cm {

class Perception {
 public:
  explicit Perception(const Parameters& p);
  /// Applies announcements dated `date` (call once per day before departures).
  void announce(Date date);
  /// Departure multiplier exp(gamma_d (P - P_ref)); 1 when the mechanism is off.
  double departure_factor(Nationality n, Demographic d) const;
  double openness(Nationality n, Demographic d) const { return value_[n][d]; }
  /// End of day: people encountered and people let in (released or undetected) today.
  void report(Date date, const std::array<std::array<double, kDemographics>, kNationalities>& encountered,
              const std::array<std::array<double, kDemographics>, kNationalities>& let_in);
  /// Checkpoints: the perceived values and the window of recent reports (saved_state.cpp).
  void save(hid_t group) const;
  void load(hid_t group);

 private:
  const Parameters& p_;
  std::array<std::array<double, kDemographics>, kNationalities> value_{};
  using Day = std::array<std::array<double, kDemographics>, kNationalities>;
  std::deque<Day> enc_window_, in_window_;
};

}  // namespace corridor::cm
