// Corridor model v2, who travels (models/corridor/households.cpp, docs/model.md §3.16). The
// households' logit and its inclusive value are computed by hand, at its limits (kappa 0, a
// strong response, an empty pool) and at reference beliefs, where departures are the neutral
// ones whatever kappa; the people per demographic follow the nested rule by hand. Then, in the
// model, families believed expelled and children admitted make households send their children:
// the day's parties of Guatemalan children and families, with the mechanism on and off, are
// compared with the ratio the rule predicts, by Bernstein's inequality at delta = 1e-6 per
// check (corridor_support.hpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "corridor_support.hpp"
#include "models/corridor/households.hpp"
#include "models/corridor/party.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::bernstein_bound;
using corridor::test::CorridorBench;

namespace {

/// Perception at `value` for every nationality and demographic, reference 0.3, gamma 1, 2, 3.
Perception::Params perception_at(const Perception::Params& base, double value) {
  Perception::Params p = base;
  p.enabled = true;
  p.initial = value;
  p.reference = 0.3;
  p.gamma = {1.0, 2.0, 3.0};
  p.announcements.clear();
  return p;
}

Households::Params households_on(double kappa, double parent_share) {
  Households::Params p;
  p.enabled = true;
  p.choice_sensitivity = kappa;
  p.parent_share = parent_share;
  return p;
}

}  // namespace

TEST_CASE("the households' logit and inclusive value, by hand") {
  // Options indexed by demographic: single adult (a parent alone), family, child.
  // Family and child pools equal, no parent option; the child option believed ln(3)/2 more open
  // at kappa 2: weights 1 and 3, shares 1/4 and 3/4, IV = 0.3 + ln((1 + 3) / 2) / 2.
  const double gap = std::log(3.0) / 2.0;
  HouseholdChoice c = choose_who_travels({0, 10, 10}, {0.9, 0.3, 0.3 + gap}, 0.3, 2.0);
  CHECK(c.share[kSingleAdult] == 0.0);  // an empty option gets nobody, whatever it is believed
  CHECK(c.share[kFamily] == Approx(0.25).epsilon(1e-12));
  CHECK(c.share[kChild] == Approx(0.75).epsilon(1e-12));
  CHECK(c.inclusive == Approx(0.3 + std::log(2.0) / 2.0).epsilon(1e-12));

  // At reference beliefs: the pool's own mix and IV = reference, for any kappa.
  for (const double kappa : {0.0, 0.5, 5.0, 60.0}) {
    c = choose_who_travels({2, 1, 1}, {0.3, 0.3, 0.3}, 0.3, kappa);
    CHECK(c.share[kSingleAdult] == Approx(0.5));
    CHECK(c.share[kFamily] == Approx(0.25));
    CHECK(c.share[kChild] == Approx(0.25));
    CHECK(c.inclusive == Approx(0.3));
  }
  // kappa 0: the mix at reference whatever is believed; IV the pool's mean prospect.
  c = choose_who_travels({2, 1, 1}, {0.5, 0.1, 0.9}, 0.3, 0.0);
  CHECK(c.share[kSingleAdult] == Approx(0.5));
  CHECK(c.share[kChild] == Approx(0.25));
  CHECK(c.inclusive == Approx(0.3 + 0.5 * 0.2 + 0.25 * -0.2 + 0.25 * 0.6));
  // A strong response: (nearly) everyone takes the best option, IV near its openness, no overflow.
  c = choose_who_travels({1e6, 1e6, 1e6}, {0.0, 0.0, 1.0}, 0.3, 60.0);
  CHECK(c.share[kChild] == Approx(1.0).epsilon(1e-12));
  CHECK(c.inclusive == Approx(1.0 - std::log(3.0) / 60.0).epsilon(1e-12));
  // No pool: nobody chooses.
  c = choose_who_travels({0, 0, 0}, {0.9, 0.9, 0.9}, 0.3, 5.0);
  CHECK(c.share == PerDemoNumber{0, 0, 0});
  CHECK(c.inclusive == 0.3);
}

