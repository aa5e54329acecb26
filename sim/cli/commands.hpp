#pragma once
// The subcommands of `corridor`; each returns the process exit code.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace corridor {

struct RunArgs {
  std::string scenario;
  std::string out;
  std::optional<std::uint64_t> seed;
  int threads = 0;  ///< 0 = all cores
  std::vector<std::string> overrides;
  bool quiet = false;
  // A Flee case given by its folders instead of a scenario file (docs/flee.md).
  std::string flee_input, flee_data, flee_settings;
  bool flee_strict = false;  ///< what the reference reader ignores is an error (flee.strict)
  // Checkpoints and restarts (docs/hpc.md).
  int checkpoint_every = -1;  ///< days; -1 = not given (a restart keeps the checkpoint's period)
  std::string checkpoint;     ///< checkpoint file (default: <out>.ckpt)
  std::string restart;        ///< continue from this checkpoint
  int stop_after_day = -1;    ///< end after this day with a checkpoint (-1: run to the end)
};

struct ValidateArgs {
  std::string scenario;
  std::vector<std::string> overrides;
};

struct ParamsArgs {
  std::string model;
  bool json = false;
};

struct BenchArgs {
  std::string model = "markov";
  std::uint64_t agents = 1'000'000;
  int days = 50;
  std::uint32_t nodes = 1000;
  int threads = 0;
  std::uint64_t seed = 1;
  std::string out;
  bool events = false;
  std::string scenario;  ///< flee: benchmark this scenario instead of the synthetic grid
  int awareness = 1;     ///< flee synthetic grid: awareness level
};

struct SweepArgs {
  std::string file;
  std::string out;
  int jobs = 0;     ///< runs at once per rank; 0 = the rank's cores / threads
  int threads = 1;  ///< OpenMP threads of each run
  bool resume = false;
  bool dry_run = false;
  int task_id = -1;  ///< run exactly this run (SLURM array task)
  std::string emit_slurm;
  std::string slurm_time, slurm_partition;
  int slurm_max_parallel = 0;
};

/// Thrown when SIGINT/SIGTERM stops a run; the process exits 128 + signal.
struct Interrupted : std::runtime_error {
  explicit Interrupted(int sig);
  int signal;
};

int run_command(const RunArgs& args);
int validate_command(const ValidateArgs& args);
int bench_command(const BenchArgs& args);
int sweep_command(const SweepArgs& args);
int params_command(const ParamsArgs& args);

/// Peak resident memory of this process in bytes.
std::uint64_t peak_rss_bytes();

}  // namespace corridor
