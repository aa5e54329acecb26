#include "sim/chunked_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace corridor {

namespace {

/// Every this many chunks of a column, the encoding is chosen again on a sample of the chunk.
constexpr std::uint64_t kChooseEvery = 16;
/// Values in that sample (a few deflate calls on the producer's thread per 16 chunks).
constexpr std::size_t kSampleValues = 4096;

/// Column j's rows [0, rows) of `records`, contiguous in `out` (the encoder's input).
void gather_column(const unsigned char* records, std::size_t record_bytes, std::size_t offset, std::size_t row_bytes,
                   std::size_t rows, unsigned char* out) {
  const unsigned char* src = records + offset;
  switch (row_bytes) {
    case 1:
      for (std::size_t i = 0; i < rows; ++i) out[i] = src[i * record_bytes];
      return;
    case 2:
      for (std::size_t i = 0; i < rows; ++i) std::memcpy(out + 2 * i, src + i * record_bytes, 2);
      return;
    case 4:
      for (std::size_t i = 0; i < rows; ++i) std::memcpy(out + 4 * i, src + i * record_bytes, 4);
      return;
    case 8:
      for (std::size_t i = 0; i < rows; ++i) std::memcpy(out + 8 * i, src + i * record_bytes, 8);
      return;
    default:
      for (std::size_t i = 0; i < rows; ++i) std::memcpy(out + row_bytes * i, src + i * record_bytes, row_bytes);
  }
}

void check(herr_t rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("HDF5: " + what);
}

}  // namespace

std::size_t TableColumn::row_elements() const {
  std::size_t n = 1;
  for (hsize_t d : inner) n *= static_cast<std::size_t>(d);
  return n;
}

std::size_t TableColumn::row_bytes() const { return row_elements() * H5Tget_size(native_type); }

void TableLayout::add(std::string column, hid_t native_type, std::vector<hsize_t> inner, std::size_t offset) {
  TableColumn c{std::move(column), native_type, std::move(inner), 0};
  c.offset = offset == SIZE_MAX ? record_bytes : offset;
  record_bytes = std::max(record_bytes, c.offset + c.row_bytes());
  columns.push_back(std::move(c));
}

h5::ChunkCodec TableLayout::codec(std::size_t column) const {
  const TableColumn& c = columns[column];
  return h5::ChunkCodec(h5::ElementType::of(c.native_type), chunk_rows * c.row_elements(), level);
}

// ---- TableStream ----

TableStream::TableStream(int id, TableLayout layout, WritePipeline* pipeline, ChunkSink sink)
    : id_(id), layout_(std::move(layout)), pipeline_(pipeline), sink_(std::move(sink)) {
  for (std::size_t j = 0; j < layout_.columns.size(); ++j) codecs_.push_back(layout_.codec(j));
  encoding_.assign(layout_.columns.size(), h5::ChunkEncoding::Plain);
  emitted_.assign(layout_.columns.size(), 0);
}

TableStream::Pending& TableStream::chunk(std::uint64_t k) {
  auto it = pending_.find(k);
  if (it != pending_.end()) return it->second;
  Pending p;
  p.records = std::make_shared<std::vector<unsigned char>>(layout_.chunk_rows * layout_.record_bytes, 0);
  return pending_.emplace(k, std::move(p)).first->second;
}

void TableStream::append(const void* records, std::size_t n) {
  place(rows_, records, n);
}

void TableStream::place(std::uint64_t row, const void* records, std::size_t n) {
  const auto* src = static_cast<const unsigned char*>(records);
  const std::size_t C = layout_.chunk_rows, rb = layout_.record_bytes;
  while (n > 0) {
    const std::uint64_t k = row / C;
    const std::size_t at = static_cast<std::size_t>(row % C);
    const std::size_t take = std::min<std::size_t>(n, C - at);
    Pending& p = chunk(k);
    std::memcpy(p.records->data() + at * rb, src, take * rb);
    p.filled += take;
    if (p.filled > C) throw std::logic_error(fmt::format("table {}: chunk {} received more rows than it has", layout_.name, k));
    if (p.filled == C) {
      std::shared_ptr<const std::vector<unsigned char>> full = std::move(p.records);
      pending_.erase(k);
      emit(k, std::move(full), C);
    }
    row += take;
    src += take * rb;
    n -= take;
  }
  rows_ = std::max(rows_, row);
}

void TableStream::flush_partial(std::uint64_t total_rows, bool keep) {
  const std::size_t C = layout_.chunk_rows;
  if (total_rows % C != 0) {
    const std::uint64_t k = total_rows / C;
    auto it = pending_.find(k);
    if (it != pending_.end()) {
      const std::size_t rows = static_cast<std::size_t>(total_rows % C);
      if (it->second.filled != rows)
        throw std::logic_error(fmt::format("table {}: the last chunk holds {} of its {} rows", layout_.name,
                                           it->second.filled, rows));
      if (keep) {
        emit(k, std::make_shared<const std::vector<unsigned char>>(*it->second.records), rows);
      } else {
        std::shared_ptr<const std::vector<unsigned char>> last = std::move(it->second.records);
        pending_.erase(it);
        emit(k, std::move(last), rows);
      }
    }
  }
  if (!keep && !pending_.empty())
    throw std::logic_error(fmt::format("table {}: chunk {} is incomplete at the end", layout_.name, pending_.begin()->first));
}

