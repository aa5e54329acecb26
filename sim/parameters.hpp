#pragma once
// Declared parameters, for every model: each parameter is declared once, next to the code that
// uses it, with its default, unit, valid range and source. The same declaration reads the
// scenario (strictly: wrong types and out-of-range values are input errors naming file:line),
// and lists the parameters for `corridor params MODEL` (Markdown for the docs, JSON for
// scripts, which read defaults from it instead of keeping copies).
//
//   ParameterDeclarer d(&section);            // reading: values from the scenario, else defaults
//   d.number("travel.border_wait_days", p.border_wait_days, 7, "days (mean)",
//            Bounds(Range::kNonNegative).at_most(365), "assumption");
//   ParameterDeclarer list(nullptr);          // listing: defaults only, docs() filled
#include <optional>
#include <string>
#include <vector>

#include "sim/calendar.hpp"
#include "sim/config.hpp"
#include "sim/schedule.hpp"

namespace corridor {

/// One row of a model's parameter table.
struct ParameterDoc {
  std::string key;            ///< dotted path under the model's section
  std::string kind;           ///< number, integer, schedule, flag, date, text, custom
  std::string default_value;  ///< as the docs show it (schedules: "2018-10-01:1, 2020-04-01~0.35")
  std::string unit, range, source;
  /// Numeric kinds: the valid range's ends (±infinity where open-ended).
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  /// Numbers: the default at full precision (default_value is rounded for reading).
  double exact_default = 0;
  /// The group of declarations it belongs to (a module of the model: "Departures"), and where
  /// that group is implemented and documented; empty when the model declares no groups.
  std::string group, group_note;
};

/// Parses a default schedule written "v" or "YYYY-MM-DD:v, YYYY-MM-DD~v" (~ marks a linear ramp).
Schedule parse_default_schedule(const std::string& text);

class ParameterDeclarer {
 public:
  /// `root` is the model's section of the scenario, or null to list the declarations only.
  explicit ParameterDeclarer(const Section* root) : root_(root) {}

  void number(const std::string& key, double& out, double def, const std::string& unit, const Bounds& range,
              const std::string& source);
  void integer(const std::string& key, int& out, int def, int lo, int hi, const std::string& unit,
               const std::string& source);
  void schedule(const std::string& key, Schedule& out, const std::string& def, const std::string& unit,
                const Bounds& range, const std::string& source);
  void flag(const std::string& key, bool& out, bool def, const std::string& source);
  void date(const std::string& key, Date& out, const std::string& def, const std::string& source);
  void text(const std::string& key, std::string& out, const std::string& def, const std::string& unit,
            const std::string& source);
  /// A structured value that the caller reads by hand from the returned section (holding
  /// `leaf`); only its documentation row is made here.
  std::optional<Section> custom(const std::string& key, const std::string& def, const std::string& unit,
                                const std::string& source, std::string& leaf);
  /// A documentation row for a value read by other means (e.g. one row standing for a family of keys).
  void document(ParameterDoc row);
  /// Starts a group of declarations (a model's module): the table gets a heading `title` with
  /// `note` (where it is implemented and documented) before the group's rows.
  void group(std::string title, std::string note);
  /// Fails if the scenario sets `key`, which the model does not allow to be set (why: `message`).
  void forbid(const std::string& key, const std::string& message) const;

  /// The section holding `key`'s last component, or nullopt when an intermediate map is absent
  /// (or when listing).
  std::optional<Section> parent(const std::string& key, std::string& leaf) const;
  bool reading() const { return root_ != nullptr; }
  const std::vector<ParameterDoc>& docs() const { return docs_; }

 private:
  const Section* root_;
  std::vector<ParameterDoc> docs_;
  std::string group_, group_note_;
};

/// The table as Markdown (`corridor params MODEL`; docs carry it verbatim): one table, or one
/// per group under a line `**title**: note`.
std::string parameter_table_markdown(const std::vector<ParameterDoc>& docs, const std::string& section_name);
/// The table as JSON (`corridor params MODEL --json`): {"model": ..., "section": ..., "parameters":
/// [{"key", "kind", "default", "default_text", "unit", "range", "min", "max", "source", "group"}]}, where
/// "default" is typed (number, integer, boolean, string; a schedule is a number when constant,
/// else a list of {"date", "value", "ramp"}) and "min"/"max" are null when open-ended.
std::string parameter_table_json(const std::vector<ParameterDoc>& docs, const std::string& model,
                                 const std::string& section_name);

}  // namespace corridor
