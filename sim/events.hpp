#pragma once
// The event log: what happened to which agent on which day. Within a day, the events of
// the serial start of day (e.g. departures) come first, then those of the parallel step.
// Each thread fills its own buffer; buffers are concatenated in thread order, and since each
// thread holds a contiguous block of rows (ids increasing with rows), step events are in
// agent order. Last come the events of resolving limited capacities (sim/model.hpp,
// CapacityClaim), in agent order. The log is therefore the same on any number of threads;
// on several ranks, rank 0 merges the ranks' logs phase by phase by agent id into this very
// order (sim/distributed.hpp).
#include <cstdint>
#include <vector>

namespace corridor {

struct Event {
  std::int32_t day;
  std::uint16_t kind;   ///< index into the model's event kinds
  std::uint32_t node;   ///< where it happened
  std::uint64_t agent;  ///< global agent id
  std::int64_t other;   ///< model-defined detail (e.g. the previous node, a party size)
};

/// At most this many event kinds per model (the kinds kept are a bit mask).
inline constexpr std::size_t kMaxEventKinds = 64;

class EventBuffer {
 public:
  void set_enabled(bool on) { enabled_ = on; }
  bool enabled() const { return enabled_; }
  /// Bit k set: events of kind k are kept (scenario key output.event_kinds); all by default.
  void set_kinds(std::uint64_t mask) { kinds_ = mask; }
  void add(std::int32_t day, std::uint16_t kind, std::uint32_t node, std::uint64_t agent, std::int64_t other = 0) {
    if (enabled_ && ((kinds_ >> kind) & 1U)) events_.push_back(Event{day, kind, node, agent, other});
  }
  void clear() { events_.clear(); }
  const std::vector<Event>& events() const { return events_; }
  std::size_t size() const { return events_.size(); }

 private:
  bool enabled_ = true;
  std::uint64_t kinds_ = ~std::uint64_t{0};
  std::vector<Event> events_;
};

}  // namespace corridor
