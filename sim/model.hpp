#pragma once
// What a model (a rule set under models/) gives the engine, and what the engine gives back.
//
// A model is a plain class with these members, checked by the concept `Model` below where the
// model is registered (models/registry.cpp). The engine is a template over it, so the day
// loop makes no virtual calls:
//
//   Model(const Scenario&, const ScenarioDoc&, const Network&);   // reads its own section
//   void declare(ModelSetup&, AgentStore&);     // series, event kinds, states, extra columns;
//                                               // called twice (once on scratch objects, to check
//                                               // the scenario's output keys): same result each time
//   void begin_day(const DayContext&, AgentStore&, ThreadSink&);  // serial: spawning, policies
//   void step(const DayContext&, AgentStore&, std::size_t begin, std::size_t end,
//             ThreadSink&) const;              // parallel: rows [begin, end), no shared writes
//   void end_day(const DayContext&, AgentStore&, Tally& day_totals);  // serial, after the reduction
//   std::vector<std::string> describe() const;  // lines for `corridor validate`
//   void after_run(RunOutput&);                 // optional: extra files or root attributes
//   std::vector<std::int64_t> capacities(const DayContext&) const;  // optional, with resolve:
//   void resolve(const DayContext&, AgentStore&, const CapacityClaim&, bool won, ThreadSink&);
//                                               // today's capacity per pool (< 0: unlimited), and
//                                               // the outcome of each claim (serial, agent order)
//   void save_state(hid_t) const; void load_state(hid_t);  // optional: checkpoints (docs/hpc.md)
//   static constexpr bool kPartitionable = true;  // optional: may run on several MPI ranks
#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/calendar.hpp"
#include "sim/config.hpp"
#include "sim/events.hpp"
#include "sim/network.hpp"
#include "sim/tally.hpp"

namespace corridor {

struct ModelSetup {
  SeriesLayout series;
  std::vector<std::string> event_kinds;
  std::vector<std::string> state_names;  ///< index = state value
  bool is_final[256] = {};                ///< states after which an agent leaves the active set

  std::uint16_t add_event_kind(std::string name) {
    event_kinds.push_back(std::move(name));
    return static_cast<std::uint16_t>(event_kinds.size() - 1);
  }
  std::uint8_t add_state(std::string name, bool final_state = false) {
    state_names.push_back(std::move(name));
    const auto s = static_cast<std::uint8_t>(state_names.size() - 1);
    is_final[s] = final_state;
    return s;
  }
};

struct DayContext {
  int day = 0;           ///< 0 = the scenario's start date
  Date date;
  int days = 0;          ///< length of the run
  std::uint64_t seed = 0;
};

/// An agent asking, during step, for one unit of a limited capacity (decision 4, docs/architecture.md): a
/// model that declares capacity pools (`capacities`, `resolve`; sim/engine.hpp) claims
/// instead of acting; after the step the engine lets the `capacity` lowest-ranked claims of
/// each pool win (rank = rank_hash(seed, agent, day), then agent id), over all threads and
/// ranks alike, and hands every claim back to the model's `resolve` in agent order.
struct CapacityClaim {
  std::uint32_t pool = 0;
  std::uint32_t row = 0;  ///< the claiming agent's row in this process's store
  std::uint64_t agent = 0;
};

/// What one thread writes during a day: counts, events, and how many agents it finished.
/// Aligned to a cache line so that two threads' counters never share one (false sharing).
struct alignas(64) ThreadSink {
  Tally tally;
  EventBuffer events;
  std::uint64_t finished = 0;
  std::vector<CapacityClaim> claims;
  void claim(std::uint32_t pool, std::size_t row, std::uint64_t agent) {
    claims.push_back(CapacityClaim{pool, static_cast<std::uint32_t>(row), agent});
  }
  void clear() {
    tally.clear();
    events.clear();
    finished = 0;
    claims.clear();
  }
};

struct Scenario;

/// The model contract (the list at the top of this file). `static_assert(ModelContract<M>)` where a
/// model is registered turns a missing or mistyped member into one clear compile error.
template <class M>
concept ModelContract = std::constructible_from<M, const Scenario&, const ScenarioDoc&, const Network&> &&
                requires(M& m, const M& cm, ModelSetup& setup, AgentStore& store, const DayContext& ctx,
                         ThreadSink& sink, Tally& totals, std::size_t row) {
                  m.declare(setup, store);
                  m.begin_day(ctx, store, sink);
                  cm.step(ctx, store, row, row, sink);
                  m.end_day(ctx, store, totals);
                  { cm.describe() } -> std::convertible_to<std::vector<std::string>>;
                };

// Optional capabilities of a model.
/// Multi-rank runs: its begin_day touches only the rows it appends (each rank stores only its
/// own), emits its events in agent order, and end_day reads only the totals and model state
/// (docs/hpc.md, "Models on several ranks").
template <class M>
concept PartitionableModel = M::kPartitionable;
/// Limited capacities (CapacityClaim above).
template <class M>
concept CapacityModel = requires(M& m, const M& cm, const DayContext& ctx, AgentStore& s, const CapacityClaim& c,
                                 ThreadSink& sink) {
  { cm.capacities(ctx) } -> std::convertible_to<std::vector<std::int64_t>>;
  m.resolve(ctx, s, c, true, sink);
};
/// Checkpoints: the model's state outside the agent store.
template <class M>
concept CheckpointableModel = requires(M& m, const M& cm, hid_t g) {
  cm.save_state(g);
  m.load_state(g);
};

}  // namespace corridor
