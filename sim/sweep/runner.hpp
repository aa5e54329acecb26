#pragma once
// Running a whole sweep (docs/hpc.md): `corridor sweep FILE --out DIR` and its modes. The
// command line fills a SweepRequest; everything else happens here and in the sweep unit's
// other files (plan, index, launcher, work_queue, slurm).
#include <filesystem>
#include <string>

#include "sim/registry.hpp"
#include "sim/sweep/slurm.hpp"

namespace corridor {

struct SweepRequest {
  std::filesystem::path file;
  std::filesystem::path out;  ///< the sweep directory: runs/rNNNN.h5, logs/, index.csv
  int jobs = 0;     ///< runs at once per rank; 0 = the rank's cores / threads
  int threads = 1;  ///< OpenMP threads of each run
  bool resume = false;
  bool dry_run = false;
  int task_id = -1;  ///< run exactly this run in this process (a SLURM array task)
  std::filesystem::path emit_slurm;  ///< write a SLURM job-array script and run nothing
  SlurmOptions slurm;                ///< its --slurm-* options (script, dir, threads: from the above)
};

/// Returns the exit code: 0 when every run is done, 1 when some failed, 128 + signal when
/// stopped. Throws InputError for a bad sweep file, scenario or directory.
int run_sweep(const ModelRegistry& models, const SweepRequest& request);

}  // namespace corridor
