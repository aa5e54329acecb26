#pragma once
// The day loop (DESIGN decisions 4-5): spawn (serial) -> step every agent (OpenMP over
// contiguous blocks of rows, thread-local tallies and events) -> reduce tallies once ->
// model's end of day -> write -> compact finished agents.
//
// Determinism: every draw is keyed by (seed, agent, day, purpose); tallies are integers;
// thread t steps rows [n*t/T, n*(t+1)/T) and event buffers are joined in thread order, so
// output is identical for any thread count.
//
// Several ranks (EngineOptions::cluster, docs/hpc.md): each rank runs the serial start of day
// identically but stores only the agents it owns (id % ranks), steps them, and one
// MPI_Allreduce sums the day's tally, so that end_day sees the global totals everywhere.
// Rank 0 gathers events and finished agents and writes them in the order one process would.
// Checkpoints (EngineOptions::checkpoint_every, sim/checkpoint.hpp) hold the store, the
// engine's counters and the model's own state; a restarted run continues bit for bit.
#include <fmt/format.h>
#include <omp.h>

#include <chrono>
#include <concepts>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "sim/agents.hpp"
#include "sim/checkpoint.hpp"
#include "sim/cluster.hpp"
#include "sim/distributed.hpp"
#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/output.hpp"
#include "sim/progress.hpp"
#include "sim/scenario.hpp"

namespace corridor {

struct EngineOptions {
  int threads = 1;
  bool write_agents = true;
  bool events = true;
  /// Called after each day (progress display, tests).
  std::function<void(const DayContext&, std::uint64_t active, std::uint64_t agent_steps)> on_day;
  /// Called with each day's reduced totals (tests, in-process analysis).
  std::function<void(const DayContext&, const Tally& totals)> on_totals;

  // ---- several ranks, checkpoints, stopping (docs/hpc.md) ----
  /// The ranks of a multi-rank run; null or one rank: a single process, as before.
  Cluster* cluster = nullptr;
  /// Write a checkpoint to `checkpoint_path` after every this many days (0: never).
  int checkpoint_every = 0;
  std::filesystem::path checkpoint_path{};
  /// Provenance stored in checkpoints, so that `corridor run --restart` can reload the scenario.
  CheckpointProvenance provenance{};
  /// Continue from this checkpoint instead of day 0.
  const CheckpointReader* restart = nullptr;
  /// End after this day, writing a checkpoint (-1: run to the end). For wall-time slices and tests.
  int stop_after_day = -1;
  /// Polled after each day: a signal number when the run must stop (SIGTERM of a batch system).
  std::function<int()> stop_signal{};
  /// Called on every rank after a stop was requested and any checkpoint written; must throw.
  std::function<void(int signal, bool checkpointed)> on_stop{};
};

/// Models opt in to multi-rank runs: their begin_day touches only the rows it appends (each
/// rank stores only its own), emits its events in agent order, and end_day reads only the
/// totals and model state (docs/hpc.md, "Models on several ranks").
template <class Model>
concept PartitionableModel = Model::kPartitionable;
/// Models with limited capacities (sim/model.hpp, CapacityClaim).
template <class Model>
concept CapacityModel = requires(Model& m, const Model& cm, const DayContext& ctx, AgentStore& s,
                                 const CapacityClaim& c, ThreadSink& sink) {
  { cm.capacities(ctx) } -> std::convertible_to<std::vector<std::int64_t>>;
  m.resolve(ctx, s, c, true, sink);
};
template <class Model>
concept CheckpointableModel = requires(Model& m, const Model& cm, hid_t g) {
  cm.save_state(g);
  m.load_state(g);
};

template <class Model>
class Engine {
 public:
  Engine(const Scenario& scenario, Model& model, EngineOptions options)
      : scenario_(scenario), model_(model), opt_(std::move(options)) {
    if (opt_.threads < 1) opt_.threads = 1;
    model_.declare(setup_, store_);
    if (opt_.cluster && opt_.cluster->size() > 1) {
      if constexpr (!PartitionableModel<Model>)
        throw InputError(fmt::format("model '{}' cannot run on several ranks yet (docs/hpc.md); run it with one rank",
                                     scenario_.model));
      store_.set_partition(static_cast<std::uint32_t>(opt_.cluster->size()),
                           static_cast<std::uint32_t>(opt_.cluster->rank()));
    }
    if (opt_.checkpoint_every > 0 || opt_.restart || opt_.stop_after_day >= 0) {
      if constexpr (!CheckpointableModel<Model>)
        throw InputError(fmt::format("model '{}' has no checkpoint support yet (docs/hpc.md)", scenario_.model));
    }
  }

  const ModelSetup& setup() const { return setup_; }
  AgentStore& store() { return store_; }

