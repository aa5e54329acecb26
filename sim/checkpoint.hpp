#pragma once
// Checkpoints (docs/hpc.md, "Checkpoint and restart"). A checkpoint is one HDF5 file, written
// under a temporary name and renamed into place, that holds
//   - a copy of the run's partial result up to the checkpoint day (root attribute complete = 0,
//     so it never passes for a finished result), and
//   - /checkpoint: the engine's counters, every column of the agent store (each rank's share
//     as its own part, so that no rank ever holds the whole store), the model's own state (its
//     save_state hook) and where the scenario came from (file and --set overrides), so that
//     `corridor run --restart FILE` reloads the same scenario and continues day by day as if
//     it had never stopped.
// Nothing of the random-number generator is stored: every draw is keyed by (seed, agent, day,
// purpose), so the days after the checkpoint draw exactly what they would have drawn.
//
// A checkpoint can be trusted (docs/hpc.md, "What a restart checks"): it records CRC-32s of
// everything it holds (each stored column, the model's state, the counters, every chunk of
// the partial result), the binary that wrote it, and a digest of every input table and of
// the scenario. A restart verifies all of them, and checks every stored column against the
// range its model declared (sim/agents.hpp, ColumnRange), before it touches the model; any
// mismatch is an InputError (exit 2) naming what differs.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/chunked_table.hpp"
#include "sim/hdf5.hpp"
#include "sim/input_digest.hpp"

namespace corridor {

class Cluster;
class RunOutput;

/// 2: the store in parts, CRC-32s, the binary and the inputs' digests.
inline constexpr std::int64_t kCheckpointVersion = 2;

/// The engine's counters at the end of a day.
struct EngineState {
  int next_day = 0;                 ///< the first day still to simulate
  std::uint64_t pending_final = 0;  ///< finished agents still in the store (all ranks)
  std::uint64_t agent_steps = 0;    ///< summed so far
};

/// Where the run's scenario came from, so that a restart can load it again.
struct CheckpointProvenance {
  std::string scenario_file;           ///< absolute path of the scenario file
  std::vector<std::string> overrides;  ///< --set overrides, in order (--seed included as seed=N)
  std::string output;                  ///< the result file the run writes
  std::string effective_yaml;          ///< the merged scenario; a restart checks it is unchanged
  int checkpoint_every = 0;            ///< the run's checkpoint period, kept by a restart
  std::vector<InputDigest> inputs;     ///< every input table the scenario named
};

/// Writes a checkpoint to `path` atomically; collective on several ranks (`cluster`, may be
/// null). `snapshot` (rank 0; may be empty) copies the run's partial result to the path it is
/// given, and `partial` (rank 0; may be null) gives the digests of that result's chunks.
/// `save_model` (may be empty) writes the model's state into the group it is given (rank 0).
void write_checkpoint(const std::filesystem::path& path, const std::function<void(const std::filesystem::path&)>& snapshot,
                      const RunOutput* partial, const AgentStore& store, const EngineState& state,
                      const std::function<void(hid_t)>& save_model, const CheckpointProvenance& provenance,
                      Cluster* cluster);

/// What a restart checks the stored agent columns against.
struct StoreLimits {
  std::uint32_t nodes = 0;  ///< node columns must be below it (0: not checked)
  std::size_t states = 0;   ///< the model's states (state column)
  int next_day = 0;         ///< past-day columns must be below it
  const bool* is_final = nullptr;  ///< the model's final states (256): the stored finished agents must match the counters
};

/// Rows of a table in the checkpoint's partial result, and the records of its last, partial
/// chunk (to continue it).
struct ResumePoint {
  std::uint64_t rows = 0;
  std::vector<unsigned char> tail;
};

/// A checkpoint opened for a restart. Throws InputError naming the file when it is missing,
/// not a corridor checkpoint, of another version, written by another binary, or when its
/// counters or model state do not match their checksums.
class CheckpointReader {
 public:
  explicit CheckpointReader(const std::filesystem::path& path);
  const std::filesystem::path& path() const { return path_; }
  const EngineState& engine_state() const { return state_; }
  const CheckpointProvenance& provenance() const { return prov_; }
  /// Throws InputError naming the first input table whose digest differs from `now` (the
  /// scenario's tables as this restart reads them), or that the checkpoint did not record.
  void verify_inputs(const std::vector<InputDigest>& now) const;
  /// Checks the partial result: every chunk against its CRC-32, every table's length, and
  /// that the series hold exactly the days before next_day (rank 0, before copying it).
  void verify_result() const;
  /// Fills `store` (declared by the model, empty) with the saved rows, after checking every
  /// column against its CRC-32 and its declared range (InputError naming the column, the row
  /// and the value); on several ranks keeps only the rows this rank owns.
  void load_store(AgentStore& store, const StoreLimits& limits) const;
  /// The group the model's save_state wrote into (its checksum already verified).
  hid_t model_group() const { return model_.id(); }
  /// Where a table of the partial result stands (several ranks: each rank continues its chunks).
  ResumePoint resume_point(const TableLayout& layout) const;

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::filesystem::path path_;
  h5::Handle file_, group_, model_;
  EngineState state_;
  CheckpointProvenance prov_;
  std::uint64_t next_id_ = 0;
};

}  // namespace corridor
