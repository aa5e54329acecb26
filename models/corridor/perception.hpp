#pragma once
// Mechanism 4, perceived US policy (docs/model.md §3.4). For each nationality n and
// demographic d, a perceived openness P in [0, 1] (the chance of being let in, as people at
// origin believe it). Each day
//
//   P <- P + (O_d + m(t) - P) / relax_days        (returnees' reports; m = misinformation)
//   P <- P + jump                                  (on the date of an announcement)
//
// where O_d is the actual openness: the share of people encountered at the US border in
// the last `report_window_days` who were released or got in (yesterday's figures), by
// nationality and demographic. It scales departures by exp(gamma_d (P - P_ref)), so a larger
// gamma for families and children shifts the mix toward them when the border seems open.
//
// With the v2 trip news switched on (TripNews, §3.14) the target O_d + m(t) is the news of
// whole trips instead (misinformation is then the news' distortion, and m is not used), and
// gamma is news.gamma by nationality group and demographic; the relaxation and the
// announcements stay.
//
// Reads: the day's reports from the US border (UsBorder::reports), or the trip news. Writes: the perception,
// which departures read the next day (departure_factor), and the series perceived_openness.
// It is the one mechanism with state carried from day to day outside the agent store, so it
// is what a checkpoint saves (save, load).
#include <array>
#include <deque>
#include <string>
#include <vector>

#include <hdf5.h>

#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "sim/calendar.hpp"
#include "sim/tally.hpp"

namespace corridor::cm {

class TripNews;

/// perception.gamma's defaults (single adults, families, children); news.gamma starts from them.
inline constexpr PerDemoNumber kPerceptionGammaDefault = {1.0, 2.5, 2.5};

/// A dated announcement that moves the perceived openness of the US.
struct Announcement {
  Date date;
  double jump = 0;
  std::array<bool, kDemographics> applies{{true, true, true}};
  std::string label;
};

class Perception {
 public:
  struct Params {
    bool enabled = true;
    double initial = 0, reference = 0, relax_days = 0, report_window_days = 0;
    PerDemoNumber gamma{};
    Schedule misinformation;
    std::vector<Announcement> announcements;
    /// perception.*
    static void declare(Declarer& d, Params& p);
  };
  /// A number per nationality and demographic.
  using Cells = std::array<std::array<double, kDemographics>, kNationalities>;
  /// One day's reports from the border, in people.
  struct Reports {
    Cells encountered{};  ///< encountered, or crossed undetected
    Cells let_in{};       ///< released, or crossed undetected
  };

  /// `news`, if given, must outlive the perception; it is read only when it is enabled().
  explicit Perception(const Params& p, const TripNews* news = nullptr);
  void declare_series(SeriesLayout& series);

  /// Applies announcements dated `date` (call once per day before departures).
  void announce(Date date);
  /// Departure multiplier exp(gamma (P - P_ref)); 1 when the mechanism is off.
  double departure_factor(Nationality n, Demographic d) const { return factor_at(n, d, value_[n][d]); }
  /// The same multiplier at openness `openness` instead of today's (Households: a pool's best
  /// prospect); 1 when the mechanism is off.
  double factor_at(Nationality n, Demographic d, double openness) const;
  bool enabled() const { return p_.enabled; }
  double reference() const { return p_.reference; }
  /// The largest departure multiplier perception can reach for nationality n and demographic d
  /// (openness 0 or 1, whichever favours departing); 1 when the mechanism is off.
  double max_departure_factor(Nationality n, Demographic d) const;
  double openness(Nationality n, Demographic d) const { return value_[n][d]; }
  /// End of day: people encountered and people let in (released or undetected) today. With
  /// the trip news on, these are not used: the perception relaxes toward the news.
  void report(Date date, const Cells& encountered, const Cells& let_in);
  /// End of day: report(), then the perceived openness into today's totals.
  void end_day(Date date, const Reports& reports, Tally& totals);
  /// Checkpoints: the perceived values and the window of recent reports.
  void save(hid_t group) const;
  void load(hid_t group);

  struct Series {
    SeriesId perceived;  ///< perceived_openness [nationality, demographic], parts per million
  };
  const Series& series() const { return series_; }

 private:
  bool news_on() const;
  /// gamma for n and d: perception.gamma, or news.gamma with the news on.
  double gamma(Nationality n, Demographic d) const;

  const Params& p_;
  const TripNews* news_;
  Cells value_{};
  std::deque<Cells> enc_window_, in_window_;
  Series series_;
};

}  // namespace corridor::cm
