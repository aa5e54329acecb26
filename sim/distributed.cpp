#include "sim/distributed.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "sim/cluster.hpp"
#include "sim/rng.hpp"

namespace corridor {

namespace {

constexpr int kPhaseShift = 62;  // event keys: the phase of the day above the agent id

void check_order(const Event* e, std::size_t n, const char* phase) {
  for (std::size_t i = 1; i < n; ++i)
    if (e[i].agent < e[i - 1].agent)
      throw std::logic_error(std::string("multi-rank run: the model's ") + phase +
                             " events are not in agent order, so they cannot be merged into the "
                             "single-process order (docs/hpc.md)");
}

void add_phase(KeyedRecords& out, const std::vector<Event>& ev, std::uint64_t phase, const char* name) {
  check_order(ev.data(), ev.size(), name);
  for (const Event& e : ev) {
    if (e.agent >> kPhaseShift) throw std::logic_error("multi-rank run: agent id too large for an event key");
    out.add((phase << kPhaseShift) | e.agent, &e);
  }
}

template <class T>
void put(std::vector<std::byte>& out, const T& v) {
  put_bytes(out, &v, 1);
}

/// Reads the message `m` front to back; throws on a truncated message.
class Reader {
 public:
  explicit Reader(const std::vector<std::byte>& m) : m_(m) {}
  template <class T>
  T get() {
    T v;
    take(&v, sizeof v);
    return v;
  }
  void take(void* dst, std::size_t n) {
    if (at_ + n > m_.size()) throw std::runtime_error("multi-rank run: truncated message");
    if (n) std::memcpy(dst, m_.data() + at_, n);
    at_ += n;
  }
  const std::byte* skip(std::size_t n) {
    if (at_ + n > m_.size()) throw std::runtime_error("multi-rank run: truncated message");
    const std::byte* p = m_.data() + at_;
    at_ += n;
    return p;
  }
  bool done() const { return at_ == m_.size(); }

