// Corridor mechanism 6, Mexican enforcement (models/corridor/mexico_enforcement.cpp). Parties
// are placed 1.6 km before Ciudad Hidalgo (the Mexican side of the Tecun Uman crossing) so that
// each passes exactly one interception point today; checkpoints are set to 0. The observed
// frequencies are compared with the probabilities by Bernstein's inequality for a binomial
// count, at delta = 1e-6 per check (about 5.4 standard deviations; see corridor_support.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::binomial_deviation;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;
using corridor::test::at_tecun_uman;
using corridor::test::within_binomial;

namespace {

std::vector<std::string> crossing_only(const std::string& single, const std::string& family, const std::string& child) {
  return {"corridor.mexico.interception.crossing.single_adult=" + single,
          "corridor.mexico.interception.crossing.family=" + family,
          "corridor.mexico.interception.crossing.child=" + child,
          "corridor.mexico.interception.checkpoint.single_adult=0",
          "corridor.mexico.interception.checkpoint.family=0",
          "corridor.mexico.interception.checkpoint.child=0",
          "corridor.mexico.detention_days=0"};
}

}  // namespace

TEST_CASE("the share of passages intercepted at a Mexican crossing matches the interception probability") {
  CorridorBench b(crossing_only("0.05", "0.1", "0.2"));
  b.begin(Date::from_ymd(2019, 3, 1));
  const std::size_t n = 100000;  // per group: the bound is about 5% of n p at p = 0.1
  PartySpec p = at_tecun_uman(b);
  p.origin = 1;  // SPS, Honduran
  std::array<std::size_t, 4> first{};
  for (int d = 0; d < kDemographics; ++d) {
    p.demo = static_cast<Demographic>(d);
    p.size = d == kFamily ? 3 : 1;
    first[d] = b.add(n, p);
  }
  p.demo = kSingleAdult;
  p.size = 1;
  p.smuggler = true;
  first[3] = b.add(n, p);
  b.step();

  const std::array<double, 4> prob{0.05, 0.1, 0.2, 0.05 * 0.4};  // smugglers: x smuggler_interception
  REQUIRE(b.params().smuggling.interception == 0.4);
  std::array<std::size_t, 4> intercepted{};
  std::size_t inconsistent = 0;
  const std::uint32_t chi = b.node("CHI");
  for (int g = 0; g < 4; ++g)
    for (std::size_t i = first[g]; i < first[g] + n; ++i) {
      const bool caught = b.store.states()[i] == kDetainedMexico;
      intercepted[g] += caught;
      // An intercepted party is held where it was caught until tomorrow (detention 0 days);
      // every party passed the crossing exactly once.
      if (caught != (b.store.data(b.columns().mx_interceptions)[i] == 1)) ++inconsistent;
      if (caught && (b.store.nodes()[i] != chi || b.store.data(b.columns().wait_until)[i] != b.ctx().day + 1))
        ++inconsistent;
    }
  CHECK(inconsistent == 0);
  for (int g = 0; g < 4; ++g) {
    INFO("group " << g << " (single adults, families, children, smuggled single adults)");
    within_binomial(intercepted[g], n, prob[g]);
    if (g < 3) {
      // The comparison is sharp enough to see a probability 15% off (bound 7.6% of n p at p = 0.05).
      CHECK(binomial_deviation(intercepted[g], n, prob[g] * 1.15) > 1.0);
      CHECK(binomial_deviation(intercepted[g], n, prob[g] / 1.15) > 1.0);
    }
  }
  // The apprehension series counts people: families of 3.
  CHECK(b.sink.tally[b.model().mexico().series().apprehensions.at(kHonduras, kFamily)] ==
        3 * static_cast<std::int64_t>(intercepted[1]));
  CHECK(b.sink.tally[b.model().mexico().series().apprehensions.at(kHonduras, kSingleAdult)] ==
        static_cast<std::int64_t>(intercepted[0] + intercepted[3]));
  CHECK(b.sink.tally[b.model().mexico().series().apprehensions.at(kHonduras, kChild)] ==
        static_cast<std::int64_t>(intercepted[2]));
}

