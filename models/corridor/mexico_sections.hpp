#pragma once
// Model v2 mechanism, Mexican enforcement per route section (docs/model.md §3.13; issue 11
// item 5). In the v1 model (§3.6) a party is intercepted with the same probability at every
// Mexican crossing and transit city it passes, so a trip's risk compounds over its 7-16
// interception points. Here the Mexican part of the corridor is split into three sections,
// the southern border (the Guatemala-Mexico crossings and the towns of Chiapas and Tabasco),
// the isthmus of Tehuantepec and the north (every other interception point), and each has a
// per-trip interception probability P_s(d, t) for demographic d (dated steps, like the v1
// policy's). A route with n_s interception points in section s spreads P_s over them:
//
//   q_s(n_s) = 1 - (1 - P_s)^(1 / n_s)   at each of them,
//
// so a trip through section s is intercepted there with probability P_s however many
// checkpoints the route has, and the route's risk is 1 - prod over its sections (1 - P_s).
// A smuggler lowers P_s by the section's factor, at a price: a smuggled party pays
// smuggler_fee_usd[s] per person at its first interception point of the section (counted in
// smuggling_fees). It replaces the v1 per-point probabilities and travel.smuggler_interception
// while switched on (off by default until the v2 refit); Mexico never intercepts Mexicans.
//
// Reads: the routes (RouteChoice), the interception points (NetworkRoles). Writes: today's
// per-section table (begin_day), which MexicanEnforcement::intercepts and the route risk read;
// the series mx_apprehensions_section (counted whatever the switch).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/corridor/declarer.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/route_choice.hpp"
#include "models/corridor/smuggling.hpp"
#include "sim/calendar.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

enum RouteSection : std::uint8_t { kSouthernBorder, kIsthmus, kNorth, kRouteSections };
inline const std::array<std::string, kRouteSections> kRouteSectionKeys = {"south", "isthmus", "north"};

class EnforcementSections {
 public:
  /// Most interception points of one section a route may have (the tables are sized by it).
  static constexpr int kMaxPoints = 32;

  struct Params {
    bool enabled = false;
    std::array<PerDemo, kRouteSections> per_trip;  ///< P_s(d, t)
    std::array<double, kRouteSections> smuggler_factor{1, 1, 1};
    std::array<double, kRouteSections> smuggler_fee_usd{0, 0, 0};
    std::vector<std::string> south_nodes, isthmus_nodes;  ///< node ids (crossings are always south)
    /// mexico.sections.*
    static void declare(Declarer& d, Params& p);
  };

  /// Throws InputError naming the key when a listed node is no Mexican interception point or a
  /// route has more than kMaxPoints points of one section.
  EnforcementSections(const Params& p, const NetworkRoles& roles, const RouteChoice& routes,
                      const Smuggling& smuggling);
  void declare_series(SeriesLayout& series);

  bool enabled() const { return p_.enabled; }
  /// Today's table.
  void begin_day(Date date);
  /// The section of an interception point (kRouteSections for any other node).
  RouteSection section_of(std::uint32_t node) const { return static_cast<RouteSection>(section_[node]); }
  /// Interception points of section s on route r (its start excluded).
  int points(std::uint32_t route, RouteSection s) const { return points_[route * kRouteSections + s]; }
  /// Today's per-trip probability P_s for demographic d, with or without smuggler.
  double per_trip(RouteSection s, int d, bool smuggled) const { return trip_[(s * kDemographics + d) * 2 + smuggled]; }
  /// Today's probability at interception point `node` of route r: q_s(n_s) above.
  double at_point(std::uint32_t route, std::uint32_t node, int d, bool smuggled) const;
  /// Today's risk of route r: 1 - prod over its sections of (1 - P_s).
  double route_risk(std::uint32_t route, int d, bool smuggled) const;
  /// A smuggled party at `node` of its route: pays the section's fee if it is the section's first point.
  void charge_at(const Party& p, std::uint32_t node, ThreadSink& sink) const;
  /// Counts an interception at `node` in mx_apprehensions_section (whatever the switch).
  void count_apprehension(const Party& p, std::uint32_t node, ThreadSink& sink) const {
    if (section_[node] != kRouteSections)
      sink.tally.add(series_.apprehensions.at(section_[node], p.nationality, p.demo), p.size);
  }

  struct Series {
    SeriesId apprehensions;  ///< mx_apprehensions_section [section, nationality, demographic]
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  const RouteChoice& routes_;
  const Smuggling& smuggling_;
  std::vector<std::uint8_t> section_;  ///< [node]
  std::vector<std::uint8_t> points_;   ///< [route][section]
  std::vector<std::uint32_t> first_;   ///< [route][section]: the section's first point on the route (or none)
  std::vector<double> trip_;           ///< today's [section][demographic][smuggled]
  std::vector<double> point_;          ///< today's [section][demographic][smuggled][n]
  Series series_;
};

/// q_s(n) = 1 - (1 - P)^(1/n): the probability at each of n points that makes P over all of them.
double per_point_probability(double per_trip, int n);

}  // namespace corridor::cm
