#pragma once
// Checkpoints (docs/hpc.md, "Checkpoint and restart"). A checkpoint is one HDF5 file, written
// under a temporary name and renamed into place, that holds
//   - a copy of the run's partial result up to the checkpoint day (root attribute complete = 0,
//     so it never passes for a finished result), and
//   - /checkpoint: the engine's counters, every column of the agent store (also the columns
//     not written to /agents), the model's own state (its save_state hook) and where the
//     scenario came from (file and --set overrides), so that `corridor run --restart FILE`
//     reloads the same scenario and continues day by day as if it had never stopped.
// Nothing of the random-number generator is stored: every draw is keyed by (seed, agent,
// day, purpose), so the days after the checkpoint draw exactly what they would have drawn.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/hdf5.hpp"

namespace corridor {

class RunOutput;

inline constexpr std::int64_t kCheckpointVersion = 1;

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
};

/// Writes a checkpoint to `path` atomically. `partial` (may be null) is the run's output being
/// written; it is flushed and copied into the checkpoint. `save_model` (may be empty) writes
/// the model's state into the group it is given.
void write_checkpoint(const std::filesystem::path& path, RunOutput* partial, const AgentStore& store,
                      const EngineState& state, const std::function<void(hid_t)>& save_model,
                      const CheckpointProvenance& provenance);

/// A checkpoint opened for a restart. Throws InputError naming the file when it is missing,
/// not a corridor checkpoint, or of another version.
class CheckpointReader {
 public:
  explicit CheckpointReader(const std::filesystem::path& path);
  const std::filesystem::path& path() const { return path_; }
  const EngineState& engine_state() const { return state_; }
  const CheckpointProvenance& provenance() const { return prov_; }
  /// Fills `store` (declared by the model, empty) with the saved rows; on several ranks keeps
  /// only the rows it owns. Throws InputError if the columns differ (another model version).
  void load_store(AgentStore& store) const;
  /// The group the model's save_state wrote into.
  hid_t model_group() const { return model_.id(); }

 private:
  std::filesystem::path path_;
  h5::Handle file_, group_, model_;
  EngineState state_;
  CheckpointProvenance prov_;
  std::uint64_t next_id_ = 0;
};

}  // namespace corridor
