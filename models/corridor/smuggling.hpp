#pragma once
// Smugglers (docs/model.md §3.5, "Smugglers"): who hires one, what it changes, what it costs.
// A new party hires a smuggler (coyote) with its demographic's share, once, for good (the
// `smuggler` column; with the v2 diaspora on, relatives in the US raise the share, §3.15). A smuggled party travels and rests faster (speed factor), is intercepted
// by Mexico less often (interception factor, also in the route risk), and pays the fee per
// person each time it sets off: at every trip start and every retried crossing (pay()). The
// fee changes no flow; the series smuggling_fees counts it.
//
// Reads: nothing of the day. Writes: the series smuggling_fees.
#include <cmath>
#include <cstdint>

#include "models/corridor/declarer.hpp"
#include "models/corridor/party.hpp"
#include "sim/model.hpp"
#include "sim/rng.hpp"
#include "sim/tally.hpp"

namespace corridor::cm {

class Smuggling {
 public:
  struct Params {
    PerDemoNumber share{};
    double speed = 1, interception = 1, fee_usd = 0;
    /// travel.smuggler_*
    static void declare(Declarer& d, Params& p);
  };

  explicit Smuggling(const Params& p);
  void declare_series(SeriesLayout& series);

  /// The share of new parties of demographic d that hire a smuggler (Departures draws it, after
  /// the v2 diaspora's pull, §3.15).
  double share(Demographic d) const { return p_.share[d]; }
  /// Multiplies travel speeds and divides rests.
  double speed_factor(bool smuggled) const { return smuggled ? p_.speed : 1.0; }
  /// Multiplies Mexican interception probabilities.
  double interception_factor(bool smuggled) const { return smuggled ? p_.interception : 1.0; }
  /// A smuggled party pays the fee, per person, for the trip or retry it sets off on.
  void pay(const Party& p, ThreadSink& sink) const {
    if (p.smuggled) sink.tally.add(series_.fees.at(p.nationality), fee_usd_ * p.size);
  }

  /// A smuggled party pays `usd_per_person` more (the v2 fee for a section of Mexico, §3.13).
  void charge(const Party& p, double usd_per_person, ThreadSink& sink) const {
    if (p.smuggled) sink.tally.add(series_.fees.at(p.nationality), std::llround(usd_per_person) * p.size);
  }

  const Params& params() const { return p_; }
  struct Series {
    SeriesId fees;  ///< smuggling_fees [nationality], USD
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  std::int64_t fee_usd_;  ///< whole dollars
  Series series_;
};

}  // namespace corridor::cm
