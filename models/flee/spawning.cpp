#include "models/flee/spawning.hpp"

#include <algorithm>

#include "models/flee/movement.hpp"
#include "sim/rng.hpp"

namespace corridor::flee {

DataSpawner::DataSpawner(const ValidationData& data, const FleeSettings& s)
    : data_(data), insert_day0_(s.insert_day0), sum_from_camps_(s.sum_from_camps) {}

std::int64_t DataSpawner::count(int day) const {
  if (!sum_from_camps_ && data_.total) return data_.total->at(day);
  std::int64_t n = 0;
  // Each camp truncated first, as the reference; data_layout.csv names that are not camps of
  // the network count too (the reference sums every row but `total`).
  for (const auto& s : data_.series) n += s.at(day);
  for (const auto& s : data_.uncompared) n += s.at(day);
  return n;
}

std::int64_t DataSpawner::delta(int day) const { return day == 0 ? count(0) : count(day) - count(day - 1); }

std::int64_t DataSpawner::advance(int day, bool can_place) {
  // Day 0 with insert_day0: the camps are already filled, nobody new arrives.
  std::int64_t n = (day == 0 && insert_day0_) ? 0 : delta(day) - debt_;
  if (n < 0) {
    debt_ = -n;
    return 0;
  }
  debt_ = 0;
  if (!can_place) {
    debt_ = -n;
    return 0;
  }
  return n;
}

std::uint32_t pick_spawn_location(const std::vector<double>& cum, double u) {
  const double x = u * cum.back();
  auto it = std::upper_bound(cum.begin(), cum.end(), x);
  if (it == cum.end()) {
    // u x total rounded up to total: the last location with weight.
    it = cum.end() - 1;
    while (it != cum.begin() && *it == *(it - 1)) --it;
  }
  return static_cast<std::uint32_t>(it - cum.begin());
}

std::uint32_t spawn_location(const std::vector<double>& cum, std::uint64_t seed, std::uint64_t agent, int day) {
  RandomStream rng(seed, agent, static_cast<std::uint32_t>(day), kSpawnPurpose);
  return pick_spawn_location(cum, rng.uniform());
}

}  // namespace corridor::flee
