// Corridor model v2, retries that wear out (models/corridor/retries.cpp, docs/model.md §3.12).
// The worn share is computed by hand for a few attempt counts; then parties are placed where
// each rule decides (expelled at the border under Title 42, at the end of US custody, at an
// MPP hearing) with a chosen number of attempts made, one day is stepped and those who try
// again are counted. Also the count of unique people encountered per calendar month.
// Frequencies are compared with Bernstein's inequality at delta = 1e-6 per check
// (corridor_support.hpp).
#include <catch2/catch.hpp>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;
using corridor::test::within_binomial;

namespace {

const std::string kOn = "corridor.retries.enabled=true";

/// Sets every party's crossing attempts made (the column the rules read).
void set_attempts(CorridorBench& b, std::uint8_t attempts) {
  for (std::size_t i = 0; i < b.store.size(); ++i) b.store.data(b.columns().us_attempts)[i] = attempts;
}

}  // namespace

TEST_CASE("the worn retry share is share * decay^(attempts - 1)") {
  CHECK(worn_retry_share(0.6, 0.8, 1) == 0.6);
  CHECK(worn_retry_share(0.6, 0.8, 0) == 0.6);  // below one attempt counts as the first
  CHECK(worn_retry_share(0.6, 0.8, 2) == Approx(0.48));
  CHECK(worn_retry_share(0.6, 0.8, 4) == Approx(0.6 * 0.512));
  CHECK(worn_retry_share(0.3, 0.5, 3) == Approx(0.075));
  CHECK(worn_retry_share(0.3, 1.0, 10) == 0.3);
  Retries::Params p;
  p.decay = {0.8, 0.5, 0.9};
  const Retries off(p);
  CHECK(off.share(Retries::kAfterExpulsion, 0.6, 5) == 0.6);  // switched off: the v1 share
  p.enabled = true;
  const Retries on(p);
  CHECK(on.share(Retries::kAfterExpulsion, 0.6, 3) == Approx(0.6 * 0.64));
  CHECK(on.share(Retries::kAfterRemoval, 0.3, 3) == Approx(0.075));
  CHECK(on.share(Retries::kFromMpp, 0.3, 2) == Approx(0.27));
}

TEST_CASE("Title 42 retries wear out with the attempts made") {
  // Single adults from Guatemala at Ciudad Juarez on 2020-06-01, all encountered and all
  // expelled; retry share 0.6, decay 0.8: after the 3rd attempt 0.6 * 0.8^2 = 0.384.
  const std::size_t n = 4000;
  for (const bool enabled : {false, true}) {
    std::vector<std::string> o = {"corridor.us.port_share.single_adult=0", "corridor.us.encounter_probability=1",
                                  "corridor.us.title42.expel_share.single_adult=1"};
    if (enabled) o.push_back(kOn);
    CorridorBench b(o);
    b.begin(Date::from_ymd(2020, 6, 1));
    PartySpec p;
    p.origin = 0;
    p.state = kAtBorder;
    p.node = b.node("CJS");
    p.wait_until = b.ctx().day;
    b.add(n, p);
    set_attempts(b, 2);  // the attempt of the day is the 3rd
    b.step();
    INFO("retries " << (enabled ? "on" : "off"));
    REQUIRE(b.total(b.model().us_border().series().expulsions) == static_cast<std::int64_t>(n));
    within_binomial(b.count_state(kAtBorder), n, enabled ? 0.6 * 0.64 : 0.6);
  }
}

TEST_CASE("retries after a removal wear out with the attempts made") {
  // Removal share of the retry 0.3, decay 0.7: after 2 attempts 0.21.
  const std::size_t n = 4000;
  for (const bool enabled : {false, true}) {
    CorridorBench b(enabled ? std::vector<std::string>{kOn} : std::vector<std::string>{});
    b.begin(Date::from_ymd(2019, 6, 1));
    PartySpec p;
    p.origin = 0;
    p.state = kUsCustody;
    p.node = b.node("USBP_ELC");
    p.wait_until = b.ctx().day;
    b.add(n, p);
    set_attempts(b, 2);
    b.step();
    INFO("retries " << (enabled ? "on" : "off"));
    within_binomial(b.count_state(kHome), n, enabled ? 0.3 * 0.7 : 0.3);
    CHECK(b.count_state(kHome) + b.count_state(kStayedHome) == n);
  }
}

TEST_CASE("crossing again from MPP wears out, and the share lost goes to giving up") {
  // Abandon 0.3, re-cross 0.3, decay 0.8; after 3 attempts re-cross 0.192, give up 0.408.
  const std::size_t n = 4000;
  CorridorBench b({kOn});
  b.begin(Date::from_ymd(2019, 9, 1));
  PartySpec p;
  p.origin = 0;
  p.state = kRemainInMexico;
  p.node = b.node("CJS");
  p.wait_until = b.ctx().day;
  b.add(n, p);
  set_attempts(b, 3);
  b.step();
  within_binomial(b.count_state(kAtBorder), n, 0.3 * 0.64);
  within_binomial(b.count_state(kStayedHome), n, 0.3 + 0.3 * (1 - 0.64));
  within_binomial(b.count_state(kInUsReleased), n, 0.4);
}

TEST_CASE("unique people encountered per month count a party once in a calendar month") {
  // Families of 3 from Guatemala, encountered at Ciudad Juarez on 2019-06-20 (Title 8, no
  // Title 42 yet): never encountered before, encountered earlier this month (2019-06-02), or
  // last encountered the month before (2019-05-31). Only the first and the last count.
  CorridorBench b({"corridor.us.port_share.family=0", "corridor.us.encounter_probability=1"});
  b.begin(Date::from_ymd(2019, 6, 20));
  PartySpec p;
  p.origin = 0;
  p.demo = kFamily;
  p.size = 3;
  p.state = kAtBorder;
  p.node = b.node("CJS");
  p.wait_until = b.ctx().day;
  b.add(10, p);  // new
  p.encounters = 1;
  p.last_encounter = b.ctx().day - 18;  // 2019-06-02
  b.add(20, p);
  p.last_encounter = b.ctx().day - 20;  // 2019-05-31
  b.add(40, p);
  b.step();
  CHECK(b.encounters(kTitle8) == 3 * 70);
  CHECK(b.total(b.model().retries().series().people_month) == 3 * (10 + 40));
  // The 12-month repeat count (CBP's definition) takes both earlier-encountered groups.
  CHECK(b.total(b.model().us_border().series().repeat) == 3 * 60);
}
