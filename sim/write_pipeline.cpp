#include "sim/write_pipeline.hpp"

#include <omp.h>

#include <algorithm>

namespace corridor {

WritePipeline::WritePipeline(int workers, std::size_t max_pending_bytes) : max_pending_bytes_(max_pending_bytes) {
  workers = std::max(1, workers);
  threads_.reserve(static_cast<std::size_t>(workers));
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

WritePipeline::~WritePipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  has_job_.notify_all();
  has_room_.notify_all();
  for (auto& t : threads_) t.join();
}

void WritePipeline::rethrow_locked(std::unique_lock<std::mutex>& lock) {
  if (!error_) return;
  std::exception_ptr e = error_;
  lock.unlock();
  std::rethrow_exception(e);
}

void WritePipeline::fail_locked(std::exception_ptr e) {
  if (!error_) error_ = e;
  // Nothing after a failure is written: drop what no worker has started.
  while (slots_.size() > taken_) {
    pending_bytes_ -= slots_.back()->bytes;
    slots_.pop_back();
  }
}

void WritePipeline::submit(Job job, std::size_t bytes) {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return error_ || slots_.empty() || pending_bytes_ + bytes <= max_pending_bytes_; });
  rethrow_locked(lock);
  auto slot = std::make_shared<Slot>();
  slot->job = std::move(job);
  slot->bytes = bytes;
  slots_.push_back(std::move(slot));
  pending_bytes_ += bytes;
  lock.unlock();
  has_job_.notify_one();
}

void WritePipeline::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return (slots_.empty() || error_) && running_ == 0 && !writing_; });
  rethrow_locked(lock);
}

void WritePipeline::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    has_job_.wait(lock, [&] { return stopping_ || taken_ < slots_.size(); });
    if (stopping_) return;
    std::shared_ptr<Slot> slot = slots_[taken_++];
    ++running_;
    lock.unlock();
    std::exception_ptr failure;
    try {
      slot->write = slot->job();
    } catch (...) {
      failure = std::current_exception();
    }
    slot->job = nullptr;  // frees the job's data outside the lock
    lock.lock();
    --running_;
    slot->prepared = true;
    if (failure) fail_locked(failure);
    // Whoever finds the head prepared and nobody writing makes the writes, in order.
    while (!writing_ && !error_ && !stopping_ && !slots_.empty() && slots_.front()->prepared) {
      writing_ = true;
      while (!error_ && !stopping_ && !slots_.empty() && slots_.front()->prepared) {
        std::shared_ptr<Slot> head = std::move(slots_.front());
        slots_.pop_front();
        --taken_;
        lock.unlock();
        std::exception_ptr write_failure;
        try {
          if (head->write) head->write();
        } catch (...) {
          write_failure = std::current_exception();
        }
        head->write = nullptr;
        lock.lock();
        pending_bytes_ -= head->bytes;
        if (write_failure) fail_locked(write_failure);
        has_room_.notify_all();
      }
      writing_ = false;
    }
    if (error_) {
      // A failed pipeline writes nothing more: the slots already taken are dropped as their
      // workers finish (their writes are never made).
      while (!slots_.empty() && slots_.front()->prepared) {
        pending_bytes_ -= slots_.front()->bytes;
        slots_.pop_front();
        --taken_;
      }
      has_room_.notify_all();
    }
    if ((slots_.empty() || error_) && running_ == 0 && !writing_) idle_.notify_all();
  }
}

int default_write_workers(int ranks_on_node) {
  return std::max(1, omp_get_num_procs() / std::max(1, ranks_on_node));
}

}  // namespace corridor
