#include "models/flee/validation_metric.hpp"

#include <algorithm>
#include <cmath>

namespace corridor::flee {

double relative_difference(std::span<const std::int64_t> sim, std::span<const std::int64_t> data) {
  double diff = 0, total = 0;
  for (std::size_t c = 0; c < sim.size(); ++c) {
    diff += std::fabs(static_cast<double>(sim[c] - data[c]));
    total += static_cast<double>(data[c]);
  }
  return diff / std::max(total, 1.0);
}

double relative_difference_rescaled(std::span<const std::int64_t> sim, std::span<const std::int64_t> data) {
  double sim_total = 0, data_total = 0;
  for (std::size_t c = 0; c < sim.size(); ++c) {
    sim_total += static_cast<double>(sim[c]);
    data_total += static_cast<double>(data[c]);
  }
  if (!(sim_total > 0)) return relative_difference(sim, data);
  const double k = data_total / sim_total;
  double diff = 0;
  for (std::size_t c = 0; c < sim.size(); ++c)
    diff += std::fabs(k * static_cast<double>(sim[c]) - static_cast<double>(data[c]));
  return diff / std::max(data_total, 1.0);
}

double camp_error(std::int64_t sim, std::int64_t data) {
  if (data == 0) return 0.0;
  return std::fabs(static_cast<double>(sim) / static_cast<double>(data) - 1.0);
}

ArdSummary averaged_relative_difference(const std::vector<std::int64_t>& sim, const std::vector<std::int64_t>& data,
                                        std::size_t camps) {
  ArdSummary s;
  if (camps == 0) return s;
  const std::size_t days = sim.size() / camps;
  for (std::size_t d = 0; d < days; ++d) {
    const std::span<const std::int64_t> si(sim.data() + d * camps, camps), da(data.data() + d * camps, camps);
    s.plain.push_back(relative_difference(si, da));
    s.rescaled.push_back(relative_difference_rescaled(si, da));
  }
  for (std::size_t d = 0; d < days; ++d) {
    s.mean_plain += s.plain[d];
    s.mean_rescaled += s.rescaled[d];
  }
  if (days > 0) {
    s.mean_plain /= static_cast<double>(days);
    s.mean_rescaled /= static_cast<double>(days);
  }
  return s;
}

}  // namespace corridor::flee
