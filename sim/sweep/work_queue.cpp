#include "sim/sweep/work_queue.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "sim/stop_signal.hpp"

namespace corridor {

namespace {

enum Message : std::int64_t { kRequest = 1, kDone = 2, kFinished = 3 };

void pause_briefly() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

}  // namespace

QueueResult work_for_root(Cluster& cluster, Launcher& launcher) {
  bool no_more = false, stopping = false;
  for (;;) {
    for (const auto& f : launcher.reap())
      cluster.send(0, std::vector<std::int64_t>{kDone, static_cast<std::int64_t>(f.index),
                                                static_cast<std::int64_t>(f.outcome),
                                                static_cast<std::int64_t>(f.wall_s * 1000), f.exit_code});
    if (stop_signal() && !stopping) {
      stopping = no_more = true;
      launcher.terminate_all();
    }
    if (!no_more && launcher.has_free_slot()) {
      cluster.send(0, std::vector<std::int64_t>{kRequest});
      const auto reply = cluster.receive(0);
      if (reply.at(0) < 0) no_more = true;
      else launcher.start(static_cast<std::size_t>(reply[0]));
      continue;
    }
    if (no_more && launcher.idle()) {
      cluster.send(0, std::vector<std::int64_t>{kFinished});
      break;
    }
    pause_briefly();
  }
  return QueueResult{0, 0, stop_signal()};
}

QueueResult serve_runs(Cluster& cluster, const SweepPlan& plan, const std::filesystem::path& dir,
                       const std::vector<std::size_t>& todo, IndexKeeper& index, Launcher& launcher,
                       const std::vector<std::string>& hosts) {
  QueueResult result;
  for (const auto& r : index.rows()) result.done += r.status == "done" ? 1 : 0;
  std::size_t next = 0;
  int finished_workers = 0;
  bool stopping = false;
  auto record = [&](const FinishedRun& f, int rank) {
    IndexRow& row = index.row(f.index);
    row.status = outcome_name(f.outcome);
    row.wall_s = f.wall_s;
    row.exit_code = f.exit_code;
    row.host = hosts.at(static_cast<std::size_t>(rank));
    if (f.outcome == RunOutcome::kDone) ++result.done;
    else ++result.failed;
    const SweepRun& run = plan.runs[f.index];
    fmt::print(stderr, "sweep: {} {} ({}, replicate {}) in {:.1f} s{}\n", run.id, row.status, run.scenario,
               run.replicate, f.wall_s,
               f.outcome == RunOutcome::kDone
                   ? ""
                   : fmt::format(" (exit {}; log {})", f.exit_code, (dir / "logs" / (run.id + ".log")).string()));
    index.save();
  };
  auto mark_running = [&](std::size_t idx, int rank) {
    index.row(idx).status = "running";
    index.row(idx).host = hosts.at(static_cast<std::size_t>(rank));
    index.save();
  };
  for (;;) {
    bool busy = false;
    int from = 0;
    std::vector<std::int64_t> m;
    while (cluster.size() > 1 && cluster.try_receive(from, m)) {
      busy = true;
      if (m.at(0) == kRequest) {
        std::int64_t idx = -1;
        if (!stopping && next < todo.size()) {
          idx = static_cast<std::int64_t>(todo[next++]);
          mark_running(static_cast<std::size_t>(idx), from);
        }
        cluster.send(from, std::vector<std::int64_t>{idx});
      } else if (m.at(0) == kDone) {
        record(FinishedRun{static_cast<std::size_t>(m.at(1)), static_cast<RunOutcome>(m.at(2)),
                           static_cast<double>(m.at(3)) / 1000.0, static_cast<int>(m.at(4))},
               from);
      } else if (m.at(0) == kFinished) {
        ++finished_workers;
      }
    }
    for (const auto& f : launcher.reap()) {
      busy = true;
      record(f, 0);
    }
    if (stop_signal() && !stopping) {
      stopping = true;
      launcher.terminate_all();
    }
    while (!stopping && launcher.has_free_slot() && next < todo.size()) {
      mark_running(todo[next], 0);
      launcher.start(todo[next++]);
      busy = true;
    }
    if (finished_workers == cluster.size() - 1 && launcher.idle() && (stopping || next == todo.size())) break;
    index.catch_up();
    if (!busy) pause_briefly();
  }
  // Runs never started stay pending; interrupted ones were recorded as such.
  if (stopping)
    for (std::size_t k = next; k < todo.size(); ++k) index.row(todo[k]) = IndexRow{};
  index.flush();
  result.signal = stop_signal();
  return result;
}

}  // namespace corridor
