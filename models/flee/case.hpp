#pragma once
// A Flee case in memory: locations, links, conflicts, closures, UNHCR counts and settings.
// Built from Flee's CSV files (inputs.hpp) or in code (tests, the synthetic benchmark graph).
// Location i is network node i; link e is network edge e (undirected).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/flee/settings.hpp"
#include "sim/calendar.hpp"

namespace corridor::flee {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

/// Location types of locations.csv (docs/flee-rules.md "Move decision").
enum class LocationType : std::uint8_t { kTown, kConflictZone, kCamp, kIdpCamp, kMarker };

const char* type_name(LocationType t);

struct Location {
  std::string name, region, country;
  double lat = 0, lon = 0;
  LocationType type = LocationType::kTown;
  std::optional<int> conflict_date;  ///< day index, for conflict zones without a conflicts.csv column
  double population = 0;             ///< capacity for (IDP) camps; < 1 there means unlimited
  int line = 0;                      ///< where it was read (0: built in code)
};

struct Link {
  std::uint32_t a = 0, b = 0;
  double km = 0;
  int forced_redirection = 0;  ///< read and kept; the default rules do not use it (docs/flee.md)
  double max_move_speed = 0;   ///< km/day on this link; 0 = the global max_move_speed
  int line = 0;
};

/// conflicts.csv: intensities in [0,1] per listed location, one row per day given; a row holds
/// until the next one.
struct ConflictTable {
  std::vector<std::uint32_t> locations;     ///< column -> location
  std::vector<int> days;                    ///< strictly increasing
  std::vector<std::vector<double>> values;  ///< [row][column]
  bool empty() const { return locations.empty(); }
};

struct Closure {
  enum class Kind : std::uint8_t { kCountry, kLocation, kLink, kCamp };
  Kind kind = Kind::kLink;
  std::string name1, name2;
  int start = 0;  ///< first closed day
  int end = -1;   ///< first open day again; -1 never reopens
  int line = 0;
};

/// A dated series of counts (one data file of the validation folder), after hasten and
/// registration corrections; days are relative to the case's start date.
struct CountSeries {
  std::string file;
  std::vector<int> days;       ///< strictly increasing
  std::vector<double> values;  ///< same length
  /// Flee's reading: linear interpolation, the first value before the first date, the last
  /// after the last, truncated toward zero.
  std::int64_t at(int day) const;
};

struct ValidationData {
  std::optional<CountSeries> total;     ///< the `total` row of data_layout.csv
  std::vector<std::uint32_t> camps;     ///< locations with data, in locations.csv order
  std::vector<CountSeries> series;      ///< same order as camps
  /// Rows of data_layout.csv for names that are not camps of the network (the reference reads
  /// them): their counts add to the daily arrivals (sum_from_camps), they are neither placed on
  /// day 0 nor compared. data_layout.csv order.
  std::vector<std::string> uncompared_names;
  std::vector<CountSeries> uncompared;
};

struct FleeCase {
  FleeSettings settings;
  std::vector<Location> locations;
  std::vector<Link> links;
  ConflictTable conflicts;
  std::vector<Closure> closures;
  std::optional<ValidationData> validation;  ///< absent: no data-driven spawning, no out.csv
  /// Agents placed on day 0 (tests and the synthetic benchmark): (location, count).
  std::vector<std::pair<std::uint32_t, std::uint64_t>> initial_agents;
  std::optional<Date> start;  ///< sim_period.csv StartDate, when read from files
  std::string source;         ///< the input folder, for messages
};

/// Divides populations, capacities and counts by settings.hasten (docs/flee-rules.md "Spawning").
void apply_hasten(FleeCase& c);

}  // namespace corridor::flee
