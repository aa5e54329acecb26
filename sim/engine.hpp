#pragma once
// The day loop (DESIGN decisions 4-5): spawn (serial) -> step every agent (OpenMP over
// contiguous blocks of rows, thread-local tallies and events) -> reduce tallies once ->
// model's end of day -> write -> compact finished agents.
//
// Determinism: every draw is keyed by (seed, agent, day, purpose); tallies are integers;
// thread t steps rows [n*t/T, n*(t+1)/T) and event buffers are joined in thread order, so
// output is identical for any thread count.
#include <omp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "sim/agents.hpp"
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
};

template <class Model>
class Engine {
 public:
  Engine(const Scenario& scenario, Model& model, EngineOptions options)
      : scenario_(scenario), model_(model), opt_(std::move(options)) {
    if (opt_.threads < 1) opt_.threads = 1;
    model_.declare(setup_, store_);
  }

  const ModelSetup& setup() const { return setup_; }
  AgentStore& store() { return store_; }

  /// Runs the whole calendar; `out` may be null (nothing written).
  RunStats run(RunOutput* out) {
    const auto t0 = std::chrono::steady_clock::now();
    const Calendar& cal = scenario_.calendar;
    const int T = opt_.threads;
    if (out) out->declare(setup_, store_, cal);

    ThreadSink serial;
    serial.tally.resize(setup_.series.cells());
    serial.events.set_enabled(opt_.events);
    std::vector<ThreadSink> sinks(static_cast<std::size_t>(T));
    for (auto& s : sinks) {
      s.tally.resize(setup_.series.cells());
      s.events.set_enabled(opt_.events);
    }
    Tally totals;
    totals.resize(setup_.series.cells());

    RunStats stats;
    stats.days = cal.days();
    std::uint64_t pending_final = 0;  // finished agents still in the store
    for (int day = 0; day < cal.days(); ++day) {
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

      totals.clear();
      totals.accumulate(serial.tally);
      for (auto& s : sinks) {
        totals.accumulate(s.tally);
        pending_final += s.finished;
      }
      model_.end_day(ctx, store_, totals);
      if (opt_.on_totals) opt_.on_totals(ctx, totals);
      stats.agent_steps += n - inactive;
      if (out) {
        out->append_day(day, totals);
        out->append_events(serial.events);
        for (auto& s : sinks) out->append_events(s.events);
      }
      // Compact when finished rows are a noticeable share (or at the end): O(n) work, amortised.
      if (pending_final > 0 && (pending_final * 8 >= store_.size() || day + 1 == cal.days())) {
        if (out && opt_.write_agents) {
          const auto rows = store_.final_rows(setup_.is_final);
          out->append_agents(store_, rows);
        }
        store_.compact(setup_.is_final);
        pending_final = 0;
      }
      if (opt_.on_day) opt_.on_day(ctx, store_.size() - pending_final, stats.agent_steps);
    }
    if (out && opt_.write_agents) out->append_all_agents(store_);
    stats.agents = store_.next_id();
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
  }

 private:
  const Scenario& scenario_;
  Model& model_;
  EngineOptions opt_;
  ModelSetup setup_;
  AgentStore store_;
};

}  // namespace corridor
