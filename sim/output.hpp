#pragma once
// The run's HDF5 file (decision 6, docs/architecture.md; layout in docs/output.md). Written under a
// temporary name and renamed when complete, so that no half-written file looks finished.
// Once declare() has created the datasets, every write is copied out of the caller's
// buffers and done by a background thread (sim/background_writer.hpp), in call order: the
// file is the same as a synchronous write, and compression overlaps the simulation.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/background_writer.hpp"
#include "sim/events.hpp"
#include "sim/hdf5.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"

namespace corridor {

inline constexpr std::int64_t kFormatVersion = 1;

struct RunInfo {
  std::string scenario_yaml;
  int threads = 1;
  int ranks = 1;
};

struct RunStats {
  int days = 0;
  std::uint64_t agents = 0;       ///< agents created
  std::uint64_t agent_steps = 0;  ///< (agent, day) pairs stepped
  double seconds = 0;
  /// Several ranks (docs/hpc.md): time in the daily MPI_Allreduce (waiting for the slowest
  /// rank included) and in gathering events and agents on rank 0 (merging included).
  double reduce_seconds = 0, gather_seconds = 0;
  double agent_steps_per_s() const { return seconds > 0 ? static_cast<double>(agent_steps) / seconds : 0.0; }
};

class RunOutput {
 public:
  RunOutput(std::filesystem::path path, const Scenario& scenario, const Network& network, const RunInfo& info);
  /// Continues the partial result stored in a checkpoint (sim/checkpoint.hpp): copies it to
  /// the temporary name, removes the checkpoint's own group, and declare() then reopens the
  /// datasets instead of creating them. Root attribute restarted_from_day records the restart.
  static std::unique_ptr<RunOutput> resume(std::filesystem::path path, const Scenario& scenario,
                                           const std::filesystem::path& checkpoint, int next_day, const RunInfo& info);
  ~RunOutput();  ///< removes the temporary file if finish() was not reached
  RunOutput(const RunOutput&) = delete;
  RunOutput& operator=(const RunOutput&) = delete;

  /// Creates the series, event and agent datasets the model declared, then starts the writer.
  void declare(const ModelSetup& setup, const AgentStore& store, const Calendar& calendar);
  void append_day(int day, const Tally& totals);
  void append_events(const EventBuffer& events);
  void append_events(std::span<const Event> events);
  /// Writes the agent-table rows of `rows` (all rows if empty span and all_rows).
  void append_agents(const AgentStore& store, std::span<const std::uint32_t> rows);
  void append_all_agents(const AgentStore& store);
  /// Waits until every write so far is in the file; rethrows a write's failure.
  void drain();
  /// Stores the summary figures, marks the file complete and renames it into place.
  void finish(const RunStats& stats);
  /// Adds a root attribute (models record model-level facts, e.g. a sampling scale).
  void set_attribute(const std::string& name, const std::string& value);
  void set_attribute(const std::string& name, double value);
  const std::filesystem::path& path() const { return path_; }
  /// Flushes everything written so far and copies the (still incomplete) file to `dest`.
  void snapshot(const std::filesystem::path& dest);

 private:
  void create(const ModelSetup& setup, const AgentStore& store, const Calendar& calendar);
  void reopen(const ModelSetup& setup, const AgentStore& store);
  /// The scenario's output options, the output's directory created and the temporary name set;
  /// no file yet (the public constructor creates one, resume() copies a checkpoint there).
  RunOutput(std::filesystem::path path, const Scenario& scenario);
  /// Creates the output's directory and sets the temporary name beside the output (tmp_).
  void prepare_paths();
  bool resumed_ = false;
  std::filesystem::path path_, tmp_;
  h5::Handle file_;
  bool events_on_, agents_on_;
  std::vector<std::string> event_kinds_kept_;  ///< output.event_kinds; empty = all
  int level_;
  std::int64_t event_chunk_;
  struct SeriesOut {
    h5::Handle group;
    h5::Appendable value, day;
    std::size_t offset = 0, cells = 0;
  };
  std::vector<SeriesOut> series_;
  h5::Appendable ev_day_, ev_kind_, ev_node_, ev_agent_, ev_other_;
  std::vector<h5::Appendable> agent_cols_;
  std::vector<std::size_t> agent_col_index_;
  bool finished_ = false;
  /// Bytes of copied rows waiting to be written before the simulation is held back.
  static constexpr std::size_t kMaxPendingBytes = std::size_t{64} << 20;
  std::unique_ptr<BackgroundWriter> writer_;  ///< null until declare(); joined before the file closes
  void post(std::function<void()> task, std::size_t bytes);
  /// Queues rows for agent-table column k (a copy the engine no longer touches).
  template <class T>
  void post_agent_column(std::size_t k, std::vector<T> rows);
};

/// ISO-8601 UTC time now, e.g. 2026-11-30T12:00:00Z.
std::string utc_now_iso();

}  // namespace corridor