  /// Runs the whole calendar; `out` may be null (nothing written). On several ranks only
  /// rank 0 passes an output; every rank must call run().
  RunStats run(RunOutput* out) {
    const auto t0 = std::chrono::steady_clock::now();
    const Calendar& cal = scenario_.calendar;
    const int T = opt_.threads;
    Cluster* const cl = opt_.cluster && opt_.cluster->size() > 1 ? opt_.cluster : nullptr;
    if (out) out->declare(setup_, store_, cal);
    // Whether rank 0 writes (the other ranks must then take part in the gathers).
    bool writes = out != nullptr;
    if (cl) {
      std::int64_t w = writes ? 1 : 0;
      cl->allreduce_sum(&w, 1);
      writes = w > 0;
    }

    const std::uint64_t kinds = event_kind_mask(scenario_.output, setup_.event_kinds, scenario_.model);
    const auto prepare = [&](ThreadSink& s) {
      s.tally.resize(setup_.series.cells());
      s.events.set_enabled(opt_.events);
      s.events.set_kinds(kinds);
    };
    ThreadSink serial;
    prepare(serial);
    std::vector<ThreadSink> sinks(static_cast<std::size_t>(T));
    for (auto& s : sinks) prepare(s);
    // The resolution of limited capacities after the step (models with CapacityModel only).
    ThreadSink resolved;
    prepare(resolved);
    Tally totals;
    totals.resize(setup_.series.cells());

    RunStats stats;
    stats.days = cal.days();
    std::uint64_t pending_final = 0;  // finished agents still in the store (this rank's)
    std::uint64_t global_pending = 0, global_size = 0;  // the same over all ranks
    int first_day = 0;
    if (opt_.restart) {
      const EngineState st = opt_.restart->engine_state();
      opt_.restart->load_store(store_);  // keeps only this rank's agents when partitioned
      if constexpr (CheckpointableModel<Model>) model_.load_state(opt_.restart->model_group());
      first_day = st.next_day;
      stats.agent_steps = st.agent_steps;
      const std::uint8_t* state = store_.states();
      for (std::size_t i = 0; i < store_.size(); ++i) pending_final += setup_.is_final[state[i]] ? 1 : 0;
    }
    // Multi-rank: the day's flat tally plus four counters, summed by one MPI_Allreduce.
    enum : std::size_t { kSteps, kPending, kSize, kStop, kCounters };
    std::vector<std::int64_t> exchange(cl ? setup_.series.cells() + kCounters : 0);

    for (int day = first_day; day < cal.days(); ++day) {
      DayContext ctx{day, cal.date_of(day), cal.days(), scenario_.seed};
      serial.clear();
      model_.begin_day(ctx, store_, serial);
      pending_final += serial.finished;

      const std::size_t n = store_.size();
      const std::uint64_t inactive = pending_final;  // finished rows are skipped by step()
#pragma omp parallel num_threads(T)
      {
        const int t = omp_get_thread_num();
        const int nt = omp_get_num_threads();
        ThreadSink& sink = sinks[static_cast<std::size_t>(t)];
        sink.clear();
        const std::size_t begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(nt);
        const std::size_t end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(nt);
        model_.step(ctx, store_, begin, end, sink);
      }

      resolved.clear();
      if constexpr (CapacityModel<Model>) resolve_capacities(ctx, cl, sinks, resolved);

      totals.clear();
      totals.accumulate(serial.tally);
      for (auto& s : sinks) {
        totals.accumulate(s.tally);
        pending_final += s.finished;
      }
      totals.accumulate(resolved.tally);
      pending_final += resolved.finished;
      std::uint64_t day_steps = n - inactive;
      int stop = 0;
      if (cl) {
        const int local_stop = opt_.stop_signal ? opt_.stop_signal() : 0;
        std::copy(totals.data(), totals.data() + totals.size(), exchange.begin());
        std::int64_t* c = exchange.data() + totals.size();
        c[kSteps] = static_cast<std::int64_t>(day_steps);
        c[kPending] = static_cast<std::int64_t>(pending_final);
        c[kSize] = static_cast<std::int64_t>(store_.size());
        c[kStop] = local_stop;
        const auto r0 = std::chrono::steady_clock::now();
        cl->allreduce_sum(exchange.data(), exchange.size());
        stats.reduce_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count();
        std::copy(exchange.begin(), exchange.begin() + static_cast<std::ptrdiff_t>(totals.size()), totals.data());
        day_steps = static_cast<std::uint64_t>(c[kSteps]);
        global_pending = static_cast<std::uint64_t>(c[kPending]);
        global_size = static_cast<std::uint64_t>(c[kSize]);
        // Every rank learns of a stop on the same day (a signal may reach the ranks at different times).
        if (c[kStop] != 0) stop = local_stop != 0 ? local_stop : 15;
      } else {
        global_pending = pending_final;
        global_size = store_.size();
      }
      model_.end_day(ctx, store_, totals);
      if (opt_.on_totals) opt_.on_totals(ctx, totals);
      stats.agent_steps += day_steps;
      if (out) out->append_day(day, totals);
      if (writes && opt_.events) {
        if (cl) {
          const auto g0 = std::chrono::steady_clock::now();
          const auto merged = merge_day_events(cl->gather(pack_day_events(serial, sinks, &resolved)));
          stats.gather_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
          if (out) out->append_events(std::span<const Event>(merged));
        } else if (out) {
          out->append_events(serial.events);
          for (auto& s : sinks) out->append_events(s.events);
          out->append_events(resolved.events);
        }
      }
      // Compact when finished rows are a noticeable share (or at the end): O(n) work, amortised.
      // On several ranks the decision uses the global counts, so that all ranks compact on the
      // same days as one process would, and the agent table comes out in the same order.
      if (global_pending > 0 && (global_pending * 8 >= global_size || day + 1 == cal.days())) {
        if (writes && opt_.write_agents) {
          const auto rows = store_.final_rows(setup_.is_final);
          if (cl) {
            const auto g0 = std::chrono::steady_clock::now();
            const AgentStore merged = gather_store(*cl, &rows);
            stats.gather_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
            if (out) out->append_all_agents(merged);
          } else if (out) {
            out->append_agents(store_, rows);
          }
        }
        store_.compact(setup_.is_final);
        pending_final = 0;
        global_size -= global_pending;
        global_pending = 0;
      }
      if (!cl) stop = opt_.stop_signal ? opt_.stop_signal() : 0;
      const bool stop_here = day == opt_.stop_after_day && day + 1 < cal.days();
      const bool periodic = opt_.checkpoint_every > 0 && (day + 1) % opt_.checkpoint_every == 0 && day + 1 < cal.days();
      const bool on_stop_checkpoint = stop != 0 && opt_.checkpoint_every > 0 && day + 1 < cal.days();
      if (periodic || stop_here || on_stop_checkpoint)
        write_checkpoint_now(cl, out, EngineState{day + 1, cl ? global_pending : pending_final, stats.agent_steps});
      if (stop != 0 || stop_here) {
        if (opt_.on_stop) opt_.on_stop(stop, periodic || stop_here || on_stop_checkpoint);
        throw std::logic_error("EngineOptions::on_stop must throw");
      }
      if (opt_.on_day) opt_.on_day(ctx, global_size - global_pending, stats.agent_steps);
    }
    if (writes && opt_.write_agents) {
      if (cl) {
        const AgentStore merged = gather_store(*cl, nullptr);
        if (out) out->append_all_agents(merged);
      } else if (out) {
        out->append_all_agents(store_);
      }
    }
    stats.agents = store_.next_id();
    if (out) out->drain();  // the run's time includes the writes still under way in the background
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
  }

