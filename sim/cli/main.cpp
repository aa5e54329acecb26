// corridor: the command line. Exit codes: 0 success, 2 bad input, 1 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/version.hpp"

int main(int argc, char** argv) {
  using namespace corridor;
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
  run->add_option("--out", run_args.out, "Output HDF5 file (default: results/<scenario name>.h5)");
  run->add_option("--seed", run_args.seed, "Random seed (overrides the scenario's `seed`)");
  run->add_option("--threads", run_args.threads, "OpenMP threads (default: all cores)")->check(CLI::Range(1, 4096));
  run->add_option("--set", run_args.overrides, "Override a scenario key: key.path=value (repeatable)");
  run->add_flag("--quiet", run_args.quiet, "No progress line (the summary line is still printed)");

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

  ParamsArgs params_args;
  CLI::App* params = app.add_subcommand("params", "Print a model's parameter table (Markdown: key, default, unit, range, source)");
  params->add_option("model", params_args.model, "Model name, e.g. corridor")->required();

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
    if (*params) return params_command(params_args);
  } catch (const Interrupted& e) {
    fmt::print(stderr, "\n{}: no output written\n", e.what());
    return 128 + e.signal;
  } catch (const InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return 1;
  }
  return 1;
}
