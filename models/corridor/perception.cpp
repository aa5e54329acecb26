// Mechanism 4, perceived US policy (docs/model.md §3.4): the update rule is in perception.hpp.
#include "models/corridor/perception.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/corridor/limits.hpp"
#include "models/corridor/trip_news.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"

namespace corridor::cm {

void Perception::Params::declare(Declarer& d, Params& p) {
  d.module("Perceived US policy", "`Perception` in `perception.cpp`, §3.4");
  d.flag("perception.enabled", p.enabled, true, "mechanism switch");
  d.number("perception.initial", p.initial, 0.3, "openness 0-1", Range::kProbability,
           "perceived chance of being let in, at the start; assumption");
  d.number("perception.reference", p.reference, 0.3, "openness 0-1", Range::kProbability,
           "perception at which departures equal base_per_day");
  d.number("perception.relax_days", p.relax_days, 60, "days", positive_at_most(kMaxTimeConstantDays),
           "time for returnees' reports to pull perception toward actual openness; assumption");
  d.number("perception.report_window_days", p.report_window_days, 30, "days", positive_at_most(kMaxDays),
           "actual openness = share of recent encounters released, averaged over this window");
  d.per_demo("perception.gamma", p.gamma, kPerceptionGammaDefault, "per unit openness", symmetric(kMaxCoefficient),
             "departure response to perceived openness; larger for families and children, who gain most from "
             "release policies (Title 42 exceptions); calibrated");
  d.schedule("perception.misinformation", p.misinformation, "2018-10-01:0.05, 2021-01-20:0.2", "openness 0-1",
             symmetric(kMaxOpennessShift),
             "gap between perceived and actual openness (smugglers' advertising after the change of administration); "
             "assumption; not used with news.enabled (news.distortion instead)");
  std::string leaf;
  auto s = d.custom("perception.announcements", "2021-01-20 +0.2 all; 2021-02-17 +0.2 child",
                    "list of {date, jump, demographics}",
                    "announced changes (policy_timeline.csv): new administration 2021-01-20; Title 42 exception for "
                    "children 2021-02-17",
                    leaf);
  p.announcements = {{*parse_iso_date("2021-01-20"), 0.2, {{true, true, true}}, "new US administration"},
                     {*parse_iso_date("2021-02-17"), 0.2, {{false, false, true}}, "Title 42 exception for children"}};
  if (s && s->has(leaf)) {
    p.announcements.clear();
    for (const Section& a : s->list(leaf)) {
      Announcement an;
      an.date = a.date("date");
      an.jump = a.number("jump", symmetric(kMaxOpennessShift));
      an.label = a.text("label", "");
      const auto demos = a.text_list("demographics");
      if (!demos.empty()) {
        an.applies = {{false, false, false}};
        for (const auto& dk : demos) {
          bool found = false;
          for (int k = 0; k < kDemographics; ++k)
            if (kDemographicKeys[k] == dk) an.applies[k] = found = true;
          if (!found) a.fail("demographics", fmt::format("unknown demographic '{}' (single_adult, family, child)", dk));
        }
      }
      p.announcements.push_back(an);
    }
  }
}

Perception::Perception(const Params& p, const TripNews* news) : p_(p), news_(news) {
  for (auto& row : value_) row.fill(p.initial);
}

void Perception::declare_series(SeriesLayout& S) {
  series_.perceived = S.add({"perceived_openness", "ppm", "perceived openness of the US at origin, parts per million",
                             {nationality_dim(), demographic_dim()}});
}

void Perception::announce(Date date) {
  if (!p_.enabled) return;
  for (const auto& a : p_.announcements)
    if (a.date == date)
      for (auto& row : value_)
        for (int d = 0; d < kDemographics; ++d)
          if (a.applies[d]) row[d] = std::clamp(row[d] + a.jump, 0.0, 1.0);
}

bool Perception::news_on() const { return news_ != nullptr && news_->enabled(); }

double Perception::gamma(Nationality n, Demographic d) const { return news_on() ? news_->gamma(n, d) : p_.gamma[d]; }

double Perception::factor_at(Nationality n, Demographic d, double openness) const {
  if (!p_.enabled) return 1.0;
  return std::exp(gamma(n, d) * (openness - p_.reference));
}

double Perception::max_departure_factor(Nationality n, Demographic d) const {
  if (!p_.enabled) return 1.0;
  const double g = gamma(n, d);
  return std::exp(std::max(g * (1.0 - p_.reference), -g * p_.reference));
}

void Perception::report(Date date, const Cells& encountered, const Cells& let_in) {
  if (!p_.enabled) return;
  if (news_on()) {  // the news of whole trips (TripNews::end_day ran first today)
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d) {
        const auto nn = static_cast<Nationality>(n);
        const auto dd = static_cast<Demographic>(d);
        if (!news_->has_news(nn, dd)) continue;  // no trip ended in the window: the perception holds
        double& v = value_[n][d];
        v = std::clamp(v + (news_->target(nn, dd) - v) / p_.relax_days, 0.0, 1.0);
      }
    return;
  }
  enc_window_.push_back(encountered);
  in_window_.push_back(let_in);
  while (enc_window_.size() > static_cast<std::size_t>(std::max(1.0, p_.report_window_days))) {
    enc_window_.pop_front();
    in_window_.pop_front();
  }
  const double m = p_.misinformation.at(date);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) {
      double enc = 0, in = 0;
      for (std::size_t k = 0; k < enc_window_.size(); ++k) {
        enc += enc_window_[k][n][d];
        in += in_window_[k][n][d];
      }
      if (enc <= 0) continue;  // no reports: the perception holds
      const double actual = in / enc;
      double& v = value_[n][d];
      v = std::clamp(v + (actual + m - v) / p_.relax_days, 0.0, 1.0);
    }
}

