// models/flee/first_draws: the batch of first numbers and AgentDraws give exactly the numbers
// of RandomStream, so that the movement of agents does not depend on how it is computed.
#include <catch2/catch.hpp>

#include <vector>

#include "models/flee/first_draws.hpp"
#include "sim/rng.hpp"

using namespace corridor;
using namespace corridor::flee;

TEST_CASE("first_draws gives each stream's first number, for any batch length, seed, day and purpose", "[flee]") {
  std::vector<std::uint64_t> ids;
  for (std::uint64_t i = 0; i < 1000; ++i) ids.push_back(i * 0x9E3779B97F4A7C15ull);  // both words of the id vary
  for (std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{0xFFFFFFFF12345678ull}}) {
    for (std::uint32_t day : {0u, 7u, 100000u}) {
      for (std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{17}, ids.size()}) {
        std::vector<std::uint32_t> out(n);
        first_draws(ids.data(), n, seed, day, 1, out.data());
        for (std::size_t i = 0; i < n; ++i) {
          RandomStream r(seed, ids[i], day, 1);
          REQUIRE(out[i] == r.next_u32());
        }
      }
    }
  }
  std::uint32_t a = 0, b = 0;
  first_draws(ids.data() + 5, 1, 3, 9, 1, &a);
  first_draws(ids.data() + 5, 1, 3, 9, 2, &b);
  CHECK(a != b);  // the purpose is part of the counter
}

TEST_CASE("AgentDraws hands out the numbers of RandomStream in the same order", "[flee]") {
  for (std::uint64_t agent : {std::uint64_t{0}, std::uint64_t{42}, std::uint64_t{1} << 40}) {
    std::uint32_t first = 0;
    first_draws(&agent, 1, 11, 5, 1, &first);
    RandomStream ref(11, agent, 5, 1);
    AgentDraws d(first, 11, agent, 5, 1);
    // Mixed as movement uses them: a decision, a path draw, more of both, across blocks of four.
    CHECK(d.next_u32() == ref.next_u32());
    CHECK(d.uniform() == ref.uniform());
    for (int k = 0; k < 9; ++k) {
      CHECK(d.next_u32() == ref.next_u32());
      CHECK(d.uniform() == ref.uniform());
    }
    AgentDraws u(first, 11, agent, 5, 1);  // a path draw first (move chance 1: no decision draw)
    RandomStream ref2(11, agent, 5, 1);
    CHECK(u.uniform() == ref2.uniform());
    CHECK(u.next_u32() == ref2.next_u32());
  }
}
