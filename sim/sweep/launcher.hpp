#pragma once
// The runs of a sweep as child processes of this same binary, at most `slots` at once. Each
// run is `corridor run BASE --out DIR/runs/rNNNN.h5 --seed S --set ...`, so that a run that
// fails or is killed cannot take the others with it, and its result is written exactly as a
// lone run writes it (temporary name, then rename).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/sweep/plan.hpp"

namespace corridor {

/// How a run of a sweep ended (also the values of the MPI work queue's messages).
enum class RunOutcome : std::int64_t { kDone = 1, kFailed = 2, kInterrupted = 3 };
const char* outcome_name(RunOutcome o);

struct FinishedRun {
  std::size_t index;
  RunOutcome outcome;
  double wall_s;
  int exit_code;
};

/// This program's own path (the runs are started from it).
std::filesystem::path self_exe();
/// The command line of one run.
std::vector<std::string> run_argv(const std::filesystem::path& exe, const SweepRun& run,
                                  const std::filesystem::path& dir, int threads);
/// A command line as one shell-quoted line (for messages and scripts).
std::string shell_line(const std::vector<std::string>& args);
std::string shell_quote(const std::string& s);

class Launcher {
 public:
  Launcher(const SweepPlan& plan, std::filesystem::path dir, int slots, int threads);

  bool has_free_slot() const { return static_cast<int>(running_.size()) < slots_; }
  bool idle() const { return running_.empty(); }
  /// Starts run `index` (removing what an earlier, killed attempt left), its output to logs/rNNNN.log.
  void start(std::size_t index);
  /// Runs that ended since the last call. 'done' only when the file is there and complete,
  /// whatever the exit code says.
  std::vector<FinishedRun> reap();
  /// SIGTERM to every running run (they stop at the end of a day; reap() reports them interrupted).
  void terminate_all();

 private:
  struct Running {
    std::size_t index;
    std::chrono::steady_clock::time_point start;
  };
  const SweepPlan& plan_;
  std::filesystem::path dir_;
  int slots_, threads_;
  std::filesystem::path exe_;
  std::map<pid_t, Running> running_;
  bool killed_ = false;
};

}  // namespace corridor
