#pragma once
// The agent store (decision 1, docs/architecture.md): a structure of arrays, one column per attribute.
// Rows are appended as agents are created and compacted (order kept) as they finish; every
// agent keeps a stable global id, so ids increase with the row index at all times.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace corridor {

using ColumnData = std::variant<std::vector<std::uint8_t>, std::vector<std::uint16_t>, std::vector<std::uint32_t>,
                                std::vector<std::int32_t>, std::vector<std::uint64_t>, std::vector<float>,
                                std::vector<double>>;

/// A typed handle to a column, returned when a model adds it.
template <class T>
struct ColumnId {
  std::size_t index = 0;
};

class AgentStore {
 public:
  struct Column {
    std::string name;
    bool output = true;  ///< written to the /agents table
    ColumnData data;
  };

  // Core columns, always present.
  static constexpr std::size_t kIdColumn = 0;     ///< uint64 stable global id
  static constexpr std::size_t kNodeColumn = 1;   ///< uint32 current node
  static constexpr std::size_t kStateColumn = 2;  ///< uint8 model-defined state

  AgentStore();

  /// Adds a model column (before the first agent is appended).
  template <class T>
  ColumnId<T> add_column(std::string name, bool output = true) {
    columns_.push_back(Column{std::move(name), output, std::vector<T>(size_)});
    return ColumnId<T>{columns_.size() - 1};
  }

  template <class T>
  T* data(ColumnId<T> c) {
    return std::get<std::vector<T>>(columns_[c.index].data).data();
  }
  template <class T>
  const T* data(ColumnId<T> c) const {
    return std::get<std::vector<T>>(columns_[c.index].data).data();
  }
  std::uint64_t* ids() { return data(ColumnId<std::uint64_t>{kIdColumn}); }
  const std::uint64_t* ids() const { return data(ColumnId<std::uint64_t>{kIdColumn}); }
  std::uint32_t* nodes() { return data(ColumnId<std::uint32_t>{kNodeColumn}); }
  const std::uint32_t* nodes() const { return data(ColumnId<std::uint32_t>{kNodeColumn}); }
  std::uint8_t* states() { return data(ColumnId<std::uint8_t>{kStateColumn}); }
  const std::uint8_t* states() const { return data(ColumnId<std::uint8_t>{kStateColumn}); }

  std::size_t size() const { return size_; }
  std::uint64_t next_id() const { return next_id_; }
  void set_next_id(std::uint64_t id) { next_id_ = id; }  ///< restarts; ids must keep increasing
  const std::vector<Column>& columns() const { return columns_; }
  std::vector<Column>& columns() { return columns_; }

  /// Appends n agents with fresh ids, all other columns zero. Returns the first new row.
  /// With a partition (below) only the owned ones among the n are stored; all n ids are used.
  std::size_t append(std::size_t n);

  // ---- multi-rank runs and checkpoints (sim/agents_pack.cpp) ----
  /// Agents whose id % ranks != rank are never stored by append() (their ids are still used
  /// up), so that each rank holds its share while ids stay global (docs/hpc.md).
  void set_partition(std::uint32_t ranks, std::uint32_t rank);
  bool owns(std::uint64_t id) const { return ranks_ <= 1 || id % ranks_ == rank_; }
  /// An empty store with the same columns (names, types, output flags).
  AgentStore empty_copy() const;
  /// The given rows (every row when `rows` is null), column after column, as bytes.
  std::vector<std::byte> pack(const std::vector<std::uint32_t>* rows) const;
  /// Appends rows that pack() produced from a store with the same columns, ids included.
  void unpack_append(std::span<const std::byte> bytes);
  /// Drops the rows this store does not own (after loading a checkpoint on several ranks).
  void drop_not_owned();
  /// After the columns were filled directly (checkpoint loading): takes the row count from
  /// them; throws std::runtime_error if they differ in length.
  void sync_size_from_columns();
  /// Stores with the same columns, each in increasing id order, merged in id order.
  static AgentStore merge_by_id(const std::vector<AgentStore>& parts);
  /// Room for n rows; with a partition, for this rank's share of the n - size() new ones.
  void reserve(std::size_t n);

  /// Removes the rows whose state is marked final in `is_final` (256 entries), keeping the
  /// order of the others. Returns the number removed.
  std::size_t compact(const bool (&is_final)[256]);
  /// Rows whose state is final (ascending).
  std::vector<std::uint32_t> final_rows(const bool (&is_final)[256]) const;

  /// Bytes held per agent row across all columns (capacity, not size).
  std::size_t bytes_per_row() const;
  std::size_t bytes_reserved() const;

 private:
  /// Keeps rows `keep` (increasing), in order, in every column: rows 0..keep.size()-1 after.
  void keep_rows(const std::vector<std::uint32_t>& keep);
  std::size_t append_owned(std::size_t n);
  std::vector<Column> columns_;
  std::size_t size_ = 0;
  std::uint64_t next_id_ = 0;
  std::uint32_t ranks_ = 1, rank_ = 0;
};

}  // namespace corridor