void TableStream::resume(std::uint64_t rows, const std::vector<unsigned char>& tail) {
  rows_ = rows;
  pending_.clear();
  const std::size_t C = layout_.chunk_rows;
  if (rows % C == 0 || tail.empty()) return;
  const std::size_t filled = static_cast<std::size_t>(rows % C);
  if (tail.size() != filled * layout_.record_bytes)
    throw std::logic_error(fmt::format("table {}: the partial chunk to continue has the wrong size", layout_.name));
  Pending& p = chunk(rows / C);
  std::memcpy(p.records->data(), tail.data(), tail.size());
  p.filled = filled;
}

void TableStream::emit(std::uint64_t k, std::shared_ptr<const std::vector<unsigned char>> records, std::size_t rows) {
  const std::size_t C = layout_.chunk_rows, rb = layout_.record_bytes;
  const std::uint64_t rows_after = k * C + rows;
  for (std::size_t j = 0; j < layout_.columns.size(); ++j) {
    const TableColumn& col = layout_.columns[j];
    const std::size_t cb = col.row_bytes();
    const bool whole = layout_.columns.size() == 1 && col.offset == 0 && cb == rb;
    // Every 16th chunk of a column (of those this process encodes) picks the encoding for
    // the next ones, on a sample: decided here, in order, so the choice never depends on timing.
    if (emitted_[j]++ % kChooseEvery == 0 && layout_.level > 0) {
      const std::size_t per_row = col.row_elements();
      const std::size_t sample_rows = std::max<std::size_t>(1, std::min(rows, kSampleValues / per_row));
      std::vector<unsigned char> sample(sample_rows * cb);
      gather_column(records->data(), rb, col.offset, cb, sample_rows, sample.data());
      encoding_[j] = codecs_[j].choose(sample.data(), sample_rows * per_row);
    }
    const h5::ChunkEncoding enc = encoding_[j];
    const h5::ChunkCodec* codec = &codecs_[j];
    const int table = id_;
    ChunkSink* sink = &sink_;
    pipeline_->submit(
        [=]() -> WritePipeline::Write {
          h5::EncodedChunk e;
          if (whole) {
            e = codec->encode(records->data(), enc);
          } else {
            thread_local std::vector<unsigned char> column;
            column.resize(C * cb);
            gather_column(records->data(), rb, col.offset, cb, C, column.data());
            e = codec->encode(column.data(), enc);
          }
          return [sink, ref = EncodedChunkRef{table, j, k, rows_after, std::move(e)}]() mutable {
            (*sink)(std::move(ref));
          };
        },
        C * cb);
  }
}

// ---- TableDatasets ----

TableDatasets TableDatasets::create(hid_t group, const TableLayout& layout) {
  TableDatasets t;
  t.layout_ = layout;
  for (std::size_t j = 0; j < layout.columns.size(); ++j) {
    const TableColumn& c = layout.columns[j];
    std::vector<hsize_t> dims{0}, maxdims{H5S_UNLIMITED}, chunk{layout.chunk_rows};
    for (hsize_t d : c.inner) {
      dims.push_back(d);
      maxdims.push_back(d);
      chunk.push_back(std::max<hsize_t>(d, 1));
    }
    h5::Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxdims.data()), H5Sclose);
    h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (space.id() < 0 || dcpl.id() < 0) throw std::runtime_error("HDF5: dataspace for " + c.name);
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk " + c.name);
    layout.codec(j).add_filters(dcpl);
    hid_t ds = H5Dcreate2(group, c.name.c_str(), c.native_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds < 0) throw std::runtime_error("HDF5: cannot create dataset " + c.name);
    t.datasets_.emplace_back(ds, H5Dclose);
    t.extent_.push_back(0);
  }
  t.digests_.resize(layout.columns.size());
  return t;
}

