// Model v2 mechanism, trip news with a delay (docs/model.md §3.14): the rule is in trip_news.hpp.
#include "models/corridor/trip_news.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "models/corridor/limits.hpp"
#include "models/corridor/perception.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"
#include "sim/rng.hpp"

namespace corridor::cm {

void TripNews::Params::declare(Declarer& d, Params& p) {
  d.module("Trip news with a delay (model v2)", "`TripNews` in `trip_news.cpp`, §3.14");
  d.flag("news.enabled", p.enabled, false,
         std::string(kModelV2Switch) + "; with it on, perception relaxes toward the "
         "news of whole trips instead of the per-attempt openness, perception.misinformation is not used, and "
         "news.gamma replaces perception.gamma");
  d.integer("news.delay_days", p.delay_days, 30, 0, static_cast<int>(kMaxDays), "days",
            "time for the outcome of a trip to reach people at origin through migrants' networks (phone calls, "
            "returnees); assumption (an integer, so not among the v2 refit's continuous parameters)");
  d.integer("news.window_days", p.window_days, 30, 1, static_cast<int>(kMaxDays), "days",
            "the news is the success share of the trips that ended over this many days; assumption, as "
            "perception.report_window_days");
  d.number("news.noise_sd", p.noise_sd, 0.1, "log-odds", non_negative_at_most(kMaxLogOdds),
           "sd of the day's log-normal factor on the odds of the news (what reaches people is hearsay); "
           "assumption");
  d.schedule("news.distortion", p.distortion, "2018-10-01:0, 2021-01-20:0.5", "log-odds", symmetric(kMaxLogOdds),
             "misinformation as a distortion of the news: its odds are multiplied by exp(distortion). From the new "
             "US administration (2021-01-20, policy_timeline.csv: a perceived change in attitude toward migrants "
             "and asylum seekers) smugglers advertise the border as open; the size is an assumption (odds x1.65), "
             "fitted in the v2 refit from 2021-01-20 (scenarios/calibrated.yaml)");
  d.per_group_demo("news.gamma", p.gamma, {kPerceptionGammaDefault, kPerceptionGammaDefault}, "per unit openness",
                   symmetric(kMaxCoefficient),
                   "departure response to perceived openness with the news on, by nationality group and "
                   "demographic (replaces perception.gamma); defaults are perception.gamma's defaults, "
                   "fitted per group in the v2 refit (scenarios/calibrated.yaml)");
}

double shifted_share(double s, double log_odds_shift) {
  if (!(s > 0)) return 0;
  if (!(s < 1)) return 1;
  if (log_odds_shift == 0) return s;
  const double x = std::log(s) - std::log1p(-s) + log_odds_shift;
  // The logistic, written so that neither branch overflows.
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}

TripNews::TripNews(const Params& p) : p_(p) {}

void TripNews::declare_series(SeriesLayout& S) {
  if (!p_.enabled) return;
  series_.outcomes = S.add({"trip_outcomes", "people",
                            "people whose trip ended today: arrived in the US, sent back to their origin, or gave up "
                            "(written only with news.enabled)",
                            {nationality_dim(), demographic_dim(), Dimension{"outcome", {"arrived", "sent_back",
                                                                                         "gave_up"}}}});
}

void TripNews::end_day(const DayContext& ctx, const Tally& totals) {
  if (!p_.enabled) return;
  Day today{};
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d)
      for (int o = 0; o < kOutcomes; ++o) today[n][d][o] = totals[series_.outcomes.at(n, d, o)];
  add_day(ctx, today);
}

void TripNews::add_day(const DayContext& ctx, const Day& outcomes) {
  queue_.push_back(outcomes);
  while (queue_.size() > queue_days()) queue_.pop_front();
  // Today is queue_.back() (k = 0 days ago); the news covers k = delay .. delay + window - 1.
  const std::size_t delay = static_cast<std::size_t>(p_.delay_days);
  const double distortion = p_.distortion.at(ctx.date);
  // One stream a day; its draws do not depend on the outcomes, so neither do later days'.
  RandomStream rng(ctx.seed, kNewsStream, static_cast<std::uint32_t>(ctx.day), kPurposeNews);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) {
      std::int64_t arrived = 0, all = 0;
      for (std::size_t k = delay; k < queue_.size(); ++k) {
        const auto& cell = queue_[queue_.size() - 1 - k][n][d];
        arrived += cell[kArrived];
        all += cell[kArrived] + cell[kSentBack] + cell[kGaveUp];
      }
      const double z = p_.noise_sd > 0 ? rng.normal() : 0.0;
      has_news_[n][d] = all > 0;
      target_[n][d] = all > 0 ? shifted_share(static_cast<double>(arrived) / static_cast<double>(all),
                                              distortion + p_.noise_sd * z)
                              : 0.0;
    }
}

// ---- checkpoints (docs/hpc.md): the queue, day by day from the oldest, each day nationality by
// nationality, demographic by demographic, outcome by outcome.

namespace {
constexpr std::size_t kCellsPerDay = static_cast<std::size_t>(kNationalities) * kDemographics * TripNews::kOutcomes;
constexpr const char* kQueueColumn = "news_outcome_queue";
}  // namespace

void TripNews::save(hid_t group) const {
  if (!p_.enabled) return;  // nothing kept: the checkpoint is the model's without the news
  std::vector<std::int64_t> flat;
  flat.reserve(queue_.size() * kCellsPerDay);
  for (const Day& day : queue_)
    for (const auto& row : day)
      for (const auto& cell : row) flat.insert(flat.end(), cell.begin(), cell.end());
  h5::write_column<std::int64_t>(group, kQueueColumn, flat);
}

void TripNews::load(hid_t group) {
  if (!p_.enabled) return;
  const auto flat = h5::read_column<std::int64_t>(group, kQueueColumn);
  if (flat.size() % kCellsPerDay != 0 || flat.size() / kCellsPerDay > queue_days())
    throw InputError(fmt::format("checkpoint: the corridor trip news queue ({}) has {} values; expected whole days of "
                                 "{} values, at most news.delay_days + news.window_days = {} days",
                                 kQueueColumn, flat.size(), kCellsPerDay, queue_days()));
  for (std::size_t i = 0; i < flat.size(); ++i)
    if (flat[i] < 0)
      throw InputError(fmt::format("checkpoint: the corridor trip news queue ({}) holds {} people at value {} "
                                   "(day {} of the queue); expected a count of people, at least 0",
                                   kQueueColumn, flat[i], i, i / kCellsPerDay));
  queue_.clear();
  for (std::size_t at = 0; at < flat.size(); at += kCellsPerDay) {
    Day day{};
    std::size_t i = at;
    for (auto& row : day)
      for (auto& cell : row)
        for (auto& v : cell) v = flat[i++];
    queue_.push_back(day);
  }
}

}  // namespace corridor::cm
