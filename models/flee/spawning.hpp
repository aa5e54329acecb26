#pragma once
// Data-driven spawning (docs/flee-rules.md "Spawning"). Day 0: each camp holds its day-0 count
// (insert_day0). Each later day: new agents = Delta(t) - debt, with Delta(t) the day-to-day
// change of the summed counts of every data_layout.csv row but `total` (the network's camps
// and, as the reference sums them too, names it does not compare); a negative result becomes
// the debt that later days pay off, as the reference does. New agents start at conflict zones drawn with probability
// proportional to population x intensity x decay.
#include <cstdint>
#include <vector>

#include "models/flee/case.hpp"

namespace corridor::flee {

class DataSpawner {
 public:
  DataSpawner(const ValidationData& data, const FleeSettings& s);

  /// Summed UNHCR count on `day` (the camps, or the `total` file when !sum_from_camps).
  std::int64_t count(int day) const;
  /// Delta(day): the change of count() from day - 1; on day 0, the day-0 count itself.
  std::int64_t delta(int day) const;

  /// The agents to create on `day` (days in increasing order, each once). When
  /// `can_place` is false (no conflict zone with weight), the agents are owed to later days:
  /// the debt goes negative by that number.
  std::int64_t advance(int day, bool can_place = true);
  std::int64_t debt() const { return debt_; }

 private:
  const ValidationData& data_;
  bool insert_day0_, sum_from_camps_;
  std::int64_t debt_ = 0;
};

/// Picks a spawn location: the first location whose cumulative weight exceeds u x total.
/// `cum` is the cumulative spawn weight per location; requires total > 0.
std::uint32_t pick_spawn_location(const std::vector<double>& cum, double u);

}  // namespace corridor::flee
