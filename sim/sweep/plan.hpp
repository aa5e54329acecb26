#pragma once
// Sweep files (docs/hpc.md, "Sweep files"): a base scenario, overrides in the key paths of
// `--set` arranged as a grid and/or a list of named scenarios (each may name its own scenario
// file), an optional design of parameter points (design.hpp) that every scenario runs at, and
// replicates whose seeds derive from the sweep seed. This file expands a sweep into its runs;
// the sweep unit's other files keep the sweep directory's index (index.hpp), start runs
// (launcher.hpp), write SLURM scripts (slurm.hpp) and run a whole sweep (runner.hpp).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/design.hpp"

namespace corridor {

enum class SeedMode {
  kPerRun,        ///< seed = derive(sweep seed, run index): every run its own stream
  kPerReplicate,  ///< seed = derive(sweep seed, replicate): common random numbers across scenarios
  kPerPoint,      ///< seed = derive(sweep seed, point x replicates + replicate): common across scenarios,
                  ///< distinct across design points (without a design the same as kPerReplicate)
};

struct SweepRun {
  std::size_t index = 0;
  std::string id;        ///< r0000, r0001, ... (also the file name under runs/)
  std::string scenario;  ///< e.g. title42=off,mx=surge,aid=4bn (grid) or a list entry's name
  std::filesystem::path base;  ///< the scenario file it runs (the sweep's base, or its list entry's file)
  std::size_t point = 0;       ///< its row of the design (0 without a design)
  int replicate = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> overrides;  ///< key=value, as --set: the sweep's, the design point's, the scenario's
  std::map<std::string, std::string> levels;  ///< grid axis -> level name (empty for list entries)
  std::string output() const { return "runs/" + id + ".h5"; }  ///< relative to the sweep directory
};

struct SweepPlan {
  std::filesystem::path file;  ///< the sweep file (absolute)
  std::string name, description;
  std::filesystem::path base;  ///< the base scenario (absolute)
  std::uint64_t seed = 0;
  SeedMode seed_mode = SeedMode::kPerRun;
  int replicates = 1;
  std::vector<std::string> axes;       ///< grid axis names, in order
  std::vector<std::string> scenarios;  ///< distinct scenario names, in order
  Design design;                       ///< empty without `design:` or `sample:`
  bool own_files = false;              ///< some list entry names its own scenario file
  std::vector<SweepRun> runs;          ///< scenario-major, then design point, then replicate
};

/// Reads and expands a sweep file, with the same strict reader as scenarios (sim/config.hpp).
/// Throws InputError naming file:line and key.
SweepPlan read_sweep(const std::filesystem::path& file);

/// The seed of run `index` (or replicate) of a sweep: 63 bits of Philox4x32 keyed by the
/// sweep seed, counter (index, purpose kSweepSeed). Stable across versions and platforms.
std::uint64_t derive_seed(std::uint64_t sweep_seed, std::uint64_t index);

}  // namespace corridor
