// locations.csv and routes.csv (docs/flee-rules.md "Files").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "models/flee/inputs.hpp"
#include "models/flee/records.hpp"
#include "sim/csv.hpp"

namespace corridor::flee {

namespace {

constexpr std::size_t kLocationColumns = 8;  // name .. population
constexpr std::size_t kRouteColumns = 4;     // name1 .. forced_redirection

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

LocationType parse_type(const RecordFile& f, const Record& r, const std::string& text) {
  const std::string t = lower(text);
  if (t == "conflict_zone" || t == "conflict") return LocationType::kConflictZone;
  if (t == "town" || t == "default") return LocationType::kTown;
  if (t == "camp") return LocationType::kCamp;
  if (t == "idpcamp" || t == "idp_camp") return LocationType::kIdpCamp;
  if (t == "marker" || t == "forward" || t == "forwarding_hub") return LocationType::kMarker;
  fail_at(f.file, r.line,
          fmt::format("column 6 (location_type): unknown type '{}' (known: conflict_zone, town, default, camp, "
                      "idpcamp, marker, forward, forwarding_hub)",
                      text));
}

double optional_coordinate(const RecordFile& f, const Record& r, std::size_t i, const char* what) {
  if (i >= r.fields.size() || r.fields[i].empty()) return std::numeric_limits<double>::quiet_NaN();
  return field_number(f, r, i, what);
}

std::map<std::string, std::uint32_t> index_names(const std::vector<Location>& locations) {
  std::map<std::string, std::uint32_t> m;
  for (std::uint32_t i = 0; i < locations.size(); ++i) m[locations[i].name] = i;
  return m;
}

}  // namespace

double base_move_chance(LocationType t, const FleeSettings& s) {
  switch (t) {
    case LocationType::kConflictZone: return s.conflict_movechance;
    case LocationType::kCamp: return s.camp_movechance;
    case LocationType::kIdpCamp: return s.idpcamp_movechance;
    case LocationType::kMarker: return 1.0;
    case LocationType::kTown: return s.default_movechance;
  }
  return s.default_movechance;
}

bool counts_as_camp(LocationType t, double move_chance) {
  return t == LocationType::kCamp || t == LocationType::kIdpCamp || move_chance < 0.005;
}

std::vector<Location> read_locations(const std::filesystem::path& file) {
  const RecordFile f = read_records(file);
  std::vector<Location> out;
  std::map<std::string, int> seen;
  for (const Record& r : f.rows) {
    if (r.fields.size() < 6)
      fail_at(f.file, r.line,
              fmt::format("expected at least 6 columns (name, region, country, x, y, location_type[, "
                          "conflict_date, population]), found {}",
                          r.fields.size()));
    Location l;
    l.line = r.line;
    l.name = r.fields[0];
    if (l.name.empty()) fail_at(f.file, r.line, "column 1 (name): empty location name");
    if (auto it = seen.find(l.name); it != seen.end())
      fail_at(f.file, r.line, fmt::format("duplicate location name '{}' (first defined on line {})", l.name, it->second));
    seen[l.name] = r.line;
    l.region = r.fields[1];
    l.country = r.fields[2];
    l.lat = optional_coordinate(f, r, 3, "x/latitude");
    l.lon = optional_coordinate(f, r, 4, "y/longitude");
    l.type = parse_type(f, r, r.fields[5]);
    if (r.fields.size() > 6 && !r.fields[6].empty()) {
      // Flee writes whole days, sometimes as "12.0".
      const double d = field_number(f, r, 6, "conflict_date");
      if (d != std::floor(d) || d < 0)
        fail_at(f.file, r.line, fmt::format("column 7 (conflict_date): expected a day index >= 0, got '{}'", r.fields[6]));
      l.conflict_date = static_cast<int>(d);
    }
    if (r.fields.size() > 7 && !r.fields[7].empty()) {
      l.population = field_number(f, r, 7, "population");
      if (l.population < 0)
        fail_at(f.file, r.line, fmt::format("column 8 (population): expected a number >= 0, got '{}'", r.fields[7]));
    }
    out.push_back(std::move(l));
  }
  if (out.empty()) fail_at(f.file, 0, "no locations (every line is blank or a comment)");
  return out;
}

ExtraColumns read_location_extras(const std::filesystem::path& file) {
  const RecordFile f = read_records(file);
  ExtraColumns x;
  for (std::size_t c = kLocationColumns; c < f.header.size(); ++c) {
    x.names.push_back(f.header[c]);
    std::vector<std::string> v;
    for (const Record& r : f.rows) v.push_back(c < r.fields.size() ? r.fields[c] : "");
    x.values.push_back(std::move(v));
  }
  return x;
}

std::vector<Link> read_routes(const std::filesystem::path& file, const std::vector<Location>& locations) {
  const RecordFile f = read_records(file);
  const auto names = index_names(locations);
  int speed_column = -1;
  for (std::size_t c = kRouteColumns; c < f.header.size(); ++c)
    if (f.header[c] == "max_move_speed") speed_column = static_cast<int>(c);
  std::vector<Link> out;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> seen;
  for (const Record& r : f.rows) {
    if (r.fields.size() < 3)
      fail_at(f.file, r.line,
              fmt::format("expected at least 3 columns (name1, name2, distance[, forced_redirection]), found {}",
                          r.fields.size()));
    Link l;
    l.line = r.line;
    for (int end = 0; end < 2; ++end) {
      auto it = names.find(r.fields[end]);
      if (it == names.end())
        fail_at(f.file, r.line,
                fmt::format("column {} (name{}): unknown location '{}' (not in locations.csv)", end + 1, end + 1,
                            r.fields[end]));
      (end == 0 ? l.a : l.b) = it->second;
    }
    if (l.a == l.b) fail_at(f.file, r.line, fmt::format("route from '{}' to itself", r.fields[0]));
    l.km = field_number(f, r, 2, "distance");
    if (!(l.km > 0)) fail_at(f.file, r.line, fmt::format("column 3 (distance): expected km > 0, got '{}'", r.fields[2]));
    if (r.fields.size() > 3 && !r.fields[3].empty()) {
      l.forced_redirection = field_int(f, r, 3, "forced_redirection");
      if (l.forced_redirection < 0 || l.forced_redirection > 2)
        fail_at(f.file, r.line, fmt::format("column 4 (forced_redirection): expected 0, 1 or 2, got '{}'", r.fields[3]));
    }
    if (speed_column >= 0 && static_cast<std::size_t>(speed_column) < r.fields.size() &&
        !r.fields[static_cast<std::size_t>(speed_column)].empty()) {
      l.max_move_speed = field_number(f, r, static_cast<std::size_t>(speed_column), "max_move_speed");
      if (!(l.max_move_speed > 0))
        fail_at(f.file, r.line, fmt::format("column max_move_speed: expected km/day > 0, got '{}'",
                                            r.fields[static_cast<std::size_t>(speed_column)]));
    }
    const auto key = std::make_pair(std::min(l.a, l.b), std::max(l.a, l.b));
    if (auto it = seen.find(key); it != seen.end())
      fail_at(f.file, r.line,
              fmt::format("duplicate route between '{}' and '{}' (first on line {}); each row is a two-way link",
                          r.fields[0], r.fields[1], it->second));
    seen[key] = r.line;
    out.push_back(l);
  }
  return out;
}

}  // namespace corridor::flee
