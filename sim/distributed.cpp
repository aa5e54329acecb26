#include "sim/distributed.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "sim/cluster.hpp"

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

std::vector<std::byte> pack_day_events(const ThreadSink& serial, const std::vector<ThreadSink>& sinks) {
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
  return out;
}

std::vector<Event> merge_day_events(const std::vector<std::vector<std::byte>>& parts) {
  std::vector<Event> serial, step;
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
  }
  // Stable: ties are one agent's events, all from one rank, already in emission order.
  auto by_agent = [](const Event& a, const Event& b) { return a.agent < b.agent; };
  std::stable_sort(serial.begin(), serial.end(), by_agent);
  std::stable_sort(step.begin(), step.end(), by_agent);
  serial.insert(serial.end(), step.begin(), step.end());
  return serial;
}

}  // namespace corridor
