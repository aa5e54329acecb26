// Corridor model v2, COVID-19 closures (models/corridor/closures.cpp, docs/model.md §3.11).
// The pass share of each country on a few dates is computed by hand from the table
// data/covid_closures_2020_2021.csv and the default pass shares (border closure 0.2, mobility
// restriction 0.5); then parties are placed where each kind of movement starts (at home, at a
// stop of the route in Mexico, in a northern border city, in MPP) on a chosen date, one day is
// stepped and the held ones are counted. Frequencies are compared with Bernstein's inequality
// at delta = 1e-6 per check (corridor_support.hpp).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "corridor_support.hpp"
#include "sim/error.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::bernstein_bound;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;
using corridor::test::within_binomial;

namespace {

const std::string kOn = "corridor.closures.enabled=true";

double pass_on(const Closures::Params& p, Nationality c, int y, int m, int d) {
  return closure_pass(p, c, Date::from_ymd(y, m, d));
}

}  // namespace

TEST_CASE("a country's pass share is the product of the shares of its measures in force on the day") {
  CorridorBench b({kOn});
  const Closures::Params& p = b.params().closures;
  REQUIRE(p.measures.size() == 7);
  REQUIRE(p.pass_border == 0.2);
  REQUIRE(p.pass_mobility == 0.5);
  // Guatemala: borders closed [2020-03-17, 2020-09-18), curfew [2020-03-22, 2020-10-01).
  CHECK(pass_on(p, kGuatemala, 2020, 3, 16) == 1.0);
  CHECK(pass_on(p, kGuatemala, 2020, 3, 17) == 0.2);
  CHECK(pass_on(p, kGuatemala, 2020, 4, 1) == Approx(0.1));
  CHECK(pass_on(p, kGuatemala, 2020, 9, 18) == 0.5);
  CHECK(pass_on(p, kGuatemala, 2020, 10, 1) == 1.0);
  // Honduras: borders [2020-03-15, 2020-08-17), curfew [2020-03-16, 2020-06-08).
  CHECK(pass_on(p, kHonduras, 2020, 3, 15) == 0.2);
  CHECK(pass_on(p, kHonduras, 2020, 6, 8) == 0.2);
  CHECK(pass_on(p, kHonduras, 2020, 8, 17) == 1.0);
  // El Salvador: borders [2020-03-11, 2020-09-19), quarantine [2020-03-21, 2020-06-16).
  CHECK(pass_on(p, kElSalvador, 2020, 5, 1) == Approx(0.1));
  CHECK(pass_on(p, kElSalvador, 2020, 9, 19) == 1.0);
  // Mexico: Jornada Nacional de Sana Distancia [2020-03-23, 2020-06-01) only.
  CHECK(pass_on(p, kMexico, 2020, 3, 22) == 1.0);
  CHECK(pass_on(p, kMexico, 2020, 5, 31) == 0.5);
  CHECK(pass_on(p, kMexico, 2020, 6, 1) == 1.0);
  // Nothing in 2021 (the table ends in 2020) and nothing before 2020.
  for (int n = 0; n < kNationalities; ++n) {
    CHECK(pass_on(p, static_cast<Nationality>(n), 2019, 12, 1) == 1.0);
    CHECK(pass_on(p, static_cast<Nationality>(n), 2021, 4, 1) == 1.0);
  }
  // A node's pass is its country's; the day's table follows begin_day.
  b.begin(Date::from_ymd(2020, 4, 1));
  CHECK(b.model().closures().pass(b.node("GUA")) == Approx(0.1));
  CHECK(b.model().closures().pass(b.node("TAP")) == 0.5);
  CHECK(b.model().closures().pass(b.node("CJS")) == 0.5);
  CHECK(b.model().closures().pass(b.node("USBP_ELC")) == 1.0);
}

TEST_CASE("switched off (the default), closures hold no one and the pass table stays at 1") {
  CorridorBench b({});
  REQUIRE_FALSE(b.params().closures.enabled);
  b.begin(Date::from_ymd(2020, 4, 1));
  CHECK(b.model().closures().pass(b.node("GUA")) == 1.0);
  PartySpec home;
  home.origin = 0;  // GUA
  home.state = kHome;
  home.node = b.node("GUA");
  home.wait_until = b.ctx().day;
  b.add(1000, home);
  b.step();
  CHECK(b.count_state(kHome) == 0);
  CHECK(b.total(b.model().closures().series().holds) == 0);
}

