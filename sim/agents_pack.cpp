// AgentStore for multi-rank runs and checkpoints: the ownership partition, packing rows into
// bytes (to gather them on rank 0) and merging per-rank stores back into id order, so that
// what rank 0 writes is row for row what a single process would have written (docs/hpc.md).
#include <cstring>
#include <stdexcept>

#include "sim/agents.hpp"

namespace corridor {

void AgentStore::set_partition(std::uint32_t ranks, std::uint32_t rank) {
  if (ranks == 0 || rank >= ranks) throw std::invalid_argument("AgentStore::set_partition: rank out of range");
  ranks_ = ranks;
  rank_ = rank;
}

std::size_t AgentStore::append_owned(std::size_t n) {
  // The owned ids among next_id_ .. next_id_ + n - 1: those congruent to rank_ modulo ranks_.
  const std::uint64_t lo = next_id_, hi = next_id_ + n;
  const std::uint64_t first_owned = lo + (rank_ + ranks_ - lo % ranks_) % ranks_;
  const std::size_t k = first_owned >= hi ? 0 : static_cast<std::size_t>((hi - 1 - first_owned) / ranks_ + 1);
  const std::size_t first = size_;
  for (auto& c : columns_) std::visit([&](auto& v) { v.resize(first + k); }, c.data);
  auto& id = std::get<std::vector<std::uint64_t>>(columns_[kIdColumn].data);
  for (std::size_t j = 0; j < k; ++j) id[first + j] = first_owned + j * ranks_;
  next_id_ = hi;
  size_ = first + k;
  return first;
}

AgentStore AgentStore::empty_copy() const {
  AgentStore s;
  s.columns_.clear();
  for (const auto& c : columns_)
    s.columns_.push_back(Column{c.name, c.output,
                                std::visit([](const auto& v) -> ColumnData { return std::decay_t<decltype(v)>{}; },
                                           c.data),
                                c.range});
  s.next_id_ = next_id_;
  s.ranks_ = ranks_;
  s.rank_ = rank_;
  return s;
}

std::vector<std::byte> AgentStore::pack(const std::vector<std::uint32_t>* rows) const {
  const std::size_t n = rows ? rows->size() : size_;
  std::vector<std::byte> out;
  out.reserve(sizeof(std::uint64_t) + n * bytes_per_row());
  const std::uint64_t count = n;
  const auto* cp = reinterpret_cast<const std::byte*>(&count);
  out.insert(out.end(), cp, cp + sizeof count);
  for (const auto& c : columns_)
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          const std::size_t at = out.size();
          out.resize(at + n * sizeof(T));
          T* dst = reinterpret_cast<T*>(out.data() + at);
          if (rows)
            for (std::size_t i = 0; i < n; ++i) std::memcpy(dst + i, &v[(*rows)[i]], sizeof(T));
          else if (n > 0)
            std::memcpy(dst, v.data(), n * sizeof(T));
        },
        c.data);
  return out;
}

void AgentStore::unpack_append(std::span<const std::byte> bytes) {
  std::uint64_t n = 0;
  if (bytes.size() < sizeof n) throw std::runtime_error("AgentStore::unpack_append: truncated message");
  std::memcpy(&n, bytes.data(), sizeof n);
  std::size_t at = sizeof n;
  const std::size_t first = size_;
  for (auto& c : columns_)
    std::visit(
        [&](auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          if (at + n * sizeof(T) > bytes.size()) throw std::runtime_error("AgentStore::unpack_append: truncated message");
          v.resize(first + n);
          if (n > 0) std::memcpy(v.data() + first, bytes.data() + at, n * sizeof(T));
          at += n * sizeof(T);
        },
        c.data);
  if (at != bytes.size()) throw std::runtime_error("AgentStore::unpack_append: columns do not match the message");
  size_ = first + n;
}

void AgentStore::drop_not_owned() {
  if (ranks_ <= 1) return;
  const std::uint64_t* id = ids();
  std::vector<std::uint32_t> keep;
  for (std::size_t i = 0; i < size_; ++i)
    if (owns(id[i])) keep.push_back(static_cast<std::uint32_t>(i));
  keep_rows(keep);
}

void AgentStore::sync_size_from_columns() {
  std::size_t n = 0;
  bool first = true;
  for (const auto& c : columns_) {
    const std::size_t m = std::visit([](const auto& v) { return v.size(); }, c.data);
    if (!first && m != n) throw std::runtime_error("agent store: column '" + c.name + "' has a different length");
    n = m;
    first = false;
  }
  size_ = n;
}

AgentStore AgentStore::merge_by_id(const std::vector<AgentStore>& parts) {
  if (parts.empty()) return AgentStore{};
  AgentStore out = parts.front().empty_copy();
  // The merge order: (part, row) pairs by increasing id. Parts hold disjoint ids.
  std::size_t total = 0;
  for (const auto& p : parts) total += p.size();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> order;
  order.reserve(total);
  std::vector<std::size_t> pos(parts.size(), 0);
  for (std::size_t k = 0; k < total; ++k) {
    std::size_t best = parts.size();
    std::uint64_t best_id = 0;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      if (pos[p] >= parts[p].size()) continue;
      const std::uint64_t id = parts[p].ids()[pos[p]];
      if (best == parts.size() || id < best_id) {
        best = p;
        best_id = id;
      }
    }
    order.emplace_back(static_cast<std::uint32_t>(best), static_cast<std::uint32_t>(pos[best]++));
  }
  for (std::size_t c = 0; c < out.columns_.size(); ++c)
    std::visit(
        [&](auto& dst) {
          using V = std::decay_t<decltype(dst)>;
          dst.resize(total);
          for (std::size_t k = 0; k < total; ++k) {
            const auto& src = std::get<V>(parts[order[k].first].columns_[c].data);
            dst[k] = src[order[k].second];
          }
        },
        out.columns_[c].data);
  out.size_ = total;
  std::uint64_t next = 0;
  for (const auto& p : parts) next = std::max(next, p.next_id_);
  out.next_id_ = next;
  return out;
}

}  // namespace corridor
