#pragma once
// Sweep files (docs/hpc.md, "Sweep files"): a base scenario, overrides in the key paths of
// `--set` arranged as a grid and/or a list of named scenarios, and replicates whose seeds
// derive from the sweep seed. This file expands a sweep into its runs and keeps the sweep
// directory's index; sim/cli/sweep_command.cpp executes the runs.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corridor {

enum class SeedMode {
  kPerRun,        ///< seed = derive(sweep seed, run index): every run its own stream
  kPerReplicate,  ///< seed = derive(sweep seed, replicate): common random numbers across scenarios
};

struct SweepRun {
  std::size_t index = 0;
  std::string id;        ///< r0000, r0001, ... (also the file name under runs/)
  std::string scenario;  ///< e.g. title42=off,mx=surge,aid=4bn (grid) or a list entry's name
  int replicate = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> overrides;        ///< key=value, as --set: the sweep's, then the scenario's
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
  std::vector<SweepRun> runs;          ///< scenario-major, then replicate
};

/// Reads and expands a sweep file. Throws InputError naming file:line and key.
SweepPlan read_sweep(const std::filesystem::path& file);

/// The seed of run `index` (or replicate) of a sweep: 63 bits of Philox4x32 keyed by the
/// sweep seed, counter (index, purpose kSweepSeed). Stable across versions and platforms.
std::uint64_t derive_seed(std::uint64_t sweep_seed, std::uint64_t index);

/// One row of DIR/index.csv.
struct IndexRow {
  std::string status = "pending";  ///< pending, running, done, failed, interrupted
  double wall_s = 0;
  int exit_code = -1;  ///< of `corridor run`; -1 when it has not ended
  std::string host;
};

/// DIR/index.csv: run_id, scenario, replicate, seed, status, output, wall_s, exit_code, host,
/// overrides, then one column per grid axis (axis.<name>). Written to a temporary file and
/// renamed, so readers never see half a file.
void write_index(const std::filesystem::path& dir, const SweepPlan& plan, const std::vector<IndexRow>& rows);
/// Reads DIR/index.csv back (rows in plan order). Throws InputError when it belongs to a
/// different sweep (another run list, seeds or overrides) or cannot be read.
std::vector<IndexRow> read_index(const std::filesystem::path& dir, const SweepPlan& plan);

/// Under an exclusive lock on DIR/.index.lock (SLURM array tasks update the index at the same
/// time): reads the index (or starts one with every run pending), sets row `index`, writes it.
void update_index_locked(const std::filesystem::path& dir, const SweepPlan& plan, std::size_t index,
                         const IndexRow& row);

/// True when `file` is a finished result of that seed (root attributes complete = 1 and seed).
bool result_complete(const std::filesystem::path& file, std::uint64_t seed);

/// This machine's name (for the index's host column).
std::string this_host();

/// Quotes a CSV field when needed (RFC 4180).
std::string csv_field(const std::string& s);

}  // namespace corridor
