// corridor: the command line. Exit codes: 0 success, 2 bad input, 1 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <memory>

#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/version.hpp"

int main(int argc, char** argv) {
  using namespace corridor;
  // Under mpirun this initialises MPI (finalised when `session` goes); otherwise it is one
  // process and MPI is never touched (sim/cluster.hpp).
  std::unique_ptr<ClusterSession> session;
  try {
    session = std::make_unique<ClusterSession>(argc, argv);
  } catch (const InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  // Input errors are found alike by every rank: rank 0 alone reports them.
  const bool quiet_rank = world().rank() != 0;
  CLI::App app{"corridor: agent-based simulator of migration flows through Central America, Mexico and the US.\n"
               "Docs: README.md and docs/ in the repository."};
  app.set_version_flag("--version", fmt::format("corridor {} (git {})", software_version(), git_commit()));
  app.require_subcommand(1);

  RunArgs run_args;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its HDF5 result");
  run->add_option("scenario", run_args.scenario, "Scenario YAML file (or give a Flee case with --flee)");
  run->add_option("--flee", run_args.flee_input, "Run a Flee input folder (locations.csv, routes.csv, ...)");
  run->add_option("--flee-data", run_args.flee_data, "With --flee: the validation folder (data_layout.csv)");
  run->add_option("--flee-settings", run_args.flee_settings, "With --flee: simsetting.yml (default: Flee's defaults)");
  run->add_flag("--flee-strict", run_args.flee_strict,
                "With --flee: what Flee's reader ignores (and corridor warns about) is an error");
  run->add_option("--out", run_args.out, "Output HDF5 file (default: results/<scenario name>.h5)");
  run->add_option("--seed", run_args.seed, "Random seed (overrides the scenario's `seed`)");
  run->add_option("--threads", run_args.threads, "OpenMP threads (default: all cores)")->check(CLI::Range(1, 4096));
  run->add_option("--set", run_args.overrides, "Override a scenario key: key.path=value (repeatable)");
  run->add_flag("--quiet", run_args.quiet, "No progress line (the summary line is still printed)");
  run->add_option("--checkpoint-every", run_args.checkpoint_every, "Write a checkpoint every DAYS days (docs/hpc.md)")
      ->check(CLI::Range(1, 1000000));
  run->add_option("--checkpoint", run_args.checkpoint, "Checkpoint file (default: <out>.ckpt)");
  run->add_option("--restart", run_args.restart, "Continue the run saved in this checkpoint file");
  run->add_option("--stop-after-day", run_args.stop_after_day,
                  "End after this day (0-based), leaving a checkpoint to restart from")
      ->check(CLI::Range(0, 10000000));

  ValidateArgs validate_args;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario and every table it names; simulate nothing");
  validate->add_option("scenario", validate_args.scenario, "Scenario YAML file")->required();
  validate->add_option("--set", validate_args.overrides, "Override a scenario key: key.path=value (repeatable)");

  BenchArgs bench_args;
  CLI::App* bench = app.add_subcommand("bench", "Benchmark the engine on a synthetic network");
  bench->add_option("--model", bench_args.model, "Model to benchmark")->check(CLI::IsMember({"markov", "flee"}));
  bench->add_option("--agents", bench_args.agents, "Number of agents")->check(CLI::PositiveNumber);
  bench->add_option("--days", bench_args.days, "Number of days")->check(CLI::Range(1, 36600));
  bench->add_option("--nodes", bench_args.nodes, "Number of nodes")->check(CLI::Range(2, 10'000'000));
  bench->add_option("--threads", bench_args.threads, "OpenMP threads (default: all cores)")->check(CLI::Range(1, 4096));
  bench->add_option("--seed", bench_args.seed, "Random seed");
  bench->add_option("--out", bench_args.out, "Keep the benchmark's HDF5 output here (default: a temporary file, removed)");
  bench->add_flag("--events", bench_args.events, "Also write the event table");
  bench->add_option("--scenario", bench_args.scenario, "flee: benchmark this scenario (default: the synthetic grid)");
  bench->add_option("--awareness", bench_args.awareness, "flee synthetic grid: awareness level")->check(CLI::Range(0, 6));

  SweepArgs sweep_args;
  CLI::App* sweep = app.add_subcommand("sweep", "Run every run of a sweep file (docs/hpc.md); under mpirun, over all ranks");
  sweep->add_option("file", sweep_args.file, "Sweep file (scenarios/sweeps/*.yaml)")->required();
  sweep->add_option("--out", sweep_args.out, "Directory for runs/rNNNN.h5, logs/ and index.csv");
  sweep->add_option("--jobs", sweep_args.jobs, "Runs at once on this machine (per rank; default: cores / --threads)")
      ->check(CLI::Range(1, 4096));
  sweep->add_option("--threads", sweep_args.threads, "OpenMP threads of each run (default 1)")->check(CLI::Range(1, 4096));
  sweep->add_flag("--resume", sweep_args.resume, "Continue a sweep in --out: skip the runs whose result is complete");
  sweep->add_flag("--dry-run", sweep_args.dry_run, "List the runs (and check every scenario); run nothing");
  sweep->add_option("--task-id", sweep_args.task_id, "Run exactly run I (a SLURM array task: $SLURM_ARRAY_TASK_ID)")
      ->check(CLI::NonNegativeNumber);
  sweep->add_option("--emit-slurm", sweep_args.emit_slurm, "Write a SLURM job-array script for the sweep; run nothing");
  sweep->add_option("--slurm-time", sweep_args.slurm_time, "With --emit-slurm: #SBATCH --time (e.g. 02:00:00)");
  sweep->add_option("--slurm-partition", sweep_args.slurm_partition, "With --emit-slurm: #SBATCH --partition");
  sweep->add_option("--slurm-max-parallel", sweep_args.slurm_max_parallel,
                    "With --emit-slurm: at most this many array tasks at once (--array=...%N)")
      ->check(CLI::Range(1, 1000000));

  ParamsArgs params_args;
  CLI::App* params = app.add_subcommand("params", "Print a model's parameter table (Markdown: key, default, unit, range, source)");
  params->add_option("model", params_args.model, "Model name, e.g. corridor")->required();
  params->add_flag("--json", params_args.json, "Print the table as JSON (typed defaults, ranges) for scripts");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    if (*run) return run_command(run_args);
    if (*validate) return validate_command(validate_args);
    if (*bench) return bench_command(bench_args);
    if (*sweep) return sweep_command(sweep_args);
    if (*params) return params_command(params_args);
  } catch (const Interrupted& e) {
    if (!quiet_rank) fmt::print(stderr, "\n{}: no output written\n", e.what());
    return 128 + e.signal;
  } catch (const InputError& e) {
    if (!quiet_rank) fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    if (world().size() > 1) fmt::print(stderr, "rank {}: ", world().rank());
    fmt::print(stderr, "internal error: {}\n", e.what());
    return 1;
  }
  return 1;
}
