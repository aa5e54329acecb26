#pragma once
// Ctrl-C and a batch system's SIGTERM: one flag for the process, set by the handler and polled
// by the day loop and the sweep runner, which stop at a safe point (docs/cli.md, docs/hpc.md).
#include <stdexcept>

namespace corridor {

/// Installs the handler for SIGINT and SIGTERM (idempotent).
void install_stop_handlers();
/// The signal received since install_stop_handlers (0: none).
int stop_signal();

/// Thrown when SIGINT/SIGTERM stops a run; the process exits 128 + signal.
struct Interrupted : std::runtime_error {
  explicit Interrupted(int sig);
  int signal;
};

}  // namespace corridor
