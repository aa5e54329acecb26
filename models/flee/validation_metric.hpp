#pragma once
// The validation metric of docs/flee-rules.md "Output and the validation metric": the averaged
// relative difference (ARD) between simulated and UNHCR camp counts.
//
//   E(t)  = sum_c |sim_c - data_c| / max(sum_c data_c, 1)
//   E'(t) = the same after scaling sim_c so that sum_c sim_c = sum_c data_c ("rescaled")
//   ARD   = mean of E(t) over the days of the run
#include <cstdint>
#include <span>
#include <vector>

namespace corridor::flee {

double relative_difference(std::span<const std::int64_t> sim, std::span<const std::int64_t> data);
/// When the simulation has nobody in camps the scaling is undefined; the day then counts as
/// the plain difference (1 when there is data, 0 when there is none).
double relative_difference_rescaled(std::span<const std::int64_t> sim, std::span<const std::int64_t> data);

/// |sim/data - 1| for one camp, 0 when data is 0 (the `<camp> error` column of out.csv).
double camp_error(std::int64_t sim, std::int64_t data);

struct ArdSummary {
  std::vector<double> plain, rescaled;  ///< per day
  double mean_plain = 0, mean_rescaled = 0;
};

/// `sim` and `data` are [day][camp], row-major, `camps` columns.
ArdSummary averaged_relative_difference(const std::vector<std::int64_t>& sim, const std::vector<std::int64_t>& data,
                                        std::size_t camps);

}  // namespace corridor::flee
