#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/background_writer.hpp"

using corridor::BackgroundWriter;
using namespace std::chrono_literals;

TEST_CASE("background writer runs tasks in the order they were posted", "[output][writer]") {
  std::vector<int> seen;  // touched only by the worker until drain() returns
  {
    BackgroundWriter w(1 << 20);
    for (int i = 0; i < 1000; ++i) w.post([&seen, i] { seen.push_back(i); }, 16);
    w.drain();
    REQUIRE(seen.size() == 1000);
    for (int i = 0; i < 1000; ++i) REQUIRE(seen[static_cast<std::size_t>(i)] == i);
  }
}

TEST_CASE("background writer rethrows a task's failure on the caller's thread and skips later tasks",
          "[output][writer]") {
  BackgroundWriter w(1 << 20);
  std::atomic<int> ran{0};
  std::atomic<bool> release{false};
  // The first task holds the worker until all three are queued: otherwise the failure can
  // happen before the third post(), which then (rightly) throws it instead of queueing.
  w.post([&] {
    while (!release) std::this_thread::sleep_for(1ms);
    ++ran;
  }, 0);
  w.post([] { throw std::runtime_error("HDF5: append rows failed"); }, 0);
  w.post([&] { ++ran; }, 0);
  release = true;
  REQUIRE_THROWS_WITH(w.drain(), "HDF5: append rows failed");
  CHECK(ran == 1);
  // The failure stays: whatever the caller does next with the writer fails the same way.
  REQUIRE_THROWS_AS(w.post([&] { ++ran; }, 0), std::runtime_error);
  CHECK(ran == 1);
}

TEST_CASE("background writer holds the poster back while the queue is over its byte budget", "[output][writer]") {
  std::atomic<bool> release{false};
  std::atomic<int> posted{0};
  BackgroundWriter w(100);
  // The first task blocks the worker; the queue then takes tasks up to 100 bytes.
  w.post([&] {
    while (!release) std::this_thread::sleep_for(1ms);
  }, 60);
  std::thread poster([&] {
    for (int i = 0; i < 4; ++i) {
      w.post([] {}, 30);
      ++posted;
    }
  });
  // 60 + 30 fits, 60 + 30 + 30 does not: the poster must stop after one task.
  for (int i = 0; i < 5000 && posted < 1; ++i) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(100ms);
  CHECK(posted == 1);
  release = true;
  poster.join();
  w.drain();
  CHECK(posted == 4);
}

TEST_CASE("background writer accepts a task larger than its budget when the queue is empty", "[output][writer]") {
  BackgroundWriter w(10);
  int ran = 0;
  w.post([&] { ++ran; }, 1000);
  w.drain();
  CHECK(ran == 1);
}

TEST_CASE("background writer destroyed with work queued drops the tasks not yet started", "[output][writer]") {
  std::atomic<bool> release{false};
  std::atomic<bool> started{false};
  std::atomic<int> ran{0};
  std::thread releaser;
  {
    BackgroundWriter w(1 << 20);
    w.post([&] {
      started = true;
      while (!release) std::this_thread::sleep_for(1ms);
      ++ran;
    }, 0);
    for (int i = 0; i < 10; ++i) w.post([&] { ++ran; }, 0);
    while (!started) std::this_thread::sleep_for(1ms);
    // The first task is still blocked when the destructor runs; it is let go only later.
    releaser = std::thread([&] {
      std::this_thread::sleep_for(100ms);
      release = true;
    });
  }  // waits for the running task, drops the ten queued ones
  releaser.join();
  CHECK(ran == 1);
}
