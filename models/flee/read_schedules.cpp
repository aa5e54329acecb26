// conflicts.csv, closures.csv and sim_period.csv (docs/flee-rules.md "Files").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "models/flee/inputs.hpp"
#include "models/flee/records.hpp"
#include "sim/csv.hpp"

namespace corridor::flee {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

ConflictTable read_conflicts(const std::filesystem::path& file, const std::vector<Location>& locations,
                             InputNotes& notes) {
  const RecordFile f = read_records(file);
  std::map<std::string, std::uint32_t> names;
  for (std::uint32_t i = 0; i < locations.size(); ++i) names[locations[i].name] = i;
  if (f.header.empty() || lower(f.header[0]) != "day")
    fail_at(f.file, f.header_line > 0 ? f.header_line : 1,
            "expected a header '#Day,<location>,<location>,...' naming the columns");
  // As the reference reads it: an empty header cell (a trailing comma) names no column, and a
  // column for a name that is not a location is read but changes nothing.
  enum class Use : std::uint8_t { kNone, kIgnored, kLocation };
  std::vector<Use> use(f.header.size(), Use::kNone);
  std::size_t last_named = 0;
  ConflictTable t;
  std::set<std::uint32_t> seen;
  std::set<std::string> seen_unknown;
  for (std::size_t c = 1; c < f.header.size(); ++c) {
    const std::string& name = f.header[c];
    const int column = static_cast<int>(c + 1);
    if (name.empty()) {
      notes.ignored(f.file, f.header_line, column, "an empty header cell (it names no column)");
      continue;
    }
    last_named = c;
    auto it = names.find(name);
    if (it == names.end()) {
      if (!seen_unknown.insert(name).second)
        fail_at(f.file, f.header_line, fmt::format("column {}: '{}' named twice", column, name));
      notes.ignored(f.file, f.header_line, column,
                    fmt::format("the column of '{}' (not a location of locations.csv)", name));
      use[c] = Use::kIgnored;
      continue;
    }
    if (!seen.insert(it->second).second)
      fail_at(f.file, f.header_line, fmt::format("column {}: location '{}' named twice", column, name));
    use[c] = Use::kLocation;
    t.locations.push_back(it->second);
  }
  for (const Record& r : f.rows) {
    if (r.fields.size() <= last_named || r.fields.size() > f.header.size())
      fail_at(f.file, r.line,
              fmt::format("expected {} fields (as the header names columns){}, found {}", last_named + 1,
                          f.header.size() > last_named + 1 ? fmt::format(" or up to {}", f.header.size()) : "",
                          r.fields.size()));
    const int day = field_int(f, r, 0, "Day");
    if (day < 0) fail_at(f.file, r.line, fmt::format("column 1 (Day): expected a day >= 0, got {}", day));
    if (!t.days.empty() && day <= t.days.back())
      fail_at(f.file, r.line, fmt::format("column 1 (Day): day {} does not follow day {}", day, t.days.back()));
    std::vector<double> row;
    for (std::size_t c = 1; c < r.fields.size(); ++c) {
      if (use[c] == Use::kNone) {
        if (!r.fields[c].empty())
          fail_at(f.file, r.line,
                  fmt::format("column {}: a value ('{}') under an empty header cell", c + 1, r.fields[c]));
        continue;
      }
      const double v = field_number(f, r, c, f.header[c].c_str());
      if (v < 0 || v > 1)
        fail_at(f.file, r.line, fmt::format("column {} ({}): expected an intensity in [0,1], got '{}'", c + 1,
                                            f.header[c], r.fields[c]));
      if (use[c] == Use::kLocation) row.push_back(v);
    }
    t.days.push_back(day);
    t.values.push_back(std::move(row));
  }
  if (!t.locations.empty() && t.days.empty()) fail_at(f.file, 0, "a header but no rows of intensities");
  return t;
}

std::vector<Closure> read_closures(const std::filesystem::path& file, const std::vector<Location>& locations,
                                   const std::vector<Link>& links, InputNotes& notes) {
  const RecordFile f = read_records(file);
  std::map<std::string, std::uint32_t> names;
  std::set<std::string> countries;
  for (std::uint32_t i = 0; i < locations.size(); ++i) {
    names[locations[i].name] = i;
    countries.insert(locations[i].country);
  }
  auto location = [&](const Record& r, std::size_t col) {
    auto it = names.find(r.fields[col]);
    if (it == names.end())
      fail_at(f.file, r.line, fmt::format("column {}: unknown location '{}' (not in locations.csv)", col + 1, r.fields[col]));
    return it->second;
  };
  std::vector<Closure> out;
  for (const Record& r : f.rows) {
    if (r.fields.size() < 5)
      fail_at(f.file, r.line,
              fmt::format("expected 5 columns (closure_type, name1, name2, closure_start, closure_end), found {}",
                          r.fields.size()));
    Closure c;
    c.line = r.line;
    bool ignore_row = false;
    const std::string type = lower(r.fields[0]);
    c.name1 = r.fields[1];
    c.name2 = r.fields[2];
    if (type == "country") {
      c.kind = Closure::Kind::kCountry;
      for (std::size_t col : {1u, 2u})
        if (!countries.count(r.fields[col]))
          fail_at(f.file, r.line,
                  fmt::format("column {}: unknown country '{}' (no location in locations.csv has it)", col + 1, r.fields[col]));
    } else if (type == "location") {
      c.kind = Closure::Kind::kLocation;
      location(r, 1);
    } else if (type == "link") {
      c.kind = Closure::Kind::kLink;
      const auto a = location(r, 1), b = location(r, 2);
      const bool exists = std::any_of(links.begin(), links.end(), [&](const Link& l) {
        return (l.a == a && l.b == b) || (l.a == b && l.b == a);
      });
      if (!exists)
        fail_at(f.file, r.line, fmt::format("no route between '{}' and '{}' in routes.csv", c.name1, c.name2));
    } else if (type == "camp" || type == "idpcamp") {
      // The reference's `idpcamp` closes an IDP camp as `camp` closes a camp (docs/flee.md §6).
      c.kind = Closure::Kind::kCamp;
      const auto l = location(r, 1);
      if (locations[l].type != LocationType::kCamp && locations[l].type != LocationType::kIdpCamp)
        fail_at(f.file, r.line, fmt::format("column 2: '{}' is a {}, not a camp", c.name1, type_name(locations[l].type)));
    } else if (type == "remove_forced_redirection") {
      // Switches the link's forced_redirection flag, which the default rules never read.
      ignore_row = true;
    } else {
      fail_at(f.file, r.line,
              fmt::format("column 1 (closure_type): unknown type '{}' (known: country, location, link, camp, idpcamp, "
                          "remove_forced_redirection)",
                          r.fields[0]));
    }
    c.start = field_int(f, r, 3, "closure_start");
    c.end = field_int(f, r, 4, "closure_end");
    if (c.start < 0) fail_at(f.file, r.line, fmt::format("column 4 (closure_start): expected a day >= 0, got {}", c.start));
    if (c.end != -1 && c.end <= c.start)
      fail_at(f.file, r.line,
              fmt::format("column 5 (closure_end): expected a day after closure_start ({}) or -1 (never reopens), got {}",
                          c.start, c.end));
    if (ignore_row) {
      notes.ignored(f.file, r.line, 1,
                    fmt::format("a '{}' closure of {} -> {} (it switches a flag the default rules do not read)",
                                r.fields[0], c.name1, c.name2));
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

SimPeriod read_sim_period(const std::filesystem::path& file) {
  const RecordFile f = read_records(file);
  SimPeriod p;
  bool have_start = false, have_length = false;
  for (const Record& r : f.rows) {
    if (r.fields.size() < 2) fail_at(f.file, r.line, "expected 'StartDate,YYYY-MM-DD' or 'Length,N'");
    if (r.fields[0] == "StartDate") {
      auto d = parse_iso_date(r.fields[1]);
      if (!d) fail_at(f.file, r.line, fmt::format("StartDate: expected a date as YYYY-MM-DD, got '{}'", r.fields[1]));
      p.start = *d;
      have_start = true;
    } else if (r.fields[0] == "Length") {
      p.length = field_int(f, r, 1, "Length");
      if (p.length < 1 || p.length > 100 * 366)
        fail_at(f.file, r.line, fmt::format("Length: expected a number of days in [1, 36600], got {}", p.length));
      have_length = true;
    } else {
      fail_at(f.file, r.line, fmt::format("unknown key '{}' (known: StartDate, Length)", r.fields[0]));
    }
  }
  if (!have_start) fail_at(f.file, 0, "missing 'StartDate,YYYY-MM-DD'");
  if (!have_length) fail_at(f.file, 0, "missing 'Length,N'");
  return p;
}

}  // namespace corridor::flee
