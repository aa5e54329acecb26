#pragma once
// Multi-rank runs (docs/hpc.md): the day's events of every rank, gathered on rank 0 and put
// in the order one process writes them (sim/events.hpp): the start-of-day events, then the
// step events, each in increasing agent id, an agent's own events in the order emitted.
// Each agent lives on one rank, so a stable merge by agent id of the ranks' lists (each
// already in agent order) restores exactly the single-process order.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/events.hpp"
#include "sim/model.hpp"

namespace corridor {

/// This rank's events of the day as bytes: the serial phase's, the threads' in order, and
/// those of the resolution of limited capacities (`resolved`, may be null). Throws
/// std::logic_error if a phase is not in agent order (a model that cannot run on several
/// ranks as it is).
std::vector<std::byte> pack_day_events(const ThreadSink& serial, const std::vector<ThreadSink>& sinks,
                                       const ThreadSink* resolved = nullptr);
/// Every rank's packed events (rank order) -> the day's events in single-process order.
std::vector<Event> merge_day_events(const std::vector<std::vector<std::byte>>& parts);

/// Limited capacities (sim/model.hpp, CapacityClaim): which of this rank's claims win, given
/// today's capacity of each pool (< 0: unlimited). The winners of a pool are its `capacity`
/// claims of lowest (rank_hash(seed, agent, day), agent) over all ranks; `cluster` (null: one
/// process) shares the claims' keys so that every rank decides alike. One entry per claim, in
/// the order given.
class Cluster;
std::vector<char> decide_claims(const std::vector<const CapacityClaim*>& claims,
                                const std::vector<std::int64_t>& capacity, std::uint64_t seed, int day,
                                Cluster* cluster);

}  // namespace corridor
