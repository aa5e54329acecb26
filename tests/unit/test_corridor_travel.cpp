// Corridor mechanism 5, travel (models/corridor/travel.cpp): a party moves at the speed of
// each edge's mode with one day of travel per day shared across edges (positions computed by
// hand on the real route Guatemala City - Quetzaltenango - Tecun Uman - Ciudad Hidalgo -
// Tapachula), smugglers move faster and rest less, rests are geometric with the documented
// mean, and the end of the route puts the party in the border city.
#include <catch2/catch.hpp>
#include <cmath>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::bernstein_bound;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;

namespace {

/// A candidate route from `start` whose first nodes are `prefix` (ids).
std::uint32_t route_with_prefix(CorridorBench& b, const std::string& start, const std::vector<std::string>& prefix) {
  const RouteChoice& pl = b.model().route_choice();
  const auto slot = static_cast<std::size_t>(pl.start_slot(b.node(start)));
  for (std::uint32_t r : pl.candidates(slot)) {
    const auto nodes = pl.route_nodes(r);
    if (nodes.size() <= prefix.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < prefix.size(); ++i) ok = ok && b.net().node(nodes[i]).id == prefix[i];
    if (ok) return r;
  }
  FAIL("no candidate route starts " << prefix.front() << "...");
  return 0;
}

// Edges of scenarios/corridor/edges.csv on that route: GUA-QTZ 139.8 km road, QTZ-TEC 86.8 km
// road, TEC-CHI 1.6 km foot, CHI-TAP 43.0 km foot. Default speeds: road 400, foot 25 km/day.
const std::vector<std::string> kPrefix = {"GUA", "QTZ", "TEC", "CHI", "TAP"};

}  // namespace

TEST_CASE("a party moves at each edge's speed and shares one day of travel across the edges it covers") {
  // No rests, no interception: the movement is deterministic.
  CorridorBench b({"corridor.mexico.enabled=false", "corridor.travel.stop_days.crossing=0",
                   "corridor.travel.stop_days.transit=0"});
  REQUIRE(b.params().travel.speed_road == 400);
  REQUIRE(b.params().travel.speed_foot == 25);
  REQUIRE(b.params().smuggling.speed == 2);
  b.begin(Date::from_ymd(2019, 3, 1));
  const std::uint32_t r = route_with_prefix(b, "GUA", kPrefix);
  PartySpec party;
  party.origin = 0;  // GUA, Guatemalan
  party.node = b.node("GUA");
  party.route = r;
  party.wait_until = b.ctx().day;
  b.add(1, party);
  party.smuggler = true;
  b.add(1, party);
  b.step();

  // Day 1, without smuggler: 139.8/400 + 86.8/400 + 1.6/25 = 0.6305 days reach Ciudad Hidalgo;
  // the remaining 0.3695 days cover 0.3695 x 25 = 9.2375 km of the 43 km to Tapachula.
  CHECK(b.store.nodes()[0] == b.node("CHI"));
  CHECK(b.store.data(b.columns().hop)[0] == 3);
  CHECK(b.store.data(b.columns().progress)[0] == Approx(9.2375).epsilon(1e-5));
  CHECK(b.store.states()[0] == kTravelling);
  // With a smuggler (speeds doubled): 0.17475 + 0.1085 + 0.032 = 0.31525 days, then
  // 0.68475 x 50 = 34.2375 km toward Tapachula.
  CHECK(b.store.nodes()[1] == b.node("CHI"));
  CHECK(b.store.data(b.columns().hop)[1] == 3);
  CHECK(b.store.data(b.columns().progress)[1] == Approx(34.2375).epsilon(1e-5));
  // Arrival events at QTZ, TEC and CHI for each party, in route order.
  std::vector<std::uint32_t> arrivals_of_first;
  for (const Event& e : b.sink.events.events())
    if (e.agent == b.store.ids()[0] && b.setup.event_kinds[e.kind] == "arrival") arrivals_of_first.push_back(e.node);
  CHECK(arrivals_of_first == std::vector<std::uint32_t>{b.node("QTZ"), b.node("TEC"), b.node("CHI")});

  // Day 2: the walker covers another 25 km (9.2375 -> 34.2375, still 8.7625 km short);
  // the smuggled party's 8.7625 km left take 0.17525 days, so it reaches Tapachula.
  b.begin(Date::from_ymd(2019, 3, 2));
  b.step();
  CHECK(b.store.data(b.columns().hop)[0] == 3);
  CHECK(b.store.data(b.columns().progress)[0] == Approx(34.2375).epsilon(1e-5));
  CHECK(b.store.data(b.columns().hop)[1] >= 4);
  CHECK(b.store.nodes()[1] != b.node("CHI"));
}

