#pragma once
// Handing out the runs of a sweep to this process's launcher and, under mpirun, to every
// rank's: each rank asks rank 0 for the next run whenever it has a free slot (dynamic
// assignment: a long run does not hold up the rest) and reports each run's end; rank 0 keeps
// the index.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/cluster.hpp"
#include "sim/sweep/index.hpp"
#include "sim/sweep/launcher.hpp"

namespace corridor {

struct QueueResult {
  std::size_t done = 0, failed = 0;  ///< rank 0 only
  int signal = 0;                    ///< the stop signal received (0: none)
};

/// Rank 0's side (also the only process of a one-rank sweep): runs `todo` (indices into the
/// plan) on its own launcher and the other ranks', recording every start and end in `index`.
QueueResult serve_runs(Cluster& cluster, const SweepPlan& plan, const std::filesystem::path& dir,
                       const std::vector<std::size_t>& todo, IndexKeeper& index, Launcher& launcher,
                       const std::vector<std::string>& hosts);
/// Another rank's side: asks rank 0 for runs until there are none, reports each end.
QueueResult work_for_root(Cluster& cluster, Launcher& launcher);

}  // namespace corridor
