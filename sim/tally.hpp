#pragma once
// Per-day series (people counts with labelled dimensions) and the thread-local buffers that
// collect them. Each thread adds into its own Tally; the engine sums them once per day.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace corridor {

struct Dimension {
  std::string name;                 ///< e.g. "node"
  std::vector<std::string> labels;  ///< one per index
};

struct SeriesSpec {
  std::string name;         ///< dataset group under /series
  std::string unit;         ///< e.g. "people"
  std::string description;  ///< one line
  std::vector<Dimension> dims;
};

/// Where a series lives in the flat tally and how to index it.
struct SeriesId {
  std::size_t offset = 0;
  std::size_t cells = 1;
  std::array<std::size_t, 8> stride{};
  std::size_t at(std::size_t i) const { return offset + i; }
  std::size_t at(std::size_t i, std::size_t j) const { return offset + i * stride[0] + j; }
  std::size_t at(std::size_t i, std::size_t j, std::size_t k) const {
    return offset + i * stride[0] + j * stride[1] + k;
  }
  std::size_t at(std::size_t i, std::size_t j, std::size_t k, std::size_t l) const {
    return offset + i * stride[0] + j * stride[1] + k * stride[2] + l;
  }
  std::size_t at(std::size_t i, std::size_t j, std::size_t k, std::size_t l, std::size_t m) const {
    return offset + i * stride[0] + j * stride[1] + k * stride[2] + l * stride[3] + m;
  }
};

/// The set of series a model declares; fixes the flat layout of every Tally.
class SeriesLayout {
 public:
  SeriesId add(SeriesSpec spec);
  const std::vector<SeriesSpec>& specs() const { return specs_; }
  const std::vector<SeriesId>& ids() const { return ids_; }
  std::size_t cells() const { return cells_; }

 private:
  std::vector<SeriesSpec> specs_;
  std::vector<SeriesId> ids_;
  std::size_t cells_ = 0;
};

/// One day's counts for every series, flat. Integer sums are exact, so the reduction order
/// cannot change a result.
class Tally {
 public:
  /// A cache line of slack at the end keeps two threads' tallies off a shared line.
  void resize(std::size_t cells) {
    v_.reserve(cells + 8);
    v_.assign(cells, 0);
  }
  void clear() { std::fill(v_.begin(), v_.end(), 0); }
  void add(std::size_t cell, std::int64_t n) { v_[cell] += n; }
  std::int64_t* data() { return v_.data(); }
  const std::int64_t* data() const { return v_.data(); }
  std::int64_t operator[](std::size_t cell) const { return v_[cell]; }
  std::int64_t& operator[](std::size_t cell) { return v_[cell]; }
  std::size_t size() const { return v_.size(); }
  void accumulate(const Tally& other) {
    for (std::size_t i = 0; i < v_.size(); ++i) v_[i] += other.v_[i];
  }

 private:
  std::vector<std::int64_t> v_;
};

}  // namespace corridor
