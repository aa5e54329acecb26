// Mechanism 5a, candidate routes and the daily logit tables (docs/model.md §3.5); the
// utility is in route_choice.hpp.
#include "models/corridor/route_choice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/corridor/limits.hpp"
#include "sim/error.hpp"
#include "sim/routes.hpp"

namespace corridor::cm {

void RouteChoice::Params::declare(Declarer& d, Params& p) {
  d.module("Route choice", "`RouteChoice` in `route_choice.cpp`, §3.5");
  d.integer("route_choice.k", p.k, 3, 1, 10, "routes", "alternative loop-free routes per border city (Yen)");
  d.number("route_choice.beta_km", p.beta_km, 1.5, "per 1000 km", non_negative_at_most(kMaxCoefficient),
           "distance disutility of a route; assumption, calibrated against the sector series");
  d.number("route_choice.beta_risk", p.beta_risk, 3.0, "per unit risk", non_negative_at_most(kMaxCoefficient),
           "disutility of the probability of interception along the route");
  d.number("route_choice.beta_cost", p.beta_cost, 0.5, "per 1000 USD", non_negative_at_most(kMaxCoefficient),
           "disutility of the fare along the route");
  d.number("route_choice.fare_per_km.road", p.fare_road, 0.05, "USD/km", non_negative_at_most(kMaxUsd), "bus fares; assumption");
  d.number("route_choice.fare_per_km.train", p.fare_train, 0.0, "USD/km", non_negative_at_most(kMaxUsd),
           "riding freight trains costs no fare (extortion aside)");
  d.number("route_choice.fare_per_km.foot", p.fare_foot, 0.0, "USD/km", non_negative_at_most(kMaxUsd), "walking");
  std::string leaf;
  auto s = d.custom("route_choice.attraction", "0 for every border city", "map {border city id: utility}",
                    "pull of a border city beyond distance (networks, shelters, smuggling hubs); calibrated against "
                    "the sector series",
                    leaf);
  if (s && s->has(leaf)) {
    const Section m = s->section(leaf);
    for (const auto& k : m.keys()) p.attraction[k] = m.number(k, symmetric(kMaxUtility));
  }
}

RouteChoice::RouteChoice(const Params& p, const Network& net, const NetworkRoles& roles, const Smuggling& smuggling,
                         const Section& section)
    : p_(p), smuggling_(smuggling), starts_(roles.starts()) {
  const std::vector<std::uint32_t>& border_cities = roles.border_cities();
  const std::vector<char>& avoid = roles.avoided_by_routes();
  node_off_.push_back(0);
  cand_off_.push_back(0);
  std::vector<char> avoid_us = avoid;  // the same without border cities
  if (!avoid_us.empty())
    for (std::uint32_t b : border_cities) avoid_us[b] = 0;
  for (std::uint32_t s : starts_) {
    for (std::uint32_t b : border_cities) {
      std::vector<Route> routes = k_shortest_routes(net, s, b, p.k, avoid);
      if (routes.empty()) routes = k_shortest_routes(net, s, b, p.k, avoid_us);
      for (const Route& r : routes) {
        const auto id = static_cast<std::uint32_t>(km_.size());
        nodes_.insert(nodes_.end(), r.nodes.begin(), r.nodes.end());
        arcs_.insert(arcs_.end(), r.arcs.begin(), r.arcs.end());
        node_off_.push_back(static_cast<std::uint32_t>(nodes_.size()));
        km_.push_back(r.km);
        double fare = 0;
        for (auto a : r.arcs) {
          const std::string& mode = net.edge(net.arc(a).edge).mode;
          const double per_km = mode == "train" ? p.fare_train : mode == "foot" ? p.fare_foot : p.fare_road;
          fare += per_km * net.arc(a).km;
        }
        fare_.push_back(fare);
        auto it = p.attraction.find(net.node(b).id);
        attraction_.push_back(it == p.attraction.end() ? 0.0 : it->second);
        cand_.push_back(id);
      }
    }
    cand_off_.push_back(static_cast<std::uint32_t>(cand_.size()));
  }
  // Tables are laid out once; update() fills the probabilities.
  cum_off_.push_back(0);
  for (std::size_t s = 0; s < starts_.size(); ++s)
    for (int t = 0; t < kDemographics * 4; ++t) cum_off_.push_back(cum_off_.back() + cand_off_[s + 1] - cand_off_[s]);
  cum_.assign(cum_off_.back(), 0.0);

  for (std::size_t st = 0; st < starts_.size(); ++st)
    if (candidates(st).empty())
      throw InputError(fmt::format("corridor: no route from '{}' to any border city", net.node(starts_[st]).id));
  for (const auto& [city, v] : p.attraction) {
    auto id = net.find(city);
    if (!id || roles.border_slot(*id) < 0)
      section.fail("route_choice.attraction." + city, "is not a node of kind 'border_city'");
  }
}

int RouteChoice::start_slot(std::uint32_t node) const {
  for (std::size_t i = 0; i < starts_.size(); ++i)
    if (starts_[i] == node) return static_cast<int>(i);
  return -1;
}

void RouteChoice::finish_update(const std::vector<double>& risk) {
  for (std::size_t s = 0; s < starts_.size(); ++s) {
    const auto cands = candidates(s);
    for (int d = 0; d < kDemographics; ++d)
      for (int sm = 0; sm < 2; ++sm)
        for (int mx = 0; mx < 2; ++mx) {
          double* cum = cum_.data() + cum_off_[table(s, d, sm, mx)];
          // Softmax with the maximum subtracted, for numerical safety.
          std::vector<double> v(cands.size());
          double vmax = -1e300;
          for (std::size_t c = 0; c < cands.size(); ++c) {
            const std::uint32_t r = cands[c];
            const double rk = mx ? 0.0 : risk[(r * kDemographics + static_cast<std::size_t>(d)) * 2 + sm];
            v[c] =
                -p_.beta_km * km_[r] / 1000.0 - p_.beta_risk * rk - p_.beta_cost * fare_[r] / 1000.0 + attraction_[r];
            vmax = std::max(vmax, v[c]);
          }
          double acc = 0;
          for (std::size_t c = 0; c < cands.size(); ++c) {
            acc += std::exp(v[c] - vmax);
            cum[c] = acc;
          }
          for (std::size_t c = 0; c < cands.size(); ++c) cum[c] /= acc;
        }
  }
}

std::uint32_t RouteChoice::draw(std::size_t start, int demo, bool smuggler, bool mexican, double u) const {
  const auto cands = candidates(start);
  const double* cum = cum_.data() + cum_off_[table(start, demo, smuggler, mexican)];
  const auto it = std::upper_bound(cum, cum + cands.size(), u);
  const std::size_t c = std::min<std::size_t>(static_cast<std::size_t>(it - cum), cands.size() - 1);
  return cands[c];
}

double RouteChoice::probability(std::size_t start, int demo, bool smuggler, bool mexican, std::size_t c) const {
  const double* cum = cum_.data() + cum_off_[table(start, demo, smuggler, mexican)];
  return c == 0 ? cum[0] : cum[c] - cum[c - 1];
}

}  // namespace corridor::cm
