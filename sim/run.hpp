#pragma once
// One scenario run to its result file, as `corridor run` and each run of a sweep do it: load
// and check everything (scenario, tables, model, restart) before the output exists, create the
// output on rank 0, run the days with progress and stop handling, finish the file, print the
// summary line (docs/cli.md). The command line only fills a RunRequest.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/registry.hpp"

namespace corridor {

struct RunRequest {
  std::filesystem::path scenario;           ///< a scenario file, or
  std::optional<ImportedScenario> imported;  ///< a scenario a model's importer made (run --flee)
  std::filesystem::path out;                ///< default: results/<scenario name>.h5
  std::optional<std::uint64_t> seed;
  int threads = 0;  ///< 0: default_threads (sim/cluster.hpp)
  std::vector<std::string> overrides;  ///< --set key.path=value, in order
  bool quiet = false;                  ///< no progress line
  // Checkpoints and restarts (docs/hpc.md).
  int checkpoint_every = -1;             ///< days; -1 = not given (a restart keeps the checkpoint's period)
  std::filesystem::path checkpoint;      ///< default: <out>.ckpt
  std::filesystem::path restart;         ///< continue from this checkpoint
  int stop_after_day = -1;               ///< end after this day with a checkpoint (-1: run to the end)
  bool no_memory_check = false;          ///< run even when the memory estimate exceeds what is available
};

struct LoadedScenario;
class Cluster;

/// The up-front memory check (sim/memory_estimate.hpp) of a loaded scenario run with `threads`
/// threads on `cluster`'s ranks: throws InputError when it cannot fit (unless `force`).
/// Returns a line for `corridor validate` ("memory: about 1.2 GiB needed, 20.3 GiB available").
std::string check_run_memory(const LoadedScenario& ls, int threads, const Cluster& cluster, bool force);

/// Runs the request on this process's ranks (world()). Returns the exit code (0: the result is
/// written, or --stop-after-day was reached and the checkpoint written). Throws InputError for
/// bad input, Interrupted (sim/stop_signal.hpp) when a signal stopped the run.
int run_scenario(const ModelRegistry& models, const RunRequest& request);

}  // namespace corridor