TEST_CASE("at reference beliefs the households send the neutral departures, whatever kappa") {
  CorridorBench b({});
  const Perception::Params pp = perception_at(b.params().perception, 0.3);
  const Perception per(pp);
  const std::array<PerDemoNumber, kNationalities> base = {{{600, 40, 35}, {230, 380, 100}, {170, 430, 75}, {60, 140, 40}}};
  for (const double kappa : {0.0, 5.0, 40.0}) {
    const Households::Params hp = households_on(kappa, 0.4);
    const Households h(hp, per, base, 2.5);
    const PerDemoNumber neutral = {23.0, 38.0, 10.0};
    const PerDemoNumber out = h.people(kGuatemala, neutral);
    for (int d = 0; d < kDemographics; ++d) CHECK(out[d] == Approx(neutral[d]).epsilon(1e-12));
  }
}

TEST_CASE("the people leaving per demographic follow the nested choice, by hand") {
  // Every perception at 0.2 (reference 0.3); children then announced +0.5 (0.7): families and
  // parents believe 0.2, children 0.7. kappa 2, parent share 0.5, family size 2.
  CorridorBench b({});
  Perception::Params pp = perception_at(b.params().perception, 0.2);
  pp.announcements = {{Date::from_ymd(2020, 6, 1), 0.5, {{false, false, true}}, "children admitted"}};
  Perception per(pp);
  per.announce(Date::from_ymd(2020, 6, 1));
  REQUIRE(per.openness(kHonduras, kChild) == Approx(0.7));
  const Households::Params hp = households_on(2.0, 0.5);
  const Households h(hp, per, {}, 2.0);
  // Neutral: 40 single adults, 40 people in families, 10 children. Pool: parents 20,
  // families 20, children 10 (shares 0.4, 0.4, 0.2). Weights: exp(2 (0.2 - 0.3)) = e^-0.2 for
  // parents and families, exp(2 (0.7 - 0.3)) = e^0.8 for children.
  const PerDemoNumber out = h.people(kHonduras, {40.0, 40.0, 10.0});
  const double wa = 0.4 * std::exp(-0.2), wf = 0.4 * std::exp(-0.2), wc = 0.2 * std::exp(0.8);
  const double sum = wa + wf + wc;
  const double iv = 0.3 + std::log(sum) / 2.0;
  const double leaving = 50.0 * std::exp(2.0 * (iv - 0.3));  // the families' gamma 2
  CHECK(out[kFamily] == Approx(leaving * wf / sum * 2.0).epsilon(1e-12));
  CHECK(out[kChild] == Approx(leaving * wc / sum).epsilon(1e-12));
  CHECK(out[kSingleAdult] == Approx(20.0 * std::exp(1.0 * (0.2 - 0.3)) + leaving * wa / sum).epsilon(1e-12));
  // The number of households leaving does not depend on who goes: families' parties + children
  // + parents is the pool times the factor.
  CHECK(out[kFamily] / 2.0 + out[kChild] + (out[kSingleAdult] - 20.0 * std::exp(-0.1)) == Approx(leaving));
  // The bound foresee() uses holds every demographic's people.
  for (int d = 0; d < kDemographics; ++d)
    CHECK(out[d] <= h.max_people(kHonduras, static_cast<Demographic>(d), {40.0, 40.0, 10.0}));
}

TEST_CASE("switched off, the households declare no series, and with perception off they keep the mix") {
  CorridorBench b({});
  Perception::Params pp = perception_at(b.params().perception, 0.9);
  Households::Params hp = households_on(5.0, 0.2);
  hp.enabled = false;
  {
    const Perception per(pp);
    Households h(hp, per, {}, 2.0);
    SeriesLayout layout;
    h.declare_series(layout);
    CHECK(layout.cells() == 0);
  }
  pp.enabled = false;  // beliefs are then the reference: the neutral departures, unchanged
  const Perception per(pp);
  hp.enabled = true;
  const Households h(hp, per, {}, 2.0);
  const PerDemoNumber out = h.people(kMexico, {100.0, 30.0, 7.0});
  CHECK(out[kSingleAdult] == Approx(100.0));
  CHECK(out[kFamily] == Approx(30.0));
  CHECK(out[kChild] == Approx(7.0));
}

