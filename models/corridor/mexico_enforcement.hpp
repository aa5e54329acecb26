#pragma once
// Mechanism 6, Mexican enforcement (docs/model.md §3.6). Non-Mexican parties passing a
// southern crossing or a checkpoint in a Mexican transit city are intercepted with the
// day's probability for their demographic (the policy below), times smuggler_interception if
// smuggled. Intercepted parties are detained, then either seek asylum in Mexico (waiting in
// Tapachula, later continuing north or settling) or are returned to their origin, from where
// some try again.
//
// With the v2 sections switched on (§3.13) the probability at a point is its route section's
// share of the section's per-trip probability instead (EnforcementSections), and a smuggled
// party pays the section's fee at its first point.
//
// Reads: the policy in force today. Writes: today's interception table (begin_day), which
// travel (at each stop) and route choice (route risk) read; the series mx_apprehensions,
// mx_returns, mx_asylum; the events interception, return, asylum_mexico.
#include <cstdint>
#include <string>
#include <vector>

#include "models/corridor/declarer.hpp"
#include "models/corridor/departures.hpp"
#include "models/corridor/mexico_sections.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/smuggling.hpp"
#include "models/corridor/trip_news.hpp"
#include "sim/calendar.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

/// Mexico's enforcement as a policy: in force while the mechanism is switched on, with the
/// interception probability of each kind of point and demographic as dated steps. The steps
/// are its phases: by default the levels of October 2018, the National Guard deployment of
/// 2019-06-07 and the measures aimed at children and families of 2021-03-19
/// (policy_timeline.csv); a scenario moves, adds or scales steps per schedule.
struct MexicanEnforcementPolicy {
  bool enabled = true;
  PerDemo crossing, checkpoint;  ///< interception probability by date, per demographic
  /// mexico.enabled, mexico.interception.*
  static void declare(Declarer& d, MexicanEnforcementPolicy& p);

  bool in_force(Date) const { return enabled; }
  /// The probability at a point of this kind for a party without smuggler (0 where there is
  /// no interception point, or when the policy is not in force).
  double probability(InterceptionPoint point, Demographic d, Date date) const;
  /// The dates on which a phase starts (every dated step of a schedule after its first value),
  /// in order, without repeats.
  std::vector<Date> phase_starts() const;
  /// The phase in force on `date`: 0 before the first step, k after the k-th.
  int phase(Date date) const;
};

class MexicanEnforcement {
 public:
  struct Params {
    MexicanEnforcementPolicy policy;
    double detention_days = 0, asylum_share = 0, asylum_wait_days = 0, continue_share = 0;
    double retry_share = 0, retry_delay_days = 0;
    std::string asylum_node;  ///< node id (NetworkRoles::asylum_node resolves it)
    /// mexico.*
    static void declare(Declarer& d, Params& p);
  };

  MexicanEnforcement(const Params& p, const NetworkRoles& roles, const Smuggling& smuggling,
                     const Departures& departures, const EnforcementSections& sections, const TripNews& news);
  void declare_series(SeriesLayout& series);

  /// Today's interception table.
  void begin_day(Date date);
  /// Today's interception probability at `node` for demographic d (no smuggler).
  double probability(std::uint32_t node, int d) const { return intercept_[node * kDemographics + d]; }

  /// A party arriving at `node` on its way: intercepted? (One draw where the node is an
  /// interception point and the party is not Mexican.) If so it is detained.
  bool intercepts(const DayContext& ctx, const Party& p, std::uint32_t node, RandomStream& rng,
                  ThreadSink& sink) const;
  /// State `detained_mexico`: detention ends; asylum in Mexico, or returned to the origin.
  void release(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;
  /// State `asylum_mexico`: the wait for asylum ends; sets out north again (true) or settles.
  bool asylum_ends(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;

  struct Series {
    SeriesId apprehensions;  ///< mx_apprehensions [nationality, demographic]
    SeriesId returns;        ///< mx_returns [nationality, demographic]
    SeriesId asylum;         ///< mx_asylum [nationality, demographic]
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  const NetworkRoles& roles_;
  const Smuggling& smuggling_;
  const Departures& departures_;
  const EnforcementSections& sections_;
  const TripNews& news_;
  std::vector<double> intercept_;  ///< today's [node][demographic]
  Series series_;
};

}  // namespace corridor::cm
