#include "sim/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace corridor {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string clock_duration(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

Progress::Progress(bool enabled, int first_day, std::uint64_t steps_before)
    : Progress(!enabled ? Mode::kOff : stderr_is_terminal() ? Mode::kLive : Mode::kBatch, first_day, steps_before) {}

Progress::Progress(Mode mode, int first_day, std::uint64_t steps_before)
    : mode_(mode),
      first_day_(first_day),
      steps_before_(steps_before),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { clear(); }

void Progress::update(const std::string& date, int day, int days, std::uint64_t active, std::uint64_t agent_steps) {
  if (mode_ == Mode::kOff || days <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const int done = day + 1;
  if (mode_ == Mode::kBatch) {
    const int tenths = done * 10 / days;
    // A restarted run reports from the first tenth it completes itself.
    if (tenths_shown_ < 0) tenths_shown_ = first_day_ * 10 / days;
    if (tenths <= tenths_shown_) return;
    tenths_shown_ = tenths;
  } else {
    if (elapsed < 1.0 || std::chrono::duration<double>(now - last_).count() < 0.25) return;
    last_ = now;
  }
  const std::uint64_t steps = agent_steps >= steps_before_ ? agent_steps - steps_before_ : 0;
  const double rate = elapsed > 0 ? static_cast<double>(steps) / elapsed : 0;
  const int done_here = std::max(1, done - first_day_);
  const double eta = elapsed * (days - done) / done_here;
  if (mode_ == Mode::kBatch) {
    fmt::print(stderr, "progress: {}% day={}/{} date={} active_agents={} agent_steps_per_s={:.3g} elapsed={} eta={}\n",
               done * 100 / days, done, days, date, active, rate, clock_duration(elapsed), clock_duration(eta));
  } else {
    fmt::print(stderr, "\r\033[K{} day {}/{} active={} agent_steps/s={:.3g} ETA {:.0f}s", date, done, days, active,
               rate, eta);
    shown_ = true;
  }
  std::fflush(stderr);
}

void Progress::clear() {
  if (shown_) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

}  // namespace corridor
