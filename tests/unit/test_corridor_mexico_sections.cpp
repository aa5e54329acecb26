// Corridor model v2, Mexican enforcement per route section (models/corridor/mexico_sections.cpp,
// docs/model.md §3.13). The per-point probability that spreads a section's per-trip
// probability over its points is computed by hand; on the baseline network a trip's chance to
// pass a section is shown not to depend on how many checkpoints its route has there; parties
// placed before Ciudad Hidalgo (the first point of the southern section on a GUA-QTZ-TEC-CHI
// route) are intercepted with the per-point probability and, with a smuggler, pay the section's
// fee there once. Frequencies are compared with Bernstein's inequality at delta = 1e-6 per
// check (corridor_support.hpp).
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;
using corridor::test::at_tecun_uman;
using corridor::test::within_binomial;

namespace {

const std::string kOn = "corridor.mexico.sections.enabled=true";


}  // namespace

TEST_CASE("a section's per-trip probability spread over n points: q = 1 - (1 - P)^(1/n)") {
  CHECK(per_point_probability(0.2, 0) == 0.0);
  CHECK(per_point_probability(0.2, 1) == 0.2);
  CHECK(per_point_probability(0.19, 2) == Approx(0.1));  // 1 - sqrt(0.81)
  CHECK(per_point_probability(0.271, 3) == Approx(0.1));  // 1 - 0.729^(1/3)
  for (int n = 1; n <= 16; ++n) CHECK(std::pow(1 - per_point_probability(0.3, n), n) == Approx(0.7));
}

TEST_CASE("nodes belong to the southern border, the isthmus or the north") {
  CorridorBench b({kOn});
  const EnforcementSections& s = b.model().sections();
  CHECK(s.section_of(b.node("CHI")) == kSouthernBorder);  // a crossing: always south
  CHECK(s.section_of(b.node("TAP")) == kSouthernBorder);
  CHECK(s.section_of(b.node("VSA")) == kSouthernBorder);
  CHECK(s.section_of(b.node("IXT")) == kIsthmus);
  CHECK(s.section_of(b.node("COA")) == kIsthmus);
  CHECK(s.section_of(b.node("MEX")) == kNorth);
  CHECK(s.section_of(b.node("HMO")) == kNorth);
  CHECK(s.section_of(b.node("GUA")) == kRouteSections);  // Guatemala: no Mexican interception
  CHECK(s.section_of(b.node("CJS")) == kRouteSections);  // a border city
  CHECK_THROWS_WITH(CorridorBench({kOn, "corridor.mexico.sections.isthmus_nodes=IXT GUA"}),
                    Catch::Contains("mexico.sections.isthmus_nodes") && Catch::Contains("'GUA'"));
}

TEST_CASE("a route's risk is 1 - prod over its sections of (1 - P_s), whatever its number of checkpoints") {
  // 2019-07-01, single adults: P = 0.15 (south), 0.06 (isthmus), 0.07 (north); smuggled x 0.5.
  CorridorBench b({kOn});
  b.begin(Date::from_ymd(2019, 7, 1));
  const EnforcementSections& s = b.model().sections();
  const RouteChoice& pl = b.model().route_choice();
  CHECK(s.per_trip(kSouthernBorder, kSingleAdult, false) == 0.15);
  CHECK(s.per_trip(kIsthmus, kSingleAdult, true) == 0.03);
  std::set<int> checkpoints_seen;
  for (std::uint32_t r = 0; r < pl.route_count(); ++r) {
    const auto nodes = pl.route_nodes(r);
    for (const bool smuggled : {false, true}) {
      double pass = 1.0, expected = 1.0;
      std::array<int, kRouteSections> seen{};
      for (std::size_t i = 1; i < nodes.size(); ++i) {
        pass *= 1.0 - s.at_point(r, nodes[i], kSingleAdult, smuggled);
        if (s.section_of(nodes[i]) != kRouteSections) ++seen[s.section_of(nodes[i])];
      }
      for (int k = 0; k < kRouteSections; ++k) {
        CHECK(s.points(r, static_cast<RouteSection>(k)) == seen[k]);
        if (seen[k] > 0) expected *= 1.0 - s.per_trip(static_cast<RouteSection>(k), kSingleAdult, smuggled);
      }
      checkpoints_seen.insert(seen[0] + seen[1] + seen[2]);
      CHECK(pass == Approx(expected));
      CHECK(s.route_risk(r, kSingleAdult, smuggled) == Approx(1.0 - expected));
    }
  }
  CHECK(checkpoints_seen.size() > 3);  // routes with many different numbers of points
}

TEST_CASE("at the southern section's first point parties are intercepted with q and smuggled ones pay its fee") {
  const std::size_t n = 20000;
  for (const bool smuggled : {false, true}) {
    // Fees of the later sections set to 0: a party that goes on past Ciudad Hidalgo today
    // may reach them; interceptions are counted at Ciudad Hidalgo only (its events).
    CorridorBench b({kOn, "corridor.mexico.detention_days=0", "corridor.mexico.sections.smuggler_fee_usd.isthmus=0",
                     "corridor.mexico.sections.smuggler_fee_usd.north=0"});
    b.begin(Date::from_ymd(2019, 7, 1));
    PartySpec p = at_tecun_uman(b);
    p.smuggler = smuggled;
    p.origin = 1;  // SPS, Honduran
    b.add(n, p);
    const EnforcementSections& s = b.model().sections();
    const double q = s.at_point(p.route, b.node("CHI"), kSingleAdult, smuggled);
    CHECK(q == Approx(per_point_probability(smuggled ? 0.075 : 0.15, s.points(p.route, kSouthernBorder))));
    b.step();
    INFO((smuggled ? "smuggled" : "no smuggler") << ", q = " << q);
    std::size_t at_chi = 0;
    for (const Event& e : b.sink.events.events())
      at_chi += b.setup.event_kinds[e.kind] == "interception" && e.node == b.node("CHI");
    within_binomial(at_chi, n, q);
    // The section's fee, 300 USD per person, once at its first point (the trip's fee is paid at its start).
    CHECK(b.total(b.model().smuggling().series().fees) == (smuggled ? 300 * static_cast<std::int64_t>(n) : 0));
  }
}

TEST_CASE("switched off (the default), interception is the v1 per-point probability") {
  CorridorBench b({"corridor.mexico.detention_days=0"});
  REQUIRE_FALSE(b.params().sections.enabled);
  b.begin(Date::from_ymd(2019, 7, 1));
  PartySpec p = at_tecun_uman(b);
  p.origin = 1;
  const std::size_t n = 20000;
  b.add(n, p);
  b.step();
  std::size_t at_chi = 0;
  for (const Event& e : b.sink.events.events())
    at_chi += b.setup.event_kinds[e.kind] == "interception" && e.node == b.node("CHI");
  // v1: 0.09 at a crossing from 2019-06-07 for single adults (docs/model.md §3.9).
  within_binomial(at_chi, n, 0.09);
  CHECK(b.total(b.model().smuggling().series().fees) == 0);
}
