#pragma once
// Mechanism 5a, route choice (docs/model.md §3.5). From each start node (origins, the asylum
// node) the candidate routes are the k shortest loop-free routes to every northern border
// city that pass through no other border city, sector or US node; where a border city can
// only be reached through another (Tijuana, Mexicali and San Luis Rio Colorado lie beyond
// Sonoyta on the border highway, Ciudad Acuna beyond Piedras Negras), its routes may pass
// other border cities, never the US. Each day, for every start,
// demographic, smuggler flag and nationality group (Mexican or not), a party picks route r
// with the multinomial logit probability exp(V_r) / sum exp(V), where
//
//   V_r = - beta_km km_r / 1000 - beta_risk risk_r - beta_cost fare_r / 1000 + attraction(b_r),
//   risk_r = 1 - prod over Mexican interception points on r of (1 - p_intercept)  (0 for Mexicans).
//
// Reads: today's Mexican interception probabilities (begin_day's argument). Writes: today's
// choice tables, which departures draw from when a trip starts (Departures::start_trip).
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "models/corridor/declarer.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/smuggling.hpp"
#include "sim/config.hpp"
#include "sim/network.hpp"

namespace corridor::cm {

class RouteChoice {
 public:
  struct Params {
    int k = 3;
    double beta_km = 0, beta_risk = 0, beta_cost = 0;
    double fare_road = 0, fare_train = 0, fare_foot = 0;
    std::map<std::string, double> attraction;  ///< border city id -> utility constant
    /// route_choice.*
    static void declare(Declarer& d, Params& p);
  };

  /// Builds the candidate routes between the roles' starts and border cities. Throws InputError
  /// when a start reaches no border city, or `section` (the scenario's `corridor:`) names an
  /// attraction for a node that is not a border city.
  RouteChoice(const Params& p, const Network& net, const NetworkRoles& roles, const Smuggling& smuggling,
              const Section& section);

  std::size_t start_count() const { return starts_.size(); }
  int start_slot(std::uint32_t node) const;  ///< -1 if not a start
  std::span<const std::uint32_t> route_nodes(std::uint32_t r) const {
    return {nodes_.data() + node_off_[r], nodes_.data() + node_off_[r + 1]};
  }
  std::span<const std::uint32_t> route_arcs(std::uint32_t r) const {
    return {arcs_.data() + node_off_[r] - r, arcs_.data() + node_off_[r + 1] - r - 1};
  }
  double route_km(std::uint32_t r) const { return km_[r]; }
  std::size_t route_count() const { return km_.size(); }
  std::span<const std::uint32_t> candidates(std::size_t start) const {
    return {cand_.data() + cand_off_[start], cand_.data() + cand_off_[start + 1]};
  }

  /// Rebuilds today's choice tables; `intercept(node, demo)` is today's probability at a node
  /// for a party without smuggler (0 where there is no interception point).
  template <class InterceptFn>
  void begin_day(InterceptFn intercept);
  /// The same from each route's risk for non-Mexicans, `risk(route, demo, smuggled)` (the v2
  /// Mexican enforcement by section, §3.13, whose risk is not a product over nodes).
  template <class RiskFn>
  void begin_day_with_risk(RiskFn risk);

  /// Draws a route for a party from one uniform number in [0, 1).
  std::uint32_t draw(std::size_t start, int demo, bool smuggler, bool mexican, double u) const;
  /// Today's choice probability of candidate c (for tests and docs).
  double probability(std::size_t start, int demo, bool smuggler, bool mexican, std::size_t c) const;

 private:
  std::size_t table(std::size_t start, int demo, bool smuggler, bool mexican) const {
    return ((start * kDemographics + static_cast<std::size_t>(demo)) * 2 + smuggler) * 2 + mexican;
  }
  void finish_update(const std::vector<double>& risk_by_route_demo_smuggler);

  const Params& p_;
  const Smuggling& smuggling_;
  std::vector<std::uint32_t> starts_;
  std::vector<std::uint32_t> nodes_, arcs_, node_off_;
  std::vector<double> km_, fare_, attraction_;
  std::vector<std::uint32_t> cand_, cand_off_;
  std::vector<double> cum_;  ///< per table, cumulative probabilities over the start's candidates
  std::vector<std::uint32_t> cum_off_;
};

template <class InterceptFn>
void RouteChoice::begin_day(InterceptFn intercept) {
  // risk[(r * demos + d) * 2 + smuggler] for non-Mexicans
  std::vector<double> risk(km_.size() * kDemographics * 2, 0.0);
  for (std::uint32_t r = 0; r < km_.size(); ++r) {
    const auto nodes = route_nodes(r);
    for (int d = 0; d < kDemographics; ++d)
      for (int s = 0; s < 2; ++s) {
        double pass = 1.0;
        for (std::size_t i = 1; i < nodes.size(); ++i) {
          const double q = intercept(nodes[i], d) * smuggling_.interception_factor(s != 0);
          pass *= 1.0 - std::min(1.0, q);
        }
        risk[(r * kDemographics + d) * 2 + s] = 1.0 - pass;
      }
  }
  finish_update(risk);
}

template <class RiskFn>
void RouteChoice::begin_day_with_risk(RiskFn route_risk) {
  std::vector<double> risk(km_.size() * kDemographics * 2, 0.0);
  for (std::uint32_t r = 0; r < km_.size(); ++r)
    for (int d = 0; d < kDemographics; ++d)
      for (int s = 0; s < 2; ++s) risk[(r * kDemographics + d) * 2 + s] = route_risk(r, d, s != 0);
  finish_update(risk);
}

}  // namespace corridor::cm
