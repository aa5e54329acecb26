#pragma once
// Model v2 mechanism, COVID-19 closures (docs/model.md §3.11; issue 11 item 2). A dated table
// of border closures and mobility restrictions by country (closures_table, by default
// data/covid_closures_2020_2021.csv) sets, for every day, the chance that a movement in a
// country goes ahead:
//
//   pass(c, t) = prod over the measures of country c in force on t of pass_share[kind],
//   pass(node, t) = prod over the countries of the node (its `country`, e.g. "GT" or "GT/MX").
//
// It acts on every movement, not only on first departures:
//   first departures from an origin: their expected number is multiplied by pass(origin, t);
//   leaving home again (after a return or removal): held with 1 - pass, and then waits
//     1 + G(home_recheck_days) days at home before deciding again;
//   moving on from a stop of the route, and crossing attempts from a northern border city
//     (first attempts, retries after a Title 42 expulsion, MPP re-crossings): held with
//     1 - pass, and then waits 1 + G(hold_days) days where it is;
// and MPP hearings are not held during the suspension (us.mpp hearings postponed from
// 2020-03-23, policy_timeline.csv): a party that would have been released at its hearing waits
// until the suspension ends, plus G(us.mpp.hearing_days) days, and is then released.
// A party that has just left is not held again at its start on the same day (the departure
// already faced the closure). With the switch off (the default until the v2 refit) nothing
// here draws a random number, so results are those of the model without it.
//
// Reads: the closures table. Writes: today's pass table (begin_day), which Departures,
// the model's frame (CorridorModel::act) and UsBorder read; the series closure_holds.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "sim/calendar.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

/// Kinds of measure in the closures table.
enum class ClosureKind : std::uint8_t { kBorderClosure, kMobilityRestriction };
inline constexpr int kClosureKinds = 2;

/// One row of the closures table: a measure of `country`, in force on the days [start, end).
struct ClosureMeasure {
  Nationality country = kMexico;
  ClosureKind kind = ClosureKind::kBorderClosure;
  Date start, end;
};

/// Reads the closures table (columns country, kind, start, end; others are documentation).
/// Throws InputError naming the file, line and column at fault.
std::vector<ClosureMeasure> read_closures(const std::filesystem::path& file);

class Closures {
 public:
  struct Params {
    bool enabled = false;
    double pass_border = 1, pass_mobility = 1;  ///< pass_share by kind
    double hold_days = 0, home_recheck_days = 0;
    Date hearings_suspended_from, hearings_suspended_until;
    std::vector<ClosureMeasure> measures;  ///< from the scenario's closures_table (empty without one)
    /// closures.*
    static void declare(Declarer& d, Params& p);
  };

  Closures(const Params& p, const NetworkRoles& roles);
  void declare_series(SeriesLayout& series);

  /// Today's pass table.
  void begin_day(Date date);
  bool enabled() const { return p_.enabled; }
  /// pass(c, t) for the date of the last begin_day (1 when switched off).
  double pass_country(Nationality c) const { return country_pass_[c]; }
  /// pass(node, t) for the date of the last begin_day (1 when switched off).
  double pass(std::uint32_t node) const { return node_pass_[node]; }

  /// A movement from `node` today: held (true) with 1 - pass(node), in which case the party
  /// waits 1 + G(mean_wait_days) days and is counted in closure_holds. No draw where pass is 1.
  bool hold(const DayContext& ctx, const Party& p, std::uint32_t node, double mean_wait_days, RandomStream& rng,
            ThreadSink& sink) const;
  /// Held at a stop of its route or in a border city (hold_days).
  bool hold_en_route(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
    return hold(ctx, p, p.node(), p_.hold_days, rng, sink);
  }
  /// Held at home before leaving again (home_recheck_days).
  bool hold_at_home(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
    return hold(ctx, p, p.node(), p_.home_recheck_days, rng, sink);
  }
  /// The day MPP hearings resume if `date` falls in their suspension (switched on), else none.
  std::optional<Date> hearings_resume(Date date) const;

  struct Series {
    SeriesId holds;  ///< closure_holds [nationality, demographic] people held today
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  const NetworkRoles& roles_;
  /// For each node, the countries it lies in (bit n: nationality n's country).
  std::vector<std::uint8_t> node_countries_;
  std::array<double, kNationalities> country_pass_{};
  std::vector<double> node_pass_;
  Series series_;
};

/// pass(c, t) from the measures (no switch): the product of the pass shares in force.
double closure_pass(const Closures::Params& p, Nationality c, Date date);

}  // namespace corridor::cm
