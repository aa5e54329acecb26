// Model v2 mechanism, retries that wear out (docs/model.md §3.12): the rule is in retries.hpp.
#include "models/corridor/retries.hpp"

#include <algorithm>
#include <cmath>

namespace corridor::cm {

void Retries::Params::declare(Declarer& d, Params& p) {
  d.module("Retries that wear out (model v2)", "`Retries` in `retries.cpp`, §3.12");
  d.flag("retries.enabled", p.enabled, false, kModelV2Switch);
  d.number("retries.decay.title42", p.decay[kAfterExpulsion], 0.8, "factor per attempt", Range::kProbability,
           "the Title 42 retry share is multiplied by it for every crossing attempt after the first; CBP's "
           "repeat share of 27 % in FY2021 (data/cbp_reencounter_rates.csv) bounds how often people keep "
           "trying; assumption, fitted in the v2 refit (scenarios/calibrated.yaml)");
  d.number("retries.decay.removal", p.decay[kAfterRemoval], 0.7, "factor per attempt", Range::kProbability,
           "as title42, for retrying after a Title 8 removal to the origin (a whole new trip); assumption, "
           "fitted in the v2 refit");
  d.number("retries.decay.mpp", p.decay[kFromMpp], 0.8, "factor per attempt", Range::kProbability,
           "as title42, for crossing again from MPP; the share lost goes to giving up; assumption, fitted in "
           "the v2 refit");
}

double worn_retry_share(double base, double decay, int attempts) {
  return base * std::pow(decay, std::max(attempts, 1) - 1);
}

double Retries::share(Rule rule, double base, int attempts) const {
  return p_.enabled ? worn_retry_share(base, p_.decay[rule], attempts) : base;
}

void Retries::declare_series(SeriesLayout& S) {
  series_.people_month = S.add({"encountered_people_month", "people",
                                "people encountered for their first time in the calendar month (summed over a "
                                "month: the unique people encountered that month, CBP's unique encounters)",
                                {nationality_dim(), demographic_dim()}});
}

void Retries::count_encounter(const DayContext& ctx, const Party& p, ThreadSink& sink) const {
  if (p.encounters() > 0 && p.last_encounter() >= 0) {
    const Date last = ctx.date.plus_days(p.last_encounter() - ctx.day);
    if (last.year() == ctx.date.year() && last.month() == ctx.date.month()) return;
  }
  sink.tally.add(series_.people_month.at(p.nationality, p.demo), p.size);
}

}  // namespace corridor::cm
