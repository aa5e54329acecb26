#pragma once
// Mechanism 8, aid at origin (docs/model.md §3.8). Aid disbursed per head by date t:
//   a(n, t) = amount * allocation(n) * clamp((t - start) / ramp_days, 0, 1) / population(n, t)
// and departures scale by (1 + hump * a) * exp(-effect * a): with hump > effect the first
// dollars raise departures (the "migration hump"), later ones lower them.
//
// Reads: the push indicators (population). Writes: today's factor per nationality, which
// departures read (Departures::begin_day).
#include <array>

#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/push_factors.hpp"
#include "sim/calendar.hpp"

namespace corridor::cm {

class Aid {
 public:
  struct Params {
    bool enabled = true;
    double amount_usd = 0;
    Date start;
    double ramp_days = 0, effect = 0, hump = 0;
    std::array<double, kNationalities> allocation{};
    /// aid.*
    static void declare(Declarer& d, Params& p);
  };

  Aid(const Params& p, const PushIndicators& push) : p_(p), push_(push) {}

  /// Today's factors (before departures).
  void begin_day(Date date);
  /// Today's departure factor F_aid for nationality n (1 without aid).
  double factor(Nationality n) const { return factor_[n]; }
  /// The factor for nationality n on any date (for foreseeing a run's departures).
  double factor_on(Nationality n, Date date) const;

 private:
  const Params& p_;
  const PushIndicators& push_;
  std::array<double, kNationalities> factor_{};
};

/// a(n, t) above, USD per head disbursed by `date`.
double aid_per_capita(const Aid::Params& p, const PushIndicators& push, Nationality n, Date date);
/// F_aid(n, t) = (1 + hump a) exp(-effect a).
double aid_factor(const Aid::Params& p, const PushIndicators& push, Nationality n, Date date);

}  // namespace corridor::cm
