// Unit tests for sim/memory_estimate: the up-front estimate of a run's memory and the refusal
// of a run that cannot fit.
#include <catch2/catch.hpp>

#include "sim/memory_estimate.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::MemoryNeed;
using corridor::RunShape;
using corridor::test::input_error_of;

TEST_CASE("the estimate grows with agents, row width, threads and events, and saturates", "[memory]") {
  MemoryNeed need{1'000'000, 4096, "test"};
  RunShape shape;
  shape.bytes_per_agent = 20;
  shape.series_cells = 100;
  shape.threads = 2;
  const auto e = corridor::estimate_memory(need, shape);
  // 1e6 agents x (20 B x 2 + 8) + 100 cells x 8 B x (2 + 4) + model tables + the program.
  CHECK(e.bytes == 1'000'000ull * 48 + 100 * 8 * 6 + 4096 + corridor::kProcessBytes);
  shape.events = true;
  CHECK(corridor::estimate_memory(need, shape).bytes == e.bytes + 1'000'000ull * 64);
  shape.events = false;
  shape.ranks = 4;
  CHECK(corridor::estimate_memory(need, shape).agents_per_rank == 250'000);
  MemoryNeed absurd{~0ull, 0, "absurd"};
  CHECK(corridor::estimate_memory(absurd, shape).bytes == ~0ull);
}

TEST_CASE("a run that cannot fit is refused, saying how much it needs and why, unless forced", "[memory]") {
  MemoryNeed need{100'000'000, 0, "markov.initial: 100000000 agents"};
  RunShape shape;
  shape.bytes_per_agent = 17;
  const auto e = corridor::estimate_memory(need, shape);
  CHECK_NOTHROW(corridor::check_memory(need, e, e.bytes, false));
  const std::string msg = input_error_of([&] { corridor::check_memory(need, e, e.bytes / 2, false); });
  CHECK_THAT(msg, Contains("the run needs about 4.0 GiB of memory but 2.0 GiB is available"));
  CHECK_THAT(msg, Contains("estimated from markov.initial: 100000000 agents"));
  CHECK_THAT(msg, Contains("--no-memory-check"));
  CHECK_NOTHROW(corridor::check_memory(need, e, e.bytes / 2, true));
  CHECK_NOTHROW(corridor::check_memory(need, e, std::nullopt, false));
  // More rows than 32-bit row indices hold: no flag lifts it.
  MemoryNeed huge{5'000'000'000ull, 0, "huge"};
  const auto h = corridor::estimate_memory(huge, shape);
  CHECK_THAT(input_error_of([&] { corridor::check_memory(huge, h, std::nullopt, true); }),
             Contains("at most 4294967295 fit"));
  shape.ranks = 2;
  CHECK_NOTHROW(corridor::check_memory(huge, corridor::estimate_memory(huge, shape), std::nullopt, true));
  CHECK(corridor::available_memory().value_or(1) > 0);
}