TEST_CASE("Mexicans are never intercepted by Mexico, even where everyone else is") {
  CorridorBench b(crossing_only("1", "1", "1"));
  b.begin(Date::from_ymd(2021, 6, 1));
  PartySpec p = at_tecun_uman(b);
  p.origin = 4;  // MEX: a Mexican party on the same stretch of road
  const std::size_t mexicans = b.add(1000, p);
  p.origin = 0;  // GUA: Guatemalans, the control
  const std::size_t others = b.add(1000, p);
  b.step();
  CHECK(b.count_state(kDetainedMexico, mexicans, mexicans + 1000) == 0);
  CHECK(b.count_state(kDetainedMexico, others, others + 1000) == 1000);
  for (int d = 0; d < kDemographics; ++d)
    CHECK(b.sink.tally[b.model().mexico().series().apprehensions.at(kMexico, d)] == 0);
}

TEST_CASE("with Mexican enforcement switched off nobody is intercepted") {
  auto o = crossing_only("1", "1", "1");
  o.push_back("corridor.mexico.enabled=false");
  CorridorBench b(o);
  b.begin(Date::from_ymd(2021, 6, 1));
  PartySpec p = at_tecun_uman(b);
  p.origin = 0;
  b.add(1000, p);
  b.step();
  CHECK(b.count_state(kDetainedMexico) == 0);
  CHECK(b.total(b.model().mexico().series().apprehensions) == 0);
}

TEST_CASE("after detention the asylum share and the retry share among those returned match their probabilities") {
  auto o = crossing_only("0", "0", "0");
  o.insert(o.end(), {"corridor.mexico.asylum_share=0.3", "corridor.mexico.retry_share=0.6",
                     "corridor.mexico.continue_share=0.5"});
  CorridorBench b(o);
  b.begin(Date::from_ymd(2019, 9, 1));
  const std::size_t n = 30000;
  PartySpec p;
  p.origin = 3;  // SAL, Salvadoran
  p.demo = kFamily;
  p.size = 2;
  p.state = kDetainedMexico;
  p.node = b.node("CHI");
  p.wait_until = b.ctx().day;  // detention ends today
  const std::size_t detained = b.add(n, p);
  p.state = kAsylumMexico;
  p.node = b.node("TAP");
  const std::size_t in_asylum = b.add(n, p);  // asylum wait ends today
  b.step();

  SECTION("released from detention") {
    const std::size_t asylum = b.count_state(kAsylumMexico, detained, detained + n);
    const std::size_t home = b.count_state(kHome, detained, detained + n);
    const std::size_t stayed = b.count_state(kStayedHome, detained, detained + n);
    CHECK(asylum + home + stayed == n);  // no other outcome
    within_binomial(asylum, n, 0.3);
    within_binomial(home, home + stayed, 0.6);  // conditional on being returned
    std::size_t misplaced = 0;
    const std::uint32_t tap = b.node("TAP"), sal = b.node("SAL");
    for (std::size_t i = detained; i < detained + n; ++i) {
      const auto s = b.store.states()[i];
      const std::uint32_t where = b.store.nodes()[i];
      if (s == kAsylumMexico && where != tap) ++misplaced;  // asylum is sought in Tapachula
      if ((s == kHome || s == kStayedHome) && where != sal) ++misplaced;  // returned to the origin
    }
    CHECK(misplaced == 0);
    CHECK(b.sink.tally[b.model().mexico().series().asylum.at(kElSalvador, kFamily)] ==
          2 * static_cast<std::int64_t>(asylum));
    CHECK(b.sink.tally[b.model().mexico().series().returns.at(kElSalvador, kFamily)] ==
          2 * static_cast<std::int64_t>(home + stayed));
  }
  SECTION("and at the end of the asylum wait, the continue share sets out north again") {
    const std::size_t settled = b.count_state(kSettledMexico, in_asylum, in_asylum + n);
    const std::size_t travelling = b.count_state(kTravelling, in_asylum, in_asylum + n);
    CHECK(settled + travelling == n);
    within_binomial(travelling, n, 0.5);
    CHECK(b.sink.tally[b.model().departures().series().redepartures.at(kElSalvador, kFamily)] ==
          2 * static_cast<std::int64_t>(travelling));
  }
}

