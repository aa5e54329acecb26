#pragma once
// The appendable tables of a result file (series, events, agents: docs/output.md) as streams
// of fixed-size records cut into chunks. A table's columns are 1-D or N-D datasets that share
// the row index and the chunk length; a record holds one row of every column.
//
//   TableLayout    what the columns are, where each sits in a record, the chunk length
//   TableStream    collects records into chunk buffers (appended in order on one process, or
//                  placed at their global row by the rank that owns the chunk: sim/distributed.hpp),
//                  and hands every finished chunk to the write pipeline, one encode job per
//                  column (sim/chunk_codec.hpp), which gives the encoded chunk to a ChunkSink
//   TableDatasets  the table's HDF5 datasets in the file: created or reopened, and the sink
//                  that stores encoded chunks with H5Dwrite_chunk (rank 0 only)
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/chunk_codec.hpp"
#include "sim/hdf5.hpp"
#include "sim/write_pipeline.hpp"

namespace corridor {

struct TableColumn {
  std::string name;
  hid_t native_type = -1;       ///< H5T_NATIVE_* of the values
  std::vector<hsize_t> inner;   ///< the shape of one row (empty: one value per row)
  std::size_t offset = 0;       ///< byte offset of the column's row within a record
  std::size_t row_elements() const;
  std::size_t row_bytes() const;
};

struct TableLayout {
  std::string name;  ///< for messages, e.g. "events"
  std::vector<TableColumn> columns;
  std::size_t record_bytes = 0;  ///< grows with add(); set it for records laid out as a struct (padding)
  std::size_t chunk_rows = 1;
  int level = 1;  ///< deflate level, 0: uncompressed
  /// Appends a column packed after the previous ones (or at `offset` when given: events are
  /// records laid out as `struct Event`).
  void add(std::string column, hid_t native_type, std::vector<hsize_t> inner = {}, std::size_t offset = SIZE_MAX);
  h5::ChunkCodec codec(std::size_t column) const;
};

/// Where encoded chunks go: the file (rank 0), or an outbox to rank 0 (other ranks).
struct EncodedChunkRef {
  int table = 0;
  std::size_t column = 0;
  std::uint64_t chunk = 0;      ///< chunk index: rows [chunk * chunk_rows, ...)
  std::uint64_t rows_after = 0; ///< the table's length once this chunk is in (the dataset's extent)
  h5::EncodedChunk data;
};
using ChunkSink = std::function<void(EncodedChunkRef&&)>;

class TableStream {
 public:
  /// `id` names the table in the EncodedChunkRefs it produces.
  TableStream(int id, TableLayout layout, WritePipeline* pipeline, ChunkSink sink);

  const TableLayout& layout() const { return layout_; }
  /// Rows placed or appended so far by this process (one process: the table's length).
  std::uint64_t rows() const { return rows_; }
  /// Appends records after the last row (one process).
  void append(const void* records, std::size_t n);
  /// Places records at global rows [row, row + n), all of them in chunks this process owns
  /// (several ranks); a chunk is encoded once all its rows are in.
  void place(std::uint64_t row, const void* records, std::size_t n);
  /// The table ends at `total_rows` (or is snapshot there): the chunk holding its last rows,
  /// if this process holds it and it is not full, is encoded as it is (padded with zeros).
  /// With `keep`, its rows stay to be completed later (a checkpoint's snapshot).
  void flush_partial(std::uint64_t total_rows, bool keep);
  /// Sets where appending continues (a restart): `rows` rows exist, and `tail` holds the
  /// records of the last, partial chunk (rows - rows % chunk_rows onwards) when this process
  /// owns it.
  void resume(std::uint64_t rows, const std::vector<unsigned char>& tail);

 private:
  struct Pending {
    std::shared_ptr<std::vector<unsigned char>> records;
    std::size_t filled = 0;
  };
  Pending& chunk(std::uint64_t k);
  void emit(std::uint64_t k, std::shared_ptr<const std::vector<unsigned char>> records, std::size_t rows);

  int id_;
  TableLayout layout_;
  std::vector<h5::ChunkCodec> codecs_;
  std::vector<h5::ChunkEncoding> encoding_;  ///< per column: the choice of its latest sampled chunk
  std::vector<std::uint64_t> emitted_;       ///< per column: chunks encoded so far
  WritePipeline* pipeline_;
  ChunkSink sink_;
  std::uint64_t rows_ = 0;
  std::map<std::uint64_t, Pending> pending_;  ///< chunks being filled, by index
};

/// A chunk as stored: its CRC-32 and length (a checkpoint records them; a restart checks them).
struct ChunkDigest {
  std::uint32_t crc32 = 0;
  std::uint64_t bytes = 0;
};

/// The datasets of a table in an open file (rank 0).
class TableDatasets {
 public:
  TableDatasets() = default;
  /// Creates the columns' datasets in `group`, empty.
  static TableDatasets create(hid_t group, const TableLayout& layout);
  /// Opens them to continue (a restart); throws std::runtime_error if they are torn.
  static TableDatasets open(hid_t group, const TableLayout& layout);
  /// Stores an encoded chunk (the caller keeps writes of one table on one thread at a time).
  void put(const EncodedChunkRef& c);
  std::uint64_t rows() const { return rows_; }
  hid_t dataset(std::size_t column) const { return datasets_[column].id(); }
  const TableLayout& layout() const { return layout_; }
  /// The dataset's path in the file, e.g. "events/agent".
  std::string path(std::size_t column) const { return layout_.name + "/" + layout_.columns[column].name; }
  /// Every chunk now stored, per column, by chunk index.
  const std::vector<std::map<std::uint64_t, ChunkDigest>>& digests() const { return digests_; }
  /// The records of rows [from, rows()) (a restart's partial last chunk). Only on a file opened
  /// after its chunks were written: HDF5 1.10 caches a chunk's filter mask as it was before a
  /// direct write, so a read in the same session may decode a rewritten chunk wrongly.
  std::vector<unsigned char> read_records(std::uint64_t from) const;

 private:
  TableLayout layout_;
  std::vector<h5::Handle> datasets_;
  std::vector<std::uint64_t> extent_;
  std::uint64_t rows_ = 0;
  std::vector<std::map<std::uint64_t, ChunkDigest>> digests_;
};

/// Every chunk of a chunked dataset as stored (raw, not decoded), by chunk index along the
/// first dimension; throws std::runtime_error when it cannot be read.
std::map<std::uint64_t, ChunkDigest> stored_chunks(hid_t dataset);

}  // namespace corridor