 private:
  const std::vector<std::byte>& m_;
  std::size_t at_ = 0;
};

constexpr std::size_t kSamplesPerRank = 32;

}  // namespace

void KeyedRecords::add(std::uint64_t key, const void* record) {
  keys.push_back(key);
  const auto* p = static_cast<const unsigned char*>(record);
  records.insert(records.end(), p, p + record_bytes);
}

KeyedRecords day_event_records(const ThreadSink& serial, const std::vector<ThreadSink>& sinks,
                               const ThreadSink* resolved) {
  KeyedRecords out;
  out.record_bytes = sizeof(Event);
  std::size_t n = serial.events.size() + (resolved ? resolved->events.size() : 0);
  for (const auto& s : sinks) n += s.events.size();
  out.keys.reserve(n);
  out.records.reserve(n * sizeof(Event));
  add_phase(out, serial.events.events(), 0, "start-of-day");
  std::vector<Event> step;
  for (const auto& s : sinks) step.insert(step.end(), s.events.events().begin(), s.events.events().end());
  add_phase(out, step, 1, "step");
  if (resolved) add_phase(out, resolved->events.events(), 2, "capacity resolution");
  return out;
}

KeyedRecords merge_runs(const std::vector<KeyedRecords>& runs) {
  KeyedRecords out;
  std::size_t total = 0;
  for (const auto& r : runs) {
    total += r.size();
    if (r.size()) out.record_bytes = r.record_bytes;
  }
  out.keys.reserve(total);
  out.records.reserve(total * out.record_bytes);
  // A heap of (key, run): the smallest key first, the earlier run first on equal keys.
  using Head = std::pair<std::uint64_t, std::size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap;
  std::vector<std::size_t> at(runs.size(), 0);
  for (std::size_t r = 0; r < runs.size(); ++r)
    if (runs[r].size()) heap.emplace(runs[r].keys[0], r);
  while (!heap.empty()) {
    const std::size_t r = heap.top().second;
    heap.pop();
    const KeyedRecords& run = runs[r];
    // Take this run's records while they stay below the next run's head (a stretch at once).
    const std::uint64_t limit = heap.empty() ? UINT64_MAX : heap.top().first;
    const std::size_t next_r = heap.empty() ? runs.size() : heap.top().second;
    std::size_t i = at[r];
    while (i < run.size() && (run.keys[i] < limit || (run.keys[i] == limit && r < next_r))) ++i;
    out.keys.insert(out.keys.end(), run.keys.begin() + static_cast<std::ptrdiff_t>(at[r]),
                    run.keys.begin() + static_cast<std::ptrdiff_t>(i));
    out.records.insert(out.records.end(), run.records.begin() + static_cast<std::ptrdiff_t>(at[r] * run.record_bytes),
                       run.records.begin() + static_cast<std::ptrdiff_t>(i * run.record_bytes));
    at[r] = i;
    if (i < run.size()) heap.emplace(run.keys[i], r);
  }
  return out;
}

DistributedTable::DistributedTable(Cluster& cluster, std::size_t record_bytes, std::uint64_t rows)
    : cl_(cluster), record_bytes_(record_bytes), rows_(rows) {}

void DistributedTable::append(const KeyedRecords& mine, TableStream& stream) {
  const int R = cl_.size(), me = cl_.rank();
  const auto nr = static_cast<std::size_t>(R);
  const std::size_t rb = record_bytes_;
  if (mine.size() && mine.record_bytes != rb) throw std::logic_error("DistributedTable: record size");

  // ---- 1. each key range to its rank, with a sample of my keys for the next splitters ----
  std::vector<std::uint64_t> sample;
  const std::size_t n = mine.size();
  for (std::size_t i = 0; i < std::min(n, kSamplesPerRank); ++i)
    sample.push_back(mine.keys[(2 * i + 1) * n / (2 * std::min(n, kSamplesPerRank))]);
  std::vector<std::size_t> cut(nr + 1, 0);
  cut[nr] = n;
  for (std::size_t d = 1; d < nr; ++d)
    cut[d] = splitters_.empty() ? n
                                : static_cast<std::size_t>(std::lower_bound(mine.keys.begin(), mine.keys.end(),
                                                                            splitters_[d - 1]) - mine.keys.begin());
  std::vector<std::vector<std::byte>> out(nr);
  for (std::size_t d = 0; d < nr; ++d) {
    auto& m = out[d];
    put(m, static_cast<std::uint64_t>(n));
    put(m, static_cast<std::uint64_t>(sample.size()));
    put_bytes(m, sample.data(), sample.size());
    const std::size_t lo = cut[d], hi = cut[d + 1];
    put(m, static_cast<std::uint64_t>(hi - lo));
    put_bytes(m, mine.keys.data() + lo, hi - lo);
    put_bytes(m, mine.records.data() + lo * rb, (hi - lo) * rb);
  }
  const auto in = cl_.alltoallv(out);
  out.clear();
  std::vector<KeyedRecords> runs(nr);
  std::vector<std::pair<std::uint64_t, double>> weighted;  // every rank's sample, each key standing for n/s records
  for (std::size_t src = 0; src < nr; ++src) {
    Reader r(in[src]);
    const auto total = r.get<std::uint64_t>();
    const auto s = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < s; ++i)
      weighted.emplace_back(r.get<std::uint64_t>(), static_cast<double>(total) / static_cast<double>(s));
    const auto c = r.get<std::uint64_t>();
    KeyedRecords& run = runs[src];
    run.record_bytes = rb;
    run.keys.resize(c);
    r.take(run.keys.data(), c * sizeof(std::uint64_t));
    run.records.resize(c * rb);
    r.take(run.records.data(), c * rb);
    if (!r.done()) throw std::runtime_error("multi-rank run: malformed table message");
  }
  // The next batch's splitters: weighted quantiles of the samples (every rank has the same).
  if (!weighted.empty()) {
    std::sort(weighted.begin(), weighted.end());
    double sum = 0;
    for (const auto& w : weighted) sum += w.second;
    splitters_.assign(nr - 1, UINT64_MAX);
    double acc = 0;
    std::size_t next = 0;
    for (const auto& w : weighted) {
      acc += w.second;
      while (next + 1 < nr && acc >= sum * static_cast<double>(next + 1) / static_cast<double>(nr))
        splitters_[next++] = w.first + 1;  // keys equal to a sample stay with the rank below
    }
  }
  const KeyedRecords merged = merge_runs(runs);
  runs.clear();

