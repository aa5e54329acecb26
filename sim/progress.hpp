#pragma once
// The live progress line on stderr: shown only on a terminal, after the run has lasted about
// a second, at most a few times per second, and never under --quiet.
#include <chrono>
#include <cstdint>
#include <string>

namespace corridor {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  /// Called once per day, after the day is done.
  void update(const std::string& date, int day, int days, std::uint64_t active, std::uint64_t agent_steps);
  void clear();  ///< erase the line (before printing the summary)
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

/// True when stderr is a terminal.
bool stderr_is_terminal();

}  // namespace corridor
