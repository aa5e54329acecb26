#pragma once
// Mechanism 3, departures (docs/model.md §3.3): leaving home, first or again, and coming home.
// Residents are counts, not agents: each day the expected number of people leaving, per
// nationality and demographic, is
//
//   lambda = scale * base_per_day[n][d] * exp(push(n, t)) * perception(n, d, t) * aid(n, t)
//            * season(t) * mobility(t) [* pass(origin, t) with the v2 closures, §3.11]
//            [* pull(n, t) with the v2 diaspora, §3.15],
//   [the perception factors replaced by the households' choice of who travels, v2, §3.16],
//   push(n, t) = b_hom (hom(n,t) - hom(n,ref)) + b_gdp 100 (1 - gdp(n,t)/gdp(n,ref))
//              + b_hur (affected(n)/pop(n)) exp(-(t - t_hur)/tau) [t >= t_hur]
//              + b_gov (mean CPI - CPI(n)),
//   season(t) = 1 + A cos(2 pi (day_of_year - peak) / 365.25),
//
// and the number of parties from each origin is Poisson(lambda * share / mean party size).
// A trip starts with a route drawn from today's route choice tables and the smuggler's fee.
// A party returned home (by Mexico, or removed by the US) leaves again after a delay or gives
// up; a party at home leaves again (state `home`).
//
// Reads: the push indicators, today's perception (Perception::departure_factor), aid
// (Aid::factor), the diaspora's pull and smuggler share (Diaspora), who travels (Households)
// and route choice tables. Writes: new parties (begin_day), the series
// departures and redepartures, the events departure and give_up.
#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "models/corridor/aid.hpp"
#include "models/corridor/categories.hpp"
#include "models/corridor/closures.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/diaspora.hpp"
#include "models/corridor/households.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/perception.hpp"
#include "models/corridor/push_factors.hpp"
#include "models/corridor/route_choice.hpp"
#include "models/corridor/smuggling.hpp"
#include "models/corridor/trip_news.hpp"
#include "sim/agents.hpp"
#include "sim/calendar.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

/// Corruption Perceptions Index 2019 (Transparency International): MX 29, GT 26, HN 26, SV 34.
inline constexpr std::array<double, kNationalities> kCpi2019 = {29, 26, 26, 34};

/// The run's departures as the parameters and push indicators foresee them (Departures::foresee).
struct DepartureOutlook {
  /// Expected parties setting out over the run, perception held at its initial value: every
  /// party the agent store may have to hold (for the memory estimate, docs/reliability.md).
  double parties = 0;
  /// The most people expected to leave on one day from one origin in one demographic, with
  /// perception at its most favourable, and where and when.
  double peak_people = 0;
  Date peak_date;
  std::size_t peak_origin = 0;
  Demographic peak_demographic = kSingleAdult;
};

class Departures {
 public:
  struct Params {
    bool enabled = true;
    double scale = 1.0;  ///< sampling fraction: departures are multiplied by it (output counts are not)
    std::array<PerDemoNumber, kNationalities> base_per_day{};
    int reference_year = 2019;
    double beta_homicide = 0, beta_gdp = 0, beta_hurricane = 0, beta_governance = 0;
    double hurricane_decay_days = 0;
    Date hurricane_date;
    double season_amplitude = 0, season_peak_day = 0;
    Schedule mobility;                            ///< multiplier: COVID-19 movement restrictions
    std::array<double, 5> family_size_weights{};  ///< sizes 2..6
    std::vector<OriginSpec> origins;
    /// departures.*, and scale
    static void declare(Declarer& d, Params& p);
  };

  Departures(const Params& p, const PushIndicators& push, const NetworkRoles& roles, const RouteChoice& routes,
             const Smuggling& smuggling, const Perception& perception, const Aid& aid, const Closures& closures,
             const TripNews& news, const Diaspora& diaspora, const Households& households);
  void declare_series(SeriesLayout& series);

  /// Evaluates expected departures on every day of `cal` (before any party exists). Throws
  /// InputError, naming `file`, when a day's expectation is not finite or exceeds
  /// kMaxPeoplePerDay (limits.hpp): its factors (scale, base, push, perception, aid, season,
  /// mobility) multiply, so each being in range does not keep the product in range.
  DepartureOutlook foresee(const Calendar& cal, const std::filesystem::path& file) const;

  /// Today's new parties (after today's perception, aid and route choice tables).
  void begin_day(const DayContext& ctx, AgentStore& store, const PartyColumns& columns, ThreadSink& sink) const;

  /// Starts a trip from `from_node` today: draws the route, the smuggler is paid.
  void start_trip(const DayContext& ctx, const Party& p, std::uint32_t from_node, RandomStream& rng,
                  ThreadSink& sink) const;
  /// Sets out again (after a return, or from asylum in Mexico): counted in redepartures.
  void set_out_again(const DayContext& ctx, const Party& p, std::uint32_t from_node, RandomStream& rng,
                     ThreadSink& sink) const;
  /// State `home`: the wait at home is over; the party leaves again from its origin.
  void leave_home(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
    set_out_again(ctx, p, roles_.origin_node(p.origin), rng, sink);
  }
  /// Back at its origin (the trip ends: sent back, TripNews): with probability `retry_share`
  /// waits 1 + G(delay_days) days at home and leaves again, otherwise stays home for good.
  void go_home_or_retry(const DayContext& ctx, const Party& p, double retry_share, double delay_days,
                        RandomStream& rng, ThreadSink& sink) const;
  /// Gives up where it is (the trip ends: gave up, TripNews) and goes back to its origin for
  /// good (final state stayed_home).
  void give_up(const DayContext& ctx, const Party& p, ThreadSink& sink) const;

  struct Series {
    SeriesId departures;    ///< [origin, demographic] people leaving for the first time
    SeriesId redepartures;  ///< [nationality, demographic] people setting out again
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  const PushIndicators& push_;
  const NetworkRoles& roles_;
  const RouteChoice& routes_;
  const Smuggling& smuggling_;
  const Perception& perception_;
  const Aid& aid_;
  const Closures& closures_;
  const TripNews& news_;
  const Diaspora& diaspora_;
  const Households& households_;
  Series series_;

  /// Final state stayed_home at the origin (the give_up event).
  void stay_home(const DayContext& ctx, const Party& p, ThreadSink& sink) const;
};

/// The exponent push(n, t) above.
double push_exponent(const Departures::Params& p, const PushIndicators& push, Nationality n, Date date);
/// season(t) above.
double seasonality(const Departures::Params& p, Date date);
/// Expected people leaving per day (perception and aid factors supplied by their mechanisms).
double expected_departures(const Departures::Params& p, const PushIndicators& push, Nationality n, Demographic d,
                           Date date, double perception_factor, double aid_factor);
/// Mean size of a party of demographic d (family sizes 2-6 by their weights; others 1).
double mean_party_size(const Departures::Params& p, Demographic d);
/// Draws a party size for demographic d from one uniform number in [0, 1).
int draw_party_size(const Departures::Params& p, Demographic d, double u);

}  // namespace corridor::cm
