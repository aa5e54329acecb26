#include "sim/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace corridor {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(bool enabled)
    : enabled_(enabled && stderr_is_terminal()), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { clear(); }

void Progress::update(const std::string& date, int day, int days, std::uint64_t active, std::uint64_t agent_steps) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1.0 || std::chrono::duration<double>(now - last_).count() < 0.25) return;
  last_ = now;
  const double rate = elapsed > 0 ? static_cast<double>(agent_steps) / elapsed : 0;
  const double eta = day + 1 > 0 ? elapsed * (days - day - 1) / (day + 1) : 0;
  fmt::print(stderr, "\r\033[K{} day {}/{} active={} agent_steps/s={:.3g} ETA {:.0f}s", date, day + 1, days, active,
             rate, eta);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (shown_) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

}  // namespace corridor