TEST_CASE("closures hold parties leaving home again, moving on from a stop and crossing, with 1 - pass") {
  const std::size_t n = 4000;
  SECTION("at home in Guatemala on 2020-04-01: pass 0.2 x 0.5") {
    CorridorBench b({kOn});
    b.begin(Date::from_ymd(2020, 4, 1));
    PartySpec home;
    home.origin = 0;  // GUA
    home.state = kHome;
    home.node = b.node("GUA");
    home.wait_until = b.ctx().day;
    b.add(n, home);
    b.step();
    const std::size_t held = b.count_state(kHome);
    within_binomial(held, n, 0.9);
    CHECK(b.total(b.model().closures().series().holds) == static_cast<std::int64_t>(held));
    // Held parties wait at least a day before deciding again.
    for (std::size_t i = 0; i < n; ++i)
      if (b.store.states()[i] == kHome) CHECK(b.store.data(b.columns().wait_until)[i] > b.ctx().day);
  }
  SECTION("at a stop in Mexico (Tapachula) on 2020-04-15 and on 2020-06-01") {
    for (const auto& [date, pass] : {std::pair{Date::from_ymd(2020, 4, 15), 0.5}, {Date::from_ymd(2020, 6, 1), 1.0}}) {
      CorridorBench b({kOn});
      b.begin(date);
      const std::uint32_t r = b.route_through("GUA", "TAP");
      const auto nodes = b.model().route_choice().route_nodes(r);
      PartySpec stop;
      stop.origin = 0;
      stop.route = r;
      stop.hop = static_cast<std::uint8_t>(std::find(nodes.begin(), nodes.end(), b.node("TAP")) - nodes.begin());
      stop.node = b.node("TAP");
      stop.wait_until = b.ctx().day;
      b.add(n, stop);
      b.step();
      std::size_t held = 0;
      for (std::size_t i = 0; i < n; ++i)
        held += b.store.data(b.columns().hop)[i] == stop.hop && b.store.data(b.columns().progress)[i] == 0 &&
                b.store.states()[i] == kTravelling;
      INFO(date.iso());
      if (pass < 1) within_binomial(held, n, 1 - pass);
      CHECK(b.total(b.model().closures().series().holds) == static_cast<std::int64_t>(held));
      if (pass == 1) CHECK(held == 0);
    }
  }
  SECTION("a party that has just set out is not held at its start") {
    CorridorBench b({kOn});
    b.begin(Date::from_ymd(2020, 4, 1));
    PartySpec start;
    start.origin = 0;
    start.route = b.route_through("GUA", "TAP");
    start.node = b.node("GUA");
    start.wait_until = b.ctx().day;
    b.add(n, start);
    b.step();
    CHECK(b.total(b.model().closures().series().holds) == 0);
  }
  SECTION("in a northern border city (Ciudad Juarez) on 2020-04-15: Mexico's pass 0.5") {
    CorridorBench b({kOn, "corridor.us.encounter_probability=1"});
    b.begin(Date::from_ymd(2020, 4, 15));
    PartySpec border;
    border.origin = 0;
    border.state = kAtBorder;
    border.node = b.node("CJS");
    border.wait_until = b.ctx().day;
    b.add(n, border);
    b.step();
    std::size_t attempts = 0;
    for (std::size_t i = 0; i < n; ++i) attempts += b.store.data(b.columns().us_attempts)[i];
    within_binomial(n - attempts, n, 0.5);
    CHECK(b.total(b.model().closures().series().holds) == static_cast<std::int64_t>(n - attempts));
  }
}

