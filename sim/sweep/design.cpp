#include "sim/sweep/design.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/sweep/sampling.hpp"

namespace corridor {

namespace fs = std::filesystem;

std::vector<std::string> Design::assignments(std::size_t row) const {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (std::size_t c = 0; c < keys.size(); ++c) out.push_back(keys[c] + "=" + values.at(row)[c]);
  return out;
}

namespace {

std::string point_label(std::size_t i) { return fmt::format("p{:04d}", i); }

/// A key path: dot-separated, non-empty components, no spaces or '='.
bool is_key_path(const std::string& k) {
  if (k.empty() || k.front() == '.' || k.back() == '.' || k.find("..") != std::string::npos) return false;
  return k.find_first_of(" =\t") == std::string::npos;
}

}  // namespace

Design read_design_csv(const fs::path& file) {
  const CsvTable t = CsvTable::read(file);
  const std::string name = file.string();
  Design d;
  int point_col = -1;
  std::set<std::string> seen;
  const auto& header = t.header();
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& k = header[c];
    if (!seen.insert(k).second) throw InputError(fmt::format("{}:1: column '{}' appears twice", name, k));
    if (k == "point") {
      point_col = static_cast<int>(c);
      continue;
    }
    if (!is_key_path(k))
      throw InputError(fmt::format("{}:1: column '{}': expected a scenario key path (as for --set) or 'point'", name, k));
    if (k == "seed")
      throw InputError(fmt::format("{}:1: column 'seed': the seed of each run comes from the sweep's seed", name));
    d.keys.push_back(k);
  }
  if (d.keys.empty()) throw InputError(fmt::format("{}:1: a design needs at least one column of a key path", name));
  if (t.rows() == 0) throw InputError(fmt::format("{}: a design needs at least one row", name));
  if (t.rows() > kMaxDesignPoints)
    throw InputError(fmt::format("{}: {} rows; a design has at most {}", name, t.rows(), kMaxDesignPoints));
  std::set<std::string> labels;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (static_cast<int>(c) == point_col) continue;
      const std::string& v = t.cell(r, static_cast<int>(c));
      if (v.empty())
        throw InputError(fmt::format("{}:{}: column '{}': empty value (every point sets every column)", name,
                                     t.line_of(r), header[c]));
      row.push_back(v);
    }
    const std::string label = point_col >= 0 ? t.cell(r, point_col) : point_label(r);
    if (label.empty()) throw InputError(fmt::format("{}:{}: column 'point': empty label", name, t.line_of(r)));
    if (!labels.insert(label).second)
      throw InputError(fmt::format("{}:{}: point '{}' appears twice", name, t.line_of(r), label));
    d.points.push_back(label);
    d.values.push_back(std::move(row));
  }
  return d;
}

Design sample_design(const Section& s, std::uint64_t sweep_seed) {
  const std::string method = s.text("method");
  if (method != "lhs" && method != "sobol") s.fail("method", fmt::format("expected lhs or sobol, got '{}'", method));
  const auto n = static_cast<std::size_t>(s.integer("n", 1, static_cast<std::int64_t>(kMaxDesignPoints)));
  const std::uint64_t seed = s.unsigned64("seed", sweep_seed);
  const Section params = s.section("parameters");
  struct Range {
    std::string key;
    double low, high;
    bool log;
  };
  std::vector<Range> ranges;
  for (const std::string& key : params.keys()) {
    if (!is_key_path(key)) params.fail(key, "expected a scenario key path (as for --set)");
    if (key == "seed") params.fail(key, "the seed of each run comes from the sweep's seed");
    const std::vector<std::string> v = params.value_texts(key);
    if (v.size() != 3) params.fail(key, "expected [low, high, lin|log]");
    Range r{key, 0, 0, false};
    if (!parse_number(v[0], r.low) || !parse_number(v[1], r.high))
      params.fail(key, fmt::format("expected numbers low and high, got [{}, {}]", v[0], v[1]));
    if (!(r.low < r.high)) params.fail(key, fmt::format("low ({}) must be below high ({})", v[0], v[1]));
    if (v[2] == "log") {
      if (!(r.low > 0)) params.fail(key, fmt::format("a log scale needs low > 0, got {}", v[0]));
      r.log = true;
    } else if (v[2] != "lin") {
      params.fail(key, fmt::format("expected the scale lin or log, got '{}'", v[2]));
    }
    ranges.push_back(r);
  }
  if (ranges.empty()) s.fail("parameters", "expected at least one {key.path: [low, high, lin|log]}");
  if (method == "sobol" && ranges.size() > kSobolMaxDimensions)
    s.fail("parameters", fmt::format("a Sobol design has at most {} parameters, got {} (use lhs)", kSobolMaxDimensions,
                                     ranges.size()));
  const UnitPoints u = method == "sobol" ? shifted_sobol_points(n, ranges.size(), seed)
                                         : latin_hypercube(n, ranges.size(), seed);
  Design d;
  for (const auto& r : ranges) d.keys.push_back(r.key);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> row;
    for (std::size_t j = 0; j < ranges.size(); ++j) {
      const Range& r = ranges[j];
      const double v = r.log ? std::exp(std::log(r.low) + u[i][j] * (std::log(r.high) - std::log(r.low)))
                             : r.low + u[i][j] * (r.high - r.low);
      row.push_back(fmt::format("{:.10g}", v));
    }
    d.points.push_back(point_label(i));
    d.values.push_back(std::move(row));
  }
  return d;
}

}  // namespace corridor
