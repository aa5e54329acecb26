#pragma once
// Scenario documents: YAML with `extends`, `--set` overrides, strict typed reading and
// provenance, so that every error names the file, the line and the key path.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/calendar.hpp"
#include "sim/error.hpp"
#include "sim/schedule.hpp"

namespace corridor {

class Section;

/// A scenario file merged with the files it extends and the --set overrides.
/// Key paths are dotted, with sequence indices as numbers: `markov.transitions.3.p`.
class ScenarioDoc {
 public:
  /// Loads `file`, following `extends:` (relative to the extending file); maps merge key by
  /// key, anything else (scalars, lists) is replaced whole by the extending file, except a
  /// change of an inherited schedule (docs/scenarios.md), which applies to it. `what` names
  /// the kind of document in messages ("scenario file", "sweep file").
  static ScenarioDoc load(const std::filesystem::path& file, const std::string& what = "scenario file");
  /// Parses YAML text as if it were the file `name` (for tests).
  static ScenarioDoc from_text(const std::string& text, const std::filesystem::path& name);

  /// Applies `key.path=value` (the value is parsed as YAML). Creates missing map keys (an
  /// unknown one is then reported by check_all_keys_used), fails on a bad sequence index.
  void set(const std::string& assignment);

  Section root() const;

  /// Fails with InputError on the first key that no reader asked for (a misspelled or unknown key).
  void check_all_keys_used() const;

  /// The merged scenario as YAML text (stored in every output file).
  std::string effective_yaml() const;
  const std::filesystem::path& file() const { return file_; }
  /// Where the value at `path` came from (the nearest enclosing path that has a record).
  SourceLocation where(const std::string& path) const;

  /// The tables (input files) that readers resolved through Section::file, in order, each once
  /// (a checkpoint records their digests, so that a restart can tell they are unchanged).
  const std::vector<std::filesystem::path>& tables() const { return tables_; }

  // Bookkeeping used by Section.
  void note_table(const std::filesystem::path& file) const;
  void mark_used(const std::string& path, bool whole) const;
  void mark_known(const std::string& path) const { known_.insert(path); }

 private:
  YAML::Node tree_;
  std::filesystem::path file_;
  std::map<std::string, SourceLocation> origin_;
  mutable std::set<std::string> used_;
  mutable std::set<std::string> used_whole_;
  mutable std::set<std::string> known_;  ///< keys a reader looked for, present or not (for messages)
  mutable std::vector<std::filesystem::path> tables_;

  friend class ScenarioLoader;
};

enum class Range { kAny, kProbability, kNonNegative, kPositive };

/// The values a number may take: [lo, hi], either end open. Every bound is finite or
/// infinite; NaN and infinities are never accepted. Built from a `Range` preset, optionally
/// capped (`Bounds(Range::kNonNegative).at_most(1e6)`), or from explicit ends (`between`).
struct Bounds {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  Range preset = Range::kAny;  ///< the preset it was built from (for its wording), kAny otherwise

  Bounds() = default;
  Bounds(Range r);  // NOLINT(google-explicit-constructor): every Range is a Bounds
  static Bounds between(double lo, double hi) {
    Bounds b;
    b.lo = lo;
    b.hi = hi;
    return b;
  }
  /// The same lower end, with an upper end `hi` (closed).
  Bounds at_most(double hi) const {
    Bounds b = *this;
    b.hi = hi;
    b.hi_open = false;
    b.preset = Range::kAny;
    return b;
  }
  bool contains(double v) const;
  /// As an error message says it: "a probability in [0,1]", "a number in [0, 1e+06]".
  std::string describe() const;
  /// As a parameter table says it: "[0, 1]", "≥ 0", "(0, 365]".
  std::string text() const;
};

/// A map inside the scenario, read key by key. Every accessor records the key as used and
/// throws InputError ("file:line: key 'a.b': expected ..., got ...") on a wrong type or range.
class Section {
 public:
  Section(const ScenarioDoc* doc, YAML::Node node, std::string path);
  Section(const Section&) = default;
  // Assignment rebinds this Section to the other's map. YAML::Node's own operator= would
  // instead overwrite the node it refers to, i.e. replace a map inside the scenario tree
  // (`s = s.section("a")` turned the parent map into its child "a" and lost its other keys).
  Section& operator=(const Section& other) {
    doc_ = other.doc_;
    node_.reset(other.node_);
    path_ = other.path_;
    return *this;
  }

  const std::string& path() const { return path_; }
  std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  bool has(const std::string& key) const;
  /// True if `key` is present and holds a map (a value that may be a number or a map of numbers).
  bool is_map(const std::string& key) const;
  std::vector<std::string> keys() const;

  Section section(const std::string& key) const;
  std::optional<Section> optional_section(const std::string& key) const;
  std::vector<Section> list(const std::string& key) const;  ///< a sequence of maps

  std::string text(const std::string& key) const;
  std::string text(const std::string& key, const std::string& fallback) const;
  std::vector<std::string> text_list(const std::string& key) const;  ///< empty if absent
  /// `key` as `--set` assignments "key.path=value": a map {key.path: value} or a list of
  /// "key.path=value" texts; each value as one line of YAML. Empty if absent.
  std::vector<std::string> assignments(const std::string& key) const;
  /// `key` as a non-empty list of values of any kind, each as one line of YAML.
  std::vector<std::string> value_texts(const std::string& key) const;
  double number(const std::string& key, Bounds range = Range::kAny) const;
  double number(const std::string& key, double fallback, Bounds range = Range::kAny) const;
  double probability(const std::string& key) const { return number(key, Range::kProbability); }
  double probability(const std::string& key, double fallback) const {
    return number(key, fallback, Range::kProbability);
  }
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const;
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max) const;
  std::uint64_t unsigned64(const std::string& key, std::uint64_t fallback) const;
  bool boolean(const std::string& key, bool fallback) const;
  Date date(const std::string& key) const;
  /// A table or file path, relative to the scenario file that set it; must be a readable file.
  std::filesystem::path file(const std::string& key) const;
  /// A number, a list of {date, value, ramp?} points, or a change of an inherited schedule
  /// ({scale, add, from, until, min, max, shift_days}; see docs/scenarios.md).
  Schedule schedule(const std::string& key, Bounds range = Range::kAny) const;
  /// The same where the key's declared default is `inherited`: a change applies to it when no
  /// file sets the key.
  Schedule schedule(const std::string& key, const Schedule& inherited, Bounds range = Range::kAny) const;
  Schedule schedule(const std::string& key, double fallback, Bounds range = Range::kAny) const;

  /// Throws InputError for `key` of this section with the given message.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  [[noreturn]] void fail_here(const std::string& message) const;
  SourceLocation where(const std::string& key) const;
  const ScenarioDoc& doc() const { return *doc_; }

 private:
  YAML::Node get(const std::string& key) const;  ///< required scalar or node, marks used
  Schedule schedule(const std::string& key, const Schedule* inherited, const Bounds& range) const;
  Schedule read_schedule(const YAML::Node& n, const std::string& key_path, const Schedule* inherited,
                         const Bounds& range) const;
  Schedule read_schedule_change(const YAML::Node& n, const std::string& key_path, const Schedule* inherited) const;
  const ScenarioDoc* doc_;
  YAML::Node node_;
  std::string path_;
};

/// Reads a scalar node as a number in `range` or throws naming `where` and `key_path`.
double read_number(const YAML::Node& node, const std::string& key_path, const SourceLocation& where,
                   const Bounds& range);
std::string describe_range(const Bounds& range);

}  // namespace corridor
