#pragma once
// The keys every scenario has, whatever its model (docs/scenarios.md). Model keys live in a
// section named after the model and are read by the model itself.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/calendar.hpp"
#include "sim/config.hpp"

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
};

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

}  // namespace corridor
