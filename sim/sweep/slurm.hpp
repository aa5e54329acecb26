#pragma once
// A SLURM job-array script for a sweep (docs/hpc.md, "SLURM job arrays"): one array task per
// run; task I runs exactly run I of the sweep (`corridor sweep FILE --task-id I --resume`).
#include <filesystem>
#include <string>

#include "sim/sweep/plan.hpp"

namespace corridor {

struct SlurmOptions {
  std::filesystem::path script;  ///< where to write it
  std::filesystem::path dir;     ///< the sweep directory (absolute)
  int threads = 1;               ///< OpenMP threads of each run (--cpus-per-task)
  std::string time, partition;   ///< #SBATCH --time, --partition (empty: not given)
  int max_parallel = 0;          ///< at most this many array tasks at once (0: no limit)
};

/// The script's text.
std::string slurm_script(const SweepPlan& plan, const SlurmOptions& o);
/// Writes the script (executable) and creates DIR/logs and DIR/runs, which SLURM will not create.
void write_slurm_script(const SweepPlan& plan, const SlurmOptions& o);

}  // namespace corridor
