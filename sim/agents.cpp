#include "sim/agents.hpp"

#include <numeric>

namespace corridor {

AgentStore::AgentStore() {
  columns_.push_back(Column{"id", true, std::vector<std::uint64_t>{}, ColumnRange::any()});  // checked as ids
  columns_.push_back(Column{"node", true, std::vector<std::uint32_t>{}, ColumnRange::node()});
  columns_.push_back(Column{"state", true, std::vector<std::uint8_t>{}, ColumnRange::state()});
}

std::size_t AgentStore::append(std::size_t n) {
  const std::size_t first = size_;
  if (ranks_ > 1) return append_owned(n);
  for (auto& c : columns_) std::visit([&](auto& v) { v.resize(first + n); }, c.data);
  auto& id = std::get<std::vector<std::uint64_t>>(columns_[kIdColumn].data);
  std::iota(id.begin() + static_cast<std::ptrdiff_t>(first), id.end(), next_id_);
  next_id_ += n;
  size_ = first + n;
  return first;
}

void AgentStore::reserve(std::size_t n) {
  // With a partition, only this rank's share of the rows beyond the current ones will be stored.
  if (ranks_ > 1 && n > size_) n = size_ + (n - size_ + ranks_ - 1) / ranks_;
  for (auto& c : columns_) std::visit([&](auto& v) { v.reserve(n); }, c.data);
}

void AgentStore::keep_rows(const std::vector<std::uint32_t>& keep) {
  // keep is increasing, so row w is never read after it is overwritten.
  for (auto& c : columns_)
    std::visit(
        [&](auto& v) {
          for (std::size_t w = 0; w < keep.size(); ++w) v[w] = v[keep[w]];
          v.resize(keep.size());
        },
        c.data);
  size_ = keep.size();
}

std::size_t AgentStore::compact(const bool (&is_final)[256]) {
  const std::uint8_t* st = states();
  // The keep pattern is computed once from the state column (which is compacted last).
  std::vector<std::uint32_t> keep;
  keep.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i)
    if (!is_final[st[i]]) keep.push_back(static_cast<std::uint32_t>(i));
  if (keep.size() == size_) return 0;
  const std::size_t removed = size_ - keep.size();
  keep_rows(keep);
  return removed;
}

std::vector<std::uint32_t> AgentStore::final_rows(const bool (&is_final)[256]) const {
  std::vector<std::uint32_t> rows;
  const std::uint8_t* st = states();
  for (std::size_t i = 0; i < size_; ++i)
    if (is_final[st[i]]) rows.push_back(static_cast<std::uint32_t>(i));
  return rows;
}

std::size_t AgentStore::bytes_per_row() const {
  std::size_t b = 0;
  for (const auto& c : columns_) std::visit([&](const auto& v) { b += sizeof(v[0]); }, c.data);
  return b;
}

std::size_t AgentStore::bytes_reserved() const {
  std::size_t b = 0;
  for (const auto& c : columns_) std::visit([&](const auto& v) { b += sizeof(v[0]) * v.capacity(); }, c.data);
  return b;
}

}  // namespace corridor
