#pragma once
// Mechanism 5b, travel (docs/model.md §3.5): a party moves along its chosen route at the speed
// of each edge's mode (faster with a smuggler), with a budget of one day per day shared
// across edges. At each stop it may be intercepted (mechanism 6) and rests for a geometric
// number of days (mean by kind of place, shorter with a smuggler); at the end of the route it
// waits in the border city before attempting to cross (mechanism 7).
//
// Reads: the party's route (RouteChoice), today's interception table (MexicanEnforcement).
// Writes: the party's position; the series border_arrivals, transit_days and edge_flows; the
// event arrival.
#include <vector>

#include "models/corridor/declarer.hpp"
#include "models/corridor/mexico_enforcement.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/route_choice.hpp"
#include "models/corridor/smuggling.hpp"
#include "sim/edge_flows.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"

namespace corridor::cm {

class Travel {
 public:
  struct Params {
    double speed_road = 0, speed_foot = 0, speed_train = 0;
    double stop_days_crossing = 0, stop_days_transit = 0, border_wait_days = 0;
    /// travel.* (the smuggler's keys are Smuggling's)
    static void declare(Declarer& d, Params& p);
  };

  Travel(const Params& p, const Network& net, const RouteChoice& routes, const Smuggling& smuggling,
         const MexicanEnforcement& mexico);
  void declare_series(SeriesLayout& series);
  /// edge_flows (sim/edge_flows.hpp), declared after every other series of the model.
  void declare_edge_flows(SeriesLayout& series);

  /// State `travelling`: one day of travel.
  void move(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;

  struct Series {
    SeriesId border_arrivals;  ///< [nationality] people reaching a border city at the end of a trip
    SeriesId transit_days;     ///< [nationality] their trips' days, summed over people
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  const Network& net_;
  const RouteChoice& routes_;
  const Smuggling& smuggling_;
  const MexicanEnforcement& mexico_;
  std::vector<float> arc_speed_;   ///< km/day by arc, without smuggler
  std::vector<double> stop_mean_;  ///< mean rest days at each node, without smuggler
  Series series_;
  EdgeFlows edge_flows_;  ///< people starting along each edge
};

}  // namespace corridor::cm
