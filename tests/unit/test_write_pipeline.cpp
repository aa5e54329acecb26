// Unit tests for sim/write_pipeline: jobs prepared on several threads, writes made one at a
// time in submission order; failures reach the caller; memory is bounded.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/write_pipeline.hpp"

using corridor::WritePipeline;
using namespace std::chrono_literals;

TEST_CASE("writes run in submission order, one at a time, however long their jobs take", "[output][writer]") {
  std::vector<int> seen;  // touched only by the writes, which never overlap
  std::atomic<int> writing{0}, overlap{0};
  {
    WritePipeline p(4, 1 << 20);
    std::mt19937 rng(3);
    for (int i = 0; i < 400; ++i) {
      const int delay_us = static_cast<int>(rng() % 300);
      p.submit(
          [&, i, delay_us]() -> WritePipeline::Write {
            std::this_thread::sleep_for(std::chrono::microseconds(delay_us));  // jobs finish out of order
            return [&, i] {
              if (writing++ != 0) ++overlap;
              seen.push_back(i);
              --writing;
            };
          },
          16);
    }
    p.post([&] { seen.push_back(-1); });
    p.drain();
    REQUIRE(seen.size() == 401);
    for (int i = 0; i < 400; ++i) REQUIRE(seen[static_cast<std::size_t>(i)] == i);
    CHECK(seen.back() == -1);
    CHECK(overlap == 0);
  }
}

TEST_CASE("jobs are prepared on several threads at once", "[output][writer]") {
  WritePipeline p(2, 1 << 20);
  std::atomic<int> running{0}, most{0};
  for (int i = 0; i < 8; ++i)
    p.submit(
        [&]() -> WritePipeline::Write {
          const int now = ++running;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::sleep_for(20ms);
          --running;
          return {};
        },
        0);
  p.drain();
  CHECK(most == 2);
}

TEST_CASE("a failed job or write reaches the caller, and nothing after it is written", "[output][writer]") {
  for (bool in_write : {false, true}) {
    WritePipeline p(2, 1 << 20);
    std::atomic<int> written{0};
    p.post([&] { ++written; });
    p.drain();
    p.submit(
        [&, in_write]() -> WritePipeline::Write {
          if (!in_write) throw std::runtime_error("encoding failed");
          return [] { throw std::runtime_error("cannot write x.h5 (events/day): No space left on device"); };
        },
        0);
    for (int i = 0; i < 20; ++i) {
      try {
        p.post([&] { ++written; });
      } catch (const std::runtime_error&) {  // refused once the failure is known
      }
    }
    REQUIRE_THROWS_AS(p.drain(), std::runtime_error);
    CHECK(written == 1);
    // The failure stays: whatever the caller does next fails the same way.
    REQUIRE_THROWS_AS(p.post([&] { ++written; }), std::runtime_error);
    CHECK(written == 1);
  }
}

TEST_CASE("submit holds the caller back while the pending jobs are over the byte budget", "[output][writer]") {
  std::atomic<bool> release{false};
  std::atomic<int> submitted{0};
  WritePipeline p(1, 100);
  // The first job blocks the only worker; the queue then takes jobs up to 100 bytes.
  p.submit(
      [&]() -> WritePipeline::Write {
        while (!release) std::this_thread::sleep_for(1ms);
        return {};
      },
      60);
  std::thread poster([&] {
    for (int i = 0; i < 4; ++i) {
      p.submit([]() -> WritePipeline::Write { return {}; }, 30);
      ++submitted;
    }
  });
  // 60 + 30 fits, 60 + 30 + 30 does not: the poster must stop after one job.
  for (int i = 0; i < 5000 && submitted < 1; ++i) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(100ms);
  CHECK(submitted == 1);
  release = true;
  poster.join();
  p.drain();
  CHECK(submitted == 4);
  // A job larger than the whole budget is accepted when nothing is pending.
  int ran = 0;
  p.post([&] { ++ran; });
  p.submit([&]() -> WritePipeline::Write { return [&] { ++ran; }; }, 1000);
  p.drain();
  CHECK(ran == 2);
}

TEST_CASE("a pipeline destroyed with work queued drops the jobs not yet started", "[output][writer]") {
  std::atomic<bool> release{false}, started{false};
  std::atomic<int> ran{0};
  std::thread releaser;
  {
    WritePipeline p(1, 1 << 20);
    p.submit(
        [&]() -> WritePipeline::Write {
          started = true;
          while (!release) std::this_thread::sleep_for(1ms);
          ++ran;
          return [&] { ++ran; };  // never made: the pipeline is going away
        },
        0);
    for (int i = 0; i < 10; ++i) p.post([&] { ++ran; });
    while (!started) std::this_thread::sleep_for(1ms);
    releaser = std::thread([&] {
      std::this_thread::sleep_for(100ms);
      release = true;
    });
  }  // waits for the running job, drops the rest
  releaser.join();
  CHECK(ran == 1);
}
