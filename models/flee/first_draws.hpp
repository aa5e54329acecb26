#pragma once
// The first random number of many agents' streams at once. Most agents of a Flee case sit in
// a camp and need exactly one number a day: the draw that decides whether they move. Computing
// it for a batch of agents in one loop over plain arrays lets the compiler vectorize
// Philox4x32-10 (several agents per instruction); the scalar RandomStream then serves only the
// agents that go on to draw more. The numbers are the very ones RandomStream gives
// (tests/unit/test_flee_first_draws.cpp), so results do not change.
#include <cstddef>
#include <cstdint>

#include "sim/rng.hpp"

namespace corridor::flee {

/// out[i] = RandomStream(seed, ids[i], day, purpose).next_u32(), for i < n.
void first_draws(const std::uint64_t* ids, std::size_t n, std::uint64_t seed, std::uint32_t day,
                 std::uint16_t purpose, std::uint32_t* out);

/// An agent's stream of the day whose first number came from first_draws: it hands that number
/// out first and creates the RandomStream only when a second one is asked for (skipping the
/// first). Same numbers, in the same order, as RandomStream(seed, agent, day, purpose).
class AgentDraws {
 public:
  AgentDraws(std::uint32_t first, std::uint64_t seed, std::uint64_t agent, std::uint32_t day, std::uint16_t purpose)
      : first_(first), rest_(seed, agent, day, purpose) {}

  std::uint32_t next_u32() {
    if (!used_first_) {
      used_first_ = true;
      return first_;
    }
    if (!rest_started_) {
      rest_started_ = true;
      rest_.next_u32();  // the first number, handed out already
    }
    return rest_.next_u32();
  }

  /// Uniform double in [0, 1), as RandomStream::uniform() builds it from two numbers.
  double uniform() {
    const std::uint64_t a = next_u32() >> 5, b = next_u32() >> 6;  // 27 + 26 bits
    return static_cast<double>((a << 26) | b) * 0x1.0p-53;
  }

 private:
  std::uint32_t first_;
  bool used_first_ = false, rest_started_ = false;
  RandomStream rest_;
};

}  // namespace corridor::flee
