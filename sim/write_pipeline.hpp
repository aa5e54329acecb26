#pragma once
// Worker threads that prepare writes in parallel and carry them out one at a time, in the
// order they were submitted. RunOutput submits every chunk of the result file as a job:
// encoding it (scale-offset, shuffle, deflate: sim/chunk_codec.hpp) runs on any free worker,
// alongside the simulation, and the write it returns (HDF5's direct chunk write) runs after
// the writes of every earlier job. So the file is the same as if each chunk were written on
// the spot, while the chunks of a day compress on several cores (docs/benchmarks.md).
//
// Memory is bounded: submit() blocks while the jobs not yet written hold more than
// `max_pending_bytes`. The first exception a job or a write throws is kept; the jobs and writes
// not yet started are dropped, and the next submit(), drain() or the destructor's caller sees
// it on its own thread (the file is not going to be finished).
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace corridor {

class WritePipeline {
 public:
  using Write = std::function<void()>;
  using Job = std::function<Write()>;

  WritePipeline(int workers, std::size_t max_pending_bytes);
  /// Drops the jobs not yet started and the writes not yet made, waits for running jobs, joins.
  ~WritePipeline();
  WritePipeline(const WritePipeline&) = delete;
  WritePipeline& operator=(const WritePipeline&) = delete;

  /// Queues `job`, which holds about `bytes` of data; its returned write (may be empty) runs
  /// after every earlier job's. Blocks while over budget (a job larger than the budget is
  /// accepted when nothing is pending). Rethrows an earlier failure.
  void submit(Job job, std::size_t bytes);
  /// A write with nothing to prepare (an attribute, a flush), in order with the chunks.
  void post(Write write) {
    submit([w = std::move(write)]() mutable { return std::move(w); }, 0);
  }
  /// Waits until every job submitted so far is written, then rethrows a failure if any.
  void drain();
  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  struct Slot {
    Job job;
    Write write;
    std::size_t bytes = 0;
    bool prepared = false;
  };
  void work();
  void fail_locked(std::exception_ptr e);
  void rethrow_locked(std::unique_lock<std::mutex>& lock);

  const std::size_t max_pending_bytes_;
  std::mutex mutex_;
  std::condition_variable has_job_, has_room_, idle_;
  /// Submitted and not yet written, in submission order; slots_[0 .. taken_) were taken by a worker.
  std::deque<std::shared_ptr<Slot>> slots_;
  std::size_t taken_ = 0;
  std::size_t pending_bytes_ = 0;
  int running_ = 0;       ///< jobs being prepared right now
  bool writing_ = false;  ///< a worker is making the writes at the head of the queue
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;  // last: started once every member above exists
};

/// Worker threads for the writes of one process: its cores (OpenMP's view, which honours the
/// affinity mask) shared by the MPI ranks on the node, at least one.
int default_write_workers(int ranks_on_node);

}  // namespace corridor
