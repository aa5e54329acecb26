#pragma once
// Model v2 mechanism, pull from those already there (docs/model.md §3.15; issue 11 item 6).
// People from each origin country already living in the US draw others after them: they pay
// for the trip, pass on where and how to cross, and wait at the other end. The model keeps,
// per nationality n, a stock of people living in the US,
//
//   S(n, 0) = scale * foreign_born(n)            (the diaspora table: ACS 2019, data/SOURCES.md)
//   S(n, t) = S(n, t - 1) + entered(n, t - 1)    (released + crossed undetected, all demographics)
//
// fed only by the model's own entries (no deaths, returns or other arrivals: over a few years
// they are small next to the stock), and relative to its start, r(n, t) = S(n, t) / S(n, 0):
//
//   departures of nationality n are multiplied by  pull(n, t) = min(r^departure_elasticity, max_pull)
//   a new party hires a smuggler with odds multiplied by  r^smuggler_elasticity
//     (share p becomes p r^e / (1 - p + p r^e): relatives in the US pay for a coyote).
//
// At the start both factors are 1, so the base departure rates and smuggler shares keep their
// meaning; the level of the diaspora, different for each country, is already in the base rates
// (they are fitted per nationality). What the mechanism adds is the feedback: a country whose
// people get in draws more of them later. max_pull bounds that feedback, so that no run can grow
// without end (docs/reliability.md). With the switch off (the default until the v2 refit) both
// factors are exactly 1 and the smuggler draw is the v1 one.
//
// Reads: the diaspora table; the day's entries (UsBorder::reports, end of day). Writes: today's
// pull (read by Departures the next day), the series diaspora_stock (declared only when
// switched on, so that results without it are unchanged). Its stock is state carried
// from day to day, so a checkpoint saves it (save, load).
#include <array>
#include <filesystem>

#include <hdf5.h>

#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "sim/model.hpp"
#include "sim/tally.hpp"

namespace corridor::cm {

/// People born in each origin country living in the US (the diaspora table: columns country,
/// foreign_born; others are documentation). Throws InputError naming the file, line and column
/// at fault, or a country missing from the table.
std::array<double, kNationalities> read_diaspora(const std::filesystem::path& file);

class Diaspora {
 public:
  struct Params {
    bool enabled = false;
    std::array<double, kNationalities> foreign_born{};  ///< from the diaspora table (0 without one)
    double departure_elasticity = 0, smuggler_elasticity = 0, max_pull = 1;
    /// diaspora.*
    static void declare(Declarer& d, Params& p);
  };

  /// `scale`: the run's sampling fraction (departures.scale), which the entries already carry.
  Diaspora(const Params& p, double scale);
  void declare_series(SeriesLayout& series);

  bool enabled() const { return p_.enabled; }
  /// The stock relative to its start, r(n, t).
  double ratio(Nationality n) const { return stock_[n] / initial_[n]; }
  /// pull(n, t): today's departure factor (1 when switched off).
  double departure_factor(Nationality n) const { return pull_[n]; }
  /// The largest departure factor the mechanism can reach (max_pull; 1 when switched off).
  double max_departure_factor() const { return p_.enabled ? p_.max_pull : 1.0; }
  /// A new party's chance to hire a smuggler, from its demographic's share `base` (base itself
  /// when switched off).
  double smuggler_share(Nationality n, double base) const;
  /// End of day: adds the people let in today (released or undetected, by nationality and
  /// demographic, as the perception's reports count them) to the stock, sets tomorrow's pull,
  /// and writes the stock into today's totals.
  void end_day(const std::array<std::array<double, kDemographics>, kNationalities>& let_in, Tally& totals);
  /// Checkpoints: the stock.
  void save(hid_t group) const;
  void load(hid_t group);

  struct Series {
    SeriesId stock;  ///< diaspora_stock [nationality], people (at the run's scale); only when switched on
  };
  const Series& series() const { return series_; }

 private:
  void set_pull();

  const Params& p_;
  std::array<double, kNationalities> initial_{}, stock_{}, pull_{};
  Series series_;
};

/// pull = min(r^elasticity, max_pull) (no switch).
double diaspora_pull(double ratio, double elasticity, double max_pull);
/// p r^e / (1 - p + p r^e): the share p with its odds multiplied by r^e (no switch).
double share_with_odds_scaled(double p, double ratio, double elasticity);

}  // namespace corridor::cm
