#pragma once
// The sweep directory's index, DIR/index.csv (docs/hpc.md): one row per run with its status,
// wall time, exit code and host. Readers never see half a file (temporary name, then rename).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/sweep/plan.hpp"

namespace corridor {

/// One row of DIR/index.csv.
struct IndexRow {
  std::string status = "pending";  ///< pending, running, done, failed, interrupted
  double wall_s = 0;
  int exit_code = -1;  ///< of `corridor run`; -1 when it has not ended
  std::string host;
};

/// DIR/index.csv: run_id, scenario, replicate, seed, status, output, wall_s, exit_code, host,
/// overrides, then `file` (the run's scenario file) when a list entry names its own, `point`
/// (the design point's label) with a design, one column per grid axis (axis.<name>: its level)
/// and one per design column (param.<key.path>: the point's value). Written to a temporary
/// file and renamed, so readers never see half a file.
void write_index(const std::filesystem::path& dir, const SweepPlan& plan, const std::vector<IndexRow>& rows);
/// Reads DIR/index.csv back (rows in plan order). Throws InputError when it belongs to a
/// different sweep (another run list, seeds, overrides, scenario files or design points) or
/// cannot be read.
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

/// Keeps the index of a running sweep: rewritten after each start and end of a run, but for a
/// large sweep at most every N/2000 seconds (capped at 5 s): a rewrite costs O(N), and the
/// result files, not the index, say which runs are complete.
class IndexKeeper {
 public:
  IndexKeeper(std::filesystem::path dir, const SweepPlan& plan, std::vector<IndexRow> rows);
  IndexRow& row(std::size_t index) { return rows_.at(index); }
  const std::vector<IndexRow>& rows() const { return rows_; }
  /// Writes the index unless it was written less than the minimum interval ago (then later).
  void save();
  /// Writes it now.
  void flush();
  /// Writes it if a save was held back and the interval has passed.
  void catch_up();

 private:
  std::filesystem::path dir_;
  const SweepPlan& plan_;
  std::vector<IndexRow> rows_;
  double min_interval_s_;
  std::chrono::steady_clock::time_point last_write_;
  bool dirty_ = false;
};

}  // namespace corridor
