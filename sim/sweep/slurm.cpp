#include "sim/sweep/slurm.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <regex>

#include "sim/error.hpp"
#include "sim/sweep/launcher.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

bool matches(const std::string& s, const char* pattern) { return std::regex_match(s, std::regex(pattern)); }

/// What --slurm-extra may not set, because the script sets it or an option of its own does.
const std::map<std::string, std::string>& reserved_directives() {
  static const std::map<std::string, std::string> r = {
      {"--time", "use --slurm-time"},
      {"-t", "use --slurm-time"},
      {"--partition", "use --slurm-partition"},
      {"-p", "use --slurm-partition"},
      {"--account", "use --slurm-account"},
      {"-A", "use --slurm-account"},
      {"--mem", "use --slurm-mem"},
      {"--array", "the script sets it (use --runs-per-task and --slurm-max-parallel)"},
      {"-a", "the script sets it (use --runs-per-task and --slurm-max-parallel)"},
      {"--cpus-per-task", "the script sets it (use --threads)"},
      {"-c", "the script sets it (use --threads)"},
      {"--ntasks", "the script sets it (one process per array task)"},
      {"-n", "the script sets it (one process per array task)"},
      {"--output", "the script sets it (DIR/logs/slurm-%A_%a.out)"},
      {"-o", "the script sets it (DIR/logs/slurm-%A_%a.out)"},
      {"--job-name", "the script sets it (corridor-<sweep name>)"},
      {"-J", "the script sets it (corridor-<sweep name>)"},
  };
  return r;
}

/// A --slurm-extra line as an #SBATCH directive's option text (e.g. "--qos=long"), or empty
/// when the line is a shell command.
std::string directive_of(const std::string& line) {
  if (line.rfind("#SBATCH", 0) == 0) {
    const std::string rest = line.substr(7);
    const auto b = rest.find_first_not_of(' ');
    if (rest.empty() || rest[0] != ' ' || b == std::string::npos || rest[b] != '-')
      throw InputError(fmt::format("--slurm-extra '{}': expected '#SBATCH --option[=value]'", line));
    return rest.substr(b);
  }
  if (line[0] == '-') return line;
  if (line[0] == '#')
    throw InputError(fmt::format("--slurm-extra '{}': a line starting with '#' must be an '#SBATCH --option' "
                                 "directive (SLURM ignores other comments)",
                                 line));
  return {};
}

void check_extra_line(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos)
    throw InputError("--slurm-extra: expected a line (an '#SBATCH --option' directive or a shell command), got an "
                     "empty one");
  if (line.find_first_of("\n\r") != std::string::npos || line.find('\0') != std::string::npos)
    throw InputError(fmt::format("--slurm-extra '{}': one line per --slurm-extra (give the option again for more)",
                                 line));
  const std::string d = directive_of(line);
  if (d.empty()) return;
  std::string name = d.substr(0, d.find_first_of("= \t"));
  if (name.size() > 2 && name[1] != '-') name = name.substr(0, 2);  // -t10, -pshort
  const auto it = reserved_directives().find(name);
  if (it != reserved_directives().end())
    throw InputError(fmt::format("--slurm-extra '{}': {} cannot be given here: {}", line, name, it->second));
}

}  // namespace

void check_slurm_options(const SlurmOptions& o) {
  // SLURM's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
  // days-hours:minutes, days-hours:minutes:seconds (sbatch(1), --time).
  if (!o.time.empty() && !matches(o.time, R"(\d+(:\d{1,2}){0,2}|\d+-\d{1,2}(:\d{1,2}){0,2})"))
    throw InputError(fmt::format("--slurm-time '{}': expected a SLURM time limit: MINUTES, HH:MM:SS, D-HH or "
                                 "D-HH:MM:SS (e.g. 02:00:00 or 1-12:00:00)",
                                 o.time));
  if (!o.mem.empty() && !matches(o.mem, R"(\d+[KMGT]?)"))
    throw InputError(fmt::format("--slurm-mem '{}': expected memory per node as a whole number with an optional "
                                 "unit K, M, G or T (default M), e.g. 4G or 500M",
                                 o.mem));
  if (!o.account.empty() && !matches(o.account, R"([A-Za-z0-9_.-]+)"))
    throw InputError(fmt::format("--slurm-account '{}': expected an account name (letters, digits, '_', '.', '-')",
                                 o.account));
  if (!o.partition.empty() && !matches(o.partition, R"([A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*)"))
    throw InputError(fmt::format("--slurm-partition '{}': expected a partition name or a comma-separated list "
                                 "of them",
                                 o.partition));
  if (o.runs_per_task < 1)
    throw InputError(fmt::format("--runs-per-task {}: expected a whole number of runs, at least 1", o.runs_per_task));
  for (const auto& line : o.extra) check_extra_line(line);
}

