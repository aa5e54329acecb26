#pragma once
// One background thread that runs tasks in the order they were posted. RunOutput hands it
// every HDF5 write after the file is declared, so that compressing and writing day d's
// events overlaps the simulation of day d+1 instead of stalling it: with events on, the
// writes cost more than the simulation itself (docs/benchmarks.md).
//
// Order is what makes the file identical to a synchronous write: one worker, FIFO. Memory is
// bounded: post() blocks while the tasks waiting hold more than `max_pending_bytes`.
// The first exception a task throws is kept; later tasks are skipped, and the next post(),
// drain() or rethrow() throws it on the caller's thread, as it was.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace corridor {

class BackgroundWriter {
 public:
  explicit BackgroundWriter(std::size_t max_pending_bytes);
  /// Discards tasks not yet started, waits for the running one, joins the thread.
  ~BackgroundWriter();
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  /// Queues `task`, which owns about `bytes` of data; blocks while the queue is over budget
  /// (a single task larger than the budget is accepted when the queue is empty).
  void post(std::function<void()> task, std::size_t bytes);
  /// Waits until every posted task has run, then rethrows a task's failure if there was one.
  void drain();

 private:
  struct Item {
    std::function<void()> task;
    std::size_t bytes;
  };
  void work();
  void rethrow_locked(std::unique_lock<std::mutex>& lock);
  void discard_queue_locked();

  const std::size_t max_pending_bytes_;
  std::mutex mutex_;
  std::condition_variable has_work_, has_room_, idle_;
  std::deque<Item> queue_;
  std::size_t pending_bytes_ = 0;
  bool running_task_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once every member above exists
};

}  // namespace corridor
