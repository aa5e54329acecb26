// Reading and interpolating the push indicators (docs/model.md §3.2, §3.3).
#include "models/corridor/push_factors.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/corridor/limits.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"

namespace corridor::cm {

namespace {
/// The value column of `row`, in [lo, hi] (or (0, hi] when `positive`): an indicator outside
/// its range would make departures overflow (docs/reliability.md, "Parameter ranges").
double indicator(const CsvRow& row, double hi, bool positive, const char* what) {
  const double v = row.number("value");
  if ((positive ? !(v > 0) : v < 0) || v > hi)
    row.fail("value", fmt::format("{} in {}0, {:g}]", what, positive ? "(" : "[", hi));
  return v;
}
}  // namespace

PushIndicators PushIndicators::read(const std::filesystem::path& file) {
  const CsvTable t = CsvTable::read(file);
  t.require_columns({"iso3", "year", "indicator", "value"});
  PushIndicators p;
  std::array<std::map<int, double>, kNationalities> national_homicide;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const CsvRow row = t.row(r);
    int n = -1;
    for (int k = 0; k < kNationalities; ++k)
      if (row.text("iso3") == kNationalityIso3[k]) n = k;
    if (n < 0) continue;  // regional rows
    const std::string& ind = row.text("indicator");
    const std::int64_t y = row.integer("year");
    if (y < 1900 || y > 2199) row.fail("year", "a year in [1900, 2199]");
    const int year = static_cast<int>(y);
    if (ind == "intentional_homicide_rate")
      p.homicide_[n][year] = indicator(row, kMaxHomicideRate, false, "a rate per 100,000");
    else if (ind == "homicide_rate_national_sources")
      national_homicide[n][year] = indicator(row, kMaxHomicideRate, false, "a rate per 100,000");
    else if (ind == "gdp_per_capita_ppp") p.gdp_[n][year] = indicator(row, kMaxGdpPerCapita, true, "USD");
    else if (ind == "population_total") p.population_[n][year] = indicator(row, kMaxPopulation, true, "people");
    else if (ind == "eta_iota_people_affected") p.hurricane_[n] = indicator(row, kMaxPopulation, false, "people");
  }
  for (int n = 0; n < kNationalities; ++n) {
    // WDI (UNODC) rates first; national sources only fill years WDI lacks.
    for (auto [y, v] : national_homicide[n])
      if (!p.homicide_[n].count(y)) p.homicide_[n][y] = v;
    for (const auto* m : {&p.homicide_[n], &p.gdp_[n], &p.population_[n]})
      if (m->empty())
        throw InputError(fmt::format("{}: no homicide rate, GDP per capita or population for {}", file.string(),
                                     kNationalityIso3[n]));
  }
  return p;
}

double PushIndicators::at_year(const std::map<int, double>& m, int year) {
  auto it = m.lower_bound(year);
  if (it != m.end() && it->first == year) return it->second;
  if (it == m.begin()) return it->second;
  if (it == m.end()) return std::prev(it)->second;
  const auto lo = std::prev(it);
  const double f = static_cast<double>(year - lo->first) / static_cast<double>(it->first - lo->first);
  return lo->second + f * (it->second - lo->second);
}

double PushIndicators::interpolate(const std::map<int, double>& m, Date d) {
  // Annual values stand at 1 July; between two mid-years, linear.
  const double t = d.year() + (d - Date::from_ymd(d.year(), 1, 1)) / 365.25 - 0.5;
  const int y0 = static_cast<int>(std::floor(t));
  const double f = t - y0;
  return (1 - f) * at_year(m, y0) + f * at_year(m, y0 + 1);
}

double PushIndicators::homicide_rate_year(Nationality n, int year) const { return at_year(homicide_[n], year); }
double PushIndicators::gdp_per_capita_year(Nationality n, int year) const { return at_year(gdp_[n], year); }

}  // namespace corridor::cm
