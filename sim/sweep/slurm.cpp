#include "sim/sweep/slurm.hpp"

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/output_paths.hpp"
#include "sim/sweep/launcher.hpp"

namespace corridor {

namespace fs = std::filesystem;

std::string slurm_script(const SweepPlan& plan, const SlurmOptions& o) {
  std::string array = fmt::format("0-{}", plan.runs.size() - 1);
  if (o.max_parallel > 0) array += fmt::format("%{}", o.max_parallel);
  std::string s;
  s += "#!/bin/bash\n";
  s += fmt::format("# Written by `corridor sweep --emit-slurm` for the sweep '{}' ({} runs).\n", plan.name,
                   plan.runs.size());
  s += "# One array task per run: task I runs exactly run I of the sweep and updates the index\n";
  s += fmt::format("# {}. Submit with `sbatch {}`; submitting it again reruns only the\n",
                   (o.dir / "index.csv").string(), o.script.filename().string());
  s += "# runs that are not complete (--resume). See docs/hpc.md.\n";
  s += fmt::format("#SBATCH --job-name=corridor-{}\n", plan.name);
  s += fmt::format("#SBATCH --array={}\n", array);
  s += "#SBATCH --ntasks=1\n";
  s += fmt::format("#SBATCH --cpus-per-task={}\n", o.threads);
  s += fmt::format("#SBATCH --output={}\n", (o.dir / "logs" / "slurm-%A_%a.out").string());
  if (!o.time.empty()) s += fmt::format("#SBATCH --time={}\n", o.time);
  if (!o.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", o.partition);
  s += "set -euo pipefail\n";
  s += fmt::format("export OMP_NUM_THREADS={}\n", o.threads);
  s += fmt::format("exec {} sweep {} --out {} --task-id \"$SLURM_ARRAY_TASK_ID\" --threads {} --resume\n",
                   shell_quote(self_exe().string()), shell_quote(plan.file.string()), shell_quote(o.dir.string()),
                   o.threads);
  return s;
}

void write_slurm_script(const SweepPlan& plan, const SlurmOptions& o) {
  // SLURM does not create the folder of --output: the tasks' logs go to DIR/logs, made now.
  fs::create_directories(o.dir / "logs");
  fs::create_directories(o.dir / "runs");
  if (o.script.has_parent_path()) fs::create_directories(o.script.parent_path());
  write_text_atomically(o.script, slurm_script(plan, o));
  fs::permissions(o.script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
}

}  // namespace corridor
