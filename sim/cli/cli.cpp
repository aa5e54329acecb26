// corridor: the command line. Exit codes: 0 success, 2 bad input, 1 internal error.
#include "sim/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <memory>

#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "sim/stop_signal.hpp"
#include "sim/sweep/runner.hpp"
#include "sim/version.hpp"

namespace corridor {

namespace {

/// The options models add to a subcommand (their importers, their benchmarks): one slot per
/// option, filled by CLI11; `given()` lists the ones the user gave.
class ModelOptions {
 public:
  void add(CLI::App* sub, const CliOption& o, const std::string& model) {
    auto& slot = values_[o.flag];
    slot.model = model;
    CLI::Option* opt = o.takes_value ? sub->add_option(o.flag, slot.value, o.help)
                                     : sub->add_flag(o.flag, slot.flag, o.help);
    slot.option = opt;
    slot.is_flag = !o.takes_value;
  }
  /// The options of `model` the user gave.
  GivenOptions given(const std::string& model) const {
    GivenOptions out;
    for (const auto& [flag, slot] : values_)
      if (slot.model == model && slot.option->count() > 0) out[flag] = slot.is_flag ? "true" : slot.value;
    return out;
  }
  /// The model whose options the user gave (empty: none); two models' options together are an error.
  std::string used_model() const {
    std::string model;
    for (const auto& [flag, slot] : values_)
      if (slot.option->count() > 0) {
        if (!model.empty() && model != slot.model)
          throw InputError(fmt::format("{} belongs to model '{}', which cannot be combined with model '{}'", flag,
                                       slot.model, model));
        model = slot.model;
      }
    return model;
  }