TEST_CASE("in the model, families believed expelled and children admitted: households send the children") {
  // On 2019-06-01 the families' perceived openness falls to 0 and the children's rises to 0.8
  // (announcements); the day's new parties of Guatemalans (origin 0, GUA) are counted with the
  // mechanism on and off.
  const Date day = Date::from_ymd(2019, 6, 1);
  std::array<std::array<std::int64_t, kDemographics>, 2> parties{};
  double child_ratio = 0, family_ratio = 0;
  for (const bool enabled : {false, true}) {
    CorridorBench b({std::string("corridor.households.enabled=") + (enabled ? "true" : "false"),
                     "corridor.households.choice_sensitivity=8", "corridor.households.parent_share=0.3",
                     "corridor.perception.initial=0.3", "corridor.perception.reference=0.3",
                     "corridor.perception.announcements=[{date: 2019-06-01, jump: -0.3, demographics: [family]}, "
                     "{date: 2019-06-01, jump: 0.5, demographics: [child]}]"},
                    /*departures=*/true);
    const auto& m = b.model();
    b.begin(day);
    const PartyRows rows(b.store, m.columns());
    for (std::size_t i = 0; i < b.store.size(); ++i)
      if (rows.origin[i] == 0) ++parties[enabled][rows.demographic[i]];
    if (!enabled) continue;
    // The ratio on / off of expected parties, from the rule: both scale the same neutral rates.
    const auto& per = m.perception();
    REQUIRE(per.openness(kGuatemala, kFamily) == Approx(0.0));
    REQUIRE(per.openness(kGuatemala, kChild) == Approx(0.8));
    const PerDemoNumber& base = m.parameters().departures.base_per_day[kGuatemala];
    const double size = mean_party_size(m.parameters().departures, kFamily);
    const PerDemoNumber pool = {0.3 * base[kSingleAdult], base[kFamily] / size, base[kChild]};
    const PerDemoNumber believed = {per.openness(kGuatemala, kSingleAdult), 0.0, 0.8};
    const HouseholdChoice c = choose_who_travels(pool, believed, 0.3, 8.0);
    const double leaving = (pool[0] + pool[1] + pool[2]) * per.factor_at(kGuatemala, kFamily, c.inclusive);
    child_ratio = leaving * c.share[kChild] / (base[kChild] * per.departure_factor(kGuatemala, kChild));
    family_ratio = leaving * c.share[kFamily] / (pool[kFamily] * per.departure_factor(kGuatemala, kFamily));
  }
  INFO("GUA parties on 2019-06-01, off: children " << parties[0][kChild] << ", families " << parties[0][kFamily]
                                                   << "; on: children " << parties[1][kChild] << ", families "
                                                   << parties[1][kFamily] << "; predicted ratios " << child_ratio
                                                   << ", " << family_ratio);
  REQUIRE(parties[0][kChild] > 30);
  REQUIRE(child_ratio > 1.5);  // the test means something: children are sent instead
  REQUIRE(family_ratio < 1.0);
  // X_on ~ Poisson(R mu), X_off ~ Poisson(mu): X_on - R X_off has mean 0 and variance at most
  // R mu + R^2 mu (mu ~ X_off; the shared random numbers only narrow it).
  const auto check = [](std::int64_t on, std::int64_t off, double r) {
    const double mu = std::max<double>(static_cast<double>(off), 1.0);
    CHECK(std::fabs(static_cast<double>(on) - r * static_cast<double>(off)) <= bernstein_bound((r + r * r) * mu));
  };
  check(parties[1][kChild], parties[0][kChild], child_ratio);
  check(parties[1][kFamily], parties[0][kFamily], family_ratio);
}
