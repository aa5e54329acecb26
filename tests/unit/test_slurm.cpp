// Unit tests for sim/sweep/slurm (the job-array script of `corridor sweep --emit-slurm`):
// runs grouped per array task, where the --slurm-* options land in the script, and the
// options SLURM would refuse or that would break the script refused with the option named.
// tests/python/test_slurm_sweep.py runs emitted scripts under a real SLURM.
#include <catch2/catch.hpp>

#include <string>

#include "sim/sweep/slurm.hpp"
#include "sim_support.hpp"

using corridor::SlurmOptions;
using corridor::test::input_error_of;

namespace {

corridor::SweepPlan plan_of(std::size_t runs) {
  corridor::SweepPlan plan;
  plan.name = "s";
  plan.file = "/sweeps/s.yaml";
  plan.base = "/scenarios/base.yaml";
  for (std::size_t i = 0; i < runs; ++i) {
    corridor::SweepRun r;
    r.index = i;
    r.id = "r" + std::to_string(1000 + i).substr(1);
    plan.runs.push_back(r);
  }
  return plan;
}

SlurmOptions options() {
  SlurmOptions o;
  o.script = "/work/job.sbatch";
  o.dir = "/scratch/s";
  return o;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("with one run per task the array has a task per run, and each task execs its run") {
  const std::string s = corridor::slurm_script(plan_of(4), options());
  CHECK(has(s, "#SBATCH --array=0-3\n"));
  CHECK(has(s, "--task-id \"$SLURM_ARRAY_TASK_ID\" --threads 1 --resume\n"));
  CHECK(has(s, "\nexec "));
  CHECK_FALSE(has(s, "for (("));
}

TEST_CASE("with N runs per task the array has ceil(runs / N) tasks and task T runs T*N to T*N+N-1") {
  CHECK(corridor::slurm_array_tasks(plan_of(11), options()) == 11);
  SlurmOptions o = options();
  o.runs_per_task = 5;
  CHECK(corridor::slurm_array_tasks(plan_of(10), o) == 2);
  CHECK(corridor::slurm_array_tasks(plan_of(11), o) == 3);
  CHECK(corridor::slurm_array_tasks(plan_of(1), o) == 1);
  o.max_parallel = 2;
  const std::string s = corridor::slurm_script(plan_of(11), o);
  CHECK(has(s, "#SBATCH --array=0-2%2\n"));
  CHECK(has(s, "first=$((SLURM_ARRAY_TASK_ID * 5))\n"));
  CHECK(has(s, "last=$((first + 4 < 10 ? first + 4 : 10))\n"));  // the last task runs run 10 alone
  CHECK(has(s, "--task-id \"$run\" --threads 1 --resume || status=$?\n"));
  CHECK(has(s, "exit \"$status\"\n"));
  CHECK_FALSE(has(s, "\nexec "));
}

TEST_CASE("the --slurm-* options become directives before the first command; other extra lines run before the runs") {
  SlurmOptions o = options();
  o.time = "1-12:00:00";
  o.partition = "short,long";
  o.account = "proj-42";
  o.mem = "4G";
  o.threads = 3;
  o.extra = {"#SBATCH --qos=long", "--constraint=avx2", "module load hdf5"};
  const std::string s = corridor::slurm_script(plan_of(2), o);
  for (const char* line : {"#SBATCH --time=1-12:00:00\n", "#SBATCH --partition=short,long\n",
                           "#SBATCH --account=proj-42\n", "#SBATCH --mem=4G\n", "#SBATCH --cpus-per-task=3\n",
                           "#SBATCH --qos=long\n", "#SBATCH --constraint=avx2\n", "\nmodule load hdf5\n"})
    CHECK(has(s, line));
  // SLURM stops reading #SBATCH lines at the first command.
  CHECK(s.find("#SBATCH --constraint=avx2") < s.find("set -euo pipefail"));
  CHECK(s.find("set -euo pipefail") < s.find("module load hdf5"));
  CHECK(s.find("module load hdf5") < s.find("export OMP_NUM_THREADS=3"));
}

TEST_CASE("SLURM's time and memory formats are accepted") {
  SlurmOptions o = options();
  for (const char* t : {"90", "90:30", "02:00:00", "1-12", "1-12:30", "1-12:30:00"}) {
    o.time = t;
    CHECK_NOTHROW(corridor::check_slurm_options(o));
  }
  for (const char* m : {"500", "500M", "4G", "1T", "0"}) {
    o.mem = m;
    CHECK_NOTHROW(corridor::check_slurm_options(o));
  }
  o.extra = {"--mem-per-cpu=2G", "#SBATCH --ntasks-per-node=1", "#SBATCH   --qos=long", "echo start"};
  CHECK_NOTHROW(corridor::check_slurm_options(o));
}

TEST_CASE("options SLURM would refuse, or that would break the script, are input errors naming the option") {
  auto error_with = [](auto set) {
    SlurmOptions o = options();
    set(o);
    return input_error_of([&] { corridor::check_slurm_options(o); });
  };
  CHECK_THAT(error_with([](SlurmOptions& o) { o.time = "2h"; }),
             Catch::Contains("--slurm-time '2h': expected a SLURM time limit"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.time = "1:2:3:4"; }), Catch::Contains("--slurm-time '1:2:3:4'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.mem = "4GB"; }),
             Catch::Contains("--slurm-mem '4GB': expected memory per node"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.mem = "-1"; }), Catch::Contains("--slurm-mem '-1'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.account = "a b"; }), Catch::Contains("--slurm-account 'a b'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.account = "x;rm"; }), Catch::Contains("--slurm-account 'x;rm'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.partition = "a,,b"; }), Catch::Contains("--slurm-partition 'a,,b'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.runs_per_task = 0; }), Catch::Contains("--runs-per-task 0"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {" "}; }), Catch::Contains("got an empty one"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"module load a\nrm -rf x"}; }),
             Catch::Contains("one line per --slurm-extra"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"#SBATCH--qos=long"}; }),
             Catch::Contains("expected '#SBATCH --option[=value]'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"#SBATCH qos"}; }),
             Catch::Contains("expected '#SBATCH --option[=value]'"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"# a comment"}; }),
             Catch::Contains("must be an '#SBATCH --option' directive"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"#SBATCH --array=0-3"}; }),
             Catch::Contains("--array cannot be given here: the script sets it (use --runs-per-task"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"--time=10"}; }),
             Catch::Contains("--time cannot be given here: use --slurm-time"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"-t10"}; }), Catch::Contains("-t cannot be given here"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"#SBATCH -c 4"}; }),
             Catch::Contains("-c cannot be given here: the script sets it (use --threads)"));
  CHECK_THAT(error_with([](SlurmOptions& o) { o.extra = {"--mem=4G"}; }), Catch::Contains("use --slurm-mem"));
}
