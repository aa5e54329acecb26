#include "sim/distributed.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "sim/cluster.hpp"
#include "sim/rng.hpp"

namespace corridor {

namespace {

void check_order(const Event* e, std::size_t n, const char* phase) {
  for (std::size_t i = 1; i < n; ++i)
    if (e[i].agent < e[i - 1].agent)
      throw std::logic_error(std::string("multi-rank run: the model's ") + phase +
                             " events are not in agent order, so they cannot be merged into the "
                             "single-process order (docs/hpc.md)");
}

}  // namespace

std::vector<std::byte> pack_day_events(const ThreadSink& serial, const std::vector<ThreadSink>& sinks,
                                       const ThreadSink* resolved) {
  std::vector<std::byte> out;
  const std::uint64_t n_serial = serial.events.size();
  std::uint64_t n_step = 0;
  for (const auto& s : sinks) n_step += s.events.size();
  out.reserve(2 * sizeof(std::uint64_t) + (n_serial + n_step) * sizeof(Event));
  put_bytes(out, &n_serial, 1);
  put_bytes(out, serial.events.events().data(), n_serial);
  check_order(serial.events.events().data(), n_serial, "start-of-day");
  put_bytes(out, &n_step, 1);
  const std::size_t step_at = out.size();
  for (const auto& s : sinks) put_bytes(out, s.events.events().data(), s.events.size());
  std::vector<Event> step(n_step);
  if (n_step) std::memcpy(step.data(), out.data() + step_at, n_step * sizeof(Event));
  check_order(step.data(), step.size(), "step");
  const std::uint64_t n_resolved = resolved ? resolved->events.size() : 0;
  put_bytes(out, &n_resolved, 1);
  if (resolved) {
    put_bytes(out, resolved->events.events().data(), n_resolved);
    check_order(resolved->events.events().data(), n_resolved, "capacity resolution");
  }
  return out;
}

std::vector<Event> merge_day_events(const std::vector<std::vector<std::byte>>& parts) {
  std::vector<Event> serial, step, resolved;
  for (const auto& p : parts) {
    std::size_t at = 0;
    auto take = [&](std::vector<Event>& into) {
      std::uint64_t n = 0;
      if (at + sizeof n > p.size()) throw std::runtime_error("multi-rank run: truncated event message");
      std::memcpy(&n, p.data() + at, sizeof n);
      at += sizeof n;
      if (at + n * sizeof(Event) > p.size()) throw std::runtime_error("multi-rank run: truncated event message");
      const std::size_t old = into.size();
      into.resize(old + n);
      if (n) std::memcpy(into.data() + old, p.data() + at, n * sizeof(Event));
      at += n * sizeof(Event);
    };
    take(serial);
    take(step);
    take(resolved);
  }
  // Stable: ties are one agent's events, all from one rank, already in emission order.
  auto by_agent = [](const Event& a, const Event& b) { return a.agent < b.agent; };
  std::stable_sort(serial.begin(), serial.end(), by_agent);
  std::stable_sort(step.begin(), step.end(), by_agent);
  std::stable_sort(resolved.begin(), resolved.end(), by_agent);
  serial.insert(serial.end(), step.begin(), step.end());
  serial.insert(serial.end(), resolved.begin(), resolved.end());
  return serial;
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
