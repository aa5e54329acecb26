#include "models/flee/settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>

#include "sim/csv.hpp"

namespace corridor::flee {

namespace {

using K = SettingSpec::Kind;
constexpr double kInf = std::numeric_limits<double>::infinity();

SettingSpec num(const char* sec, const char* key, double FleeSettings::*m, const char* def, double lo, double hi,
                const char* what) {
  SettingSpec s{sec, key, K::kNumber, def, what};
  s.min = lo;
  s.max = hi;
  s.number = m;
  return s;
}
SettingSpec integer(const char* sec, const char* key, int FleeSettings::*m, const char* def, double lo, double hi,
                    const char* what) {
  SettingSpec s{sec, key, K::kInteger, def, what};
  s.min = lo;
  s.max = hi;
  s.integer = m;
  return s;
}
SettingSpec flag(const char* sec, const char* key, bool FleeSettings::*m, const char* def, const char* what) {
  SettingSpec s{sec, key, K::kBoolean, def, what};
  s.flag = m;
  return s;
}
SettingSpec ignored(const char* sec, const char* key, const char* what) {
  return SettingSpec{sec, key, K::kIgnored, "-", what};
}
/// A Flee key whose non-neutral values select rules outside docs/flee-rules.md's default rule set.
SettingSpec unsupported(const char* sec, const char* key, K kind, const char* neutral, const char* what) {
  SettingSpec s{sec, key, kind, neutral, what};
  s.supported = false;
  s.neutral = neutral;
  s.min = -kInf;
  s.max = kInf;
  return s;
}

const std::vector<SettingSpec>& table() {
  static const std::vector<SettingSpec> t = [] {
    std::vector<SettingSpec> v;
    // log_levels: diagnostics of the reference code; the HDF5 events replace them.
    for (const char* k : {"agent", "link", "camp", "conflict", "init", "idp_totals", "granularity"})
      v.push_back(ignored("log_levels", k, "diagnostic output of the reference code; accepted and ignored"));

    v.push_back(flag("spawn_rules", "insert_day0", &FleeSettings::insert_day0, "true",
                     "pre-fill each camp with its day-0 UNHCR count"));
    v.push_back(flag("spawn_rules", "take_from_population", &FleeSettings::take_from_population, "false",
                     "subtract spawned agents from their conflict zone's population (spawn weight)"));
    v.push_back(flag("spawn_rules", "sum_from_camps", &FleeSettings::sum_from_camps, "true",
                     "daily new agents from the summed camp counts (false: from the `total` file)"));
    {
      SettingSpec s{"spawn_rules", "conflict_spawn_decay", K::kNumberList, "none (factor 1)",
                    "list of decay factors, one per interval since the conflict started; the last holds"};
      s.min = 0;
      s.max = kInf;
      s.list = &FleeSettings::conflict_spawn_decay;
      v.push_back(s);
    }
    v.push_back(integer("spawn_rules", "conflict_spawn_decay_interval", &FleeSettings::conflict_spawn_decay_interval,
                        "30", 1, 1e6, "days per entry of conflict_spawn_decay"));
    v.push_back(unsupported("spawn_rules", "conflict_driven_spawning", K::kIgnored, "",
                            "Flee's conflict-driven spawning (not the default rule set): must be absent"));
    v.push_back(unsupported("spawn_rules", "flood_driven_spawning", K::kIgnored, "",
                            "DFlee flood spawning: must be absent"));
    v.push_back(unsupported("spawn_rules", "conflict_zone_spawning_only", K::kBoolean, "true",
                            "only conflict zones spawn (always true here)"));
    v.push_back(unsupported("spawn_rules", "flood_zone_spawning_only", K::kBoolean, "false",
                            "DFlee flood spawning: must be false"));
    v.push_back(unsupported("spawn_rules", "camps_are_sinks", K::kBoolean, "false", "must be false"));
    v.push_back(unsupported("spawn_rules", "read_from_agents_csv_file", K::kBoolean, "false", "must be false"));

    const char* mr = "move_rules";
    v.push_back(num(mr, "max_move_speed", &FleeSettings::max_move_speed, "360", 1e-9, kInf,
                    "km an agent can travel per day, shared across the links of that day"));
    v.push_back(num(mr, "max_walk_speed", &FleeSettings::max_walk_speed, "35", 1e-9, kInf,
                    "km per day on an agent's first link when start_on_foot"));
    v.push_back(unsupported(mr, "max_crossing_speed", K::kNumber, "", "river crossings: accepted and ignored"));
    v.push_back(num(mr, "foreign_weight", &FleeSettings::foreign_weight, "1.0", 0, kInf,
                    "score factor of locations outside the first location's country"));
    v.push_back(num(mr, "camp_weight", &FleeSettings::camp_weight, "1.0", 0, kInf, "score factor of (IDP) camps"));
    v.push_back(num(mr, "conflict_weight", &FleeSettings::conflict_weight, "0.316 (1/sqrt 10)", 0, kInf,
                    "score base of conflict zones, raised to decay x intensity"));
    v.push_back(num(mr, "conflict_movechance", &FleeSettings::conflict_movechance, "1.0", 0, 1,
                    "daily move chance in a conflict zone"));
    v.push_back(num(mr, "camp_movechance", &FleeSettings::camp_movechance, "0.001", 0, 1, "daily move chance in a camp"));
    v.push_back(num(mr, "idpcamp_movechance", &FleeSettings::idpcamp_movechance, "0.1", 0, 1,
                    "daily move chance in an IDP camp"));
    v.push_back(num(mr, "default_movechance", &FleeSettings::default_movechance, "0.3", 0, 1,
                    "daily move chance in a town"));
    v.push_back(integer(mr, "awareness_level", &FleeSettings::awareness_level, "1", 0, 6,
                        "hops of the candidate paths (0: a uniformly random open link)"));
    v.push_back(num(mr, "capacity_buffer", &FleeSettings::capacity_buffer, "0.9", 0, 1,
                    "share of capacity above which a location's attraction falls linearly to 0"));
    v.push_back(num(mr, "capacity_scaling", &FleeSettings::capacity_scaling, "1.0", 0, kInf,
                    "multiplier on the capacities of locations.csv"));
    v.push_back(flag(mr, "start_on_foot", &FleeSettings::start_on_foot, "false",
                     "an agent's first link goes at max_walk_speed"));
    v.push_back(num(mr, "weight_power", &FleeSettings::weight_power, "1.0", 0, kInf, "power on each path weight"));
    v.push_back(num(mr, "weight_softening", &FleeSettings::weight_softening, "0.0", 0, kInf,
                    "added to every destination score"));
    v.push_back(num(mr, "softening", &FleeSettings::softening, "10.0", 0, kInf, "km added to every path length"));
    v.push_back(num(mr, "distance_power", &FleeSettings::distance_power, "1.0", 0, kInf,
                    "power on the softened path length"));
    v.push_back(unsupported(mr, "avoid_short_stints", K::kBoolean, "false", "Flee 2.0 changeset 1: must be false"));
    v.push_back(unsupported(mr, "use_v1_rules", K::kBoolean, "false", "Flee 1.0 rules: must be false"));
    v.push_back(unsupported(mr, "stay_close_to_home", K::kBoolean, "false", "must be false"));
    v.push_back(unsupported(mr, "home_distance_power", K::kNumber, "", "used only with stay_close_to_home; ignored"));
    v.push_back(unsupported(mr, "use_pop_for_loc_weight", K::kBoolean, "false", "must be false"));
    v.push_back(unsupported(mr, "pop_power_for_loc_weight", K::kNumber, "", "used only with use_pop_for_loc_weight; ignored"));
    v.push_back(unsupported(mr, "movechance_pop_base", K::kNumber, "", "used only with a scale factor; ignored"));
    v.push_back(unsupported(mr, "movechance_pop_scale_factor", K::kNumber, "0", "must be 0"));
    for (const char* k : {"ChildrenAvoidHazards", "BoysTakeRisk", "MatchCampEthnicity", "MatchTownEthnicity",
                          "MatchConflictEthnicity"})
      v.push_back(unsupported(mr, k, K::kBoolean, "false", "Flee 3 prototype rule: must be false"));
    v.push_back(unsupported(mr, "flood_rules", K::kIgnored, "", "DFlee flood rules: must be absent"));

    v.push_back(integer("optimisations", "hasten", &FleeSettings::hasten, "1", 1, 1e9,
                        "divides populations, capacities and UNHCR counts (fewer agents)"));
    return v;
  }();
  return t;
}

constexpr std::array<const char*, 4> kSections = {"log_levels", "spawn_rules", "move_rules", "optimisations"};

std::string known_keys(const std::string& section) {
  std::vector<std::string> k;
  for (const auto& s : table())
    if (section == s.section) k.push_back(s.key);
  return fmt::format("{}", fmt::join(k, ", "));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

double read_bounded(const Section& sec, const std::string& key, const SettingSpec& spec, bool whole) {
  const std::string text = sec.text(key);
  double v = 0;
  if (!parse_number(text, v)) sec.fail(key, fmt::format("expected a number, got '{}'", text));
  if (whole && v != std::floor(v)) sec.fail(key, fmt::format("expected an integer, got '{}'", text));
  if (v < spec.min || v > spec.max)
    sec.fail(key, fmt::format("expected a value in [{}, {}], got '{}'", spec.min, spec.max, text));
  return v;
}

void apply(FleeSettings& out, const SettingSpec& spec, const Section& sec, const std::string& key) {
  if (!spec.supported) {
    // Accepted only when absent or neutral, so that a rule we do not implement is never
    // silently replaced by the default one.
    const bool must_be_absent = spec.kind == K::kIgnored;
    const bool value_ignored = spec.neutral != nullptr && std::string(spec.neutral).empty();
    if (must_be_absent)
      sec.fail(key, fmt::format("Flee setting '{}.{}' selects rules this implementation does not support "
                                "({}); see docs/flee.md",
                                spec.section, spec.key, spec.description));
    const std::string text = sec.text(key);
    if (value_ignored) return;
    bool neutral = false;
    if (spec.kind == K::kBoolean) {
      const auto b = parse_yaml_bool(text);
      neutral = b && *b == *parse_yaml_bool(spec.neutral);
    } else {
      double v = 0, n = 0;
      neutral = parse_number(text, v) && parse_number(spec.neutral, n) && v == n;
    }
    if (!neutral)
      sec.fail(key, fmt::format("Flee setting '{}.{}' = '{}' is not supported ({}); only '{}' is accepted; "
                                "see docs/flee.md",
                                spec.section, spec.key, text, spec.description, spec.neutral));
    return;
  }
  switch (spec.kind) {
    case K::kIgnored:
      if (sec.has(key)) (void)sec.text(key);
      return;
    case K::kNumber:
      out.*spec.number = read_bounded(sec, key, spec, false);
      return;
    case K::kInteger:
      out.*spec.integer = static_cast<int>(read_bounded(sec, key, spec, true));
      return;
    case K::kBoolean: {
      const std::string text = sec.text(key);
      const auto b = parse_yaml_bool(text);
      if (!b) sec.fail(key, fmt::format("expected true or false, got '{}'", text));
      out.*spec.flag = *b;
      return;
    }
    case K::kNumberList: {
      std::vector<double> values;
      const auto items = sec.text_list(key);
      for (std::size_t i = 0; i < items.size(); ++i) {
        double v = 0;
        if (!parse_number(items[i], v) || v < spec.min)
          sec.fail(key, fmt::format("item {}: expected a non-negative number, got '{}'", i, items[i]));
        values.push_back(v);
      }
      out.*spec.list = std::move(values);
      return;
    }
  }
}

const SettingSpec* find_spec(const std::string& section, const std::string& key) {
  for (const auto& s : table())
    if (section == s.section && key == s.key) return &s;
  return nullptr;
}

}  // namespace

std::span<const SettingSpec> settings_table() { return table(); }
std::span<const char* const> settings_sections() { return kSections; }

std::optional<bool> parse_yaml_bool(const std::string& text) {
  const std::string t = lower(text);
  if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
  if (t == "false" || t == "no" || t == "off" || t == "0") return false;
  return std::nullopt;
}

FleeSettings read_settings(const std::optional<Section>& file, const std::optional<Section>& overrides) {
  FleeSettings out;
  if (file) {
    for (const auto& k : file->keys()) {
      if (std::find_if(kSections.begin(), kSections.end(), [&](const char* s) { return k == s; }) == kSections.end())
        file->fail(k, fmt::format("unknown settings section (known: {})", fmt::join(kSections, ", ")));
    }
  }
  for (const char* name : kSections) {
    std::optional<Section> f, o;
    if (file) f = file->optional_section(name);
    if (overrides) o = overrides->optional_section(name);
    // Every key of the file first (overridden ones are still checked), then the overrides.
    for (const auto* sec : {f ? &*f : nullptr, o ? &*o : nullptr}) {
      if (!sec) continue;
      for (const auto& key : sec->keys()) {
        const SettingSpec* spec = find_spec(name, key);
        if (!spec) sec->fail(key, fmt::format("unknown setting (known keys in {}: {})", name, known_keys(name)));
        if (!sec->has(key)) {
          // A null value ("conflict_spawn_decay:" with nothing) means "not given".
          (void)sec->optional_section(key);
          if (spec->kind == K::kNumberList && spec->supported) out.*spec->list = {};
          continue;
        }
        apply(out, *spec, *sec, key);
      }
    }
  }
  return out;
}

}  // namespace corridor::flee