TEST_CASE("Mexico's enforcement policy steps up on 2019-06-07 and, for families and children, on 2021-03-19") {
  CorridorBench b({});
  const MexicanEnforcementPolicy& policy = b.params().mexico.policy;
  // The phases are the dated steps of the default schedules (policy_timeline.csv).
  const Date deployment = Date::from_ymd(2019, 6, 7), measures = Date::from_ymd(2021, 3, 19);
  CHECK(policy.phase_starts() == std::vector<Date>{deployment, measures});
  CHECK(policy.phase(Date::from_ymd(2018, 10, 1)) == 0);
  CHECK(policy.phase(deployment.plus_days(-1)) == 0);
  CHECK(policy.phase(deployment) == 1);
  CHECK(policy.phase(measures.plus_days(-1)) == 1);
  CHECK(policy.phase(measures) == 2);
  CHECK(policy.in_force(Date::from_ymd(2020, 1, 1)));
  // Probabilities per kind of point and demographic (docs/model.md §3.6 defaults).
  using P = InterceptionPoint;
  CHECK(policy.probability(P::kCrossing, kFamily, deployment.plus_days(-1)) == 0.03);
  CHECK(policy.probability(P::kCrossing, kFamily, deployment) == 0.07);
  CHECK(policy.probability(P::kCrossing, kFamily, measures) == 0.14);
  CHECK(policy.probability(P::kCrossing, kSingleAdult, measures) == 0.09);  // single adults: no 2021 step
  CHECK(policy.probability(P::kCheckpoint, kChild, measures) == 0.035);
  CHECK(policy.probability(P::kCheckpoint, kSingleAdult, deployment.plus_days(-1)) == 0.010);
  CHECK(policy.probability(P::kNone, kChild, measures) == 0.0);

  SECTION("switched off, it is never in force and intercepts nobody anywhere") {
    MexicanEnforcementPolicy off = policy;
    off.enabled = false;
    CHECK_FALSE(off.in_force(measures));
    for (P point : {P::kCrossing, P::kCheckpoint})
      for (int d = 0; d < kDemographics; ++d)
        CHECK(off.probability(point, static_cast<Demographic>(d), measures) == 0.0);
  }
}

TEST_CASE("today's interception table holds the policy's probability at every interception point, 0 elsewhere") {
  CorridorBench b({});
  const MexicanEnforcementPolicy& policy = b.params().mexico.policy;
  const Date date = Date::from_ymd(2021, 6, 1);
  b.begin(date);
  std::size_t crossings = 0, checkpoints = 0, wrong = 0;
  for (std::uint32_t i = 0; i < b.net().node_count(); ++i) {
    // The points, read from the node table (docs/model.md §1.2), not from the model.
    const NodeInfo& n = b.net().node(i);
    InterceptionPoint point = InterceptionPoint::kNone;
    if (n.kind == "crossing" && n.country.find("MX") != std::string::npos)
      point = InterceptionPoint::kCrossing, ++crossings;
    if (n.kind == "transit" && n.country == "MX") point = InterceptionPoint::kCheckpoint, ++checkpoints;
    for (int d = 0; d < kDemographics; ++d)
      if (b.model().mexico().probability(i, d) != policy.probability(point, static_cast<Demographic>(d), date)) ++wrong;
  }
  CHECK(crossings == 4);
  CHECK(checkpoints == 31);
  CHECK(wrong == 0);
}