void Perception::end_day(Date date, const Reports& reports, Tally& totals) {
  report(date, reports.encountered, reports.let_in);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d)
      totals[series_.perceived.at(n, d)] =
          std::llround(1e6 * openness(static_cast<Nationality>(n), static_cast<Demographic>(d)));
}

// ---- checkpoints (docs/hpc.md): the values, and each day of the report window, flattened
// nationality by nationality.

namespace {
constexpr std::size_t kCells = static_cast<std::size_t>(kNationalities) * kDemographics;

void put(std::vector<double>& out, const Perception::Cells& d) {
  for (const auto& row : d) out.insert(out.end(), row.begin(), row.end());
}
Perception::Cells get(const std::vector<double>& in, std::size_t at) {
  Perception::Cells d{};
  for (int n = 0; n < kNationalities; ++n)
    for (int k = 0; k < kDemographics; ++k) d[n][k] = in[at + static_cast<std::size_t>(n) * kDemographics + k];
  return d;
}
}  // namespace

void Perception::save(hid_t group) const {
  std::vector<double> value, enc, in;
  put(value, value_);
  for (const auto& d : enc_window_) put(enc, d);
  for (const auto& d : in_window_) put(in, d);
  h5::write_column<double>(group, "perception_value", value);
  h5::write_column<double>(group, "perception_encountered_window", enc);
  h5::write_column<double>(group, "perception_let_in_window", in);
}

void Perception::load(hid_t group) {
  const auto value = h5::read_column<double>(group, "perception_value");
  const auto enc = h5::read_column<double>(group, "perception_encountered_window");
  const auto in = h5::read_column<double>(group, "perception_let_in_window");
  if (value.size() != kCells || enc.size() != in.size() || enc.size() % kCells != 0)
    throw InputError(fmt::format("checkpoint: the corridor perception state has {} values (expected {})",
                                 value.size(), kCells));
  // A perception is an openness in [0, 1]; the window holds counts of people. Anything else
  // was not written by a run (the checksum only shows the file is as written).
  for (std::size_t i = 0; i < value.size(); ++i)
    if (!(value[i] >= 0 && value[i] <= 1))
      throw InputError(fmt::format("checkpoint: corridor perception value {} is {}, expected an openness in [0, 1]",
                                   i, value[i]));
  for (const auto* column : {&enc, &in})
    for (std::size_t i = 0; i < column->size(); ++i)
      if (!(std::isfinite((*column)[i]) && (*column)[i] >= 0))
        throw InputError(fmt::format("checkpoint: corridor perception {} window value {} is {}, expected a "
                                     "non-negative count of people",
                                     column == &enc ? "encountered" : "let-in", i, (*column)[i]));
  value_ = get(value, 0);
  enc_window_.clear();
  in_window_.clear();
  for (std::size_t at = 0; at < enc.size(); at += kCells) {
    enc_window_.push_back(get(enc, at));
    in_window_.push_back(get(in, at));
  }
}

}  // namespace corridor::cm
