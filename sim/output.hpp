#pragma once
// The run's HDF5 file (decision 6, docs/architecture.md; layout in docs/output.md). Written under a
// temporary name and renamed when complete, so that no half-written file looks finished.
//
// The appendable tables (series, events, agents) are streams of records cut into chunks
// (sim/chunked_table.hpp). Each full chunk is encoded on the write pipeline's worker threads
// (sim/write_pipeline.hpp, sim/chunk_codec.hpp) and stored with HDF5's direct chunk write in
// the order the chunks were made, so that compression runs on several cores alongside the
// simulation and the file holds exactly what a synchronous write would. On several MPI ranks
// the event and agent chunks are encoded by the rank that owns them and only the encoded
// bytes reach rank 0, which alone writes the file (accept(); docs/hpc.md).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/chunked_table.hpp"
#include "sim/events.hpp"
#include "sim/hdf5.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"
#include "sim/write_pipeline.hpp"

namespace corridor {

/// 2: series carry HDF5 dimension scales (docs/output.md, "Format versions").
inline constexpr std::int64_t kFormatVersion = 2;

struct RunInfo {
  std::string scenario_yaml;
  int threads = 1;
  int ranks = 1;
  /// Worker threads encoding chunks (0: default_write_workers, sim/write_pipeline.hpp).
  int write_workers = 0;
  /// The input tables' digests (sim/input_digest.hpp, digests_text): root attribute `inputs`.
  std::string inputs;
};

struct RunStats {
  int days = 0;
  std::uint64_t agents = 0;       ///< agents created
  std::uint64_t agent_steps = 0;  ///< (agent, day) pairs stepped
  double seconds = 0;
  /// Several ranks (docs/hpc.md): time in the daily MPI_Allreduce (waiting for the slowest
  /// rank included) and in exchanging events, agents and encoded chunks.
  double reduce_seconds = 0, gather_seconds = 0;
  double agent_steps_per_s() const { return seconds > 0 ? static_cast<double>(agent_steps) / seconds : 0.0; }
};

/// The layouts of a result's appendable tables; every rank of a run derives the same.
struct ResultLayout {
  std::vector<TableLayout> series;  ///< table ids 0 .. series.size()-1: columns value, day
  TableLayout events;               ///< records are `struct Event`
  TableLayout agents;               ///< records pack the store's output columns, in order
  std::vector<std::size_t> agent_columns;  ///< store column of each agents-table column
  bool events_on = true, agents_on = true;
  int events_id() const { return static_cast<int>(series.size()); }
  int agents_id() const { return static_cast<int>(series.size()) + 1; }
  static ResultLayout of(const ModelSetup& setup, const AgentStore& store, const OutputOptions& options);
  /// The agents-table records of `rows` of the store (all rows when null), in that order.
  std::vector<unsigned char> agent_records(const AgentStore& store, const std::vector<std::uint32_t>* rows) const;
};

/// The event and agent streams of a rank other than 0 in a multi-rank run: it encodes the
/// chunks it owns and keeps them for rank 0 (take_encoded()).
class RemoteTables {
 public:
  RemoteTables(const ResultLayout& layout, int write_workers);
  ~RemoteTables();
  TableStream& events() { return *events_; }
  TableStream& agents() { return *agents_; }
  /// The chunks encoded since the last call (waits for every chunk started so far with `all`).
  std::vector<EncodedChunkRef> take_encoded(bool all);

 private:
  std::mutex mutex_;
  std::vector<EncodedChunkRef> outbox_;
  std::unique_ptr<WritePipeline> pipeline_;
  std::unique_ptr<TableStream> events_, agents_;
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
  /// Appends the agent-table rows `rows` of the store.
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
  /// Writes the partial last chunks (kept to be completed later), flushes everything written
  /// so far and copies the (still incomplete) file to `dest`.
  void snapshot(const std::filesystem::path& dest);

  // ---- several ranks (docs/hpc.md): rank 0's part ----
  const ResultLayout& layout() const { return layout_; }
  /// The event and agent streams of rank 0 (it owns chunks too).
  TableStream& events_stream() { return *streams_[static_cast<std::size_t>(layout_.events_id())]; }
  TableStream& agents_stream() { return *streams_[static_cast<std::size_t>(layout_.agents_id())]; }
  /// Chunks another rank encoded, written in turn with rank 0's own.
  void accept(std::vector<EncodedChunkRef> chunks);
  /// The partial last chunks of the series (rank 0 owns them all) for a snapshot, and the
  /// flush and copy; the event and agent tables' partial chunks are the engine's to flush.
  void snapshot_series_and_copy(const std::filesystem::path& dest);
  /// Rows of the event and agent tables in the file when it was resumed.
  std::uint64_t resumed_rows(int table) const;
  /// The tables' datasets as written so far (a checkpoint records their chunks' digests; call
  /// after drain()).
  const std::vector<TableDatasets>& result_tables() const { return datasets_; }

 private:
  void create(const ModelSetup& setup, const AgentStore& store, const Calendar& calendar);
  void reopen();
  void start_streams();
  /// The scenario's output options, the output's directory created and the temporary name set;
  /// no file yet (the public constructor creates one, resume() copies a checkpoint there).
  RunOutput(std::filesystem::path path, const Scenario& scenario, const RunInfo& info);
  /// Creates the output's directory and sets the temporary name beside the output (tmp_).
  void prepare_paths();
  void flush_and_copy(const std::filesystem::path& dest);
  void close_datasets();
  bool resumed_ = false;
  std::filesystem::path path_, tmp_;
  h5::Handle file_;
  OutputOptions options_;
  RunInfo info_;
  ResultLayout layout_;
  std::vector<TableDatasets> datasets_;                 ///< by table id
  std::vector<std::unique_ptr<TableStream>> streams_;   ///< by table id
  std::vector<std::uint64_t> resumed_rows_;
  bool finished_ = false;
  /// Bytes of rows waiting to be encoded and written before the simulation is held back.
  static constexpr std::size_t kMaxPendingBytes = std::size_t{64} << 20;
  std::unique_ptr<WritePipeline> pipeline_;  ///< null until declare(); joined before the file closes
  void post(std::function<void()> write);
};

/// ISO-8601 UTC time now, e.g. 2026-11-30T12:00:00Z.
std::string utc_now_iso();

}  // namespace corridor
