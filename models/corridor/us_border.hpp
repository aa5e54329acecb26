#pragma once
// Mechanism 7, the US border (docs/model.md §3.7). From its border city a party presents at
// a port of entry (OFO) or crosses between ports into the sector across (USBP), where it is
// encountered with the day's probability; the rest get through undetected. An encountered
// party's outcome depends on the policy in force that day:
//   Title 42 (between its dates): expelled to the Mexican border city with the day's share for
//     its demographic; expelled parties may try again after a delay (share and delay by
//     nationality group and demographic);
//   otherwise Title 8: non-Mexican adults and families (never unaccompanied children, by law)
//     may be returned to wait in Mexico under MPP (in its periods); else removal to origin
//     (after custody) or release into the US (children: transfer to care, then sponsors).
// Repeat encounters are not imposed: they arise from parties trying again (with the v2
// retries, §3.12, the retry shares wear out with the attempts made). A smuggled party
// pays the smuggler's fee again, per person, when it decides to retry after an expulsion or
// to cross again from MPP.
//
// Reads: the policies in force today (Title42, RemainInMexico). Writes: today's policy table
// (begin_day); the series from encounters to undetected_entries and waiting_at_border, which
// also make the day's reports for the perception (reports); the events encounter, expulsion,
// removal, release, mpp_return, undetected_entry.
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "models/corridor/closures.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/departures.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/perception.hpp"
#include "models/corridor/retries.hpp"
#include "models/corridor/smuggling.hpp"
#include "models/corridor/trip_news.hpp"
#include "sim/calendar.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

/// Title 42 expulsions as a policy: in force on the days [start, end) while switched on.
struct Title42 {
  bool enabled = true;
  Date start, end;
  /// us.title42.enabled, .start, .end
  static void declare(Declarer& d, Title42& p);
  bool in_force(Date date) const { return enabled && !(date < start) && date < end; }
};

/// Remain in Mexico (the Migrant Protection Protocols) as a policy: in force within any of its
/// periods [start, end) while switched on.
struct RemainInMexico {
  bool enabled = true;
  std::vector<std::pair<Date, Date>> periods;
  /// us.mpp.enabled, us.mpp.periods
  static void declare(Declarer& d, RemainInMexico& p);
  bool in_force(Date date) const;
};

class UsBorder {
 public:
  struct Params {
    PerDemoNumber port_share{};
    Schedule encounter_probability;
    double repeat_window_days = 365;
    Title42 title42;
    PerDemo expel_share;
    /// Title 42 retries by nationality and demographic (declared per nationality group:
    /// Mexican, Central American; nationality_group()).
    std::array<PerDemoNumber, kNationalities> expelled_retry_share{}, expelled_retry_delay_days{};
    std::array<PerDemoNumber, kNationalities> removal_share{};
    double custody_days = 0, removed_retry_share = 0, removed_retry_delay_days = 0;
    RemainInMexico mpp;
    PerDemoNumber mpp_share{};  ///< [kChild] is always 0: children are exempt by law (TVPRA)
    double mpp_hearing_days = 0, mpp_abandon_share = 0, mpp_recross_share = 0;
    /// us.*
    static void declare(Declarer& d, Params& p);
  };

  UsBorder(const Params& p, const NetworkRoles& roles, const Smuggling& smuggling, const Departures& departures,
           const Closures& closures, const Retries& retries, const TripNews& news);
  void declare_series(SeriesLayout& series);

  /// Today's encounter probability, policies and expulsion shares.
  void begin_day(Date date);

  /// State `at_border`: the wait in the border city is over; the party tries to cross.
  void attempt_crossing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;
  /// A party encountered coming from border city `city`, at a port or between ports: counted,
  /// then processed under the policy in force (expelled, MPP, custody or released).
  void encountered(const DayContext& ctx, const Party& p, std::uint32_t city, Component component,
                   RandomStream& rng, ThreadSink& sink) const;
  /// State `remain_in_mexico`: the MPP hearing (postponed while hearings are suspended, §3.11).
  void hearing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;
  /// State `us_custody`: custody ends with removal to the origin.
  void custody_ends(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;

  /// waiting_at_border's cells in a thread's tally, for count_waiting.
  std::int64_t* waiting_cells(ThreadSink& sink) const { return sink.tally.data() + series_.waiting.offset; }
  /// Adds an active party at the end of its day to waiting_at_border if it waits in a border city.
  void count_waiting(std::int64_t* cells, std::uint32_t node, std::uint8_t state, std::uint8_t size) const {
    const int slot = roles_.border_slot(node);
    if (slot >= 0 && (state == kAtBorder || state == kRemainInMexico)) cells[slot] += size;
  }

  /// The day's reports for the perception, from the day's totals: people encountered (or
  /// undetected) and people let in (released or undetected), by nationality and demographic.
  Perception::Reports reports(const Tally& totals) const;

  struct Series {
    SeriesId encounters;  ///< [sector, nationality, demographic, title, component]
    SeriesId expulsions, removals, releases, mpp, repeat, unique, undetected;  ///< [nationality, demographic]
    SeriesId waiting;                                                        ///< [border city]
  };
  const Series& series() const { return series_; }

 private:
  void expel(const DayContext& ctx, const Party& p, std::uint32_t city, std::size_t sector, Component component,
             RandomStream& rng, ThreadSink& sink) const;
  void release(const DayContext& ctx, const Party& p, std::size_t sector, ThreadSink& sink) const;

  const Params& p_;
  const NetworkRoles& roles_;
  const Smuggling& smuggling_;
  const Departures& departures_;
  const Closures& closures_;
  const Retries& retries_;
  const TripNews& news_;
  // Today's table.
  double encounter_p_ = 0;
  std::array<double, kDemographics> expel_today_{};
  bool title42_today_ = false, mpp_today_ = false;
  Series series_;
};

}  // namespace corridor::cm
