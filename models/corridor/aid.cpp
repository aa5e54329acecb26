// Mechanism 8, aid at origin (docs/model.md §3.8): the equations are in aid.hpp.
#include "models/corridor/aid.hpp"

#include <algorithm>
#include <cmath>

namespace corridor::cm {

void Aid::Params::declare(Declarer& d, Params& p) {
  d.module("Aid at origin", "`Aid` in `aid.cpp`, §3.8");
  d.flag("aid.enabled", p.enabled, true, "mechanism switch");
  d.number("aid.amount_usd", p.amount_usd, 0, "USD", Range::kNonNegative,
           "total development aid (the 2021 plan pledged 4 billion USD; the default assumes none reached people)");
  d.date("aid.start", p.start, "2021-07-29", "Root Causes Strategy (policy_timeline.csv)");
  d.number("aid.ramp_days", p.ramp_days, 1460, "days", Range::kPositive,
           "disbursement spread linearly over four years");
  for (int n = 0; n < kNationalities; ++n) {
    const std::array<double, 4> def{0.0, 0.4, 0.35, 0.25};
    d.number("aid.allocation." + kNationalityKeys[n], p.allocation[n], def[n], "share", Range::kProbability,
             "share of the aid going to each country (Northern Triangle focus of the Root Causes Strategy)");
  }
  d.number("aid.effect_per_usd", p.effect, 0.002, "per USD/capita", Range::kNonNegative,
           "departures scale by exp(-effect x aid per capita); 4 bn over 33 million people (~120 USD each) cuts "
           "departures ~21%; assumption");
  d.number("aid.hump", p.hump, 0.0, "per USD/capita", Range::kNonNegative,
           "migration hump: (1 + hump x aid per capita) first raises departures (Clemens 2014); off by default");
}

void Aid::begin_day(Date date) {
  for (int n = 0; n < kNationalities; ++n) factor_[n] = aid_factor(p_, push_, static_cast<Nationality>(n), date);
}

double aid_per_capita(const Aid::Params& p, const PushIndicators& push, Nationality n, Date date) {
  if (!p.enabled || p.amount_usd <= 0 || date < p.start) return 0.0;
  const double frac = std::clamp(static_cast<double>(date - p.start) / p.ramp_days, 0.0, 1.0);
  return p.amount_usd * p.allocation[n] * frac / push.population(n, date);
}

double aid_factor(const Aid::Params& p, const PushIndicators& push, Nationality n, Date date) {
  const double a = aid_per_capita(p, push, n, date);
  return (1.0 + p.hump * a) * std::exp(-p.effect * a);
}

}  // namespace corridor::cm
