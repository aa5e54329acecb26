// Smugglers (docs/model.md §3.5): who hires one is drawn at departure, the rest is in smuggling.hpp.
#include "models/corridor/smuggling.hpp"

#include <cmath>

#include "models/corridor/limits.hpp"

namespace corridor::cm {

void Smuggling::Params::declare(Declarer& d, Params& p) {
  d.module("Smugglers", "`Smuggling` in `smuggling.hpp`, §3.5");
  d.per_demo("travel.smuggler_share", p.share, {0.4, 0.5, 0.7}, "share", Range::kProbability,
             "parties that hire a smuggler (coyote); surveys of returnees report roughly half; assumption");
  d.number("travel.smuggler_speed", p.speed, 2.0, "factor", Bounds::between(kMinSpeedFactor, kMaxSpeedFactor),
           "smuggled parties travel faster and rest less");
  d.number("travel.smuggler_interception", p.interception, 0.4, "factor", non_negative_at_most(kMaxFactor),
           "multiplies Mexican interception probabilities for smuggled parties");
  d.number("travel.smuggler_fee_usd", p.fee_usd, 7000, "USD per person", non_negative_at_most(kMaxUsd),
           "paid per person for each trip or retried crossing that sets off with a smuggler (output series "
           "smuggling_fees); fees of 5,000-10,000 USD are commonly reported; not in the route utility, where a "
           "flat fee would cancel");
}

Smuggling::Smuggling(const Params& p) : p_(p), fee_usd_(std::llround(p.fee_usd)) {}

void Smuggling::declare_series(SeriesLayout& S) {
  series_.fees = S.add({"smuggling_fees", "USD",
                        "smugglers' fees paid: travel.smuggler_fee_usd per person of a smuggled party setting off on a "
                        "trip or deciding to retry a crossing (after an expulsion, or from MPP)",
                        {nationality_dim()}});
}

}  // namespace corridor::cm
