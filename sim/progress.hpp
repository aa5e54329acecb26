#pragma once
// Progress of a run on stderr (docs/cli.md), never under --quiet:
// - on a terminal, one live line, rewritten in place at most a few times per second once the
//   run has lasted about a second;
// - otherwise (a batch job's log, a pipe), one line per completed tenth of the run, so that a
//   SLURM log shows how far a long run is and when it will end:
//   `progress: 30% day=548/1826 date=2020-03-31 active_agents=... agent_steps_per_s=... elapsed=0:01:02 eta=0:02:25`
#include <chrono>
#include <cstdint>
#include <string>

namespace corridor {

class Progress {
 public:
  enum class Mode { kOff, kLive, kBatch };
  /// kLive when stderr is a terminal, kBatch otherwise; kOff when !enabled. `first_day` and
  /// `steps_before` describe what a restarted run did before this process (rates and the ETA
  /// count only this process's days).
  explicit Progress(bool enabled, int first_day = 0, std::uint64_t steps_before = 0);
  Progress(Mode mode, int first_day, std::uint64_t steps_before);
  ~Progress();
  /// Called once per day, after the day is done; `agent_steps` counts from the run's start.
  void update(const std::string& date, int day, int days, std::uint64_t active, std::uint64_t agent_steps);
  void clear();  ///< erase the live line (before printing the summary)
  Mode mode() const { return mode_; }

 private:
  Mode mode_;
  int first_day_;
  std::uint64_t steps_before_;
  int tenths_shown_ = -1;  ///< kBatch: the last tenth reported
  bool shown_ = false;     ///< kLive: a line is on the terminal
  std::chrono::steady_clock::time_point start_, last_;
};

/// True when stderr is a terminal.
bool stderr_is_terminal();

/// A duration as H:MM:SS (hours unbounded), as SLURM prints times.
std::string clock_duration(double seconds);

}  // namespace corridor
