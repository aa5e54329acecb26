#include "sim/background_writer.hpp"

namespace corridor {

BackgroundWriter::BackgroundWriter(std::size_t max_pending_bytes)
    : max_pending_bytes_(max_pending_bytes), thread_([this] { work(); }) {}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    discard_queue_locked();
  }
  has_work_.notify_all();
  has_room_.notify_all();
  thread_.join();
}

void BackgroundWriter::discard_queue_locked() {
  for (const auto& item : queue_) pending_bytes_ -= item.bytes;
  queue_.clear();
}

void BackgroundWriter::rethrow_locked(std::unique_lock<std::mutex>& lock) {
  if (!error_) return;
  std::exception_ptr e = error_;
  lock.unlock();
  std::rethrow_exception(e);
}

void BackgroundWriter::post(std::function<void()> task, std::size_t bytes) {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return error_ || queue_.empty() || pending_bytes_ + bytes <= max_pending_bytes_; });
  rethrow_locked(lock);
  queue_.push_back(Item{std::move(task), bytes});
  pending_bytes_ += bytes;
  lock.unlock();
  has_work_.notify_one();
}

void BackgroundWriter::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && !running_task_; });
  rethrow_locked(lock);
}

void BackgroundWriter::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    has_work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    running_task_ = true;
    lock.unlock();
    std::exception_ptr failure;
    try {
      item.task();
    } catch (...) {
      failure = std::current_exception();
    }
    item.task = nullptr;  // frees the task's data outside the lock
    lock.lock();
    running_task_ = false;
    pending_bytes_ -= item.bytes;
    if (failure && !error_) error_ = failure;
    if (error_) discard_queue_locked();  // skip the rest: the file is not going to be finished
    has_room_.notify_all();
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace corridor
