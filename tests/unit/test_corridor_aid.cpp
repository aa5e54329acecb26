// Corridor mechanism 8, aid at origin (models/corridor/aid.*): aid per head and the departure
// factor against values computed by hand from data/push_factors_by_country_year.csv, the
// linear disbursement, and the cases where aid does nothing (before its start, no amount, off).
#include <catch2/catch.hpp>
#include <cmath>

#include "corridor_support.hpp"
#include "models/corridor/aid.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;

namespace {

const std::string kPushTable = std::string(CORRIDOR_SOURCE_DIR) + "/data/push_factors_by_country_year.csv";

// data/push_factors_by_country_year.csv: population_total GTM 2022 17847877, the last year listed,
// so it holds for every date from 2022-07-01 on (annual values stand at mid-year).
constexpr double kGuatemala2022 = 17847877;

}  // namespace

TEST_CASE("aid per head grows linearly from its start over the ramp, by the country's allocation") {
  CorridorBench b({"corridor.aid.amount_usd=4e9", "corridor.aid.hump=0.01"});
  const Aid::Params& p = b.params().aid;
  const PushIndicators push = PushIndicators::read(kPushTable);
  // Defaults (docs/model.md §3.9): start 2021-07-29, ramp 1460 days, allocation GT 0.4, MX 0, effect 0.002.
  REQUIRE(p.start == Date::from_ymd(2021, 7, 29));
  REQUIRE(p.ramp_days == 1460);
  REQUIRE(p.allocation[kGuatemala] == 0.4);
  REQUIRE(p.effect == 0.002);

  // 2022-07-29: 365 of 1460 days, a quarter disbursed.
  const Date year_on = Date::from_ymd(2022, 7, 29);
  const double a = 4e9 * 0.4 * 0.25 / kGuatemala2022;  // about 22.4 USD per head
  CHECK(aid_per_capita(p, push, kGuatemala, year_on) == Approx(a).epsilon(1e-12));
  CHECK(aid_factor(p, push, kGuatemala, year_on) == Approx((1 + 0.01 * a) * std::exp(-0.002 * a)).epsilon(1e-12));
  // With hump > effect the first dollars raise departures (the migration hump).
  CHECK(aid_factor(p, push, kGuatemala, year_on) > 1.0);
  // Fully disbursed from the end of the ramp on.
  const double full = 4e9 * 0.4 / kGuatemala2022;
  CHECK(aid_per_capita(p, push, kGuatemala, Date::from_ymd(2025, 7, 28)) == Approx(full).epsilon(1e-12));
  CHECK(aid_per_capita(p, push, kGuatemala, Date::from_ymd(2027, 1, 1)) == Approx(full).epsilon(1e-12));
  // Nothing before the start, nothing for a country with no allocation.
  CHECK(aid_per_capita(p, push, kGuatemala, Date::from_ymd(2021, 7, 28)) == 0.0);
  CHECK(aid_factor(p, push, kGuatemala, Date::from_ymd(2021, 7, 28)) == 1.0);
  CHECK(aid_per_capita(p, push, kMexico, year_on) == 0.0);

  SECTION("and the module's daily table holds the same factors") {
    Aid aid(p, push);
    aid.begin_day(year_on);
    for (int n = 0; n < kNationalities; ++n)
      CHECK(aid.factor(static_cast<Nationality>(n)) == aid_factor(p, push, static_cast<Nationality>(n), year_on));
    CHECK(aid.factor(kMexico) == 1.0);
  }
}

TEST_CASE("aid does nothing when switched off or when no amount reaches people") {
  const PushIndicators push = PushIndicators::read(kPushTable);
  const Date d = Date::from_ymd(2023, 1, 1);
  CorridorBench defaults({});
  REQUIRE(defaults.params().aid.amount_usd == 0);  // the default assumes none reached people
  CorridorBench off({"corridor.aid.amount_usd=4e9", "corridor.aid.enabled=false"});
  CorridorBench on({"corridor.aid.amount_usd=4e9"});
  for (int n = 0; n < kNationalities; ++n) {
    const auto nat = static_cast<Nationality>(n);
    CHECK(aid_factor(defaults.params().aid, push, nat, d) == 1.0);
    CHECK(aid_factor(off.params().aid, push, nat, d) == 1.0);
  }
  // The control: the same amount switched on lowers Guatemala's departures.
  CHECK(aid_factor(on.params().aid, push, kGuatemala, d) < 0.99);
}
