// Model v2 mechanism, Mexican enforcement per route section (docs/model.md §3.13): the rule
// is in mexico_sections.hpp.
#include "models/corridor/mexico_sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/corridor/limits.hpp"
#include "sim/error.hpp"

namespace corridor::cm {

namespace {

std::vector<std::string> split_ids(const std::string& text) {
  std::string t = text;
  std::replace(t.begin(), t.end(), ',', ' ');
  std::istringstream in(t);
  std::vector<std::string> out;
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

}  // namespace

void EnforcementSections::Params::declare(Declarer& d, Params& p) {
  d.module("Mexican enforcement per route section (model v2)", "`EnforcementSections` in `mexico_sections.cpp`, §3.13");
  d.flag("mexico.sections.enabled", p.enabled, false,
         std::string(kModelV2Switch) + "; on, it replaces mexico.interception.* and "
         "travel.smuggler_interception");
  d.per_demo_schedule("mexico.sections.per_trip.south", p.per_trip[kSouthernBorder],
                      {"2018-10-01:0.08, 2019-06-07:0.15", "2018-10-01:0.06, 2019-06-07:0.12, 2021-03-19:0.2",
                       "2018-10-01:0.06, 2019-06-07:0.12, 2021-03-19:0.2"},
                      "probability per trip", Range::kProbability,
                      "interception while crossing the southern border section (crossings, Chiapas, Tabasco); "
                      "steps at the National Guard deployment of 2019-06-07 and the measures aimed at children and "
                      "families of 2021-03-19 (policy_timeline.csv); levels are assumptions (the v2 refit "
                      "scales them from 2019-06-07 by one factor), set so "
                      "that a whole trip is intercepted about 0.25 times (Mexico's apprehensions per arrival at the "
                      "US border of about 0.3, issue 11)");
  d.per_demo_schedule("mexico.sections.per_trip.isthmus", p.per_trip[kIsthmus],
                      {"2018-10-01:0.03, 2019-06-07:0.06", "2018-10-01:0.02, 2019-06-07:0.05, 2021-03-19:0.08",
                       "2018-10-01:0.02, 2019-06-07:0.05, 2021-03-19:0.08"},
                      "probability per trip", Range::kProbability,
                      "as south, for the isthmus of Tehuantepec (Ixtepec, Medias Aguas, Coatzacoalcos)");
  d.per_demo_schedule("mexico.sections.per_trip.north", p.per_trip[kNorth],
                      {"2018-10-01:0.04, 2019-06-07:0.07", "2018-10-01:0.03, 2019-06-07:0.06, 2021-03-19:0.08",
                       "2018-10-01:0.03, 2019-06-07:0.06, 2021-03-19:0.08"},
                      "probability per trip", Range::kProbability,
                      "as south, for every other Mexican interception point up to the border city");
  for (int s = 0; s < kRouteSections; ++s)
    d.number("mexico.sections.smuggler_factor." + kRouteSectionKeys[s], p.smuggler_factor[s], 0.5, "factor",
             Range::kProbability,
             "a smuggler multiplies the section's per-trip probability by it (bribes, safe houses, other roads); "
             "assumption");
  for (int s = 0; s < kRouteSections; ++s)
    d.number("mexico.sections.smuggler_fee_usd." + kRouteSectionKeys[s], p.smuggler_fee_usd[s], 300,
             "USD per person", non_negative_at_most(kMaxUsd),
             "what the smuggler charges on top of travel.smuggler_fee_usd for getting through the section, paid "
             "at its first interception point; assumption");
  std::string south, isthmus;
  d.text("mexico.sections.south_nodes", south, "TAP HUI MAP ARR COM TGZ PAL TEN VSA", "node ids",
         "towns of Chiapas and Tabasco on the routes (the southern border states); every Guatemala-Mexico "
         "crossing is in this section too");
  d.text("mexico.sections.isthmus_nodes", isthmus, "IXT MAG COA", "node ids",
         "towns of the isthmus of Tehuantepec on the routes; interception points listed in neither are north");
  p.south_nodes = split_ids(south);
  p.isthmus_nodes = split_ids(isthmus);
}

double per_point_probability(double per_trip, int n) {
  if (n <= 0) return 0.0;
  if (n == 1) return per_trip;
  return 1.0 - std::pow(1.0 - per_trip, 1.0 / n);
}

EnforcementSections::EnforcementSections(const Params& p, const NetworkRoles& roles, const RouteChoice& routes,
                                         const Smuggling& smuggling)
    : p_(p),
      routes_(routes),
      smuggling_(smuggling),
      section_(roles.network().node_count(), kRouteSections),
      points_(routes.route_count() * kRouteSections, 0),
      first_(routes.route_count() * kRouteSections, UINT32_MAX),
      trip_(kRouteSections * kDemographics * 2, 0.0),
      point_(kRouteSections * kDemographics * 2 * (kMaxPoints + 1), 0.0) {
  const Network& net = roles.network();
  for (std::uint32_t i = 0; i < net.node_count(); ++i) {
    if (roles.interception_point(i) == InterceptionPoint::kNone) continue;
    section_[i] = roles.interception_point(i) == InterceptionPoint::kCrossing ? kSouthernBorder : kNorth;
  }
  const auto assign = [&](const std::vector<std::string>& ids, RouteSection s, const char* key) {
    for (const std::string& id : ids) {
      const auto n = net.find(id);
      if (!n || roles.interception_point(*n) == InterceptionPoint::kNone) {
        if (!p.enabled) continue;  // another network: the lists matter only when the sections are used
        throw InputError(fmt::format("corridor.mexico.sections.{}: '{}' is no Mexican interception point of the "
                                     "network (a crossing or a Mexican transit town)",
                                     key, id));
      }
      section_[*n] = s;
    }
  };
  assign(p.south_nodes, kSouthernBorder, "south_nodes");
  assign(p.isthmus_nodes, kIsthmus, "isthmus_nodes");
  for (std::uint32_t r = 0; r < routes.route_count(); ++r) {
    const auto nodes = routes.route_nodes(r);
    for (std::size_t i = 1; i < nodes.size(); ++i) {
      const int s = section_[nodes[i]];
      if (s == kRouteSections) continue;
      const std::size_t k = r * kRouteSections + static_cast<std::size_t>(s);
      if (points_[k] == kMaxPoints)
        throw InputError(fmt::format("corridor.mexico.sections: a route passes more than {} interception points of "
                                     "section {}",
                                     kMaxPoints, kRouteSectionKeys[s]));
      if (points_[k]++ == 0) first_[k] = nodes[i];
    }
  }
}

void EnforcementSections::declare_series(SeriesLayout& S) {
  series_.apprehensions =
      S.add({"mx_apprehensions_section", "people",
             "people intercepted by Mexico, by route section of the interception point (§3.13; counted whether or "
             "not the sections are switched on)",
             {Dimension{"section", {"southern border", "isthmus", "north"}}, nationality_dim(), demographic_dim()}});
}

void EnforcementSections::begin_day(Date date) {
  if (!p_.enabled) return;
  for (int s = 0; s < kRouteSections; ++s)
    for (int d = 0; d < kDemographics; ++d)
      for (int sm = 0; sm < 2; ++sm) {
        const double P = std::min(1.0, p_.per_trip[s][d].at(date) * (sm ? p_.smuggler_factor[s] : 1.0));
        const std::size_t k = (static_cast<std::size_t>(s) * kDemographics + d) * 2 + sm;
        trip_[k] = P;
        for (int n = 0; n <= kMaxPoints; ++n) point_[k * (kMaxPoints + 1) + n] = per_point_probability(P, n);
      }
}

double EnforcementSections::at_point(std::uint32_t route, std::uint32_t node, int d, bool smuggled) const {
  const int s = section_[node];
  if (s == kRouteSections) return 0.0;
  const std::size_t k = (static_cast<std::size_t>(s) * kDemographics + d) * 2 + smuggled;
  return point_[k * (kMaxPoints + 1) + points_[route * kRouteSections + s]];
}

double EnforcementSections::route_risk(std::uint32_t route, int d, bool smuggled) const {
  double pass = 1.0;
  for (int s = 0; s < kRouteSections; ++s)
    if (points_[route * kRouteSections + s] > 0) pass *= 1.0 - per_trip(static_cast<RouteSection>(s), d, smuggled);
  return 1.0 - pass;
}

void EnforcementSections::charge_at(const Party& p, std::uint32_t node, ThreadSink& sink) const {
  const int s = section_[node];
  if (!p.smuggled || s == kRouteSections || first_[p.route() * kRouteSections + s] != node) return;
  smuggling_.charge(p, p_.smuggler_fee_usd[s], sink);
}

}  // namespace corridor::cm