std::size_t slurm_array_tasks(const SweepPlan& plan, const SlurmOptions& o) {
  const auto per = static_cast<std::size_t>(std::max(1, o.runs_per_task));
  return (plan.runs.size() + per - 1) / per;
}

std::string slurm_script(const SweepPlan& plan, const SlurmOptions& o) {
  const std::size_t runs = plan.runs.size(), tasks = slurm_array_tasks(plan, o);
  const int per = o.runs_per_task;
  std::string array = fmt::format("0-{}", tasks - 1);
  if (o.max_parallel > 0) array += fmt::format("%{}", o.max_parallel);
  std::string s;
  s += "#!/bin/bash\n";
  s += fmt::format("# Written by `corridor sweep --emit-slurm` for the sweep '{}' ({} runs).\n", plan.name, runs);
  if (per == 1)
    s += "# One array task per run: task I runs exactly run I of the sweep and updates the index\n";
  else
    s += fmt::format("# {} runs per array task: task T runs the runs {}T to {}T+{} of the sweep (the last task\n"
                     "# fewer), one after the other, and updates the index\n",
                     per, per, per, per - 1);
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
  if (!o.account.empty()) s += fmt::format("#SBATCH --account={}\n", o.account);
  if (!o.mem.empty()) s += fmt::format("#SBATCH --mem={}\n", o.mem);
  // Directives first: SLURM reads #SBATCH lines only up to the first command.
  for (const auto& line : o.extra)
    if (const std::string d = directive_of(line); !d.empty()) s += fmt::format("#SBATCH {}\n", d);
  s += "set -euo pipefail\n";
  for (const auto& line : o.extra)
    if (directive_of(line).empty()) s += line + "\n";
  s += fmt::format("export OMP_NUM_THREADS={}\n", o.threads);
  auto run = [&](const char* id) {
    return fmt::format("{} sweep {} --out {} --task-id \"{}\" --threads {} --resume", shell_quote(self_exe().string()),
                       shell_quote(plan.file.string()), shell_quote(o.dir.string()), id, o.threads);
  };
  if (per == 1) return s + "exec " + run("$SLURM_ARRAY_TASK_ID") + "\n";
  // A failed run does not stop the task's other runs; the task fails if any of them did.
  s += fmt::format("first=$((SLURM_ARRAY_TASK_ID * {}))\n", per);
  s += fmt::format("last=$((first + {} < {} ? first + {} : {}))\n", per - 1, runs - 1, per - 1, runs - 1);
  s += "status=0\n";
  s += "for ((run = first; run <= last; run++)); do\n";
  s += "  " + run("$run") + " || status=$?\n";
  s += "done\n";
  s += "exit \"$status\"\n";
  return s;
}

void write_slurm_script(const SweepPlan& plan, const SlurmOptions& o) {
  check_slurm_options(o);
  // SLURM does not create the folder of --output: the tasks' logs go to DIR/logs, made now.
  fs::create_directories(o.dir / "logs");
  fs::create_directories(o.dir / "runs");
  if (o.script.has_parent_path()) fs::create_directories(o.script.parent_path());
  {
    std::ofstream f(o.script, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(fmt::format("--emit-slurm {}: cannot write the file", o.script.string()));
    f << slurm_script(plan, o);
  }
  fs::permissions(o.script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
}

}  // namespace corridor
