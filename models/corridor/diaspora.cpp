// Model v2 mechanism, pull from those already there (docs/model.md §3.15): the rule is in
// diaspora.hpp.
#include "models/corridor/diaspora.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/corridor/limits.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"

namespace corridor::cm {

std::array<double, kNationalities> read_diaspora(const std::filesystem::path& file) {
  const CsvTable t = CsvTable::read(file);
  t.require_columns({"country", "foreign_born"});
  std::array<double, kNationalities> out{};
  std::array<bool, kNationalities> seen{};
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const CsvRow row = t.row(r);
    const auto n = nationality_from_key(row.text("country"));
    if (!n) row.fail("country", fmt::format("one of MX, GT, HN, SV, got '{}'", row.text("country")));
    if (seen[*n]) row.fail("country", fmt::format("each country once; {} is listed again", row.text("country")));
    const double people = row.positive("foreign_born");
    if (people > kMaxPopulation) row.fail("foreign_born", fmt::format("at most {:g} people", kMaxPopulation));
    out[*n] = people;
    seen[*n] = true;
  }
  for (int n = 0; n < kNationalities; ++n)
    if (!seen[n])
      throw InputError(fmt::format("{}: no row for country {} (expected one row for each of MX, GT, HN, SV)",
                                   file.string(), kNationalityKeys[n]));
  return out;
}

void Diaspora::Params::declare(Declarer& d, Params& p) {
  d.module("Pull from those already there (model v2)", "`Diaspora` in `diaspora.cpp`, §3.15");
  d.flag("diaspora.enabled", p.enabled, false, kModelV2Switch);
  bool have_table = false;
  {
    std::string leaf;
    auto s = d.custom("diaspora.table", "none (scenarios/defaults.yaml: data/us_foreign_born_2019.csv)", "CSV path",
                      "people born in Mexico, Guatemala, Honduras and El Salvador living in the US, American "
                      "Community Survey 2019 (data/SOURCES.md); the stock's start",
                      leaf);
    if (s && s->has(leaf)) {
      p.foreign_born = read_diaspora(s->file(leaf));
      have_table = true;
    }
  }
  d.number("diaspora.departure_elasticity", p.departure_elasticity, 1.0, "elasticity", Bounds::between(0, 10),
           "departures scale with the stock relative to its start to this power (1: in proportion, as "
           "network migration models assume); assumption, fitted in the v2 refit (scenarios/calibrated.yaml)");
  d.number("diaspora.smuggler_elasticity", p.smuggler_elasticity, 1.0, "elasticity", Bounds::between(0, 10),
           "the odds of hiring a smuggler scale with the stock relative to its start to this power (relatives in "
           "the US pay for the coyote); assumption, fitted in the v2 refit");
  d.number("diaspora.max_pull", p.max_pull, 3.0, "multiplier", Bounds::between(1, kMaxFactor),
           "the most the pull can multiply departures by: bounds the feedback of entries on departures so that "
           "no run grows without end; assumption (a threefold stock is far beyond 2019-2023)");
  std::string leaf;
  if (auto s = d.parent("diaspora.enabled", leaf); s && p.enabled && !have_table)
    s->fail(leaf, "the diaspora mechanism needs diaspora.table, the people born in each origin country living in "
                  "the US (scenarios/defaults.yaml names data/us_foreign_born_2019.csv)");
}

Diaspora::Diaspora(const Params& p, double scale) : p_(p) {
  for (int n = 0; n < kNationalities; ++n) {
    // Switched off, the stock is a placeholder (1) that nothing reads but the series.
    initial_[n] = p.enabled ? scale * p.foreign_born[n] : 1.0;
    stock_[n] = initial_[n];
  }
  set_pull();
}

void Diaspora::declare_series(SeriesLayout& S) {
  if (!p_.enabled) return;  // switched off, result files are those of the model without it
  series_.stock = S.add({"diaspora_stock", "people",
                         "people from each origin country living in the US at the end of the day, at the run's scale "
                         "(model v2 diaspora)",
                         {nationality_dim()}});
}

double diaspora_pull(double ratio, double elasticity, double max_pull) {
  return std::min(std::pow(ratio, elasticity), max_pull);
}

double share_with_odds_scaled(double p, double ratio, double elasticity) {
  const double k = std::pow(ratio, elasticity);
  return p * k / (1.0 - p + p * k);
}

double Diaspora::smuggler_share(Nationality n, double base) const {
  if (!p_.enabled) return base;
  return share_with_odds_scaled(base, ratio(n), p_.smuggler_elasticity);
}

void Diaspora::set_pull() {
  for (int n = 0; n < kNationalities; ++n)
    pull_[n] = p_.enabled ? diaspora_pull(ratio(static_cast<Nationality>(n)), p_.departure_elasticity, p_.max_pull)
                          : 1.0;
}

void Diaspora::end_day(const std::array<std::array<double, kDemographics>, kNationalities>& let_in, Tally& totals) {
  if (!p_.enabled) return;
  for (int n = 0; n < kNationalities; ++n) {
    for (double people : let_in[n]) stock_[n] += people;
    totals[series_.stock.at(n)] = std::llround(stock_[n]);
  }
  set_pull();
}

void Diaspora::save(hid_t group) const {
  h5::write_column<double>(group, "diaspora_stock", std::vector<double>(stock_.begin(), stock_.end()));
}

void Diaspora::load(hid_t group) {
  const auto stock = h5::read_column<double>(group, "diaspora_stock");
  if (stock.size() != kNationalities)
    throw InputError(fmt::format("checkpoint: the corridor diaspora stock has {} values (expected {})", stock.size(),
                                 kNationalities));
  for (int n = 0; n < kNationalities; ++n) {
    // The stock only grows from its start: anything else was not written by a run.
    if (!std::isfinite(stock[n]) || stock[n] < initial_[n])
      throw InputError(fmt::format("checkpoint: the corridor diaspora stock of {} is {}, expected a finite number "
                                   "of at least its start {:g}",
                                   kNationalityKeys[n], stock[n], initial_[n]));
    stock_[n] = stock[n];
  }
  set_pull();
}

}  // namespace corridor::cm
