#pragma once
// Model v2 mechanism, trip news with a delay (docs/model.md §3.14; issue 11 item 3). In the v1
// perception (§3.4) the "actual openness" people at origin learn is the share of encounters at
// the US border let in, per attempt, repeats included, on the day it happens. Here what they
// learn is how whole trips ended, and they learn it late:
//
//   trip outcomes: a trip starts when a party leaves its origin (Departures::start_trip, from
//     home; continuing north from asylum in Mexico is the same trip) and ends once, as
//       arrived    it enters the US (released, or crosses undetected),
//       sent_back  it is back at its origin, returned by Mexico or removed by the US (whether
//                  or not it then tries again),
//       gave_up    it gives up elsewhere (expelled or in MPP and not trying again, or settles
//                  in Mexico);
//   news on day t: the outcomes of the trips that ended on days t - delay - window + 1 ..
//     t - delay, by nationality n and demographic d,
//       s(n, d, t) = arrived / (arrived + sent_back + gave_up)      (no outcome: no news),
//       news(n, d, t) = logistic(logit(s) + distortion(t) + noise_sd * z(n, d, t)),
//     z standard normal, drawn from the Philox stream (seed, kNewsStream, day, kPurposeNews), so
//     the same on every rank and thread and after a restart; s = 0 or 1 stays as it is.
//
// With the switch on, Perception relaxes toward news(n, d, t) instead of its per-attempt
// openness plus perception.misinformation (the distortion replaces it), and scales departures
// with news.gamma (by nationality group and demographic) instead of perception.gamma. With it
// off (the default until the v2 refit) nothing here counts, draws or writes, so results are
// those of the model without it.
//
// Reads: today's trip_outcomes totals (end_day). Writes: the series trip_outcomes
// [nationality, demographic, outcome] (only with the switch on), and the news Perception reads.
// Its state between days (the queue of daily outcomes) is saved in checkpoints.
#include <array>
#include <cstdint>
#include <deque>

#include <hdf5.h>

#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/party.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

class TripNews {
 public:
  enum Outcome : std::uint8_t { kArrived, kSentBack, kGaveUp, kOutcomes };

  struct Params {
    bool enabled = false;
    int delay_days = 0, window_days = 1;
    double noise_sd = 0;
    Schedule distortion;
    std::array<PerDemoNumber, kNationalities> gamma{};
    /// news.*
    static void declare(Declarer& d, Params& p);
  };
  /// One day's trip outcomes, in people.
  using Day = std::array<std::array<std::array<std::int64_t, kOutcomes>, kDemographics>, kNationalities>;

  explicit TripNews(const Params& p);
  /// trip_outcomes, only with the switch on (off, the output is the model's without it).
  void declare_series(SeriesLayout& series);

  bool enabled() const { return p_.enabled; }
  /// A trip of party p ended today with `outcome` (nothing when switched off).
  void count(const Party& p, Outcome outcome, ThreadSink& sink) const {
    if (p_.enabled) sink.tally.add(series_.outcomes.at(p.nationality, p.demo, outcome), p.size);
  }

  /// End of day: today's trip_outcomes totals into the queue, then today's news.
  void end_day(const DayContext& ctx, const Tally& totals);
  /// The same from one day's outcomes (end_day's core; for tests).
  void add_day(const DayContext& ctx, const Day& outcomes);

  /// Whether trips ended in the news window of the last day added (else: no news).
  bool has_news(Nationality n, Demographic d) const { return has_news_[n][d]; }
  /// news(n, d, t) of the last day added (meaningful only where has_news).
  double target(Nationality n, Demographic d) const { return target_[n][d]; }
  /// The departure response to perceived openness, by nationality and demographic.
  double gamma(Nationality n, Demographic d) const { return p_.gamma[n][d]; }
  /// Days of outcomes the queue keeps: delay + window (whole days).
  std::size_t queue_days() const { return static_cast<std::size_t>(p_.delay_days) + p_.window_days; }

  /// Checkpoints: the queue of daily outcomes (the news is recomputed from it on the next day).
  void save(hid_t group) const;
  /// Range-checks what it reads (sizes, non-negative counts); throws InputError naming it.
  void load(hid_t group);

  struct Series {
    SeriesId outcomes;  ///< trip_outcomes [nationality, demographic, outcome] people
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  std::deque<Day> queue_;  ///< one entry per day, the oldest first, today last
  std::array<std::array<bool, kDemographics>, kNationalities> has_news_{};
  std::array<std::array<double, kDemographics>, kNationalities> target_{};
  Series series_;
};

/// logistic(logit(s) + shift) for s in [0, 1]; s = 0 and s = 1 stay (their odds are 0 and
/// infinite whatever the factor).
double shifted_share(double s, double log_odds_shift);

}  // namespace corridor::cm
