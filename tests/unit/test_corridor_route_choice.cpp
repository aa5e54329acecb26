// Corridor mechanism 5, route choice (models/corridor/route_choice.*): the candidate routes
// on the real network, and the multinomial logit over them against a hand computation of
// V_r = - beta_km km/1000 - beta_risk risk - beta_cost fare/1000 + attraction, with the risk
// recomputed here from the node kinds of scenarios/corridor/nodes.csv.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;

namespace {

/// Interception probability at a node as the scenario sets it below: 0.2 at Mexican crossings,
/// 0.05 at Mexican transit cities, 0 elsewhere (read from the node table, not from the model).
double hand_intercept(const Network& net, std::uint32_t node, double crossing, double checkpoint) {
  const NodeInfo& n = net.node(node);
  if (n.kind == "crossing" && n.country.find("MX") != std::string::npos) return crossing;
  if (n.kind == "transit" && n.country == "MX") return checkpoint;
  return 0.0;
}

std::vector<std::string> interception_overrides(double crossing, double checkpoint) {
  std::vector<std::string> o;
  for (const char* d : {"single_adult", "family", "child"}) {
    o.push_back(std::string("corridor.mexico.interception.crossing.") + d + "=" + std::to_string(crossing));
    o.push_back(std::string("corridor.mexico.interception.checkpoint.") + d + "=" + std::to_string(checkpoint));
  }
  return o;
}

/// Number of interception points (Mexican crossings and transit cities) a route passes after its start.
int interception_points(const Network& net, std::span<const std::uint32_t> nodes) {
  int k = 0;
  for (std::size_t i = 1; i < nodes.size(); ++i) k += hand_intercept(net, nodes[i], 1, 1) > 0;
  return k;
}

}  // namespace

TEST_CASE("candidate routes are loop-free walks through Mexico that end at a border city, and every start reaches "
          "all 13 border cities") {
  // A route passes no other border city, except to reach Tijuana, Mexicali and San Luis Rio
  // Colorado (the network's only road to them is the border highway through Sonoyta) and
  // Ciudad Acuna (only through Piedras Negras); it never passes a sector or a destination
  // (a path through the US).
  CorridorBench b({});
  const Network& net = b.net();
  const RouteChoice& pl = b.model().route_choice();
  std::size_t border_cities = 0;
  for (const NodeInfo& n : net.nodes()) border_cities += n.kind == "border_city";
  REQUIRE(border_cities == 13);
  const std::set<std::string> beyond_another = {"TIJ", "MXL", "SLR", "ACU"};
  // Starts: the seven origins of defaults.yaml (GUA, SPS, TGU, SAL, MEX, GDL, IRA) and the asylum node TAP.
  REQUIRE(pl.start_count() == 8);
  std::size_t routes = 0, bad_walk = 0, loops = 0, bad_end = 0, through_us = 0, bad_km = 0;
  std::size_t through_border_city = 0, through_border_city_needlessly = 0;
  for (const char* start : {"GUA", "SPS", "TGU", "SAL", "MEX", "GDL", "IRA", "TAP"}) {
    const int slot = pl.start_slot(b.node(start));
    REQUIRE(slot >= 0);
    const auto cands = pl.candidates(static_cast<std::size_t>(slot));
    INFO("start " << start);
    std::map<std::uint32_t, int> per_city;
    std::set<std::vector<std::uint32_t>> distinct;
    for (std::uint32_t r : cands) {
      ++routes;
      const auto nodes = pl.route_nodes(r);
      const auto arcs = pl.route_arcs(r);
      REQUIRE(nodes.size() >= 2);
      REQUIRE(arcs.size() == nodes.size() - 1);
      CHECK(nodes.front() == b.node(start));
      double km = 0;
      for (std::size_t i = 0; i < arcs.size(); ++i) {
        const Arc& a = net.arc(arcs[i]);
        if (a.from != nodes[i] || a.to != nodes[i + 1]) ++bad_walk;
        km += a.km;
      }
      if (std::fabs(km - pl.route_km(r)) > 1e-9 * km) ++bad_km;
      if (std::set<std::uint32_t>(nodes.begin(), nodes.end()).size() != nodes.size()) ++loops;
      if (net.node(nodes.back()).kind != "border_city") ++bad_end;
      bool passes_border_city = false;
      for (std::size_t i = 1; i + 1 < nodes.size(); ++i) {
        const NodeInfo& n = net.node(nodes[i]);
        if (n.kind == "sector" || n.kind == "destination" || n.country == "US") ++through_us;
        passes_border_city = passes_border_city || n.kind == "border_city";
      }
      if (passes_border_city) {
        ++through_border_city;
        if (!beyond_another.count(net.node(nodes.back()).id)) ++through_border_city_needlessly;
      }
      ++per_city[nodes.back()];
      distinct.insert(std::vector<std::uint32_t>(nodes.begin(), nodes.end()));
    }
    CHECK(distinct.size() == cands.size());  // no route listed twice
    for (auto [city, n] : per_city) CHECK(n <= b.params().route_choice.k);
    // Every border city, hence every sector, can be reached from every start.
    CHECK(per_city.size() == border_cities);
  }
  CHECK(bad_walk == 0);
  CHECK(bad_km == 0);
  CHECK(loops == 0);
  CHECK(bad_end == 0);
  CHECK(through_us == 0);
  CHECK(through_border_city_needlessly == 0);
  CHECK(through_border_city > 0);  // the routes to Tijuana and the others exist
  CHECK(routes >= 8 * 13);
}

