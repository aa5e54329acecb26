#pragma once
// Multi-rank runs (docs/hpc.md): the day's events of every rank, gathered on rank 0 and put
// in the order one process writes them (sim/events.hpp): the start-of-day events, then the
// step events, each in increasing agent id, an agent's own events in the order emitted.
// Each agent lives on one rank, so a stable merge by agent id of the ranks' lists (each
// already in agent order) restores exactly the single-process order.
#include <cstddef>
#include <span>
#include <vector>

#include "sim/events.hpp"
#include "sim/model.hpp"

namespace corridor {

/// This rank's events of the day as bytes: the serial phase's, then the threads' in order.
/// Throws std::logic_error if a phase is not in agent order (a model that cannot run on
/// several ranks as it is).
std::vector<std::byte> pack_day_events(const ThreadSink& serial, const std::vector<ThreadSink>& sinks);
/// Every rank's packed events (rank order) -> the day's events in single-process order.
std::vector<Event> merge_day_events(const std::vector<std::vector<std::byte>>& parts);

}  // namespace corridor