  // ---- 2. where my segment starts, then every row to the owner of its chunk ----
  std::vector<std::int64_t> counts(nr, 0);
  counts[static_cast<std::size_t>(me)] = static_cast<std::int64_t>(merged.size());
  cl_.allreduce_sum(counts.data(), counts.size());
  std::uint64_t first = rows_, total = 0;
  for (std::size_t r = 0; r < nr; ++r) {
    if (r < static_cast<std::size_t>(me)) first += static_cast<std::uint64_t>(counts[r]);
    total += static_cast<std::uint64_t>(counts[r]);
  }
  const std::size_t C = stream.layout().chunk_rows;
  out.assign(nr, {});
  std::size_t i = 0;
  while (i < merged.size()) {
    const std::uint64_t row = first + i;
    const std::uint64_t k = row / C;
    const std::size_t take = std::min<std::size_t>(merged.size() - i, static_cast<std::size_t>((k + 1) * C - row));
    const int owner_rank = owner(k, R);
    if (owner_rank == me) {
      stream.place(row, merged.records.data() + i * rb, take);
    } else {
      auto& m = out[static_cast<std::size_t>(owner_rank)];
      put(m, row);
      put(m, static_cast<std::uint64_t>(take));
      put_bytes(m, merged.records.data() + i * rb, take * rb);
    }
    i += take;
  }
  const auto pieces = cl_.alltoallv(out);
  for (const auto& m : pieces) {
    Reader r(m);
    while (!r.done()) {
      const auto row = r.get<std::uint64_t>();
      const auto count = r.get<std::uint64_t>();
      stream.place(row, r.skip(count * rb), count);
    }
  }
  rows_ += total;
}

std::vector<EncodedChunkRef> gather_encoded(Cluster& cluster, std::vector<EncodedChunkRef> mine) {
  std::vector<std::byte> bytes;
  for (const auto& c : mine) {
    put(bytes, static_cast<std::int32_t>(c.table));
    put(bytes, static_cast<std::uint64_t>(c.column));
    put(bytes, c.chunk);
    put(bytes, c.rows_after);
    put(bytes, c.data.filter_mask);
    put(bytes, static_cast<std::uint64_t>(c.data.bytes.size()));
    put_bytes(bytes, c.data.bytes.data(), c.data.bytes.size());
  }
  mine.clear();
  std::vector<EncodedChunkRef> got;
  const auto parts = cluster.gather(bytes);
  for (std::size_t src = 1; src < parts.size(); ++src) {
    Reader r(parts[src]);
    while (!r.done()) {
      EncodedChunkRef c;
      c.table = r.get<std::int32_t>();
      c.column = static_cast<std::size_t>(r.get<std::uint64_t>());
      c.chunk = r.get<std::uint64_t>();
      c.rows_after = r.get<std::uint64_t>();
      c.data.filter_mask = r.get<std::uint32_t>();
      c.data.bytes.resize(static_cast<std::size_t>(r.get<std::uint64_t>()));
      r.take(c.data.bytes.data(), c.data.bytes.size());
      got.push_back(std::move(c));
    }
  }
  return got;
}

std::vector<char> decide_claims(const std::vector<const CapacityClaim*>& claims,
                                const std::vector<std::int64_t>& capacity, std::uint64_t seed, int day,
                                Cluster* cluster) {
  struct Key {
    std::uint64_t hash, agent;
    std::uint32_t pool;
    bool operator<(const Key& o) const { return hash != o.hash ? hash < o.hash : agent < o.agent; }
  };
  std::vector<Key> mine;
  mine.reserve(claims.size());
  for (const CapacityClaim* c : claims) {
    if (c->pool >= capacity.size()) throw std::logic_error("capacity claim for an undeclared pool");
    mine.push_back(Key{rank_hash(seed, c->agent, static_cast<std::uint32_t>(day)), c->agent, c->pool});
  }
  // Every rank needs every claim's key (not the claims themselves) to find each pool's cut.
  std::vector<Key> all;
  if (cluster && cluster->size() > 1) {
    std::vector<std::byte> bytes;
    put_bytes(bytes, mine.data(), mine.size());
    std::vector<std::byte> joined;
    for (const auto& part : cluster->gather(bytes)) joined.insert(joined.end(), part.begin(), part.end());
    joined = cluster->broadcast(joined);
    all.resize(joined.size() / sizeof(Key));
    if (!all.empty()) std::memcpy(all.data(), joined.data(), all.size() * sizeof(Key));
  } else {
    all = mine;
  }
  // The cut of each pool: its capacity-th smallest key; claims below it win.
  std::vector<std::vector<Key>> by_pool(capacity.size());
  for (const Key& k : all) by_pool[k.pool].push_back(k);
  std::vector<Key> cut(capacity.size());
  std::vector<char> limited(capacity.size(), 0);
  for (std::size_t p = 0; p < capacity.size(); ++p) {
    auto& v = by_pool[p];
    if (capacity[p] < 0 || static_cast<std::uint64_t>(capacity[p]) >= v.size()) continue;
    std::nth_element(v.begin(), v.begin() + capacity[p], v.end());
    cut[p] = v[static_cast<std::size_t>(capacity[p])];
    limited[p] = 1;
  }
  std::vector<char> won(mine.size());
  for (std::size_t i = 0; i < mine.size(); ++i) won[i] = !limited[mine[i].pool] || mine[i] < cut[mine[i].pool];
  return won;
}

}  // namespace corridor