TEST_CASE("a party starting part-way along an edge uses the rest of its day on the next edges") {
  CorridorBench b({"corridor.mexico.enabled=false", "corridor.travel.stop_days.crossing=0",
                   "corridor.travel.stop_days.transit=0"});
  b.begin(Date::from_ymd(2019, 3, 1));
  PartySpec party;
  party.node = b.node("GUA");
  party.route = route_with_prefix(b, "GUA", kPrefix);
  party.progress = 99.8f;  // 40 km short of Quetzaltenango
  party.wait_until = b.ctx().day;
  b.add(1, party);
  b.step();
  // 40/400 + 86.8/400 + 1.6/25 = 0.381 days, then 0.619 x 25 = 15.475 km toward Tapachula.
  CHECK(b.store.data(b.columns().hop)[0] == 3);
  CHECK(b.store.data(b.columns().progress)[0] == Approx(15.475).epsilon(1e-5));
}

TEST_CASE("rests at a stop are geometric with the documented mean, halved for smuggled parties") {
  // Transit rest mean 4 days (Quetzaltenango is a transit city); no rest at crossings.
  CorridorBench b({"corridor.mexico.enabled=false", "corridor.travel.stop_days.crossing=0",
                   "corridor.travel.stop_days.transit=4"});
  b.begin(Date::from_ymd(2019, 3, 1));
  const int day = b.ctx().day;
  PartySpec party;
  party.node = b.node("GUA");
  party.route = route_with_prefix(b, "GUA", kPrefix);
  party.wait_until = day;
  const std::size_t n = 20000;
  b.add(n, party);
  party.smuggler = true;
  b.add(n, party);
  b.step();
  const std::uint32_t qtz = b.node("QTZ");
  for (int sm = 0; sm < 2; ++sm) {
    const double mean = sm ? 2.0 : 4.0;  // mean / smuggler_speed
    std::size_t stopped = 0;
    double rest_days = 0;
    for (std::size_t i = sm * n; i < (sm + 1) * n; ++i)
      if (b.store.nodes()[i] == qtz) {
        ++stopped;
        rest_days += b.store.data(b.columns().wait_until)[i] - day;
      }
    // P(rest > 0) = mean / (1 + mean): 0.8 without smuggler, 2/3 with one. Binomial, Bernstein (delta 1e-6).
    const double q = mean / (1 + mean);
    INFO("smuggler " << sm << ": " << stopped << " of " << n << " rest at Quetzaltenango");
    CHECK(std::fabs(stopped - n * q) <= bernstein_bound(n * q * (1 - q)));
    // Mean rest over all parties (0 for those that went on): the geometric mean, variance
    // mean (1 + mean). Normal approximation, 6 standard errors (0.19 days at mean 4).
    const double tol = 6 * std::sqrt(mean * (1 + mean) / n);
    INFO("mean rest " << rest_days / n << " days, expected " << mean << " +- " << tol);
    CHECK(std::fabs(rest_days / n - mean) <= tol);
  }
}

TEST_CASE("reaching the end of its route puts a party in the border city, waiting to cross") {
  CorridorBench b({"corridor.mexico.enabled=false", "corridor.travel.border_wait_days=0"});
  b.begin(Date::from_ymd(2019, 3, 1));
  const RouteChoice& pl = b.model().route_choice();
  const std::uint32_t r = pl.candidates(static_cast<std::size_t>(pl.start_slot(b.node("MEX"))))[0];
  const auto nodes = pl.route_nodes(r);
  const auto arcs = pl.route_arcs(r);
  PartySpec party;
  party.origin = 4;  // MEX, Mexican
  party.demo = kFamily;
  party.size = 4;
  party.route = r;
  party.hop = static_cast<std::uint8_t>(nodes.size() - 2);
  party.node = nodes[nodes.size() - 2];
  party.progress = static_cast<float>(b.net().arc(arcs.back()).km - 1.0);  // 1 km to go
  party.wait_until = b.ctx().day;
  b.add(1, party);
  b.step();
  CHECK(b.store.states()[0] == kAtBorder);
  CHECK(b.store.nodes()[0] == nodes.back());
  CHECK(b.net().node(nodes.back()).kind == "border_city");
  CHECK(b.store.data(b.columns().wait_until)[0] == b.ctx().day + 1);  // border wait 0: attempts tomorrow
}