TableDatasets TableDatasets::open(hid_t group, const TableLayout& layout) {
  TableDatasets t;
  t.layout_ = layout;
  for (std::size_t j = 0; j < layout.columns.size(); ++j) {
    const TableColumn& c = layout.columns[j];
    hid_t ds = H5Dopen2(group, c.name.c_str(), H5P_DEFAULT);
    if (ds < 0) throw std::runtime_error("HDF5: cannot open dataset " + c.name);
    t.datasets_.emplace_back(ds, H5Dclose);
    h5::Handle space(H5Dget_space(ds), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank != static_cast<int>(c.inner.size()) + 1) throw std::runtime_error("HDF5: dataset " + c.name + " has another shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    h5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose);
    std::vector<hsize_t> chunk(static_cast<std::size_t>(rank));
    if (H5Pget_chunk(dcpl, rank, chunk.data()) != rank || chunk[0] != layout.chunk_rows)
      throw std::runtime_error("HDF5: dataset " + c.name + " is chunked otherwise than this binary writes it");
    t.extent_.push_back(dims[0]);
    t.digests_.push_back(stored_chunks(ds));
  }
  t.rows_ = t.extent_.empty() ? 0 : t.extent_.front();
  for (std::uint64_t e : t.extent_)
    if (e != t.rows_) throw std::runtime_error("HDF5: the columns of table " + layout.name + " differ in length");
  return t;
}

void TableDatasets::put(const EncodedChunkRef& c) {
  // This runs on a worker thread; HDF5's error stack (and its printing) is per thread.
  thread_local const bool quiet = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  (void)quiet;
  const TableColumn& col = layout_.columns[c.column];
  hid_t ds = datasets_[c.column].id();
  if (c.rows_after > extent_[c.column]) {
    std::vector<hsize_t> dims{c.rows_after};
    dims.insert(dims.end(), col.inner.begin(), col.inner.end());
    if (H5Dset_extent(ds, dims.data()) < 0) h5::throw_write_error(ds, layout_.name + "/" + col.name);
    extent_[c.column] = c.rows_after;
  }
  std::vector<hsize_t> offset(col.inner.size() + 1, 0);
  offset[0] = c.chunk * layout_.chunk_rows;
  if (H5Dwrite_chunk(ds, H5P_DEFAULT, c.data.filter_mask, offset.data(), c.data.bytes.size(), c.data.bytes.data()) < 0)
    h5::throw_write_error(ds, layout_.name + "/" + col.name);
  digests_[c.column][c.chunk] = ChunkDigest{crc32_of(c.data.bytes.data(), c.data.bytes.size()), c.data.bytes.size()};
  rows_ = *std::min_element(extent_.begin(), extent_.end());
}

std::map<std::uint64_t, ChunkDigest> stored_chunks(hid_t ds) {
  std::map<std::uint64_t, ChunkDigest> out;
  h5::Handle space(H5Dget_space(ds), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  h5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose);
  std::vector<hsize_t> chunk(static_cast<std::size_t>(std::max(rank, 1)));
  if (rank < 1 || H5Pget_chunk(dcpl, rank, chunk.data()) != rank) throw std::runtime_error("HDF5: not a chunked dataset");
  hsize_t n = 0;
  if (H5Dget_storage_size(ds) == 0) return out;  // no chunk written yet
  // (HDF5 1.10 wants the dataset's own dataspace here: it refuses H5S_ALL.)
  check(H5Dget_num_chunks(ds, space, &n), "count chunks");
  std::vector<hsize_t> offset(static_cast<std::size_t>(rank));
  std::vector<unsigned char> bytes;
  for (hsize_t i = 0; i < n; ++i) {
    unsigned mask = 0;
    haddr_t addr = 0;
    hsize_t size = 0;
    check(H5Dget_chunk_info(ds, space, i, offset.data(), &mask, &addr, &size), "chunk info");
    bytes.resize(static_cast<std::size_t>(size));
    std::uint32_t filters = 0;
    check(H5Dread_chunk(ds, H5P_DEFAULT, offset.data(), &filters, bytes.data()), "read a chunk");
    out[offset[0] / chunk[0]] = ChunkDigest{crc32_of(bytes.data(), bytes.size()), bytes.size()};
  }
  return out;
}

std::vector<unsigned char> TableDatasets::read_records(std::uint64_t from) const {
  const std::size_t n = static_cast<std::size_t>(rows_ - std::min(from, rows_));
  std::vector<unsigned char> records(n * layout_.record_bytes, 0);
  if (n == 0) return records;
  for (std::size_t j = 0; j < layout_.columns.size(); ++j) {
    const TableColumn& col = layout_.columns[j];
    const std::size_t cb = col.row_bytes();
    std::vector<unsigned char> values(n * cb);
    std::vector<hsize_t> start{from}, count{n};
    for (hsize_t d : col.inner) {
      start.push_back(0);
      count.push_back(d);
    }
    h5::Handle fspace(H5Dget_space(datasets_[j].id()), H5Sclose);
    check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), "select");
    h5::Handle mspace(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
    check(H5Dread(datasets_[j].id(), col.native_type, mspace, fspace, H5P_DEFAULT, values.data()),
          fmt::format("cannot read {}/{}", layout_.name, col.name));
    for (std::size_t i = 0; i < n; ++i)
      std::memcpy(records.data() + i * layout_.record_bytes + col.offset, values.data() + i * cb, cb);
  }
  return records;
}

}  // namespace corridor