 private:
  struct Slot {
    std::string model, value;
    bool flag = false, is_flag = false;
    CLI::Option* option = nullptr;
  };
  std::map<std::string, Slot> values_;
};

/// The scenario a model's importer makes from the options the user gave (run --flee DIR ...).
std::optional<ImportedScenario> imported_scenario(const ModelRegistry& models, const ModelOptions& options) {
  const std::string model = options.used_model();
  if (model.empty()) return std::nullopt;
  const Importer& importer = *models.at(model).importer;
  const GivenOptions given = options.given(model);
  const std::string& trigger = importer.options.front().flag;
  if (!given.count(trigger)) {
    std::string others;
    for (const auto& [flag, v] : given) others += (others.empty() ? "" : ", ") + flag;
    throw InputError(fmt::format("{} go with {}", others, trigger));
  }
  return importer.import(given);
}

}  // namespace

int run_cli(int argc, char** argv, const ModelRegistry& models) {
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

  RunRequest run_request;
  std::string run_scenario_file, run_out, run_checkpoint, run_restart;
  std::optional<std::uint64_t> run_seed;
  ModelOptions importer_options;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its HDF5 result");
  run->add_option("scenario", run_scenario_file, "Scenario YAML file (or a model's import options, e.g. --flee)");
  for (const auto& entry : models.entries())
    if (entry.importer)
      for (const auto& o : entry.importer->options) importer_options.add(run, o, entry.name);
  run->add_option("--out", run_out, "Output HDF5 file (default: results/<scenario name>.h5)");
  run->add_option("--seed", run_seed, "Random seed (overrides the scenario's `seed`)");
  run->add_option("--threads", run_request.threads, "OpenMP threads (default: all cores)")->check(CLI::Range(1, 4096));
  run->add_option("--set", run_request.overrides, "Override a scenario key: key.path=value (repeatable)");
  run->add_flag("--quiet", run_request.quiet, "No progress line (the summary line is still printed)");
  run->add_option("--checkpoint-every", run_request.checkpoint_every, "Write a checkpoint every DAYS days (docs/hpc.md)")
      ->check(CLI::Range(1, 1000000));
  run->add_option("--checkpoint", run_checkpoint, "Checkpoint file (default: <out>.ckpt)");
  run->add_option("--restart", run_restart, "Continue the run saved in this checkpoint file");
  run->add_option("--stop-after-day", run_request.stop_after_day,
                  "End after this day (0-based), leaving a checkpoint to restart from")
      ->check(CLI::Range(0, 10000000));

  ValidateArgs validate_args;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario and every table it names; simulate nothing");
  validate->add_option("scenario", validate_args.scenario, "Scenario YAML file")->required();
  validate->add_option("--set", validate_args.overrides, "Override a scenario key: key.path=value (repeatable)");

  BenchArgs bench_args;
  BenchRequest& br = bench_args.request;
  ModelOptions bench_options;
  std::vector<std::string> bench_models;
  for (const auto& entry : models.entries())
    if (entry.bench) bench_models.push_back(entry.name);
  CLI::App* bench = app.add_subcommand("bench", "Benchmark the engine on a model's benchmark case");
  bench->add_option("--model", bench_args.model, "Model to benchmark")->check(CLI::IsMember(bench_models));
  bench->add_option("--agents", br.agents, "Number of agents")->check(CLI::PositiveNumber);
  bench->add_option("--days", br.days, "Number of days")->check(CLI::Range(1, 36600));
  bench->add_option("--nodes", br.nodes, "Number of nodes")->check(CLI::Range(2, 10'000'000));
  bench->add_option("--threads", br.threads, "OpenMP threads (default: all cores)")->check(CLI::Range(1, 4096));
  bench->add_option("--seed", br.seed, "Random seed");
  bench->add_option("--out", bench_args.out, "Keep the benchmark's HDF5 output here (default: a temporary file, removed)");
  bench->add_flag("--events", br.events, "Also write the event table");
  bench->add_option("--scenario", br.scenario, "Benchmark this scenario of the model (default: its synthetic case)");
  for (const auto& entry : models.entries())
    if (entry.bench)
      for (const auto& o : entry.bench->options) bench_options.add(bench, o, entry.name);

  SweepRequest sweep_request;
  std::string sweep_file, sweep_out, sweep_slurm;
  CLI::App* sweep = app.add_subcommand("sweep", "Run every run of a sweep file (docs/hpc.md); under mpirun, over all ranks");
  sweep->add_option("file", sweep_file, "Sweep file (scenarios/sweeps/*.yaml)")->required();
  sweep->add_option("--out", sweep_out, "Directory for runs/rNNNN.h5, logs/ and index.csv");
  sweep->add_option("--jobs", sweep_request.jobs, "Runs at once on this machine (per rank; default: cores / --threads)")
      ->check(CLI::Range(1, 4096));
  sweep->add_option("--threads", sweep_request.threads, "OpenMP threads of each run (default 1)")->check(CLI::Range(1, 4096));
  sweep->add_flag("--resume", sweep_request.resume, "Continue a sweep in --out: skip the runs whose result is complete");
  sweep->add_flag("--dry-run", sweep_request.dry_run, "List the runs (and check every scenario); run nothing");
  sweep->add_option("--task-id", sweep_request.task_id, "Run exactly run I (a SLURM array task: $SLURM_ARRAY_TASK_ID)")
      ->check(CLI::NonNegativeNumber);
  SlurmOptions& so = sweep_request.slurm;
  CLI::Option* emit = sweep->add_option("--emit-slurm", sweep_slurm, "Write a SLURM job-array script for the sweep; run nothing");
  sweep->add_option("--runs-per-task", so.runs_per_task, "With --emit-slurm: runs of the sweep per array task (default 1)")
      ->check(CLI::Range(1, 1000000))->needs(emit);
  sweep->add_option("--slurm-time", so.time, "With --emit-slurm: #SBATCH --time of a task (e.g. 02:00:00)")->needs(emit);
  sweep->add_option("--slurm-partition", so.partition, "With --emit-slurm: #SBATCH --partition")->needs(emit);
  sweep->add_option("--slurm-account", so.account, "With --emit-slurm: #SBATCH --account")->needs(emit);
  sweep->add_option("--slurm-mem", so.mem, "With --emit-slurm: #SBATCH --mem, memory per task (e.g. 4G)")->needs(emit);
  sweep->add_option("--slurm-max-parallel", so.max_parallel,
                    "With --emit-slurm: at most this many array tasks at once (--array=...%N)")
      ->check(CLI::Range(1, 1000000))->needs(emit);
  sweep->add_option("--slurm-extra", so.extra,
                    "With --emit-slurm: an extra '#SBATCH --option' line, or a shell command run before the runs "
                    "(e.g. 'module load hdf5'); repeatable")
      ->allow_extra_args(false)->needs(emit);

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
    if (*run) {
      run_request.scenario = run_scenario_file;
      run_request.out = run_out;
      run_request.seed = run_seed;
      run_request.checkpoint = run_checkpoint;
      run_request.restart = run_restart;
      run_request.imported = imported_scenario(models, importer_options);
      return run_scenario(models, run_request);
    }
    if (*validate) return validate_command(models, validate_args);
    if (*bench) {
      bench_args.options_model = bench_options.used_model();
      br.options = bench_options.given(bench_args.options_model);
      return bench_command(models, bench_args);
    }
    if (*sweep) {
      sweep_request.file = sweep_file;
      sweep_request.out = sweep_out;
      sweep_request.emit_slurm = sweep_slurm;
      return run_sweep(models, sweep_request);
    }
    if (*params) return params_command(models, params_args);
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

}  // namespace corridor
