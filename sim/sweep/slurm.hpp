#pragma once
// A SLURM job-array script for a sweep (docs/hpc.md, "SLURM job arrays"): each array task runs
// `--runs-per-task` consecutive runs of the sweep, one after the other (`corridor sweep FILE
// --task-id I --resume` for each run I), so that a sweep of many short runs need not be an
// array of as many tasks.
#include <filesystem>
#include <string>
#include <vector>

#include "sim/sweep/plan.hpp"

namespace corridor {

struct SlurmOptions {
  std::filesystem::path script;  ///< where to write it
  std::filesystem::path dir;     ///< the sweep directory (absolute)
  int threads = 1;               ///< OpenMP threads of each run (--cpus-per-task)
  std::string time, partition;   ///< #SBATCH --time, --partition (empty: not given)
  std::string account, mem;      ///< #SBATCH --account, --mem (empty: not given)
  int max_parallel = 0;          ///< at most this many array tasks at once (0: no limit)
  int runs_per_task = 1;         ///< consecutive runs of the sweep per array task
  /// --slurm-extra: `#SBATCH ...` or `--option...` lines become directives; any other line is a
  /// shell command run before the runs (e.g. `module load hdf5`).
  std::vector<std::string> extra;
};

/// Throws InputError naming the option and what was expected for a value SLURM would refuse
/// or that would break the script (--slurm-time, --slurm-mem, --slurm-account,
/// --slurm-partition, --slurm-extra, --runs-per-task).
void check_slurm_options(const SlurmOptions& o);
/// The number of array tasks: the runs divided into groups of `runs_per_task`.
std::size_t slurm_array_tasks(const SweepPlan& plan, const SlurmOptions& o);
/// The script's text.
std::string slurm_script(const SweepPlan& plan, const SlurmOptions& o);
/// Checks the options, writes the script (executable) and creates DIR/logs and DIR/runs,
/// which SLURM will not create.
void write_slurm_script(const SweepPlan& plan, const SlurmOptions& o);

}  // namespace corridor
