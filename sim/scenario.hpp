#pragma once
// The keys every scenario has, whatever its model (docs/scenarios.md). Model keys live in a
// section named after the model and are read by the model itself.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/calendar.hpp"
#include "sim/config.hpp"
#include "sim/events.hpp"

namespace corridor {

struct NetworkFiles {
  bool given = false;  ///< false when the scenario has no `network:` (the model builds its own)
  std::filesystem::path nodes;
  std::filesystem::path edges;
  bool directed = false;
  std::vector<std::string> origins;       ///< node ids agents start from (checked for reachability)
  std::vector<std::string> destinations;  ///< node ids agents head to
};

struct OutputOptions {
  bool events = true;       ///< write the event table
  bool agents = true;       ///< write the agent table
  int compression = 1;      ///< deflate level for chunked tables, 0-9 (1: zlib dominated run time at 4)
  std::int64_t event_chunk = 1 << 16;
  /// output.event_kinds: the kinds of events to write, by the model's names; empty = all.
  std::vector<std::string> event_kinds;
  SourceLocation event_kinds_where;  ///< for the error naming an unknown kind
};

/// The longest scenario name (it names the output file).
constexpr std::size_t kMaxScenarioNameBytes = 120;

struct Scenario {
  std::string name;
  std::string description;
  std::string model;
  std::uint64_t seed = 1;
  Calendar calendar;
  NetworkFiles network;
  OutputOptions output;

  /// Reads the common keys from the document root; model sections are left to the model.
  static Scenario read(const ScenarioDoc& doc);
};

/// The bit mask of the event kinds `output.event_kinds` keeps, given the model's kinds in
/// declaration order (all bits when the key is absent). Throws InputError naming the file,
/// line and key for a kind the model does not have, with the kinds it has.
std::uint64_t event_kind_mask(const OutputOptions& output, const std::vector<std::string>& model_kinds,
                              const std::string& model);

}  // namespace corridor