 private:
  /// DESIGN decision 4: each pool's `capacity` lowest-ranked claims win, on any number of
  /// threads or ranks; the model then acts on every claim, in row (= agent) order.
  void resolve_capacities(const DayContext& ctx, Cluster* cl, std::vector<ThreadSink>& sinks, ThreadSink& out) {
    std::vector<const CapacityClaim*> claims;
    for (const auto& s : sinks)
      for (const auto& c : s.claims) claims.push_back(&c);  // threads hold increasing row blocks
    const std::vector<std::int64_t> capacity = model_.capacities(ctx);
    const std::vector<char> won = decide_claims(claims, capacity, ctx.seed, ctx.day, cl);
    for (std::size_t i = 0; i < claims.size(); ++i) model_.resolve(ctx, store_, *claims[i], won[i] != 0, out);
  }

  /// Rows of every rank (all rows when `rows` is null) on rank 0, in id order.
  static AgentStore gather_store(Cluster& cl, const std::vector<std::uint32_t>* rows_of, const AgentStore& store) {
    auto parts = cl.gather(store.pack(rows_of));
    if (!cl.root()) return AgentStore{};
    std::vector<AgentStore> stores;
    for (const auto& bytes : parts) {
      stores.push_back(store.empty_copy());
      stores.back().unpack_append(bytes);
    }
    return AgentStore::merge_by_id(stores);
  }
  AgentStore gather_store(Cluster& cl, const std::vector<std::uint32_t>* rows) const {
    return gather_store(cl, rows, store_);
  }
  void write_checkpoint_now(Cluster* cl, RunOutput* out, const EngineState& state) {
    std::function<void(hid_t)> save_model;
    if constexpr (CheckpointableModel<Model>) save_model = [this](hid_t g) { model_.save_state(g); };
    if (cl) {
      // Rank 0 writes one checkpoint holding every rank's agents, in id order; it can be
      // restarted on any number of ranks.
      const AgentStore all = gather_store(*cl, nullptr);
      if (cl->root()) write_checkpoint(opt_.checkpoint_path, out, all, state, save_model, opt_.provenance);
      cl->barrier();  // no rank goes on (or stops) before the checkpoint is in place
    } else {
      write_checkpoint(opt_.checkpoint_path, out, store_, state, save_model, opt_.provenance);
    }
  }

  const Scenario& scenario_;
  Model& model_;
  EngineOptions opt_;
  ModelSetup setup_;
  AgentStore store_;
};

}  // namespace corridor