TEST_CASE("first departures are multiplied by their origin's pass share") {
  // Children travel alone (one person per party), so a child cell of `departures` is a
  // Poisson count. On 2020-04-01 Guatemala's pass is 0.1: with the same count streams the
  // departures with closures are about 0.1 of those without.
  const Date day = Date::from_ymd(2020, 4, 1);
  auto children = [&](std::vector<std::string> o) {
    o.push_back("corridor.scale=40");
    CorridorBench b(o, /*departures=*/true);
    b.begin(day);
    return b.sink.tally[b.model().departures().series().departures.at(0, kChild)];
  };
  const auto off = static_cast<double>(children({})), on = static_cast<double>(children({kOn}));
  REQUIRE(off > 1000);
  INFO("off " << off << ", on " << on);
  CHECK(std::fabs(on - 0.1 * off) <= bernstein_bound(0.1 * off + 0.01 * off));
}

TEST_CASE("MPP hearings are postponed while suspended and the party is released when they resume") {
  // Everyone who reaches the hearing would be released (no abandonment, no re-crossing).
  const std::vector<std::string> o = {kOn, "corridor.us.mpp.abandon_share=0", "corridor.us.mpp.recross_share=0"};
  const std::size_t n = 200;
  auto in_mpp = [&](CorridorBench& b) {
    PartySpec p;
    p.origin = 0;
    p.state = kRemainInMexico;
    p.node = b.node("CJS");
    p.wait_until = b.ctx().day;
    b.add(n, p);
  };
  {
    CorridorBench b(o);
    b.begin(Date::from_ymd(2020, 3, 22));  // the day before the suspension: released
    in_mpp(b);
    b.step();
    CHECK(b.count_state(kInUsReleased) == n);
  }
  CorridorBench b(o);
  b.begin(Date::from_ymd(2020, 5, 1));
  in_mpp(b);
  b.step();
  CHECK(b.count_state(kRemainInMexico) == n);
  const int resume = b.ctx().day + (Date::from_ymd(2021, 2, 19) - Date::from_ymd(2020, 5, 1));
  std::int32_t first = INT32_MAX;
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(b.store.data(b.columns().wait_until)[i] >= resume);
    CHECK((b.store.data(b.columns().flags)[i] & kFlagHearingDeferred) != 0);
    first = std::min(first, b.store.data(b.columns().wait_until)[i]);
  }
  // On the day of its postponed hearing a party is released, and its flag is cleared.
  b.begin(Date::from_ymd(2021, 2, 19).plus_days(first - resume));
  b.step();
  CHECK(b.count_state(kInUsReleased) >= 1);
  for (std::size_t i = 0; i < n; ++i)
    if (b.store.states()[i] == kInUsReleased) CHECK(b.store.data(b.columns().flags)[i] == 0);
  // Switched off: released on the same day of the suspension.
  CorridorBench off({"corridor.us.mpp.abandon_share=0", "corridor.us.mpp.recross_share=0"});
  off.begin(Date::from_ymd(2020, 5, 1));
  PartySpec p;
  p.state = kRemainInMexico;
  p.node = off.node("CJS");
  p.wait_until = off.ctx().day;
  off.add(n, p);
  off.step();
  CHECK(off.count_state(kInUsReleased) == n);
}

TEST_CASE("a bad closures table is an error naming the file, the line and the column") {
  const auto dir = std::filesystem::temp_directory_path() / "corridor_closures_test";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& body) {
    const auto f = dir / "closures.csv";
    std::ofstream(f) << "country,kind,start,end\n" << body;
    return f;
  };
  CHECK_THROWS_WITH(read_closures(write("GT,border_closure,2020-03-17,2020-09-18\nXX,border_closure,2020-03-17,2020-09-18\n")),
                    Catch::Contains("closures.csv:3") && Catch::Contains("country") && Catch::Contains("XX"));
  CHECK_THROWS_WITH(read_closures(write("GT,lockdown,2020-03-17,2020-09-18\n")),
                    Catch::Contains("closures.csv:2") && Catch::Contains("border_closure or mobility_restriction"));
  CHECK_THROWS_WITH(read_closures(write("GT,border_closure,2020-03-17,2020-03-17\n")),
                    Catch::Contains("end") && Catch::Contains("after the start"));
  CHECK_THROWS_WITH(read_closures(write("GT,border_closure,17/03/2020,2020-09-18\n")),
                    Catch::Contains("start") && Catch::Contains("YYYY-MM-DD"));
  CHECK(read_closures(write("GT,border_closure,2020-03-17,2020-09-18\n")).size() == 1);
  std::filesystem::remove_all(dir);
}
