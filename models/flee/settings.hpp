#pragma once
// Flee's simulation settings (simsetting.yml: log_levels, spawn_rules, move_rules,
// optimisations), declared once in settings_table(): that table drives reading, validation
// (unknown or unsupported keys are errors naming file:line) and the table in docs/flee.md.
// Defaults are the documented defaults of the reference implementation (docs/flee-rules.md).
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/config.hpp"

namespace corridor::flee {

struct FleeSettings {
  // move_rules
  double max_move_speed = 360.0;  ///< km per day
  double max_walk_speed = 35.0;   ///< km per day on the first link when start_on_foot
  double foreign_weight = 1.0;
  double camp_weight = 1.0;
  double conflict_weight = 0.31622776601683794;  ///< 1/sqrt(10)
  double conflict_movechance = 1.0;
  double camp_movechance = 0.001;
  double idpcamp_movechance = 0.1;
  double default_movechance = 0.3;
  int awareness_level = 1;
  double capacity_buffer = 0.9;
  double capacity_scaling = 1.0;
  bool start_on_foot = false;
  double weight_power = 1.0;
  double weight_softening = 0.0;
  double softening = 10.0;  ///< km added to every route length
  double distance_power = 1.0;
  // spawn_rules
  bool insert_day0 = true;
  bool take_from_population = false;
  bool sum_from_camps = true;
  std::vector<double> conflict_spawn_decay;  ///< empty: no decay (factor 1)
  int conflict_spawn_decay_interval = 30;    ///< days per step of the decay list
  // optimisations
  int hasten = 1;  ///< divides populations, capacities and counts
};

/// One declared setting. `kind` says how it is read; `supported == false` marks a Flee key
/// this implementation accepts only at its neutral value (`neutral`), so that a settings
/// file written for Flee is never silently misread.
struct SettingSpec {
  enum class Kind { kNumber, kInteger, kBoolean, kNumberList, kIgnored };
  const char* section;
  const char* key;
  Kind kind;
  const char* default_text;
  const char* description;
  double min = 0, max = 0;  ///< valid range for numbers and integers (inclusive)
  double FleeSettings::*number = nullptr;
  int FleeSettings::*integer = nullptr;
  bool FleeSettings::*flag = nullptr;
  std::vector<double> FleeSettings::*list = nullptr;
  bool supported = true;
  const char* neutral = nullptr;  ///< for unsupported keys: the only accepted value
};

/// Every setting this implementation knows, in documentation order.
std::span<const SettingSpec> settings_table();

/// The settings sections, in file order.
std::span<const char* const> settings_sections();

/// Reads settings from a simsetting.yml document (`file`, optional) overlaid with overrides
/// (`overrides`: a scenario section holding the same sub-sections, optional). A key given in
/// both is taken from the overrides. Throws InputError naming file:line and key for unknown
/// keys, unsupported values, wrong types and values out of range.
FleeSettings read_settings(const std::optional<Section>& file, const std::optional<Section>& overrides);

/// Reads a YAML 1.1 boolean as Flee's Python reader does (true/false, yes/no, on/off, 1/0, any case).
std::optional<bool> parse_yaml_bool(const std::string& text);

}  // namespace corridor::flee
