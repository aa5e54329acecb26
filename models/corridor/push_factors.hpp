#pragma once
// Push indicators by country and date (mechanism 3): homicide rate, GDP per capita, the
// population affected by hurricanes Eta and Iota, population. Annual values are placed at
// mid-year and interpolated linearly; before the first year and after the last the nearest
// year holds (a forecast uses only what is known in advance). docs/model.md §3.3.
#include <array>
#include <filesystem>
#include <map>

#include "models/corridor/categories.hpp"
#include "sim/calendar.hpp"

namespace corridor::cm {

class PushIndicators {
 public:
  /// Reads push_factors_by_country_year.csv (columns iso3, year, indicator, value).
  static PushIndicators read(const std::filesystem::path& file);

  double homicide_rate(Nationality n, Date d) const { return interpolate(homicide_[n], d); }
  double gdp_per_capita(Nationality n, Date d) const { return interpolate(gdp_[n], d); }
  double population(Nationality n, Date d) const { return interpolate(population_[n], d); }
  double homicide_rate_year(Nationality n, int year) const;
  double gdp_per_capita_year(Nationality n, int year) const;
  /// People affected by Eta and Iota (0 where none is recorded).
  double hurricane_affected(Nationality n) const { return hurricane_[n]; }

 private:
  static double interpolate(const std::map<int, double>& by_year, Date d);
  static double at_year(const std::map<int, double>& by_year, int year);
  std::array<std::map<int, double>, kNationalities> homicide_, gdp_, population_;
  std::array<double, kNationalities> hurricane_{};
};

}  // namespace corridor::cm
