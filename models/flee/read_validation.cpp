// The validation folder (data_layout.csv and its count files) and registration corrections
// (docs/flee-rules.md "Files"; corrections as the reference implementation applies them).
#include <fmt/format.h>

#include <cctype>
#include <map>

#include "models/flee/inputs.hpp"
#include "models/flee/records.hpp"
#include "sim/csv.hpp"

namespace corridor::flee {

namespace {

/// One count file: `YYYY-MM-DD,count` rows; a first line that is not a date is a header;
/// rows with an empty count are skipped (as the reference does).
CountSeries read_counts(const std::filesystem::path& file, Date start) {
  const RecordFile f = read_records(file);
  CountSeries s;
  s.file = f.file;
  bool first = true;
  for (const Record& r : f.rows) {
    const bool is_first = first;
    first = false;
    const auto date = r.fields.empty() ? std::nullopt : parse_iso_date(r.fields[0]);
    if (!date) {
      // A first line that does not even start like a date is a header ("Date,Refugee_numbers");
      // a malformed date is an error wherever it is.
      const bool date_like = !r.fields.empty() && !r.fields[0].empty() && std::isdigit(static_cast<unsigned char>(r.fields[0][0]));
      if (is_first && !date_like) continue;
      fail_at(f.file, r.line, fmt::format("column 1: expected a date as YYYY-MM-DD, got '{}'",
                                          r.fields.empty() ? "" : r.fields[0]));
    }
    if (r.fields.size() < 2 || r.fields[1].empty()) continue;
    const double v = field_number(f, r, 1, "count");
    if (v < 0) fail_at(f.file, r.line, fmt::format("column 2 (count): expected a count >= 0, got '{}'", r.fields[1]));
    const int day = *date - start;
    if (!s.days.empty() && day <= s.days.back())
      fail_at(f.file, r.line,
              fmt::format("date {} does not follow the previous date {} (dates must increase)", r.fields[0],
                          start.plus_days(s.days.back()).iso()));
    s.days.push_back(day);
    s.values.push_back(v);
  }
  if (s.days.empty()) fail_at(f.file, 0, "no dated counts (expected rows 'YYYY-MM-DD,count')");
  return s;
}

bool is_camp(const Location& l, const FleeSettings& s) { return counts_as_camp(l.type, base_move_chance(l.type, s)); }

}  // namespace

ValidationData read_validation(const std::filesystem::path& dir, Date start, const std::vector<Location>& locations,
                               const FleeSettings& settings, InputNotes& notes) {
  const std::filesystem::path layout = dir / "data_layout.csv";
  const RecordFile f = read_records(layout);
  std::map<std::string, std::uint32_t> names;
  for (std::uint32_t i = 0; i < locations.size(); ++i) names[locations[i].name] = i;

  ValidationData v;
  std::map<std::uint32_t, std::pair<CountSeries, int>> by_location;  // series, line
  std::map<std::string, int> other_lines;                            // names that are not camps
  bool first = true;
  for (const Record& r : f.rows) {
    // Trailing empty fields ("Mentao,bf-mentao.csv,") are harmless; a third file is not supported.
    std::size_t n = r.fields.size();
    while (n > 0 && r.fields[n - 1].empty()) --n;
    if (n < 2) fail_at(f.file, r.line, "expected '<camp>,<file.csv>'");
    if (n > 2)
      fail_at(f.file, r.line,
              "more than one data file for one name (the reference's CSV summing) is not supported; "
              "sum the files into one");
    const std::string& name = r.fields[0];
    const std::filesystem::path file = dir / r.fields[1];
    if (first) {
      if (name != "total")
        fail_at(f.file, r.line, fmt::format("the first row must be 'total,<file.csv>', got '{}'", name));
      v.total = read_counts(file, start);
      first = false;
      continue;
    }
    if (name == "total") fail_at(f.file, r.line, "'total' given twice");
    auto it = names.find(name);
    const bool camp = it != names.end() && (is_camp(locations[it->second], settings) ||
                                            locations[it->second].type == LocationType::kIdpCamp);
    if (!camp) {
      // The reference reads the row and adds its counts to the daily arrivals (sum_from_camps),
      // but compares only the network's camps.
      if (auto d = other_lines.find(name); d != other_lines.end())
        fail_at(f.file, r.line, fmt::format("'{}' listed twice (first on line {})", name, d->second));
      other_lines[name] = r.line;
      const std::string why =
          it == names.end()
              ? std::string("not in locations.csv")
              : fmt::format("a {} in locations.csv line {}", type_name(locations[it->second].type), locations[it->second].line);
      notes.ignored(f.file, r.line, 1,
                    fmt::format("'{}' as a camp to compare ({}); its counts still add to the daily arrivals", name, why));
      v.uncompared_names.push_back(name);
      v.uncompared.push_back(read_counts(file, start));
      continue;
    }
    if (auto d = by_location.find(it->second); d != by_location.end())
      fail_at(f.file, r.line, fmt::format("camp '{}' listed twice (first on line {})", name, d->second.second));
    by_location.emplace(it->second, std::make_pair(read_counts(file, start), r.line));
  }
  if (first) fail_at(f.file, 0, "empty (expected 'total,<file.csv>' then '<camp>,<file.csv>' rows)");
  for (std::uint32_t i = 0; i < locations.size(); ++i) {
    const Location& loc = locations[i];
    const bool camp = is_camp(loc, settings) && loc.type != LocationType::kIdpCamp;
    if (camp && !by_location.count(i))
      fail_at(f.file, 0,
              fmt::format("camp '{}' (locations.csv line {}) is missing; every camp needs a '<camp>,<file.csv>' row",
                          loc.name, loc.line));
  }
  for (auto& [loc, entry] : by_location) {  // std::map: locations.csv order
    v.camps.push_back(loc);
    v.series.push_back(std::move(entry.first));
  }
  return v;
}

void apply_registration_corrections(const std::filesystem::path& file, Date start,
                                    const std::vector<Location>& locations, ValidationData& data) {
  const RecordFile f = read_records(file);
  for (const Record& r : f.rows) {
    if (r.fields.size() < 2) fail_at(f.file, r.line, "expected '<camp>,<YYYY-MM-DD>[,normalize]'");
    if (r.fields.size() > 2 && !r.fields[2].empty() && r.fields[2] != "normalize")
      fail_at(f.file, r.line, fmt::format("column 3: unknown correction '{}' (known: normalize)", r.fields[2]));
    // Any name of data_layout.csv, compared or not (the reference corrects its data table by name).
    CountSeries* found = nullptr;
    for (std::size_t i = 0; i < data.camps.size(); ++i)
      if (locations[data.camps[i]].name == r.fields[0]) found = &data.series[i];
    for (std::size_t i = 0; i < data.uncompared.size(); ++i)
      if (data.uncompared_names[i] == r.fields[0]) found = &data.uncompared[i];
    if (!found) fail_at(f.file, r.line, fmt::format("'{}' is not a name of data_layout.csv", r.fields[0]));
    const auto date = parse_iso_date(r.fields[1]);
    if (!date) fail_at(f.file, r.line, fmt::format("column 2: expected a date as YYYY-MM-DD, got '{}'", r.fields[1]));
    CountSeries& s = *found;
    const int day = *date - start;
    std::size_t i = 0;
    while (i < s.days.size() && s.days[i] != day) ++i;
    if (i == s.days.size() || i == 0)
      fail_at(f.file, r.line,
              fmt::format("{} has {} on {}; a correction needs an observation on that date after the first one",
                          s.file, i == 0 && !s.days.empty() && s.days[0] == day ? "its first observation" : "no observation",
                          r.fields[1]));
    if (!(s.values[i - 1] > 0))
      fail_at(f.file, r.line, fmt::format("{}: the observation before {} is 0, so the ratio is undefined", s.file, r.fields[1]));
    // Level-1 registrations overestimated the camp; scale every earlier count by the ratio of
    // the first level-2 count to the last level-1 count (the reference's correctLevel1Registrations).
    const double ratio = s.values[i] / s.values[i - 1];
    for (std::size_t j = 0; j < i; ++j) s.values[j] *= ratio;
  }
}

}  // namespace corridor::flee
