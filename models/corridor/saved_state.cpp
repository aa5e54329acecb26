// The corridor model's state outside the agent store, for checkpoints (docs/hpc.md): only the
// perception carries anything from one day to the next; the policy tables, route choice
// tables and interception probabilities are rebuilt from the date in begin_day.
#include <fmt/format.h>

#include "models/corridor/corridor_model.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"

namespace corridor::cm {

namespace {
constexpr std::size_t kCells = static_cast<std::size_t>(kNationalities) * kDemographics;
using Day = std::array<std::array<double, kDemographics>, kNationalities>;

void put(std::vector<double>& out, const Day& d) {
  for (const auto& row : d) out.insert(out.end(), row.begin(), row.end());
}
Day get(const std::vector<double>& in, std::size_t at) {
  Day d{};
  for (int n = 0; n < kNationalities; ++n)
    for (int k = 0; k < kDemographics; ++k) d[n][k] = in[at + static_cast<std::size_t>(n) * kDemographics + k];
  return d;
}
}  // namespace

void Perception::save(hid_t group) const {
  std::vector<double> value, enc, in;
  put(value, value_);
  for (const auto& d : enc_window_) put(enc, d);
  for (const auto& d : in_window_) put(in, d);
  h5::write_column<double>(group, "perception_value", value);
  h5::write_column<double>(group, "perception_encountered_window", enc);
  h5::write_column<double>(group, "perception_let_in_window", in);
}

void Perception::load(hid_t group) {
  const auto value = h5::read_column<double>(group, "perception_value");
  const auto enc = h5::read_column<double>(group, "perception_encountered_window");
  const auto in = h5::read_column<double>(group, "perception_let_in_window");
  if (value.size() != kCells || enc.size() != in.size() || enc.size() % kCells != 0)
    throw InputError(fmt::format("checkpoint: the corridor perception state has {} values (expected {})",
                                 value.size(), kCells));
  value_ = get(value, 0);
  enc_window_.clear();
  in_window_.clear();
  for (std::size_t at = 0; at < enc.size(); at += kCells) {
    enc_window_.push_back(get(enc, at));
    in_window_.push_back(get(in, at));
  }
}

void CorridorModel::save_state(hid_t group) const { perception_->save(group); }
void CorridorModel::load_state(hid_t group) { perception_->load(group); }

}  // namespace corridor::cm