TEST_CASE("route choice probabilities equal exp(V) / sum exp(V) computed by hand") {
  auto overrides = interception_overrides(0.2, 0.05);
  overrides.push_back("corridor.route_choice.attraction.TIJ=0.7");
  overrides.push_back("corridor.route_choice.attraction.REX=-0.4");
  CorridorBench b(overrides);
  b.begin(Date::from_ymd(2019, 3, 1));
  const Network& net = b.net();
  const Parameters& p = b.params();
  const RouteChoice& pl = b.model().route_choice();
  // Defaults (docs/model.md): beta_km 1.5 per 1000 km, beta_risk 3, beta_cost 0.5 per 1000 USD,
  // fares 0.05 USD/km by road, 0 by train and on foot; smugglers multiply interception by 0.4.
  REQUIRE(p.route_choice.beta_km == 1.5);
  REQUIRE(p.route_choice.beta_risk == 3.0);
  REQUIRE(p.route_choice.beta_cost == 0.5);
  REQUIRE(p.smuggling.interception == 0.4);
  std::size_t checked = 0;
  for (const char* start : {"GUA", "SPS", "SAL", "MEX", "TAP"}) {
    const auto slot = static_cast<std::size_t>(pl.start_slot(b.node(start)));
    const auto cands = pl.candidates(slot);
    for (int d = 0; d < kDemographics; ++d)
      for (int sm = 0; sm < 2; ++sm)
        for (int mx = 0; mx < 2; ++mx) {
          std::vector<double> ev;
          double sum = 0;
          for (std::uint32_t r : cands) {
            const auto nodes = pl.route_nodes(r);
            const auto arcs = pl.route_arcs(r);
            double km = 0, fare = 0, pass = 1;
            for (std::uint32_t a : arcs) {
              const std::string& mode = net.edge(net.arc(a).edge).mode;
              km += net.arc(a).km;
              fare += (mode == "road" ? 0.05 : 0.0) * net.arc(a).km;
            }
            for (std::size_t i = 1; i < nodes.size(); ++i)
              pass *= 1 - hand_intercept(net, nodes[i], 0.2, 0.05) * (sm ? 0.4 : 1.0);
            const double risk = mx ? 0.0 : 1 - pass;  // Mexicans face no Mexican enforcement
            const std::string city = net.node(nodes.back()).id;
            const double attraction = city == "TIJ" ? 0.7 : city == "REX" ? -0.4 : 0.0;
            const double v = -1.5 * km / 1000 - 3.0 * risk - 0.5 * fare / 1000 + attraction;
            ev.push_back(std::exp(v));
            sum += ev.back();
          }
          for (std::size_t c = 0; c < cands.size(); ++c) {
            INFO(start << " demo " << d << " smuggler " << sm << " mexican " << mx << " candidate " << c);
            CHECK(pl.probability(slot, d, sm, mx, c) == Approx(ev[c] / sum).epsilon(1e-9).margin(1e-15));
            ++checked;
          }
        }
  }
  CHECK(checked > 1000);

  SECTION("and draws follow them (inverse CDF on an even grid of u)") {
    const auto slot = static_cast<std::size_t>(pl.start_slot(b.node("GUA")));
    const auto cands = pl.candidates(slot);
    std::map<std::uint32_t, int> hits;
    const int grid = 200000;
    for (int i = 0; i < grid; ++i) ++hits[pl.draw(slot, kFamily, false, false, (i + 0.5) / grid)];
    for (std::size_t c = 0; c < cands.size(); ++c)
      CHECK(hits[cands[c]] / static_cast<double>(grid) ==
            Approx(pl.probability(slot, kFamily, false, false, c)).margin(1.0 / grid));
  }
}

