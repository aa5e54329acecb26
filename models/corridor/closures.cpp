// Model v2 mechanism, COVID-19 closures (docs/model.md §3.11): the rule is in closures.hpp.
#include "models/corridor/closures.hpp"

#include <fmt/format.h>

#include "models/corridor/event_kinds.hpp"
#include "models/corridor/limits.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"

namespace corridor::cm {

std::vector<ClosureMeasure> read_closures(const std::filesystem::path& file) {
  const CsvTable t = CsvTable::read(file);
  t.require_columns({"country", "kind", "start", "end"});
  std::vector<ClosureMeasure> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const CsvRow row = t.row(r);
    const auto fail = [&](const std::string& column, const std::string& what) {
      throw InputError(fmt::format("{}:{}: column '{}': {}", file.string(), row.line(), column, what));
    };
    ClosureMeasure m;
    const auto c = nationality_from_key(row.text("country"));
    if (!c) fail("country", fmt::format("expected one of MX, GT, HN, SV, got '{}'", row.text("country")));
    m.country = *c;
    const std::string& kind = row.text("kind");
    if (kind == "border_closure") m.kind = ClosureKind::kBorderClosure;
    else if (kind == "mobility_restriction") m.kind = ClosureKind::kMobilityRestriction;
    else fail("kind", fmt::format("expected border_closure or mobility_restriction, got '{}'", kind));
    const auto start = parse_iso_date(row.text("start")), end = parse_iso_date(row.text("end"));
    if (!start) fail("start", fmt::format("expected a date YYYY-MM-DD, got '{}'", row.text("start")));
    if (!end) fail("end", fmt::format("expected a date YYYY-MM-DD (the first day the measure no longer holds), got '{}'",
                                      row.text("end")));
    if (!(*start < *end)) fail("end", "the end must come after the start");
    m.start = *start;
    m.end = *end;
    out.push_back(m);
  }
  return out;
}

void Closures::Params::declare(Declarer& d, Params& p) {
  d.module("COVID-19 closures (model v2)", "`Closures` in `closures.cpp`, §3.11");
  d.flag("closures.enabled", p.enabled, false,
         std::string(kModelV2Switch) + "; with it on, departures.mobility, which stands "
         "in for the closures on first departures only, is set to 1 there");
  {
    std::string leaf;
    auto s = d.custom("closures.table", "none (scenarios/defaults.yaml: data/covid_closures_2020_2021.csv)",
                      "CSV path", "dated border closures and mobility restrictions of GT, HN, SV, MX, 2020-2021, "
                      "with the decree behind each (data/SOURCES.md)", leaf);
    if (s && s->has(leaf)) p.measures = read_closures(s->file(leaf));
  }
  d.number("closures.pass_share.border_closure", p.pass_border, 0.2, "share", Range::kProbability,
           "movements that go ahead on a day a country's borders are closed (irregular crossings continue); "
           "assumption, fitted in the v2 refit (scenarios/calibrated.yaml)");
  d.number("closures.pass_share.mobility_restriction", p.pass_mobility, 0.5, "share", Range::kProbability,
           "movements that go ahead on a day of a curfew or stay-at-home order; assumption, fitted in the v2 refit");
  d.number("closures.hold_days", p.hold_days, 7, "days (mean)", non_negative_at_most(kMaxDays),
           "wait of a party held at a stop or in a border city before it tries to move again; assumption");
  d.number("closures.home_recheck_days", p.home_recheck_days, 30, "days (mean)", non_negative_at_most(kMaxDays),
           "wait of a party held at home before it decides again to leave; assumption");
  d.date("closures.mpp_hearings_suspended.from", p.hearings_suspended_from, "2020-03-23",
         "MPP hearings postponed by DHS and EOIR (policy_timeline.csv)");
  d.date("closures.mpp_hearings_suspended.until", p.hearings_suspended_until, "2021-02-19",
         "never resumed; from this day people with active MPP cases were processed into the US "
         "(policy_timeline.csv)");
  std::string leaf;
  if (auto s = d.parent("closures.enabled", leaf); s && p.enabled && !s->has("table"))
    s->fail(leaf, "closures.enabled needs closures.table (the closures CSV; scenarios/defaults.yaml sets it)");
  if (auto s = d.parent("closures.mpp_hearings_suspended.until", leaf);
      s && p.hearings_suspended_until < p.hearings_suspended_from)
    s->fail(leaf, "the suspension of MPP hearings ends before it starts");
}

double closure_pass(const Closures::Params& p, Nationality c, Date date) {
  double pass = 1.0;
  for (const ClosureMeasure& m : p.measures)
    if (m.country == c && !(date < m.start) && date < m.end)
      pass *= m.kind == ClosureKind::kBorderClosure ? p.pass_border : p.pass_mobility;
  return pass;
}

Closures::Closures(const Params& p, const NetworkRoles& roles)
    : p_(p), roles_(roles), node_pass_(roles.network().node_count(), 1.0) {
  country_pass_.fill(1.0);
  node_countries_.assign(roles.network().node_count(), 0);
  for (std::uint32_t i = 0; i < roles.network().node_count(); ++i)
    for (int n = 0; n < kNationalities; ++n)
      if (roles.network().node(i).country.find(kNationalityKeys[n]) != std::string::npos)
        node_countries_[i] |= static_cast<std::uint8_t>(1u << n);
}

void Closures::declare_series(SeriesLayout& S) {
  series_.holds = S.add({"closure_holds", "people",
                         "people held back by a COVID-19 closure today (at home, at a stop, or in a border city; "
                         "0 while closures are switched off)",
                         {nationality_dim(), demographic_dim()}});
}

void Closures::begin_day(Date date) {
  if (!p_.enabled) return;  // the tables stay at 1
  for (int n = 0; n < kNationalities; ++n) country_pass_[n] = closure_pass(p_, static_cast<Nationality>(n), date);
  for (std::size_t i = 0; i < node_pass_.size(); ++i) {
    double pass = 1.0;
    for (int n = 0; n < kNationalities; ++n)
      if ((node_countries_[i] >> n) & 1u) pass *= country_pass_[n];
    node_pass_[i] = pass;
  }
}

bool Closures::hold(const DayContext& ctx, const Party& p, std::uint32_t node, double mean_wait_days,
                    RandomStream& rng, ThreadSink& sink) const {
  const double pass = node_pass_[node];
  if (pass >= 1.0 || rng.bernoulli(pass)) return false;
  p.wait_until() = ctx.day + 1 + geometric_days(mean_wait_days, rng);
  sink.tally.add(series_.holds.at(p.nationality, p.demo), p.size);
  return true;
}

std::optional<Date> Closures::hearings_resume(Date date) const {
  if (!p_.enabled || date < p_.hearings_suspended_from || !(date < p_.hearings_suspended_until)) return std::nullopt;
  return p_.hearings_suspended_until;
}

}  // namespace corridor::cm
