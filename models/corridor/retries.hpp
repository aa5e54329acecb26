#pragma once
// Model v2 mechanism, retries that wear out (docs/model.md §3.12; issue 11 item 1). In the v1
// model a party sent back tries again with the same share however often it has tried, so
// repeat encounters run away. Here the chance to try again falls with the crossing attempts
// the party has already made (its `us_attempts`, a made attempt included):
//
//   share_k = share * decay_rule^(k - 1),   k = attempts made (>= 1),
//
// with its own decay for each rule: retrying after a Title 42 expulsion
// (us.title42.retry_share), after a Title 8 removal (us.title8.retry_share) and crossing again
// from MPP (us.mpp.recross_share, the share lost going to giving up). At the first attempt
// the share is the v1 one. With the switch off (the default until the v2 refit) share_k = share.
//
// It also counts, whatever the switch, the unique people encountered in each calendar month
// (encountered_people_month): an encounter adds its people unless the party was already
// encountered earlier in the same month, so the month's sum is CBP's "unique encounters".
// CBP's monthly repeat share (encounters whose person had an encounter in the previous 12
// months) is the month's sum of repeat_encounters over that of encounters (§2.9).
//
// Reads: the party's attempts and last encounter. Writes: the series encountered_people_month.
#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/party.hpp"
#include "sim/model.hpp"

namespace corridor::cm {

class Retries {
 public:
  /// The decisions to try again that wear out, each with its own decay.
  enum Rule : std::uint8_t { kAfterExpulsion, kAfterRemoval, kFromMpp, kRules };

  struct Params {
    bool enabled = false;
    std::array<double, kRules> decay{1, 1, 1};
    /// retries.*
    static void declare(Declarer& d, Params& p);
  };

  explicit Retries(const Params& p) : p_(p) {}
  void declare_series(SeriesLayout& series);

  /// The chance to try again under `rule` for a party that has made `attempts` crossing
  /// attempts: base * decay^(attempts - 1) (attempts below 1 count as 1); base when off.
  double share(Rule rule, double base, int attempts) const;
  /// Counts an encounter of party p today in encountered_people_month; call it before the
  /// party's last_encounter is set to today.
  void count_encounter(const DayContext& ctx, const Party& p, ThreadSink& sink) const;

  struct Series {
    SeriesId people_month;  ///< encountered_people_month [nationality, demographic]
  };
  const Series& series() const { return series_; }

 private:
  const Params& p_;
  Series series_;
};

/// share_k above (no switch).
double worn_retry_share(double base, double decay, int attempts);

}  // namespace corridor::cm