TEST_CASE("Mexicans' route choice ignores Mexican interception, other nationalities' does not") {
  CorridorBench low(interception_overrides(0.0, 0.0));
  CorridorBench high(interception_overrides(0.5, 0.2));
  low.begin(Date::from_ymd(2019, 3, 1));
  high.begin(Date::from_ymd(2019, 3, 1));
  const RouteChoice& a = low.model().route_choice();
  const RouteChoice& b = high.model().route_choice();
  double max_diff_mexican = 0, max_diff_other = 0;
  for (const char* start : {"MEX", "GDL", "IRA", "GUA"}) {
    const auto slot = static_cast<std::size_t>(a.start_slot(low.node(start)));
    for (std::size_t c = 0; c < a.candidates(slot).size(); ++c)
      for (int d = 0; d < kDemographics; ++d) {
        max_diff_mexican = std::max(max_diff_mexican, std::fabs(a.probability(slot, d, false, true, c) -
                                                                 b.probability(slot, d, false, true, c)));
        max_diff_other = std::max(max_diff_other, std::fabs(a.probability(slot, d, false, false, c) -
                                                             b.probability(slot, d, false, false, c)));
      }
  }
  CHECK(max_diff_mexican == 0.0);
  CHECK(max_diff_other > 0.01);  // the comparison can see a difference
}

TEST_CASE("a higher beta_risk shifts choice away from routes with more interception points") {
  // Every interception point has the same probability (0.05), so a route's risk grows with its
  // number of points; the choice-weighted mean number of points must fall as beta_risk grows
  // (d E[risk] / d beta_risk = -Var(risk) < 0 in a logit).
  std::vector<double> mean_points, mean_risk;
  for (const char* beta : {"0", "3", "10", "30"}) {
    auto o = interception_overrides(0.05, 0.05);
    o.push_back(std::string("corridor.route_choice.beta_risk=") + beta);
    CorridorBench b(o);
    b.begin(Date::from_ymd(2019, 3, 1));
    const RouteChoice& pl = b.model().route_choice();
    double points = 0, risk = 0;
    for (const char* start : {"GUA", "SPS", "TGU", "SAL"}) {
      const auto slot = static_cast<std::size_t>(pl.start_slot(b.node(start)));
      const auto cands = pl.candidates(slot);
      for (std::size_t c = 0; c < cands.size(); ++c) {
        const int k = interception_points(b.net(), pl.route_nodes(cands[c]));
        const double pr = pl.probability(slot, kSingleAdult, false, false, c);
        points += pr * k;
        risk += pr * (1 - std::pow(0.95, k));
      }
    }
    mean_points.push_back(points / 4);
    mean_risk.push_back(risk / 4);
  }
  INFO("mean interception points at beta_risk 0, 3, 10, 30: " << mean_points[0] << ", " << mean_points[1] << ", "
                                                               << mean_points[2] << ", " << mean_points[3]);
  for (std::size_t i = 1; i < mean_points.size(); ++i) {
    CHECK(mean_points[i] < mean_points[i - 1]);
    CHECK(mean_risk[i] < mean_risk[i - 1]);
  }
}
