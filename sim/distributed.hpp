#pragma once
// Multi-rank runs (docs/hpc.md): the event and agent tables written by every rank, in the
// order one process writes them, without gathering them on rank 0.
//
// A table's rows have a global order given by a key: events by (phase of the day, agent id),
// the agent table by id (sim/events.hpp, docs/output.md). Each rank holds its share of a
// batch (a day's events, a compaction's finished agents) already in key order; an agent lives
// on one rank, so the global order is the merge of the ranks' lists. A batch is appended in
// two exchanges (DistributedTable::append):
//   1. every rank sends each record to the rank that owns its key range (splitters from a
//      sample of every rank's keys, taken during the previous batch), which merges what it
//      receives: rank r then holds the r-th contiguous segment of the batch in global order;
//   2. one Allreduce of the segments' lengths gives every rank its segment's first row, and
//      every record goes to the rank that owns its chunk (chunk k: rank k mod N), which
//      encodes the chunk once it is full (sim/chunked_table.hpp).
// Only encoded chunks reach rank 0, which writes them into the one file.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/chunked_table.hpp"
#include "sim/events.hpp"
#include "sim/model.hpp"

namespace corridor {

class Cluster;

/// A batch of a table's records with their keys, in key order (equal keys keep their order).
struct KeyedRecords {
  std::size_t record_bytes = 0;
  std::vector<std::uint64_t> keys;
  std::vector<unsigned char> records;
  std::size_t size() const { return keys.size(); }
  void add(std::uint64_t key, const void* record);
};

/// This rank's events of the day as keyed records: the serial phase's, the threads' in order,
/// those of the resolution of limited capacities (`resolved`, may be null); the key is the
/// phase (2 bits) above the agent id. Throws std::logic_error if a phase is not in agent
/// order (a model that cannot run on several ranks as it is).
KeyedRecords day_event_records(const ThreadSink& serial, const std::vector<ThreadSink>& sinks,
                               const ThreadSink* resolved = nullptr);

/// Sorted runs (e.g. from several ranks, in rank order) merged into one sorted run; on equal
/// keys the earlier run's records come first, each run's in their order.
KeyedRecords merge_runs(const std::vector<KeyedRecords>& runs);

/// A table appended to by every rank at once (collective calls, in the same order everywhere).
class DistributedTable {
 public:
  DistributedTable(Cluster& cluster, std::size_t record_bytes, std::uint64_t rows = 0);
  /// Appends every rank's `mine` in global key order; the rows of chunks this rank owns go to
  /// `stream` (TableStream::place). Collective.
  void append(const KeyedRecords& mine, TableStream& stream);
  /// The table's length so far (the same on every rank).
  std::uint64_t rows() const { return rows_; }
  /// The rank that encodes chunk k.
  static int owner(std::uint64_t chunk, int ranks) { return static_cast<int>(chunk % static_cast<std::uint64_t>(ranks)); }

 private:
  Cluster& cl_;
  std::size_t record_bytes_;
  std::uint64_t rows_;
  /// Keys at which the ranges of ranks 1..N-1 begin (empty before the first batch: all to rank 0).
  std::vector<std::uint64_t> splitters_;
};

/// Several ranks: the encoded chunks made on this rank since the last call go to rank 0
/// (collective); returns, on rank 0, every rank's (rank 0's own are not sent).
std::vector<EncodedChunkRef> gather_encoded(Cluster& cluster, std::vector<EncodedChunkRef> mine);

/// Limited capacities (sim/model.hpp, CapacityClaim): which of this rank's claims win, given
/// today's capacity of each pool (< 0: unlimited). The winners of a pool are its `capacity`
/// claims of lowest (rank_hash(seed, agent, day), agent) over all ranks; `cluster` (null: one
/// process) shares the claims' keys so that every rank decides alike. One entry per claim, in
/// the order given.
std::vector<char> decide_claims(const std::vector<const CapacityClaim*>& claims,
                                const std::vector<std::int64_t>& capacity, std::uint64_t seed, int day,
                                Cluster* cluster);

}  // namespace corridor
